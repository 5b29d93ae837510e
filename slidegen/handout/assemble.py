"""PDF-level assembly: cached episode PDFs and freshly laid-out front pages become one file.

Concatenation keeps the documents' tagging: each part's structure tree is grafted under one
/Document element and the keys linking page content and link annotations to it
(/StructParents, /StructParent, the /ParentTree) are renumbered so they stay unique. If any
part is untagged, the result says so (no /MarkInfo) rather than claiming a structure it lacks.
"""
from __future__ import annotations

import io
from datetime import datetime

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..i18n import t
from .accessible import complete, metadata, ready_part

PAGE_LINK = "slidegen:page/"      # front-page links to a page of the assembled file


class Concatenation:
    """Parts put into numbered slots in any order (a rebuild adds the cached episodes while the
    edited one is still being laid out); pages and structure come out in slot order.

    A part is copied into the result as soon as every slot before it has been (a build joins
    episodes while workers lay out the others, so that little is left to join at the end);
    the `late` slot, whose part comes last (the front pages, laid out once every episode's
    page count is known), is copied after all the others. Copying in that one order, whatever
    order parts arrive in, numbers the objects alike, so the bytes do not depend on it.

    With `lazy`, a part is opened only when copied: an open file costs pikepdf some megabytes
    whatever its size, and the 70 parts of a very long episode's stamps, added before any is
    copied, held 300 MB. A copied part is let go at once (qpdf reads a copied stream's data
    from the part's bytes, not from the parsed file)."""

    def __init__(self, slots: int, lazy: bool = False, late: int | None = None):
        self.out = pikepdf.new()
        self.lazy = lazy
        self.late = late
        self.document = self.out.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.tagged = True
        self.used = False
        self.parts: list = [None] * slots
        self.pages = [0] * slots           # pages of each copied part
        self.kids: list[list] = [[] for _ in range(slots)]     # its structure elements
        self.nums: list = []               # the parent tree's keys and values, as copied
        self.role_map: dict = {}
        self.next_key = 0
        self.copied = 0                    # slots before this one are copied, or missing
        self.ids: dict = {}                # the elements' ids, as copied (accessible.complete)

    def add(self, slot: int, data: bytes) -> None:
        """Take a part; copied now if every slot before it (but `late`) has been."""
        self.used = True
        self.parts[slot] = data if self.lazy else _opened(data, slot)
        self._copy_ready()

    def _copy_ready(self, to_end: bool = False) -> None:
        """Copy parts in slot order while the next one is there (`to_end`: skip missing ones)."""
        while self.copied < len(self.parts):
            slot = self.copied
            part = self.parts[slot]
            if slot == self.late or (part is None and to_end):
                self.copied += 1
            elif part is None:
                return
            else:
                self._copy(slot)
                self.copied += 1

    def result(self) -> pikepdf.Pdf:
        self._copy_ready(to_end=True)
        if self.late is not None and self.parts[self.late] is not None:
            self._copy(self.late)
        self.document.K = Array([kid for kids in self.kids for kid in kids])
        out = self.out
        if self.tagged and self.used:
            root = out.make_indirect(Dictionary(
                Type=Name.StructTreeRoot, K=Array([self.document]),
                ParentTree=out.make_indirect(Dictionary(Nums=Array(self.nums))),
                ParentTreeNextKey=self.next_key))
            if self.role_map:
                root.RoleMap = Dictionary(self.role_map)
            self.document.P = root
            out.Root.StructTreeRoot = root
            out.Root.MarkInfo = Dictionary(Marked=True)
        return out

    def _copy(self, slot: int) -> None:
        """Slot's pages after those of the slots before it, its structure under the Document,
        its structure keys after those copied before."""
        out, part = self.out, self.parts[slot]
        src, ids = _opened(part, slot) if isinstance(part, bytes) else part
        self.parts[slot] = True               # copied: the source can go
        at, count = sum(self.pages[:slot]), len(src.pages)
        out.pages[at:at] = src.pages
        self.pages[slot] = count
        tree = src.Root.get("/StructTreeRoot")
        if tree is None:
            self.tagged = False
            return
        pairs = _number_tree(tree.get("/ParentTree"))
        offset = self.next_key
        for key, value in pairs:
            self.nums.extend([key + offset, _copy(out, value)])
        for i in range(at, at + count):
            page = out.pages[i]
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for kid in _array(tree.get("/K")):
            elem = _copy(out, kid)
            if elem.get("/S") == Name.Document:
                elem.S = Name.Part        # one Document per file: the parts become Parts
            elem.P = self.document
            self.kids[slot].append(elem)
        for k, v in (tree.get("/RoleMap") or {}).items():
            self.role_map[k] = _copy(out, v)
        self.ids.update((key, out.copy_foreign(elem)) for key, elem in ids.items())
        self.next_key = offset + (max((k for k, _ in pairs), default=-1) + 1)


def _opened(data: bytes, slot: int) -> tuple[pikepdf.Pdf, dict]:
    """A part, ready to join (its element ids unique in the joined file), and its ids."""
    src = pikepdf.open(io.BytesIO(data))
    return src, ready_part(src, f"p{slot}-")


def _copy(out: pikepdf.Pdf, obj):
    """`obj` from another file into `out`; direct arrays and dictionaries are rebuilt around
    their indirect members (pikepdf copies only indirect objects across files)."""
    if not isinstance(obj, pikepdf.Object):
        return obj
    if obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(out, x) for x in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _copy(out, v) for k, v in obj.items()})
    return obj


def _number_tree(node) -> list[tuple[int, object]]:
    """(key, value) pairs of a PDF number tree, flattened."""
    if node is None:
        return []
    out = []
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out.append((int(nums[i]), nums[i + 1]))
    for kid in node.get("/Kids", []):
        out.extend(_number_tree(kid))
    return out


def _array(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def set_outline(pdf: pikepdf.Pdf, entries) -> None:
    """Bookmarks from (level, title, page_index) entries, nested by level."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, title, page in entries:
            item = pikepdf.OutlineItem(title, page)
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((level, item.children))


def link_pages(pdf: pikepdf.Pdf) -> None:
    """Turn front-page links to "slidegen:page/N" into links to page N of this file."""
    count = len(pdf.pages)
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(PAGE_LINK):
                n = int(uri[len(PAGE_LINK):])
                if 1 <= n <= count:
                    del annot["/A"]
                    annot.Dest = Array([pdf.pages[n - 1].obj, Name.Fit])
                    annot.Contents = String(t("Page {n}", n=n))


PART_KEY = "/SlidegenPart"         # an episode handout's summary (see files.part_of_handout)


def finish(pdf: pikepdf.Pdf, title: str, lang: str, date: datetime, part: str = "",
           ids: dict | None = None) -> bytes:
    """Metadata (document info and the XMP packet that claims PDF/UA-1), the structure tree
    completed (accessible.py), then bytes that depend on nothing but the content (fixed dates
    and /ID). `part`: what a later build needs to put these pages in the lesson's handout;
    `ids`: a joined file's (Concatenation.ids), whose parts were made ready as they came."""
    producer = "slidegen (WeasyPrint, pikepdf)"
    stamp = String(date.strftime("D:%Y%m%d%H%M%SZ"))
    for key in list(pdf.docinfo.keys()):
        del pdf.docinfo[key]
    pdf.docinfo.Title = String(title)
    pdf.docinfo.Creator = String("slidegen")
    pdf.docinfo.Producer = String(producer)
    pdf.docinfo.CreationDate = stamp
    pdf.docinfo.ModDate = stamp
    if part:
        pdf.docinfo[PART_KEY] = String(part)
    pdf.Root.Lang = String(lang or "en")
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if "/StructTreeRoot" not in pdf.Root and "/MarkInfo" in pdf.Root:
        del pdf.Root.MarkInfo
    if "/Outlines" in pdf.Root:
        pdf.Root.PageMode = Name.UseOutlines
    complete(pdf, ids)
    metadata(pdf, title, lang or "en", producer, date)
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True, compress_streams=True, min_version="1.7",
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()
