"""Code elements: the font shrinks (not below the theme minimum) so lines fit, lines still too
long are broken, and a block splits between lines."""
from __future__ import annotations

from dataclasses import dataclass

from ..shapes import Insets, Para, Run, TextShape
from .base import MIN_CODE_LINES, SLACK, Element


@dataclass
class CodeLook:
    family: str
    sizes: tuple[float, ...]     # preferred size first, down to the minimum
    line_spacing: float
    fill: str
    colour: str
    pad: float


class CodeElement(Element):
    """A code block; the font shrinks (not below the theme minimum) so lines fit, and lines
    still too long are broken, so the renderer never has to wrap."""

    def __init__(self, lines, look: CodeLook, border: str | None = None, notes=()):
        self.lines = lines           # list of [(text, colour, bold, italic)]
        self.look = look
        self.border = border
        self.notes = tuple(notes)
        self._fit: dict = {}

    def _insets(self):
        p = self.look.pad
        return Insets(p + 2, p, p, p)

    def fit(self, w):
        """(size, wrapped lines) for width w."""
        if w not in self._fit:
            from ..measure import metrics
            ins = self._insets()
            inner = (w - ins.left - ins.right) * 0.97
            m = metrics(self.look.family)
            longest = max((sum(len(t) for t, *_ in line) for line in self.lines), default=0)
            size = self.look.sizes[-1]
            for s in self.look.sizes:
                if longest * m.char("M") * s <= inner:
                    size = s
                    break
            per_line = max(8, int(inner / (m.char("M") * size)))
            self._fit[w] = (size, _hard_wrap(self.lines, per_line))
        return self._fit[w]

    def _pitch(self, size):
        return round(size * self.look.line_spacing, 2)

    def height(self, w):
        size, lines = self.fit(w)
        ins = self._insets()
        return ins.top + ins.bottom + len(lines) * self._pitch(size) + self._pitch(size) * SLACK

    def split(self, w, avail):
        size, lines = self.fit(w)
        ins = self._insets()
        pitch = self._pitch(size)
        room = int((avail - ins.top - ins.bottom - pitch * SLACK) // pitch)
        if room < MIN_CODE_LINES or len(lines) - room < 2:
            if len(lines) > MIN_CODE_LINES + 2 and room >= MIN_CODE_LINES:
                room = len(lines) - 2
            else:
                return None, self
        head = CodeElement(lines[:room], self.look, self.border, self.notes)
        tail = CodeElement(lines[room:], self.look, self.border)
        head._fit[w] = (size, lines[:room])
        tail._fit[w] = (size, lines[room:])
        return head, tail

    def place(self, x, y, w):
        size, lines = self.fit(w)
        pitch = self._pitch(size)
        paras = []
        for line in lines:
            runs = tuple(Run(t, self.look.family, size, c, b, i) for t, c, b, i in line if t)
            paras.append(Para(runs, size, self.look.family, self.look.colour, pitch))
        return [TextShape(x, y, w, self.height(w), paras, fill=self.look.fill, border=self.border,
                          insets=self._insets(), name="Code")]


def _hard_wrap(lines, per_line: int):
    out = []
    for line in lines:
        text_len = sum(len(t) for t, *_ in line)
        if text_len <= per_line:
            out.append(line)
            continue
        current, n = [], 0
        for t, *fmt in line:
            while t:
                take = per_line - n
                part, t = t[:take], t[take:]
                current.append((part, *fmt))
                n += len(part)
                if n >= per_line:
                    out.append(current)
                    current, n = [("  ", fmt[0], False, False)], 2
        if current and any(p.strip() for p, *_ in current):
            out.append(current)
    return out
