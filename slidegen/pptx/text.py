"""Model text to styled paragraphs, and their measured height at a given width."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import Span
from .measure import Piece, wrap_lines
from .shapes import INSETS_HEIGHT, Para, Run
from .unimath import tex_to_unicode

BULLETS = ("•", "–", "◦", "▪")
INDENT = 24.0     # points per list level
HANG = 18.0       # bullet hangs this far left of the text


@dataclass(frozen=True)
class TextStyle:
    family: str
    size: float
    colour: str
    line_spacing: float
    code_family: str
    link_colour: str
    bold: bool = False
    italic: bool = False

    @property
    def pitch(self) -> float:
        return round(self.size * self.line_spacing, 2)

    def sized(self, size: float) -> TextStyle:
        return replace(self, size=size)


def runs(spans, style: TextStyle) -> tuple[Run, ...]:
    out = []
    for s in spans:
        text = tex_to_unicode(s.text) if s.math else s.text
        if not text:
            continue
        out.append(Run(
            text=text,
            family=style.code_family if s.code else style.family,
            size=style.size,
            colour=style.link_colour if s.href else style.colour,
            bold=style.bold or s.bold,
            italic=style.italic or s.italic or s.math,
            strike=s.strike,
            href=s.href,
            script=s.script,
        ))
    return tuple(out)


def para(spans, style: TextStyle, **kw) -> Para:
    return Para(runs(spans, style), style.size, style.family, style.colour, style.pitch, **kw)


def plain_para(text: str, style: TextStyle, **kw) -> Para:
    return para((Span(text),), style, **kw)


def text_width(p: Para, width: float) -> float:
    return max(width - p.margin, 10.0)


@lru_cache(maxsize=20000)
def line_count(p: Para, width: float) -> int:
    """Lines the paragraph takes at `width` (the count is kept, not the lines: a paragraph is
    measured at many widths and sizes, and a long one's lines are large)."""
    pieces = [Piece(r.text, r.family, r.size, r.bold, r.italic, atomic=bool(r.href))
              for r in p.runs]
    if not pieces:
        return 1
    return max(1, len(wrap_lines(pieces, text_width(p, width))))


def para_height(p: Para, width: float, first: bool = False) -> float:
    return (0.0 if first else p.space_before) + line_count(p, width) * p.pitch


def paras_height(paras, width: float) -> float:
    return sum(para_height(p, width, i == 0) for i, p in enumerate(paras))


def plain(p: Para) -> str:
    return "".join(r.text for r in p.runs)


def fit_box(style: TextStyle, text: str, width: float, height: float, max_lines: int,
             floor: float) -> TextStyle:
    """The largest size, down to `floor`, at which `text` takes at most `max_lines` lines and
    fits `height` (a template's placeholder)."""
    size = style.size
    while size > floor:
        st = style.sized(size)
        n = line_count(plain_para(text, st), width)
        if n <= max_lines and n * st.pitch + INSETS_HEIGHT + st.pitch * 0.4 <= height:
            break
        size -= 2
    return style.sized(max(size, floor))


def fit_lines(style: TextStyle, text: str, width: float, max_lines: int, floor: float) -> TextStyle:
    """The largest size, down to `floor`, at which `text` takes at most `max_lines` lines."""
    size = style.size
    while size > floor:
        p = plain_para(text, style.sized(size))
        if line_count(p, width) <= max_lines:
            break
        size -= 2
    return style.sized(max(size, floor))
