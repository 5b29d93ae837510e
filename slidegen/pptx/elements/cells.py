"""What a table cell shows on a slide: a line of text, or — where the lesson's cell holds blocks —
a heading, list items, code lines and pictures. A picture takes an empty paragraph as tall as it
is (`PictureLine`), so the cell's height counts it; the table draws the picture over it."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ...model import Code, Heading, Image, ListBlock, Paragraph, Span, cell_blocks, plain
from ..shapes import Para
from ..text import BULLETS, HANG, INDENT, TextStyle, para, plain_para

PICTURE_MAX_H = 96.0     # a picture in a cell is at most this tall (points) …
PICTURE_MAX_W = 180.0    # … and this wide


@dataclass(frozen=True)
class PictureLine(Para):
    """A picture's place in a cell: an empty line of its height."""
    picture: object = None
    width: float = 0.0
    alt: str = ""


def text_paras(cell, style: TextStyle) -> list[Para]:
    """A cell's text as paragraphs (its pictures are added once the column width is known)."""
    blocks = cell_blocks(cell)
    if not blocks:
        return [para(cell, style)]
    out: list[Para] = []
    for b in blocks:
        out.extend(_block(b, style, 0))
    return out or [para((), style)]


def _block(b, style: TextStyle, level: int) -> list[Para]:
    gap = 3.0
    if isinstance(b, Heading):
        return [para(b.spans, replace(style, bold=True), space_before=gap)]
    if isinstance(b, Paragraph):
        return [para(b.spans, style, space_before=gap)]
    if isinstance(b, Code):
        code = replace(style, family=style.code_family)
        return [plain_para(line or " ", code) for line in b.text.split("\n")]
    if isinstance(b, ListBlock):
        out = []
        for n, item in enumerate(b.items):
            first = True
            for child in item:
                for p in _block(child, style, level + 1):
                    margin = INDENT * level + HANG
                    if first and not isinstance(child, ListBlock):
                        p = replace(p, bullet=None if b.ordered else BULLETS[level % 4],
                                    number=b.start + n if b.ordered else None, level=level,
                                    margin=margin, hang=HANG)
                        first = False
                    elif p.margin < margin:
                        p = replace(p, margin=margin, level=level)
                    out.append(p)
        return out
    if isinstance(b, Image):
        return []
    text = plain(getattr(b, "spans", ())) or getattr(b, "title", "")
    return [para((Span(text),), style)] if text else []


def pictures(cell) -> list[Image]:
    return [b for b in cell_blocks(cell) if isinstance(b, Image)]


def picture_size(pic, inner: float) -> tuple[float, float]:
    """(width, height) of a picture in a cell `inner` points wide."""
    w, h = pic.natural_pt()
    scale = min(1.0, PICTURE_MAX_W / max(w, 1.0), PICTURE_MAX_H / max(h, 1.0),
                inner / max(w, 1.0))
    return w * scale, h * scale


def with_pictures(paras: list[Para], cell, figures: dict, inner: float,
                  style: TextStyle) -> list[Para]:
    """The cell's paragraphs and a PictureLine for each of its pictures that could be read."""
    images = pictures(cell)
    blank = all(not p.text.strip() and not isinstance(p, PictureLine) for p in paras)
    out = [] if images and blank else list(paras)
    for image in images:
        pic = figures.get((image.src, image.path))
        if pic is None:
            out.append(plain_para(f"[{image.alt or image.src}]", style))
            continue
        w, h = picture_size(pic, inner)
        line = PictureLine((), style.size, style.family, style.colour, round(h + 4.0, 2),
                           picture=pic, width=w, alt=image.alt)
        out.append(line)
    return out


def floor_widths(row_cells: list, figures: dict) -> list[float]:
    """Per column, the width its widest picture asks for."""
    out = []
    for cell in row_cells:
        best = 0.0
        for image in pictures(cell):
            pic = figures.get((image.src, image.path))
            if pic is not None:
                best = max(best, picture_size(pic, PICTURE_MAX_W)[0])
        out.append(best)
    return out
