"""Which blocks may break across pages: a typesetter's rule of thumb, decided before layout.

A block kept whole that is too tall for the rest of a page goes to the next page whole and
leaves a gap; a short block split across pages reads badly. So blocks are kept whole only when
short — at most a third of a page, where pushing one down still leaves the page two-thirds full
— and long ones may break, between lines and items, never leaving fewer than two of either on a
page. Heights are estimated from the model and the theme's sizes: a wide margin of error is
harmless on either side of that threshold.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache

from ..media.overlong import cut_lines, cut_words
from ..model import (
    Code,
    Heading,
    Image,
    ListBlock,
    Math,
    Paragraph,
    Special,
    Table,
    plain,
)
from .largeprint import BODY_PT
from .lengths import length_pt

KEEP_FRACTION = 0.33        # of the page's text height: taller blocks may break
LARGE_KEEP_FRACTION = 0.22  # in large print, where a page holds half as much (and a box moved
                            # whole, with the answer space under it, left pages half empty)
TABLE_KEEP_ROWS = 12        # tables up to this many rows (not tall ones) never split
SANS_EM = 0.5               # average advance of a sans-serif character, in em
MONO_EM = 0.6               # advance of a monospaced character, in em
PAGE_SIZES = {"a4": (595.28, 841.89), "a5": (419.53, 595.28), "a3": (841.89, 1190.55),
              "letter": (612.0, 792.0), "legal": (612.0, 1008.0), "b5": (498.9, 708.66)}
BOX_PADDING = 24.0          # a box's rule, padding and title margin, across (pt)
BOX_CHROME = 28.0           # a box's padding and margins, down (pt), besides its title


@dataclass(frozen=True)
class Measure:
    """The page and type sizes the estimates use."""
    width: float                 # the text column, points
    height: float                # the text height of a page, points
    body: float                  # body text size
    line: float                  # body line height
    code: float                  # code size
    code_line: float             # code line height

    @classmethod
    def of(cls, handout) -> Measure:
        w, h = page_size(handout.page_size)
        mx, my = length_pt(handout.page_margin_x), length_pt(handout.page_margin_y)
        return cls(w - 2 * mx, h - 2 * my, handout.body_size,
                   handout.body_size * handout.line_height, handout.code_size,
                   handout.code_size * handout.code_line_height)

    @property
    def keep_limit(self) -> float:
        large = self.body >= BODY_PT        # large print
        return self.height * (LARGE_KEEP_FRACTION if large else KEEP_FRACTION)

    def narrower(self, by: float) -> Measure:
        return Measure(max(self.width - by, self.width / 3), self.height, self.body, self.line,
                       self.code, self.code_line)


def page_size(css: str) -> tuple[float, float]:
    """(width, height) in points of a CSS `size` value: a name, optionally `landscape`, or two
    lengths. Unknown names count as A4."""
    words = str(css).lower().split()
    landscape = "landscape" in words
    words = [w for w in words if w not in ("portrait", "landscape")]
    size = PAGE_SIZES.get(words[0], PAGE_SIZES["a4"]) if len(words) == 1 else None
    if size is None:
        try:
            size = (length_pt(words[0]), length_pt(words[1]))
        except (ValueError, IndexError):
            size = PAGE_SIZES["a4"]
    return (size[1], size[0]) if landscape else size


def text_lines(text: str, width_pt: float, size: float, em: float = SANS_EM) -> int:
    """Lines a run of text takes in a column `width_pt` wide."""
    per_line = max(int(width_pt / (size * em)), 8)
    return max(1, math.ceil(len(" ".join(cut_words(text)[0].split())) / per_line))


def code_lines(text: str, width_pt: float, size: float) -> int:
    """Lines a code block takes, its long lines wrapped."""
    per_line = max(int(width_pt / (size * MONO_EM)), 8)
    return sum(max(1, math.ceil(len(line.expandtabs(8)) / per_line))
               for line in cut_lines(text)[0].split("\n"))


def height(block, m: Measure, root: str = "") -> float:
    """A block's estimated height in points, with its margins."""
    if isinstance(block, Paragraph):
        return text_lines(block.text, m.width, m.body) * m.line + 0.55 * m.body
    if isinstance(block, Heading):
        return 1.4 * m.body * 1.25 + 1.7 * m.body
    if isinstance(block, ListBlock):
        inner = m.narrower(1.4 * m.body)
        return sum(blocks_height(item, inner, root) for item in block.items) + 0.6 * m.body
    if isinstance(block, Code):
        return code_lines(block.text, m.width - 16, m.code) * m.code_line + 20
    if isinstance(block, Image):
        return picture_height(block, m, root) + 2 * m.line
    if isinstance(block, Table):
        return table_height(block, m)
    if isinstance(block, Math):
        return 3 * m.line
    if isinstance(block, Special):
        return special_height(block, m, root)
    return m.line


def table_height(table: Table, m: Measure) -> float:
    """Rows as tall as their longest cell wrapped in an equal share of the column (a cell of a
    few words is one line; a cell that is a sentence, several)."""
    columns = max([len(table.header), *(len(r) for r in table.rows), 1])
    width = m.width / columns - CELL_PADDING

    def row(cells) -> float:
        lines = max((text_lines(plain(c), width, m.body * 0.9) for c in cells), default=1)
        return lines * 0.9 * m.line + 6
    return sum(row(r) for r in table.rows) + (row(table.header) if table.header else 0) + m.line


def blocks_height(blocks, m: Measure, root: str = "") -> float:
    return sum(height(b, m, root) for b in blocks)


def special_height(box: Special, m: Measure, root: str = "") -> float:
    title = 1.5 * m.line if (box.title or box.kind) else 0
    return title + BOX_CHROME + blocks_height(box.children, m.narrower(BOX_PADDING), root)


def picture_height(image: Image, m: Measure, root: str) -> float:
    """Figures are at most 8.5 cm tall (the stylesheet's cap) and never wider than the column."""
    cap = length_pt("85mm")
    size = _pixels(os.path.join(root, image.path)) if image.path and root else None
    if not size:
        return cap
    w, h = size[0] * 0.75, size[1] * 0.75          # CSS pixels to points
    if w > m.width:
        w, h = m.width, h * m.width / w
    return min(h, cap)


@lru_cache(maxsize=512)
def _pixels(path: str) -> tuple[int, int] | None:
    try:
        from PIL import Image as PILImage
        with PILImage.open(path) as im:
            return im.size
    except Exception:        # SVG, damaged or unreadable files: assume the cap
        return None


def keep_whole(block, m: Measure, root: str = "") -> bool:
    """True when a block should never be split across pages."""
    if isinstance(block, Table):      # a short table whole, unless its rows are tall
        return len(block.rows) <= TABLE_KEEP_ROWS and table_height(block, m) <= m.keep_limit
    return height(block, m, root) <= m.keep_limit


def list_keep_whole(items, m: Measure, root: str = "") -> bool:
    """Summary lists (questions, key points) are kept whole when short."""
    total = sum(text_lines(plain(i) if not isinstance(i, str) else i, m.width, m.body)
                for i in items) * m.line
    return total <= m.keep_limit


TABLE_SIZES = ((0.9, ""), (0.8, "table-small"), (0.7, "table-smaller"))   # em, class
TABLE_FLOOR_PT = 7.0         # never smaller than this
LARGE_TABLE_SIZES = ((1.0, ""), (0.875, "table-small"))
LARGE_TABLE_FLOOR_PT = 14.0  # large print: no table text smaller than its code
CELL_PADDING = 10.0          # a cell's padding and borders, across (pt)
RECORDS = "table-records"    # the class of a table set one row per block


def table_class(table: Table, m: Measure, large: bool = False) -> str:
    """The largest table type size (down to a floor) at which every column is as wide as its
    longest header word and a reasonable part of its cells' words; plus `wrap-anywhere` when
    even then the longest words could not fit, so the cells may break inside a word. (Only
    then: a cell that may break anywhere makes WeasyPrint measure it a character at a time,
    which doubled a long table's layout time.) A table that cannot fit even so, or in large
    print one whose longest words do not fit at 14 pt, is `RECORDS`: set one row per block,
    each cell under its column's header, so that it never runs off the page and, in large
    print, never breaks a word."""
    columns = max([len(table.header), *(len(r) for r in table.rows)])
    if not columns:
        return ""
    need_chars = longest_chars = 0
    for i in range(columns):
        head = max((len(w) for w in _words(table.header, i)), default=0)
        body = max((len(w) for row in table.rows for w in _words(row, i)), default=0)
        need_chars += max(head, min(body, 12), 3)
        longest_chars += max(head, body, 3)
    if large:
        for em, cls in LARGE_TABLE_SIZES:
            if _fits(longest_chars, columns, max(m.body * em, LARGE_TABLE_FLOOR_PT),
                     SANS_EM * 1.1, m):
                return cls
        return RECORDS
    for em, cls in TABLE_SIZES:                   # the last size when none fits  # noqa: B007
        size = max(m.body * em, TABLE_FLOOR_PT)
        if _fits(need_chars, columns, size, SANS_EM * 1.1, m):
            break
    else:
        return RECORDS
    if not _fits(longest_chars, columns, size, MONO_EM, m):   # wide enough for code words too
        cls = f"{cls} wrap-anywhere".strip()
    return cls


def _fits(chars: int, columns: int, size: float, em: float, m: Measure) -> bool:
    return chars * size * em + columns * CELL_PADDING <= m.width


def _words(cells, i: int) -> list[str]:
    return plain(cells[i]).split() if i < len(cells) else []
