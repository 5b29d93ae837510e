"""Code elements: the largest size (of those the slide's type size allows, down to the theme's
minimum) at which the longest line fits; lines still too long wrap at a space with a hanging
indent and a continuation mark; a block splits between lines, never leaving fewer than four
lines on a slide, nor between a line and its continuation. Output and errors carry a rule down
their left side, so they differ from code by more than a shade."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..measure import metrics
from ..shapes import Insets, Para, RectShape, Run, TextShape
from .base import MIN_CODE_LINES, SLACK, Element

MARK = "→ "              # starts a wrapped line's continuation
COLUMN_GAP = 28.0        # between the two columns of a long output
BREAK_AFTER = "/,;:=&?)]}.-_"   # where a line without a usable space may break, in that order
WRAPPED = 8              # one line in this many may wrap rather than the whole block shrink
# A line ending so goes on in the next (a split never comes between them): an open bracket, a
# shell's or Fortran's continuation, a pipe, an operator waiting for its right-hand side.
CONTINUES = ("\\", "&", ",", "(", "[", "{", "|", "=", "+", "-", "*", "/", "%>%", "|>", "->",
             "&&", "||", " and", " or")
# A line starting so belongs to the statement before it.
GOES_ON = (")", "]", "}", ".", "else", "elif", "except", "finally", "catch", "end")


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
    solid = True

    def __init__(self, lines, look: CodeLook, notes=(), room: float | None = None,
                 source: object = None):
        self.lines = lines           # list of [(text, colour, bold, italic)]
        self.source = source         # the lesson's block it shows (its shapes name it)
        self.look = look
        self.notes = tuple(notes)
        self.room = room             # an empty slide's height: a longer output may take two columns
        self._fit: dict = {}
        self._rows: dict = {}
        self._whole: tuple | None = None   # (the listing, first line) a part was cut from

    def _insets(self):
        p = self.look.pad
        return Insets(p + 2 + self.look.rule_width, p, p, p)

    def fit(self, w):
        """(size, each line's wrapped lines, columns) at width w: the largest size at which
        every line fits but one in WRAPPED (a long line wraps rather than the whole listing
        shrinks below what the back of the room reads), else the smallest with long lines
        wrapped; two columns for an output too long for a slide whose lines fit half its width."""
        if w not in self._fit and self._whole is not None:
            whole, a = self._whole         # a part keeps the whole listing's size and columns
            size, wrapped, cols = whole.fit(w)
            b = a + len(self.lines)
            self._fit[w] = (size, wrapped[a:b], 1) if cols == 1 else \
                (size, [[line] for line in self.lines], 2)
        if w not in self._fit:
            ins = self._insets()
            inner = (w - ins.left - ins.right) * 0.97
            em = metrics(self.look.family).char("M")
            longest = max((sum(len(t) for t, *_ in line) for line in self.lines), default=0)
            lengths = [sum(len(t) for t, *_ in line) for line in self.lines]
            size = next((s for s in self.look.sizes
                         if sum(n * em * s > inner for n in lengths) <= len(lengths) // WRAPPED),
                        self.look.sizes[-1])
            mark = self.look.mark or self.look.colour
            per = max(12, int(inner / (em * size)))
            wrapped = [wrap([line], per, mark) for line in self.lines]
            rows = sum(len(x) for x in wrapped)
            columns = None
            if self.room is not None and self._height(size, rows) > self.room:
                columns = self._columns(inner, em, longest)
            self._fit[w] = columns or (size, wrapped, 1)
        return self._fit[w]

    def _columns(self, inner: float, em: float, longest: int):
        """Two columns, for an output too long for a slide whose lines fit half its width (a
        listing of files, a column of numbers): read down the first, then the second."""
        if not self.look.columns:
            return None
        half = (inner - COLUMN_GAP) / 2
        size = next((s for s in self.look.sizes if longest * em * s <= half), None)
        return (size, [[line] for line in self.lines], 2) if size else None

    def _height(self, size, rows) -> float:
        ins = self._insets()
        return ins.top + ins.bottom + rows * self._pitch(size) + self._pitch(size) * SLACK

    def _pitch(self, size):
        return round(size * self.look.line_spacing, 2)

    def height(self, w):
        return self.piece_height(0, len(self.lines), w)

    # -- units: lines ----------------------------------------------------------------------
    def units(self) -> int:
        return max(1, len(self.lines))

    def piece_height(self, a, b, w):
        size, wrapped, cols = self.fit(w)
        if cols == 2:
            return self._height(size, -(-(b - a) // 2))
        if w not in self._rows:
            prefix = [0]
            for x in wrapped:
                prefix.append(prefix[-1] + len(x))
            self._rows[w] = prefix
        prefix = self._rows[w]
        return self._height(size, prefix[min(b, len(wrapped))] - prefix[a])

    def split_kind(self, k: int) -> str | None:
        """Between lines, four at least on each side; an output anywhere, source code at a
        blank line or a top-level statement rather than inside a block, and never between a
        line and its continuation (an open bracket, a trailing backslash, `&` or operator)."""
        n = len(self.lines)
        if k < MIN_CODE_LINES or n - k < MIN_CODE_LINES:
            return None
        text = self.texts
        if self.look.rule:                 # output and errors: lines of data
            return "code-block"
        before, line = text[k - 1].rstrip(), text[k]
        if before.endswith(CONTINUES) or line.lstrip().startswith(GOES_ON):
            return None
        if not line.strip():
            return None                   # a part never starts with a blank line: after it
        if self.depths[k] > 0:
            return "code-nested"          # inside brackets: a loop's body in braces, a dict
        if not before.strip() or line == line.lstrip():
            return "code-block"
        return "code"

    def words(self) -> int:
        return self.piece_words(0, len(self.lines))

    def piece_words(self, a: int, b: int) -> int:
        return self._words[min(b, len(self.lines))] - self._words[a]

    @cached_property
    def _words(self) -> list[int]:
        prefix = [0]
        for text in self.texts:
            prefix.append(prefix[-1] + len(text.split()))
        return prefix

    @cached_property
    def texts(self) -> list[str]:
        return ["".join(t for t, *_ in line) for line in self.lines]

    @cached_property
    def depths(self) -> list[int]:
        """The brackets open at the start of each line (strings and comments not told apart:
        a stray bracket only makes a split dearer)."""
        out, depth = [], 0
        for text in self.texts:
            out.append(max(depth, 0))
            depth += sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
        return out

    def piece(self, a, b):
        if a == 0 and b >= len(self.lines):
            return self
        part = CodeElement(self.lines[a:b], self.look, self.notes if a == 0 else (), self.room,
                           self.source)
        whole, offset = self._whole or (self, 0)
        part._whole = (whole, offset + a)
        return part

    def place(self, x, y, w):
        size, wrapped, cols = self.fit(w)
        lines = [row for rows in wrapped for row in rows]
        pitch = self._pitch(size)
        h = self.height(w)
        paras = [Para(tuple(Run(t, self.look.family, size, c, b, i) for t, c, b, i in line if t),
                      size, self.look.family, self.look.colour, pitch) for line in lines]
        ins = self._insets()
        if cols == 1:
            shapes = [TextShape(x, y, w, h, paras, fill=self.look.fill, insets=ins,
                                name=self.look.name)]
        else:
            rows = -(-len(paras) // 2)
            half = (w - ins.left - ins.right - COLUMN_GAP) / 2
            right = Insets(0, ins.top, ins.right, ins.bottom)
            shapes = [RectShape(x, y, w, h, self.look.fill, name=self.look.name),
                      TextShape(x, y, ins.left + half, h, paras[:rows],
                                insets=Insets(ins.left, ins.top, 0, ins.bottom),
                                name=self.look.name),
                      TextShape(x + ins.left + half + COLUMN_GAP, y, half + ins.right, h,
                                paras[rows:], insets=right, name=self.look.name)]
        for shape in shapes:
            if isinstance(shape, TextShape):
                shape.source = self.source
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
