"""Code elements: the largest size (down to the theme's minimum) at which the longest line fits;
lines still too long wrap at a space with a hanging indent and a continuation mark; a block
splits between lines, never leaving fewer than four lines on a slide. Output and errors carry a
rule down their left side, so they differ from code by more than a shade."""
from __future__ import annotations

from dataclasses import dataclass

from ..measure import metrics
from ..shapes import Insets, Para, RectShape, Run, TextShape
from .base import MIN_CODE_LINES, SLACK, Element

MARK = "→ "              # starts a wrapped line's continuation
COLUMN_GAP = 28.0        # between the two columns of a long output
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
    columns: bool = False        # a long output of short lines may be set in two columns


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
        """(size, wrapped lines, columns) for width w."""
        if w not in self._fit:
            ins = self._insets()
            inner = (w - ins.left - ins.right) * 0.97
            em = metrics(self.look.family).char("M")
            longest = max((sum(len(t) for t, *_ in line) for line in self.lines), default=0)
            sizes = [s for s in self.look.sizes if longest * em * s <= inner] or self.look.sizes[-1:]
            mark = self.look.mark or self.look.colour
            for size in sizes:       # the largest size at which the block fits a slide whole
                lines = wrap(self.lines, max(12, int(inner / (em * size))), mark)
                if self.room is None or self._height(size, lines, 1) <= self.room:
                    self._fit[w] = (size, lines, 1)
                    break
            else:
                self._fit[w] = self._columns(inner, em, longest) or \
                    (sizes[0], wrap(self.lines, max(12, int(inner / (em * sizes[0]))), mark), 1)
        return self._fit[w]

    def _columns(self, inner: float, em: float, longest: int):
        """Two columns, for an output too long for a slide whose lines fit half its width (a
        listing of files, a column of numbers): read down the first, then the second."""
        if not self.look.columns:
            return None
        half = (inner - COLUMN_GAP) / 2
        size = next((s for s in self.look.sizes if longest * em * s <= half), None)
        return (size, list(self.lines), 2) if size else None

    def _height(self, size, lines, cols=1) -> float:
        ins = self._insets()
        rows = -(-len(lines) // cols)
        return ins.top + ins.bottom + rows * self._pitch(size) + self._pitch(size) * SLACK

    def words(self) -> int:
        return sum(len("".join(t for t, *_ in line).split()) for line in self.lines)

    def _pitch(self, size):
        return round(size * self.look.line_spacing, 2)

    def height(self, w):
        return self._height(*self.fit(w))

    def split(self, w, avail, forced=False):
        """Between lines, four at least on each side; a block that fits a slide, or one that would
        leave less than a third of itself for the next slide, moves whole rather than split
        (unless it must), and one that spans two slides splits evenly."""
        size, lines, cols = self.fit(w)
        ins = self._insets()
        pitch = self._pitch(size)
        rows = -(-len(lines) // cols)
        room = int((avail - ins.top - ins.bottom - pitch * SLACK) // pitch)
        if self.room is not None and rows > room:
            full = int((self.room - ins.top - ins.bottom - pitch * SLACK) // pitch)
            if not forced and rows <= full:
                return None, self
            if forced and rows <= 2 * full:
                room = min(room, -(-rows // 2))          # two even parts, not a full and a stub
        room = min(room, rows - MIN_CODE_LINES)
        if room < MIN_CODE_LINES or not forced and 3 * (rows - room) < rows:
            return None, self            # nor a stub of it left for the next slide
        cut = room * cols
        return (self._part(lines[:cut], w, (size, lines[:cut], cols), self.notes),
                self._part(lines[cut:], w, (size, lines[cut:], cols) if cols == 1 else None, ()))

    def _part(self, lines, w, fit, notes):
        part = CodeElement(lines, self.look, notes, self.room)
        if fit is not None:
            part._fit[w] = fit
        return part

    def place(self, x, y, w):
        size, lines, cols = self.fit(w)
        pitch = self._pitch(size)
        h = self.height(w)
        paras = [Para(tuple(Run(t, self.look.family, size, c, b, i) for t, c, b, i in line if t),
                      size, self.look.family, self.look.colour, pitch) for line in lines]
        ins = self._insets()
        if cols == 1:
            shapes = [TextShape(x, y, w, h, paras, fill=self.look.fill, insets=ins, name=self.look.name)]
        else:
            rows = -(-len(paras) // 2)
            half = (w - ins.left - ins.right - COLUMN_GAP) / 2
            right = Insets(0, ins.top, ins.right, ins.bottom)
            shapes = [RectShape(x, y, w, h, self.look.fill, name=self.look.name),
                      TextShape(x, y, ins.left + half, h, paras[:rows], insets=Insets(ins.left, ins.top, 0, ins.bottom),
                                name=self.look.name),
                      TextShape(x + ins.left + half + COLUMN_GAP, y, half + ins.right, h, paras[rows:],
                                insets=right, name=self.look.name)]
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
