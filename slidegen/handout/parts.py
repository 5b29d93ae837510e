"""A very long episode cut into parts that are laid out one at a time.

WeasyPrint keeps a document's whole box tree in memory until its PDF is written, so one
1.5 MB episode took 1.6 GB and minutes in one layout. Episodes are cut at section headings
into parts of about `PART_CHARS` characters (a block bigger than that — a 2,000-row table, a
pasted log — into pieces of rows or lines), each part is laid out on its own and the parts are
joined at the PDF level, as the whole-lesson handout joins episodes. Episodes up to
`SPLIT_ABOVE` characters (three times the longest real episode we know of) are one part, laid
out exactly as before; each part of a longer one ends its page.
"""
from __future__ import annotations

from dataclasses import replace

from ..model import Code, Heading, Table

SPLIT_ABOVE = 250_000    # episodes longer than this are cut (the longest real ones: 86,000)
PART_CHARS = 50_000      # about 15 pages: a part's layout peaks near 300 MB
SHARE_ABOVE = 150_000    # bytes of episode source: several workers lay out its parts (shares.py)
PIECE_CHARS = 25_000     # a block bigger than a part is cut into pieces of about this size


def size(block) -> int:
    """Characters it takes to write the block down: a cheap, stable stand-in for its pages."""
    return len(repr(block))


def cut(blocks: tuple, limit: int | None = None) -> list[tuple]:
    """The blocks in consecutive parts: a new part starts at a heading once the current part
    holds `limit` characters (or at any block once it holds twice that), so a part begins
    with its section and no section is cut without need."""
    limit = limit or PART_CHARS
    total = sum(size(b) for b in blocks)
    if total <= max(SPLIT_ABOVE, limit):
        return [tuple(blocks)]
    parts: list[list] = [[]]
    held = 0
    for block in _pieces(blocks, limit):
        n = size(block)
        starts_section = isinstance(block, Heading) and block.level <= 3
        if parts[-1] and (held >= limit and starts_section or held + n > 2 * limit):
            parts.append([])
            held = 0
        parts[-1].append(block)
        held += n
    return [tuple(p) for p in parts]


def _pieces(blocks, limit: int):
    """The blocks, with any single block bigger than a part cut into pieces."""
    for block in blocks:
        if size(block) <= limit:
            yield block
        elif isinstance(block, Table) and len(block.rows) > 1:
            yield from _table_pieces(block)
        elif isinstance(block, Code) and block.text.count("\n") > 1:
            yield from _code_pieces(block)
        else:
            yield block


def _table_pieces(table: Table):
    """Tables of consecutive rows, each with the header (as a long table's pages repeat it)."""
    per_row = max(1, size(table) // len(table.rows))
    step = max(2, PIECE_CHARS // per_row)
    for at in range(0, len(table.rows), step):
        yield replace(table, rows=table.rows[at:at + step])


def _code_pieces(code: Code):
    lines = code.text.split("\n")
    per_line = max(1, len(code.text) // len(lines))
    step = max(4, PIECE_CHARS // per_line)
    for at in range(0, len(lines), step):
        yield replace(code, text="\n".join(lines[at:at + step]), line=code.line + at)
