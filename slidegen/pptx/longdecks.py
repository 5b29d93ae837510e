"""python-pptx for decks of thousands of slides: linear time and flat memory.

python-pptx is built for decks of tens of slides. For each new slide it walks every earlier one
three times (for a free part name, for an existing relationship to the part it has just made, for
the largest slide id), and it keeps every slide's element tree until the deck is saved: a deck of
2,300 slides took 46 s and 740 MB, of which the trees were 580 MB for 6 MB of output. The deck
writer is the only one adding parts to its package and never returns to a finished slide, so
here names and ids are counted, and a finished slide is kept as the XML bytes it will be saved as.
The parts, names, ids and bytes are the ones python-pptx itself would write.
"""
from __future__ import annotations

import re
from copy import deepcopy

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.parts.slide import NotesSlidePart, SlidePart

MIN_SLIDE_ID = 256       # the format's first slide id


def count_partnames(package) -> None:
    """Name new parts (notes slides, pictures) by counting instead of walking the package."""
    walk, walk_image, last = package.next_partname, package.next_image_partname, {}

    def next_partname(tmpl: str) -> PackURI:
        if tmpl in last:
            last[tmpl] += 1
            return PackURI(tmpl % last[tmpl])
        name = walk(tmpl)
        found = re.fullmatch(re.escape(tmpl).replace("%d", r"(\d+)"), str(name))
        if found:
            last[tmpl] = int(found.group(1))
        return name

    def next_image_partname(ext: str) -> PackURI:
        if "image" not in last:
            last["image"] = walk_image(ext).idx - 1
        last["image"] += 1
        return PackURI(f"/ppt/media/image{last['image']}.{ext}")

    package.next_partname = next_partname
    package.next_image_partname = next_image_partname


class Slides:
    """Appends slides to a presentation that has none of its own (the deck's base).

    A new slide's placeholders (and a new notes page's) are the same elements each time: those
    of its layout (of the notes master), with the ids and names an empty page gives them. So
    they are cloned once per deck, as python-pptx clones them, and copied after that (cloning
    searches the layout and the page anew for every shape: a third of a deck's writing)."""

    def __init__(self, prs):
        self.part = prs.part
        self.ids = prs.slides._sldIdLst
        self.count = len(self.ids)
        self.next_id = max([MIN_SLIDE_ID - 1] + [int(s.id) for s in self.ids.sldId_lst]) + 1
        self.placeholders: dict[str, list] = {}     # layout part name -> its slides' shapes
        self.notes_shapes: list | None = None

    def add(self, layout):
        """python-pptx's `Slides.add_slide`, without its walks over the earlier slides."""
        self.count += 1
        part = SlidePart.new(PackURI(f"/ppt/slides/slide{self.count}.xml"), self.part.package,
                             layout.part)
        rid = self.part._rels._add_relationship(RT.SLIDE, part)     # a new part: no rel to reuse
        slide = part.slide
        key = str(layout.part.partname)
        if key not in self.placeholders:
            self.placeholders[key] = _cloned(slide.shapes._spTree,
                                             lambda: slide.shapes.clone_layout_placeholders(layout))
        else:
            _copied(slide.shapes._spTree, self.placeholders[key])
        self.ids._add_sldId(id=self.next_id, rId=rid)
        self.next_id += 1
        return slide

    def notes(self, slide):
        """python-pptx's `slide.notes_slide` for a slide that has no notes page yet."""
        part, package = slide.part, slide.part.package
        master = package.presentation_part.notes_master_part
        notes = NotesSlidePart._add_notes_slide_part(package, part, master)
        tree = notes.notes_slide.shapes._spTree
        if self.notes_shapes is None:
            self.notes_shapes = _cloned(tree, lambda: notes.notes_slide.clone_master_placeholders(
                master.notes_master))
        else:
            _copied(tree, self.notes_shapes)
        part.relate_to(notes, RT.NOTES_SLIDE)
        return slide.notes_slide


def _cloned(tree, clone) -> list:
    """`clone()` adds shapes to an empty page's `tree`: copies of what it added."""
    before = len(tree)
    clone()
    return [deepcopy(el) for el in tree[before:]]


def _copied(tree, shapes: list) -> None:
    for el in shapes:
        tree.append(deepcopy(el))


_FINISHED: dict[type, type] = {}


class _Serialized:
    """A part already written out: its XML bytes instead of its element tree."""

    @property
    def blob(self) -> bytes:
        return self._xml


def finish(slide) -> None:
    """Keep a finished slide and its notes page as the bytes they will be saved as."""
    parts = [slide.part]
    if slide.has_notes_slide:
        parts.append(slide.part.part_related_by(RT.NOTES_SLIDE))
    for part in parts:
        cls = type(part)
        if cls not in _FINISHED:
            _FINISHED[cls] = type(f"Serialized{cls.__name__}", (_Serialized, cls), {})
        part._xml = serialize_part_xml(part._element)
        for name in ("_element", "slide", "notes_slide"):    # the tree and what holds it
            part.__dict__.pop(name, None)
        part.__class__ = _FINISHED[cls]


class _Entries:
    """Stands in for python-pptx's zip writer: keeps each entry's name and bytes, in order."""

    def __init__(self):
        self.items: list[tuple[str, bytes]] = []

    def write(self, uri, blob: bytes) -> None:
        self.items.append((uri.membername, blob))


def package_entries(prs) -> list[tuple[str, bytes]]:
    """The entries python-pptx's `save` would zip, in its order, not compressed: the deck is
    then zipped once, with fixed times, rather than by python-pptx and again to fix them."""
    package = prs.part.package
    writer = PackageWriter("", package._rels, tuple(package.iter_parts()))
    entries = _Entries()
    writer._write_content_types_stream(entries)
    writer._write_pkg_rels(entries)
    writer._write_parts(entries)
    return entries.items
