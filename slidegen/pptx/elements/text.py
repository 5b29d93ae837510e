"""Text elements: paragraphs that split between paragraphs or, for long ones, between lines."""
from __future__ import annotations

from dataclasses import replace

from ..shapes import Insets, Para, TextShape
from ..text import line_count, para_height, paras_height, plain, split_para
from .base import MIN_LINES, SLACK, SPLIT_LINES, Element


class TextElement(Element):
    def __init__(self, paras: list[Para], insets: Insets = Insets(), notes=(), keep_with_next=False,
                 fill: str | None = None):
        self.paras = paras
        self.insets = insets
        self.notes = tuple(notes)
        self.keep_with_next = keep_with_next
        self.fill = fill

    def _inner(self, w):
        return w - self.insets.left - self.insets.right

    def _slack(self):
        return max(p.pitch for p in self.paras) * SLACK if self.paras else 0.0

    def height(self, w):
        return self.insets.top + self.insets.bottom + paras_height(self.paras, self._inner(w)) + self._slack()

    def split(self, w, avail):
        inner = self._inner(w)
        budget = avail - self.insets.top - self.insets.bottom - self._slack()
        used, head = 0.0, []
        for i, p in enumerate(self.paras):
            h = para_height(p, inner, first=(i == 0))
            if used + h <= budget:
                head.append(p)
                used += h
                continue
            lines = line_count(p, inner)
            room = int((budget - used - (0 if i == 0 else p.space_before)) // p.pitch)
            if head and lines < SPLIT_LINES:
                break                     # a short paragraph moves whole to the next slide
            if room >= MIN_LINES and lines - room >= MIN_LINES:
                a, b = split_para(p, inner, room)
                return (self._with(head + [a], self.notes),
                        self._with([b] + self.paras[i + 1:], ()))
            if room >= MIN_LINES and lines > MIN_LINES and lines - room < MIN_LINES:
                room = lines - MIN_LINES
                a, b = split_para(p, inner, room)
                return (self._with(head + [a], self.notes),
                        self._with([b] + self.paras[i + 1:], ()))
            break
        if not head:
            return None, self
        return self._with(head, self.notes), self._with(self.paras[len(head):], ())

    def _with(self, paras, notes):
        if paras and paras[0].space_before:
            paras = [replace(paras[0], space_before=0.0)] + paras[1:]
        return TextElement(paras, self.insets, notes, self.keep_with_next, self.fill)

    def place(self, x, y, w):
        return [TextShape(x, y, w, self.height(w), self.paras, fill=self.fill, insets=self.insets)]


def prose_of(paras) -> str:
    return "\n".join(plain(p) for p in paras if plain(p).strip())
