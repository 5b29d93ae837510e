"""Box elements: a titled box (callout, hint, discussion …) around other elements, split between
its children, its title repeated with "(cont.)"."""
from __future__ import annotations

from dataclasses import dataclass

from ...i18n import t
from ..shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, TextShape
from ..text import TextStyle, para_height
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

    def __init__(self, title: str, children: list[Element], look: BoxLook, notes=(), cont=False):
        self.title = title
        self.children = children
        self.look = look
        self.cont = cont
        self.notes = tuple(notes) + tuple(n for c in children for n in c.notes)

    def _title_para(self):
        from ..text import plain_para
        text = self.title + (" " + t(CONTINUED) if self.cont else "")
        return plain_para(text, self.look.title) if text else None

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

    def split(self, w, avail):
        inner = self._inner(w)
        budget = avail - self.look.pad * 2 - self._title_h(w)
        used, head = 0.0, []
        for i, c in enumerate(self.children):
            h = c.height(inner)
            gap = self.look.gap if head and h > 0 else 0.0
            if used + gap + h <= budget:
                head.append(c)
                used += gap + h
                continue
            a, b = c.split(inner, budget - used - gap)
            if a is not None:
                head.append(a)
                rest = ([b] if b is not None else []) + self.children[i + 1:]
                return (BoxElement(self.title, head, self.look, cont=self.cont),
                        BoxElement(self.title, rest, self.look, cont=True) if rest else None)
            break
        if not head:
            return None, self
        rest = self.children[len(head):]
        return (BoxElement(self.title, head, self.look, cont=self.cont),
                BoxElement(self.title, rest, self.look, cont=True) if rest else None)

    def place(self, x, y, w):
        lk = self.look
        h = self.height(w)
        shapes: list = [RectShape(x, y, w, h, lk.background, name="Box"),
                        RectShape(x, y, lk.bar, h, lk.colour, name="Box rule")]
        cx = x + lk.bar + lk.pad
        cy = y + lk.pad
        inner = self._inner(w)
        tp = self._title_para()
        if tp is not None:
            th = self._title_h(w)
            shapes.append(TextShape(cx, cy, inner, th, [tp], name="Box title"))
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
