"""Table elements: columns as wide as their text needs, rows split across slides with the
header repeated."""
from __future__ import annotations

from dataclasses import dataclass

from ..shapes import Insets, Para, TableCell, TableShape
from ..text import TextStyle, paras_height
from .base import SLACK, Element


@dataclass
class TableLook:
    body: TextStyle
    header: TextStyle
    min_size: float
    header_fill: str
    stripe: str
    background: str
    border: str


class TableElement(Element):
    def __init__(self, header: list, rows: list, look: TableLook, notes=()):
        self.header = header     # list of span tuples
        self.rows = rows         # list of lists of span tuples
        self.look = look
        self.notes = tuple(notes)
        self._cache: dict = {}
        self.insets = Insets(5.0, 3.0, 5.0, 3.0)

    def _layout(self, w):
        if w in self._cache:
            return self._cache[w]
        from ..text import para
        ncols = max([len(self.header)] + [len(r) for r in self.rows] + [1])
        size = self.look.body.size
        while True:
            body, head = self.look.body.sized(size), self.look.header.sized(size)
            hdr = [[para(c, head)] for c in self.header] + [[para((), head)]] * (ncols - len(self.header))
            rows = [[[para(c, body)] for c in r] + [[para((), body)]] * (ncols - len(r)) for r in self.rows]
            widths = _column_widths([hdr] + rows if self.header else rows, w, self.insets)
            heights = [self._row_h(r, widths) for r in ([hdr] if self.header else []) + rows]
            words_fit = all(_longest_word(c[0]) <= widths[j] - self.insets.left - self.insets.right
                            for r in ([hdr] if self.header else []) + rows for j, c in enumerate(r))
            if words_fit or size <= self.look.min_size:
                break
            size = max(self.look.min_size, size - 2)
        self._cache[w] = (hdr if self.header else None, rows, widths, heights)
        return self._cache[w]

    def _row_h(self, row, widths):
        inner = [wd - self.insets.left - self.insets.right for wd in widths]
        return max(paras_height(c, inner[j]) for j, c in enumerate(row)) + \
            self.insets.top + self.insets.bottom + row[0][0].pitch * SLACK

    def height(self, w):
        _, _, _, heights = self._layout(w)
        return sum(heights)

    def split(self, w, avail):
        hdr, rows, widths, heights = self._layout(w)
        head_h = heights[0] if hdr else 0.0
        body_h = heights[1:] if hdr else heights
        used, n = head_h, 0
        for h in body_h:
            if used + h > avail:
                break
            used += h
            n += 1
        if n == len(rows):
            return None, self
        if len(rows) - n < 2:          # never leave a single row behind
            n = len(rows) - 2
        if n < 2:
            return None, self
        a = TableElement(self.header, self.rows[:n], self.look, self.notes)
        b = TableElement(self.header, self.rows[n:], self.look)
        # Both parts keep this table's columns and text size: laid out on their own they
        # could choose others, and the heights measured here would no longer hold.
        top = heights[:1] if hdr else []
        a._cache[w] = (hdr, rows[:n], widths, top + body_h[:n])
        b._cache[w] = (hdr, rows[n:], widths, top + body_h[n:])
        return a, b

    def place(self, x, y, w):
        hdr, rows, widths, heights = self._layout(w)
        cells = []
        if hdr:
            cells.append([TableCell(c, self.look.header_fill) for c in hdr])
        for i, r in enumerate(rows):
            fill = self.look.stripe if i % 2 else self.look.background
            cells.append([TableCell(c, fill) for c in r])
        return [TableShape(x, y, sum(widths), sum(heights), widths, heights, cells, self.look.border,
                           self.insets)]


def _longest_word(p: Para) -> float:
    from ..measure import metrics
    best = 0.0
    for r in p.runs:
        m = metrics(r.family, r.bold, r.italic)
        for word in r.text.split():
            best = max(best, m.width(word, r.size))
    return best


def _column_widths(rows, w, insets: Insets) -> list[float]:
    """Share the width by each column's natural text width, with every column at least as wide
    as its longest word where possible."""
    from ..measure import WIDTH_SAFETY, metrics
    ncols = len(rows[0])
    natural = [0.0] * ncols
    minimum = [0.0] * ncols
    for r in rows:
        for j, c in enumerate(r):
            text_w = sum(metrics(x.family, x.bold, x.italic).width(x.text, x.size) for p in c for x in p.runs)
            # wrapping measures against a slightly narrower line (WIDTH_SAFETY): so must this
            natural[j] = max(natural[j], text_w / WIDTH_SAFETY + insets.left + insets.right + 2)
            minimum[j] = max(minimum[j], max((_longest_word(p) for p in c), default=0.0)
                             + insets.left + insets.right + 2)
    if sum(natural) <= w:
        return natural
    minimum = [max(m, 36.0) for m in minimum]
    if sum(minimum) >= w:
        total = sum(minimum)
        return [w * m / total for m in minimum]
    spare = w - sum(minimum)
    extra = [max(n - m, 0.0) for n, m in zip(natural, minimum)]
    total_extra = sum(extra) or 1.0
    return [m + spare * e / total_extra for m, e in zip(minimum, extra)]
