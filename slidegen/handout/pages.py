"""What a laid-out document shows at the top of its pages, read from WeasyPrint's page boxes.

The answer key uses it to find the solutions that begin a page: read on their own, away from
their exercise, they repeat its title (a second layout shows it).
"""
from __future__ import annotations

SOLUTION_CLASS = "box-solution"


def solutions_opening_pages(document) -> frozenset[str]:
    """Ids of solution boxes whose first part stands at the top of a page (not page 1)."""
    out = set()
    before: set[str] = set()
    for index, page in enumerate(document.pages):
        here = _solution_ids(page._page_box)
        if index:
            out.update(i for i in _top_ids(page._page_box) if i in here and i not in before)
        before = here
    return frozenset(out)


def _solution_ids(box) -> set[str]:
    found = set()
    stack = [box]
    while stack:
        b = stack.pop()
        element = getattr(b, "element", None)
        if element is not None and SOLUTION_CLASS in (element.get("class") or "").split():
            found.add(element.get("id") or "")
        stack.extend(getattr(b, "children", ()))
    return found


def _top_ids(page_box) -> list[str]:
    """Element ids on the chain of first in-flow boxes from the page's root down."""
    ids = []
    box = next((c for c in page_box.children if getattr(c, "element_tag", None) == "html"), None)
    while box is not None:
        element = getattr(box, "element", None)
        if element is not None and element.get("id"):
            ids.append(element.get("id"))
        box = next((c for c in getattr(box, "children", ())
                    if c.is_in_normal_flow() and type(c).__name__ != "LineBox"), None)
    return ids
