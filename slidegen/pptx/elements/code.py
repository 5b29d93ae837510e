"""Code elements: the largest size (down to the theme's minimum) at which the longest line fits;
lines still too long wrap at a space with a hanging indent and a continuation mark; a block
splits between lines, never leaving fewer than four lines on a slide. Output and errors carry a
rule down their left side, so they differ from code by more than a shade."""
from __future__ import annotations

from dataclasses import dataclass

from ..shapes import Insets, Para, RectShape, Run, TextShape
from .base import MIN_CODE_LINES, SLACK, Element

MARK = "→ "              # starts a wrapped line's continuation
BREAK_AFTER = "/,;:=&?)]}.-_"   # where a line without a usable space may break, in that order


@dataclass
class CodeLook:
    family: str
    sizes: tuple[float, ...]     # preferred size first, down to the minimum
    line_spacing: float
    fill: str
    colour: str
    pad: float
    mark: str = ""               # colour of the continuation mark
    rule: str | None = None      # colour of the left rule (output and errors)
    rule_width: float = 0.0
    name: str = "Code"


class CodeElement(Element):
    def __init__(self, lines, look: CodeLook, notes=(), room: float | None = None):
        self.lines = lines           # list of [(text, colour, bold, italic)]
        self.look = look
        self.notes = tuple(notes)
        self.room = room             # an empty slide's height: a smaller size that fits it wins
        self._fit: dict = {}

    def _insets(self):
        p = self.look.pad
        return Insets(p + 2 + self.look.rule_width, p, p, p)

    def fit(self, w):
        """(size, wrapped lines) for width w."""
        if w not in self._fit:
            from ..measure import metrics
            ins = self._insets()
            inner = (w - ins.left - ins.right) * 0.97
            em = metrics(self.look.family).char("M")
            longest = max((sum(len(t) for t, *_ in line) for line in self.lines), default=0)
            sizes = [s for s in self.look.sizes if longest * em * s <= inner] or self.look.sizes[-1:]
            for size in sizes:       # the largest size at which the block fits a slide whole
                per_line = max(12, int(inner / (em * size)))
                lines = wrap(self.lines, per_line, self.look.mark or self.look.colour)
                if self.room is None or self._height(size, lines) <= self.room:
                    break
            else:
                size = sizes[0]      # it splits anyway: at the largest size
                lines = wrap(self.lines, max(12, int(inner / (em * size))), self.look.mark or self.look.colour)
            self._fit[w] = (size, lines)
        return self._fit[w]

    def _height(self, size, lines) -> float:
        ins = self._insets()
        return ins.top + ins.bottom + len(lines) * self._pitch(size) + self._pitch(size) * SLACK

    def words(self) -> int:
        return sum(len("".join(t for t, *_ in line).split()) for line in self.lines)

    def _pitch(self, size):
        return round(size * self.look.line_spacing, 2)

    def height(self, w):
        return self._height(*self.fit(w))

    def split(self, w, avail, forced=False):
        """Between lines, four at least on each side; a block shorter than half a slide moves
        whole rather than split (unless it must), and one that spans two slides splits evenly."""
        size, lines = self.fit(w)
        ins = self._insets()
        pitch = self._pitch(size)
        room = int((avail - ins.top - ins.bottom - pitch * SLACK) // pitch)
        if self.room is not None and len(lines) > room:
            full = int((self.room - ins.top - ins.bottom - pitch * SLACK) // pitch)
            if not forced and 2 * len(lines) <= full:
                return None, self
            if forced and len(lines) <= 2 * full:
                room = min(room, -(-len(lines) // 2))     # two even parts, not a full and a stub
        room = min(room, len(lines) - MIN_CODE_LINES)
        if room < MIN_CODE_LINES:
            return None, self
        return self._part(lines[:room], w, size, self.notes), self._part(lines[room:], w, size, ())

    def _part(self, lines, w, size, notes):
        part = CodeElement(lines, self.look, notes, self.room)
        part._fit[w] = (size, lines)
        return part

    def place(self, x, y, w):
        size, lines = self.fit(w)
        pitch = self._pitch(size)
        h = self.height(w)
        paras = []
        for line in lines:
            runs = tuple(Run(t, self.look.family, size, c, b, i) for t, c, b, i in line if t)
            paras.append(Para(runs, size, self.look.family, self.look.colour, pitch))
        shapes = [TextShape(x, y, w, h, paras, fill=self.look.fill, insets=self._insets(),
                            name=self.look.name)]
        if self.look.rule:
            shapes.append(RectShape(x, y, self.look.rule_width, h, self.look.rule,
                                    name=f"{self.look.name} rule"))
        return shapes


def wrap(lines, per_line: int, mark_colour: str):
    """Lines no longer than `per_line` characters: a long line breaks after a space (else after
    punctuation, else where it must), and its continuations start under its indent plus two
    places with a continuation mark."""
    out = []
    for line in lines:
        text = "".join(t for t, *_ in line)
        if len(text) <= per_line:
            out.append(line)
            continue
        indent = min(len(text) - len(text.lstrip(" ")), per_line // 2)
        cuts = breaks(text, per_line, indent)
        pieces = _cut(line, cuts)
        out.append(pieces[0])
        lead = [(" " * indent + MARK, mark_colour, False, False)]
        out.extend(lead + piece for piece in pieces[1:])
    return out


def breaks(text: str, per_line: int, indent: int) -> list[int]:
    """Offsets where a line of code wraps."""
    cuts, pos, avail = [], 0, per_line
    while len(text) - pos > avail:
        window = text[pos:pos + avail + 1]
        low = max(indent + 1 if pos == 0 else 1, avail // 3)
        at = window.rfind(" ", low)
        cut = pos + at + 1 if at > 0 else 0
        if not cut:
            for ch in BREAK_AFTER:
                at = window.rfind(ch, low, avail)
                if at > 0:
                    cut = pos + at + 1
                    break
        cut = cut or pos + avail
        cuts.append(cut)
        pos = cut
        avail = per_line - indent - len(MARK)
    return cuts


def _cut(line, cuts):
    """A formatted line cut at character offsets."""
    pieces, current, pos = [], [], 0
    todo = list(cuts)
    for t, *fmt in line:
        while todo and pos + len(t) > todo[0]:
            k = todo.pop(0) - pos
            if t[:k]:
                current.append((t[:k], *fmt))
            pieces.append(current)
            current, t, pos = [], t[k:], pos + k
        if t:
            current.append((t, *fmt))
        pos += len(t)
    pieces.append(current)
    return pieces
