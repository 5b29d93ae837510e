"""Fewer structure elements in WeasyPrint's tagged PDF, with the same structure.

WeasyPrint 70 gives every run of text its own structure element inside the element it belongs
to: a paragraph holds a P that holds the text, a code line's Span holds a Span per coloured
token, each holding a Span with the text. A screen reader finds the same thing when the text's
marked content sits directly in the outer element, and a code-heavy episode has 125,000 such
elements: most of what the PDF-level joining of parts and episodes holds in memory.

`fold` runs as WeasyPrint's finisher, on its objects before they are written: an element with
nothing but marked content, on the same page as its parent, gives its content to the parent
when it is of the parent's own type, or a plain Span inside an element that holds text (a
paragraph, heading, cell, label); the parent tree then names the parent for that content. The
folded elements are no longer referenced, and pikepdf leaves them out of every file it writes.
Grouping elements (tables, rows, lists, sections) never take content of their own.

A picture with neither alt text nor caption (`alt=""`, decoration) becomes an Artifact: WeasyPrint
tags every image as a Figure, and a Figure with no description is what PDF/UA forbids.
"""
from __future__ import annotations

_PLAIN = {"Type", "S", "K", "Pg", "P"}       # an element that says nothing but what it holds
_HOLDS_TEXT = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/TD", "/TH", "/Lbl",
               "/LBody", "/NonStruct", "/Span", "/Caption", "/BlockQuote", "/Code", "/Quote"}


def fold(document, pdf) -> None:
    decorations_as_artifacts(pdf)
    objects = pdf.objects

    def target(ref: bytes):
        return objects[int(ref.split()[0])]

    into: dict[bytes, bytes] = {}
    for element in reversed(objects):          # kids were made after their parents
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        kids, parent_ref = element.get("K"), element.get("P")
        if not kids or not all(isinstance(k, int) for k in kids) or set(element) - _PLAIN:
            continue
        parent = target(parent_ref)
        kind, holder = element.get("S"), parent.get("S")
        if (parent.get("Type") != "/StructElem" or parent.get("Pg") != element.get("Pg")
                or not (kind == holder or kind == "/Span" and holder in _HOLDS_TEXT)):
            continue
        siblings = parent["K"]
        at = siblings.index(element.reference)
        siblings[at:at + 1] = list(kids)
        into[element.reference] = parent_ref
    if not into:
        return

    def final(ref):
        while ref in into:
            ref = into[ref]
        return ref

    root = target(pdf.catalog["StructTreeRoot"])
    nums = target(root["ParentTree"])["Nums"]
    for i in range(1, len(nums), 2):
        if isinstance(nums[i], list):
            nums[i][:] = [final(r) for r in nums[i]]


def decorations_as_artifacts(pdf) -> None:
    """Each Figure without /Alt: its marked content on the page is re-marked as an Artifact,
    and the element leaves the tree (with any parent left empty by it) and the parent tree."""
    objects = pdf.objects

    def target(ref: bytes):
        return objects[int(ref.split()[0])]

    nums = target(target(pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    for element in list(objects):
        if (not isinstance(element, dict) or element.get("S") != "/Figure" or "Alt" in element
                or len(element.get("K") or ()) != 1 or not isinstance(element["K"][0], int)):
            continue
        ops = target(target(element["Pg"])["Contents"]).stream
        at = next((i for i in range(1, len(ops) - 1) if isinstance(ops[i], dict)
                   and ops[i].get("MCID") == element["K"][0] and ops[i - 1] == "/Figure"
                   and ops[i + 1] == b"BDC"), None)
        if at is None:
            continue
        ops[at - 1:at + 2] = ["/Artifact", b"BMC"]
        for i in range(1, len(nums), 2):
            if isinstance(nums[i], list):
                nums[i][:] = [b"null" if r == element.reference else r for r in nums[i]]
        while element.get("S") != "/Document":
            parent = target(element["P"])
            parent["K"].remove(element.reference)
            if parent["K"]:
                break
            element = parent
