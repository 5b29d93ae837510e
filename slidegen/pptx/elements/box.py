"""Box elements: a titled box (callout, hint, discussion …) around other elements, split between
or inside its children, its title repeated with "(cont.)"."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from ...i18n import t
from ..shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, TextShape
from ..text import TextStyle, para_height, plain_para
from ..titles import CONTINUED
from .base import SLACK, Element


@dataclass
class BoxLook:
    """A box's colours and spacing (from the theme: see look.py)."""
    title: TextStyle
    colour: str
    background: str
    pad: float
    bar: float
    gap: float               # between the box's children


class BoxElement(Element):
    """A titled box (callout, hint, discussion …) around other elements."""

    def __init__(self, title: str, children: list[Element], look: BoxLook, notes=(), cont=False,
                 name: str = "Box"):
        self.title = title
        self.children = children
        self.look = look
        self.cont = cont
        self.name = name
        self.notes = tuple(notes) + tuple(n for c in children for n in c.notes)

    def _title_para(self, cont: bool | None = None):
        if not self.title:
            return None
        cont = self.cont if cont is None else cont
        return plain_para(self.title + (" " + t(CONTINUED) if cont else ""), self.look.title)

    def _inner(self, w):
        return w - 2 * self.look.pad - self.look.bar

    def _title_h(self, w, cont: bool | None = None):
        p = self._title_para(cont)
        if p is None:
            return 0.0
        return para_height(p, self._inner(w) - INSETS_WIDTH, first=True) + INSETS_HEIGHT + \
            p.pitch * SLACK

    def height(self, w):
        inner = self._inner(w)
        kids = [c.height(inner) for c in self.children if c.height(inner) > 0]
        body = sum(kids) + self.look.gap * max(len(kids) - 1, 0)
        return self.look.pad * 2 + self._title_h(w) + body

    def words(self) -> int:
        return len(self.title.split()) + sum(c.words() for c in self.children)

    @property
    def visual(self):
        return any(c.visual for c in self.children)

    @property
    def solid(self):
        return any(c.solid for c in self.children)

    # -- units: its children's --------------------------------------------------------------
    @cached_property
    def offsets(self) -> list[int]:
        """Where each child's units start among the box's (and, last, their count)."""
        out = [0]
        for c in self.children:
            out.append(out[-1] + c.units())
        return out

    def units(self) -> int:
        return max(1, self.offsets[-1])

    def _child_at(self, k: int) -> int:
        return bisect_right(self.offsets, k) - 1

    def split_kind(self, k: int) -> str | None:
        """Between its children (never right after a heading, a lead or what stays with the
        next), or inside one of them, as that child splits."""
        j = self._child_at(k)
        if self.offsets[j] < k:
            kind = self.children[j].split_kind(k - self.offsets[j])
            return None if kind is None else f"in-box {kind}"
        before = self.children[j - 1]
        if before.heading or before.keep_with_next or \
                before.introduces(before.units()) or not before.visible:
            return None
        return "box"

    def introduces(self, b: int) -> bool:
        if not self.children:
            return False
        j = self._child_at(b - 1)
        return self.children[j].introduces(b - self.offsets[j])

    def _pieces(self, a: int, b: int) -> list[Element]:
        out = []
        for j, c in enumerate(self.children):
            lo, hi = max(a, self.offsets[j]), min(b, self.offsets[j + 1])
            if lo < hi:
                out.append(c.piece(lo - self.offsets[j], hi - self.offsets[j]))
        return out

    def piece(self, a: int, b: int) -> BoxElement:
        if a == 0 and b >= self.units():
            return self
        return BoxElement(self.title, self._pieces(a, b), self.look, notes=(),
                          cont=self.cont or a > 0, name=self.name)

    def piece_height(self, a: int, b: int, w: float) -> float:
        inner = self._inner(w)
        kids = []
        for j, c in enumerate(self.children):
            lo, hi = max(a, self.offsets[j]), min(b, self.offsets[j + 1])
            if lo < hi and c.visible:
                kids.append(c.piece_height(lo - self.offsets[j], hi - self.offsets[j], inner))
        kids = [h for h in kids if h > 0]
        body = sum(kids) + self.look.gap * max(len(kids) - 1, 0)
        return self.look.pad * 2 + self._title_h(w, self.cont or a > 0) + body

    def piece_words(self, a: int, b: int) -> int:
        return len(self.title.split()) + sum(
            c.piece_words(max(a, self.offsets[j]) - self.offsets[j],
                          min(b, self.offsets[j + 1]) - self.offsets[j])
            for j, c in enumerate(self.children)
            if max(a, self.offsets[j]) < min(b, self.offsets[j + 1]))

    def piece_shrinkable(self, a: int, b: int, w: float) -> float:
        inner = self._inner(w)
        return sum(c.piece_shrinkable(max(a, self.offsets[j]) - self.offsets[j],
                                      min(b, self.offsets[j + 1]) - self.offsets[j], inner)
                   for j, c in enumerate(self.children)
                   if max(a, self.offsets[j]) < min(b, self.offsets[j + 1]))

    def shrinkable(self, w: float) -> float:
        return self.piece_shrinkable(0, self.units(), w)

    def shrunk(self, h: float, w: float) -> BoxElement:
        """The box within height h, its pictures shrunk alike."""
        inner = self._inner(w)
        give = [c.shrinkable(inner) for c in self.children]
        over = self.height(w) - h
        share = min(1.0, over / sum(give)) if sum(give) else 0.0
        kids = [c.shrunk(c.height(inner) - g * share, inner) if g else c
                for c, g in zip(self.children, give, strict=True)]
        return BoxElement(self.title, kids, self.look, self.notes, self.cont, self.name)

    def title_height(self, w: float, a: int = 0) -> float:
        """What its title takes of its height (a slide it starts may show the title instead)."""
        return self._title_h(w, self.cont or a > 0)

    def untitled(self) -> BoxElement:
        """The box without its title, for a slide that shows the title as its own."""
        return BoxElement("", self.children, self.look, notes=(), name=self.name)

    def place(self, x, y, w):
        lk = self.look
        h = self.height(w)
        shapes: list = [RectShape(x, y, w, h, lk.background, name=self.name),
                        RectShape(x, y, lk.bar, h, lk.colour, name=f"{self.name} rule")]
        cx = x + lk.bar + lk.pad
        cy = y + lk.pad
        inner = self._inner(w)
        tp = self._title_para()
        if tp is not None:
            th = self._title_h(w)
            shapes.append(TextShape(cx, cy, inner, th, [tp], name=f"{self.name} title"))
            cy += th
        first = True
        for c in self.children:
            ch = c.height(inner)
            if ch <= 0:
                continue
            if not first:
                cy += lk.gap
            shapes.extend(c.place(cx, cy, inner))
            cy += ch
            first = False
        return shapes
