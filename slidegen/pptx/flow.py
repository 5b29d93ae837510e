"""An episode's blocks as flow elements (text, code, pictures, tables, boxes) that pagination
places on slides; prose also goes to the speaker notes, instructor notes only there."""
from __future__ import annotations

import re
from dataclasses import replace

from ..colour import readable_on
from ..kinds import SOLUTIONS, label
from ..model import Code, Heading, Image, ListBlock, Math, Paragraph, Special, Table
from ..model import plain as plain_spans
from ..remote import remote_image_note
from ..units import PT_PER_PX
from . import pictures
from .elements import (BoxElement, CodeElement, Element, NoteOnly, PictureElement, TableElement,
                       TableLook, TextElement, prose_of)
from .highlight import tokens
from .notes import blocks_text, image_word
from .shapes import Insets, Para
from .text import BULLETS, HANG, INDENT, TextStyle, para, plain_para

MAX_BOX_DEPTH = 3


class Flow:
    """Planner methods that turn blocks into elements (see plan.Planner)."""

    def elements(self, blocks, width=None, depth=0) -> list[Element]:
        """Flow elements for blocks; consecutive text merges into one element."""
        lk = self.look
        out: list[Element] = []
        paras: list[Para] = []

        def flush_text():
            nonlocal paras
            if paras:
                out.append(TextElement(paras, notes=(prose_of(paras),)))
            paras = []

        for b in blocks:
            if isinstance(b, Paragraph):
                paras.append(para(b.spans, lk.body, space_before=10 if paras else 0))
            elif isinstance(b, Heading):
                flush_text()
                out.append(TextElement([para(b.spans, lk.sub)], keep_with_next=True,
                                       notes=(plain_spans(b.spans),)))
            elif isinstance(b, ListBlock):
                for kind, item in self.list_items(b, 0):
                    if kind == "para":
                        paras.append(item)
                    else:
                        flush_text()
                        out.extend(item)
            elif isinstance(b, Special) and b.kind == "instructor":
                flush_text()
                out.append(NoteOnly(f"{label(b.kind)}{': ' + b.title if b.title else ''}\n"
                                    f"{blocks_text(b.children)}"))
            else:
                flush_text()
                out.extend(self.block(b, depth))
        flush_text()
        return out

    def list_items(self, lst: ListBlock, level: int):
        """("para", Para) for list text, ("elements", [...]) for code or images inside items."""
        lk = self.look
        for n, item in enumerate(lst.items):
            first = True
            for b in item:
                if isinstance(b, Paragraph):
                    p = para(b.spans, lk.body, space_before=6)
                    if first:
                        p = bullet(p, level, number=(lst.start + n) if lst.ordered else None)
                    else:
                        p = indent(p, level)
                    first = False
                    yield "para", p
                elif isinstance(b, ListBlock):
                    yield from self.list_items(b, level + 1)
                else:
                    first = False
                    yield "elements", self.block(b, 1)

    def block(self, b, depth: int) -> list[Element]:
        lk = self.look
        if isinstance(b, Code):
            look = {"output": lk.output, "error": lk.error}.get(b.role, lk.code)
            default = look.colour
            lines = tokens(b.text.expandtabs(4), b.lang if b.role == "source" else None,
                           lk.palette.code_style, default, look.fill) if b.role == "source" else \
                [[(line, default, False, False)] if line else [] for line in b.text.expandtabs(4).split("\n")]
            return [CodeElement(lines, look, notes=())]
        if isinstance(b, Image):
            return [self.image(b)]
        if isinstance(b, Math):
            return [self.math(b)]
        if isinstance(b, Table):
            body = lk.body.sized(max(lk.theme.deck.body_min, lk.body.size - 2))
            c = lk.colours
            header = TextStyle(body.family, body.size, c.table_header_text,
                               body.line_spacing, body.code_family, c.table_header_text, bold=True)
            look = TableLook(body, header, lk.theme.deck.body_min, c.table_header_background,
                             c.table_stripe, c.background, c.table_border)
            return [TableElement(list(b.header), [list(r) for r in b.rows], look)]
        if isinstance(b, Special):
            if b.kind in SOLUTIONS:
                # A solution outside any exercise: hidden slides are the only safe place.
                return [NoteOnly(f"{b.title or label(b.kind)}:\n{blocks_text(b.children)}")]
            look = lk.box(b.kind)
            title = b.title or label(b.kind)
            children = self.elements(list(b.children), depth=depth + 1)
            if depth >= MAX_BOX_DEPTH:     # boxes in boxes in boxes: no room left for text
                head = [TextElement([plain_para(title, lk.sub)], keep_with_next=True)] if title else []
                return head + children
            return [BoxElement(title, children, look)]
        return []

    def image(self, b: Image) -> Element:
        lk = self.look
        try:
            pic = pictures.load(self.lesson.root, b.path, b.src, self.options.allow_remote)
        except pictures.PictureError as e:
            if b.remote and not self.options.allow_remote:
                self.warn(remote_image_note(b.src), b.line)
            elif b.path is not None or b.remote:      # the reader already reported missing files
                self.warn(f"image '{b.src}' not shown on the slide: {e}", b.line)
            return self.placeholder(b.alt or b.src, str(e))
        width = None
        if b.width:
            m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*", b.width)
            if m:
                width = float(m.group(1)) * PT_PER_PX
        max_h = lk.bottom - lk.picture_top
        c = lk.colours
        backing = c.picture_background if c.picture_background != c.background else None
        return PictureElement(pic, b.alt or b.src, max_h, width, notes=(f"[{image_word()}: {b.alt}]",) if b.alt else (),
                              backing=backing)

    def placeholder(self, alt: str, why: str) -> Element:
        lk = self.look
        box = lk.box("other")
        style = lk.small.__class__(lk.small.family, lk.small.size, readable_on(lk.small.colour, box.background),
                                   lk.small.line_spacing, lk.small.code_family, lk.small.link_colour)
        p = plain_para(f"[{image_word()}: {alt}] — {why}", style, align="ctr")
        return TextElement([p], fill=box.background, insets=Insets(10, 10, 10, 10))

    def math(self, b: Math) -> Element:
        from ..mathrender import MathError, typeset
        lk = self.look
        try:
            t = typeset(b.tex, lk.body.size * 1.15, lk.body.colour, fmt="png", dpi=300)
        except MathError as e:
            self.warn(f"math not typeset ({e}); shown as TeX", b.line)
            return CodeElement([[(b.tex, lk.code.colour, False, False)]], lk.code)
        pic = pictures.Picture(t.data, "png", round(t.width_pt / PT_PER_PX), round(t.height_pt / PT_PER_PX))
        max_h = lk.bottom - lk.picture_top
        return PictureElement(pic, b.tex, max_h, t.width_pt)


def bullet(p: Para, level: int, number: int | None = None, space_before=None) -> Para:
    return replace(p, bullet=None if number is not None else BULLETS[level % len(BULLETS)],
                   number=number, level=level, margin=INDENT * level + HANG + 6, hang=HANG + 6,
                   space_before=p.space_before if space_before is None else space_before)


def indent(p: Para, level: int) -> Para:
    return replace(p, margin=INDENT * level + HANG + 6, level=level)
