"""Table elements: columns as wide as their text needs, and no word ever broken inside a cell —
a table too wide for that at the theme's smallest size is set as several tables of fewer columns,
each repeating the first; rows split across slides with the header repeated (every column group
showing the same rows), a short table never; a caption stays under the table's last part."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ...model import plain
from ..measure import WIDTH_SAFETY, metrics
from ..shapes import Insets, Para, PictureShape, TableCell, TableShape, TextShape
from ..text import TextStyle, paras_height
from .base import SLACK, Element
from .cells import PictureLine, floor_widths, text_paras, with_pictures

SHORT_ROWS = 8         # a table with no more rows than this is never split
MIN_ROWS = 2           # rows on each side of a split
GROUP_GAP = 12.0       # between the column groups of a wide table


@dataclass
class TableLook:
    body: TextStyle
    header: TextStyle
    min_size: float
    header_fill: str
    stripe: str
    background: str
    border: str
    figures: dict = field(default_factory=dict)   # a cell's pictures, by (src, path)


class TableElement(Element):
    visual = True
    solid = True

    def __init__(self, header: list, rows: list, look: TableLook, notes=(), caption=(), cols=None):
        self.header = header     # list of span tuples
        self.rows = rows         # list of lists of span tuples
        self.look = look
        self.notes = tuple(notes)
        self.caption = list(caption)      # paragraphs under the table
        self.cols = cols                  # the columns shown (None: all)
        self._cache: dict = {}
        self._groups: dict = {}
        self._words: list[int] | None = None
        self._head_words = 0
        self._whole: tuple | None = None   # (the table, first row) a part was cut from
        self.insets = Insets(5.0, 3.0, 5.0, 3.0)

    # -- a wide table: column groups -------------------------------------------------------------
    def parts(self, w) -> list[TableElement]:
        """This table, or the tables of fewer columns it is set as when words would break."""
        if w not in self._groups and self._whole is not None:
            whole, a = self._whole        # a part keeps the whole table's columns
            groups = whole.parts(w)
            b = a + len(self.rows)
            self._groups[w] = [self] if len(groups) == 1 else [g.piece(a, b) for g in groups]
        if self.cols is not None and self._whole is None:
            return [self]
        if w not in self._groups:
            n = self._ncols()
            groups = [list(range(n))]
            if not self._layout(w)[4] and n > 2:
                groups = _column_groups(self, w, n)
            self._groups[w] = [self] if len(groups) == 1 else [
                TableElement(self.header, self.rows, self.look,
                             caption=self.caption if k == len(groups) - 1 else (),
                             cols=g) for k, g in enumerate(groups)]
        return self._groups[w]

    def words(self) -> int:
        return self.piece_words(0, len(self.rows))

    def piece_words(self, a: int, b: int) -> int:
        """Words of rows a to b and the header (counted once per table, not once per trial
        layout: a 2,000-row table is asked many times)."""
        if self._words is None:
            self._words = [0]
            for r in self.rows:
                self._words.append(self._words[-1] + sum(len(plain(c).split())
                                                         for c in self._cells(r)))
            self._head_words = sum(len(plain(c).split()) for c in self._cells(self.header))
        return self._head_words + self._words[min(b, len(self.rows))] - self._words[a]

    @cached_property
    def _columns(self) -> int:
        return max([len(self.header)] + [len(r) for r in self.rows] + [1])

    def _ncols(self) -> int:
        return self._columns

    def _cells(self, row) -> list:
        row = list(row) + [()] * (self._ncols() - len(row))
        return row if self.cols is None else [row[j] for j in self.cols]

    # -- one table ---------------------------------------------------------------------------
    def _layout(self, w):
        """(header paras, rows of paras, column widths, row heights, every word fits)."""
        if w not in self._cache and self._whole is not None:
            whole, a = self._whole        # a part keeps the whole table's columns and size
            hdr, rows, widths, heights, _ = whole._layout(w)
            b = a + len(self.rows)
            top = heights[:1] if hdr else []
            body = heights[1:] if hdr else heights
            self._cache[w] = (hdr, rows[a:b], widths, top + body[a:b], True)
        if w in self._cache:
            return self._cache[w]
        size = self.look.body.size
        while True:
            body, head = self.look.body.sized(size), self.look.header.sized(size)
            cells = [self._cells(r) for r in ([self.header] if self.header else []) + self.rows]
            styles = [head if self.header and i == 0 else body for i in range(len(cells))]
            every = [[text_paras(c, st) for c in r] for r, st in zip(cells, styles, strict=True)]
            floors = [max(col, default=0.0) for col in
                      zip(*(floor_widths(r, self.look.figures) for r in cells), strict=True)]
            widths = _column_widths(every, w, self.insets, floors)
            inner = [wd - self.insets.left - self.insets.right for wd in widths]
            every = [[with_pictures(p, c, self.look.figures, inner[j], st)
                      for j, (p, c) in enumerate(zip(r, cr, strict=True))]
                     for r, cr, st in zip(every, cells, styles, strict=True)]
            hdr, rows = (every[0], every[1:]) if self.header else (None, every)
            heights = [self._row_h(r, widths) for r in every]
            fits = all(_longest_word(c[0]) <= (widths[j] - self.insets.left - self.insets.right)
                       * WIDTH_SAFETY for r in every for j, c in enumerate(r))
            if fits or size <= self.look.min_size:
                break
            size = max(self.look.min_size, size - 2)
        self._cache[w] = (hdr, rows, widths, heights, fits)
        return self._cache[w]

    def _row_h(self, row, widths):
        inner = [wd - self.insets.left - self.insets.right for wd in widths]
        pitch = max((p.pitch for c in row for p in c if not isinstance(p, PictureLine)),
                    default=self.look.body.pitch)
        return max(paras_height(c, inner[j]) for j, c in enumerate(row)) + \
            self.insets.top + self.insets.bottom + pitch * SLACK

    def _caption_h(self, w) -> float:
        return (6.0 + paras_height(self.caption, w - 14.4) + 7.2) if self.caption else 0.0

    def height(self, w):
        return self.piece_height(0, len(self.rows), w)

    # -- units: rows -----------------------------------------------------------------------
    def units(self) -> int:
        return max(1, len(self.rows))

    def split_kind(self, k: int) -> str | None:
        """Between rows, the header repeated; a short table, or one leaving fewer than two rows
        on either side, only when it cannot fit a slide."""
        n = len(self.rows)
        if n <= SHORT_ROWS or k < MIN_ROWS or n - k < MIN_ROWS:
            return "row-short"
        return "row"

    def piece_height(self, a, b, w):
        parts = self.parts(w)
        if len(parts) > 1:      # the same rows of every column group, one under another
            return sum(p.piece_height(a, b, w) for p in parts) + GROUP_GAP * (len(parts) - 1)
        hdr, rows, widths, heights, _ = self._layout(w)
        head = heights[0] if hdr else 0.0
        body = heights[1:] if hdr else heights
        caption = self._caption_h(w) if b >= len(self.rows) else 0.0
        return head + sum(body[a:b]) + caption

    def piece(self, a, b):
        """Rows a to b under the header; the caption with the last rows. The part keeps this
        table's columns and text size: laid out on its own it could choose others, and the
        heights measured here would no longer hold."""
        n = len(self.rows)
        if a == 0 and b >= n:
            return self
        part = TableElement(self.header, self.rows[a:b], self.look, self.notes if a == 0 else (),
                            caption=self.caption if b >= n else (), cols=self.cols)
        whole, offset = self._whole or (self, 0)
        part._whole = (whole, offset + a)
        return part

    def place(self, x, y, w):
        parts = self.parts(w)
        if len(parts) > 1:
            return _stack(parts, x, y, w)
        hdr, rows, widths, heights, _ = self._layout(w)
        cells = []
        if hdr:
            cells.append([TableCell(c, self.look.header_fill) for c in hdr])
        for i, r in enumerate(rows):
            fill = self.look.stripe if i % 2 else self.look.background
            cells.append([TableCell(c, fill) for c in r])
        shapes = [TableShape(x, y, sum(widths), sum(heights), widths, heights, cells,
                             self.look.border, self.insets)]
        shapes += _pictures([hdr] + rows if hdr else rows, x, y, widths, heights, self.insets)
        if self.caption:
            top = y + sum(heights) + 6.0
            shapes.append(TextShape(x, top, w, self._caption_h(w) - 6.0, self.caption,
                                    name="Caption"))
        return shapes


def _pictures(every, x, y, widths, heights, insets: Insets) -> list[PictureShape]:
    """The pictures of the cells, each over the empty line that keeps its place."""
    out = []
    for i, row in enumerate(every):
        for j, paras in enumerate(row):
            inner = widths[j] - insets.left - insets.right
            for k, p in enumerate(paras):
                if isinstance(p, PictureLine):
                    top = y + sum(heights[:i]) + insets.top + paras_height(paras[:k], inner) + 2
                    left = x + sum(widths[:j]) + insets.left
                    pic = p.picture
                    out.append(PictureShape(left, top, p.width, p.pitch - 4.0, pic.blob,
                                            pic.ext, p.alt, pic.svg))
    return out


def _stack(parts, x, y, w) -> list:
    shapes = []
    for p in parts:
        shapes.extend(p.place(x, y, w))
        y += p.height(w) + GROUP_GAP
    return shapes


def _column_groups(table: TableElement, w: float, n: int) -> list[list[int]]:
    """Columns in groups narrow enough that no word breaks, each group led by the first column."""
    groups, current = [], [0]
    for j in range(1, n):
        trial = TableElement(table.header, table.rows, table.look, cols=current + [j])
        if len(current) > 1 and not trial._layout(w)[4]:
            groups.append(current)
            current = [0, j]
        else:
            current = current + [j]
    groups.append(current)
    return groups


def _longest_word(p: Para) -> float:
    best = 0.0
    for r in p.runs:
        m = metrics(r.family, r.bold, r.italic)
        for word in r.text.split():
            best = max(best, m.width(word, r.size))
    return best


def _column_widths(rows, w, insets: Insets, floors=None) -> list[float]:
    """Share the width by each column's natural text width, with every column at least as wide
    as its longest word (and its pictures: `floors`) where possible."""
    ncols = len(rows[0])
    pad = insets.left + insets.right + 2
    natural = [f + pad if f else 0.0 for f in (floors or [0.0] * ncols)]
    minimum = list(natural)
    for r in rows:
        for j, c in enumerate(r):
            text_w = sum(metrics(x.family, x.bold, x.italic).width(x.text, x.size)
                         for p in c for x in p.runs)
            # wrapping measures against a slightly narrower line (WIDTH_SAFETY): so must this
            natural[j] = max(natural[j], text_w / WIDTH_SAFETY + insets.left + insets.right + 2)
            minimum[j] = max(minimum[j],
                             max((_longest_word(p) for p in c), default=0.0) / WIDTH_SAFETY
                             + insets.left + insets.right + 2)
    if sum(natural) <= w:
        return natural
    minimum = [max(m, 36.0) for m in minimum]
    if sum(minimum) >= w:
        total = sum(minimum)
        return [w * m / total for m in minimum]
    spare = w - sum(minimum)
    extra = [max(n - m, 0.0) for n, m in zip(natural, minimum, strict=True)]
    total_extra = sum(extra) or 1.0
    return [m + spare * e / total_extra for m, e in zip(minimum, extra, strict=True)]
