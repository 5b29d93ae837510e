"""Box elements: a titled box (callout, hint, discussion …) around other elements, split between
its children, its title repeated with "(cont.)"."""
from __future__ import annotations

from dataclasses import dataclass

from ...i18n import t
from ..shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, TextShape
from ..text import TextStyle, para_height, plain_para
from ..titles import CONTINUED
from .base import SLACK, Element

TAIL = 0.25            # the least share of a box that goes on to the next slide
REST_WORDS = 15        # and the fewest words, unless a picture goes with them


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

    def _title_para(self):
        if not self.title:
            return None
        return plain_para(self.title + (" " + t(CONTINUED) if self.cont else ""), self.look.title)

    def _inner(self, w):
        return w - 2 * self.look.pad - self.look.bar

    def _title_h(self, w):
        p = self._title_para()
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

    def split(self, w, avail, forced=False):
        """Between its children (or inside the first that does not fit whole), never right
        after one that stays with the next, nor leaving a stub of the box for the next slide."""
        inner = self._inner(w)
        budget = avail - self.look.pad * 2 - self._title_h(w)
        kids = self.children
        used, n, shown = 0.0, 0, 0
        for c in kids:
            h = c.height(inner)
            gap = self.look.gap if shown and h > 0 else 0.0
            if used + gap + h > budget:
                break
            used, n, shown = used + gap + h, n + 1, shown + (h > 0)
        if n < len(kids):
            leads = not any(c.visible and not c.keep_with_next for c in kids[:n])
            a, b = kids[n].split(inner, budget - used - (self.look.gap if shown else 0.0),
                                 forced and leads)   # (a heading alone is no slide)
            if a is not None:
                rest = ([b] if b is not None else []) + kids[n + 1:]
                return self._part(kids[:n] + [a]), (self._rest(rest) if rest else None)
        cut = self._cut(n, inner, TAIL * self.height(w), words=True) or self._cut(n, inner, TAIL * self.height(w))
        if not cut and forced:
            cut = n                    # it must split: where it fits
        if not any(c.visible for c in kids[:cut]):
            return None, self
        rest = kids[cut:]
        return self._part(kids[:cut]), (self._rest(rest) if rest else None)

    def _cut(self, n: int, inner: float, least: float, words: bool = False) -> int:
        """The children before a good break at or before n (0: none): never after one that
        stays with the next, nor leaving a stub of the box (less than `least` high, or with
        `words`, fewer than REST_WORDS words and no picture) for the next slide."""
        kids = self.children
        while 0 < n < len(kids):
            rest = kids[n:]
            stub = sum(c.height(inner) for c in rest) < least or words and \
                sum(c.words() for c in rest) < REST_WORDS and not any(c.visual for c in rest)
            if kids[n - 1].keep_with_next or not kids[n - 1].visible or n > 1 and stub:
                n -= 1
            else:
                break
        return n if any(c.visible for c in kids[:n]) else 0

    def untitled(self) -> BoxElement:
        """The box without its title, for a slide that shows the title as its own."""
        return BoxElement("", self.children, self.look, notes=(), name=self.name)

    def _part(self, children):
        return BoxElement(self.title, children, self.look, notes=(), cont=self.cont, name=self.name)

    def _rest(self, children):
        return BoxElement(self.title, children, self.look, notes=(), cont=True, name=self.name)

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
