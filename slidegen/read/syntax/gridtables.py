"""Pandoc's grid tables (Workbench lessons draw them with `+---+` and `|`), read into the same
table tokens a pipe table makes.

A cell may hold blocks: its inline token carries the cell's text as a line of inline Markdown
(its lines kept as lines, code as code text) and, in `meta["markdown"]`, the cell's Markdown as
written, which the reader reads as blocks when it is more than one paragraph.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

BORDER = re.compile(r"^\+(?:[-=:]+\+)+\s*$")
ROW = re.compile(r"^\|.*\|\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]]


def grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = _line(state, start)
    if not BORDER.match(first) or "=" in first:
        return False
    columns = [m.start() for m in re.finditer(r"\+", first)]
    line = start + 1
    while line < end and (BORDER.match(_line(state, line)) or ROW.match(_line(state, line))):
        line += 1
    if line == start + 1 or not BORDER.match(_line(state, line - 1)):
        return False
    if silent:
        return True
    rows, header, current = [], None, []
    for n in range(start + 1, line):
        text = _line(state, n)
        if BORDER.match(text):
            if current:
                rows.append(_cells(current, columns))
                current = []
            if "=" in text and header is None:
                header = len(rows)
        else:
            current.append(text)
    _push(state, rows, header or 0, [start, line])
    state.line = line
    return True


def _cells(lines: list[str], columns: list[int]) -> list[tuple[str, str]]:
    """(inline text, Markdown as written) of each cell of a row drawn over `lines`."""
    cells = []
    for left, right in zip(columns, columns[1:], strict=False):
        texts = [line[left + 1:right].rstrip() for line in lines]
        cells.append((_inline(texts), _markdown(texts)))
    return cells


def _markdown(texts: list[str]) -> str:
    """A cell's lines without the padding they share."""
    pad = min((len(t) - len(t.lstrip()) for t in texts if t.strip()), default=0)
    return "\n".join(t[pad:] for t in texts).strip("\n")


def _inline(texts: list[str]) -> str:
    out, code = [], False
    for t in texts:
        stripped = t.strip()
        if FENCE.match(stripped):
            code = not code
            continue
        if not stripped:
            continue
        if code:
            tick = "``" if "`" in stripped else "`"
            text = t.rstrip()[1:] if t.startswith(" ") else t.rstrip()    # the cell's padding
            out.append(f"{tick} {text} {tick}")
        else:
            out.append(stripped)
    return "\\\n".join(out)


def _push(state: StateBlock, rows: list[list[tuple[str, str]]], header: int,
          where: list[int]) -> None:
    def row(cells, tag):
        state.push("tr_open", "tr", 1)
        for c, markdown in cells:
            state.push(f"{tag}_open", tag, 1)
            token = state.push("inline", "", 0)
            token.content, token.map, token.children = c, where, []
            token.meta = {"markdown": markdown}
            state.push(f"{tag}_close", tag, -1)
        state.push("tr_close", "tr", -1)

    token = state.push("table_open", "table", 1)
    token.map = where
    head, body = rows[:header], rows[header:]
    state.push("thead_open", "thead", 1)
    for cells in head:
        row(cells, "th")
    state.push("thead_close", "thead", -1)
    if body:
        state.push("tbody_open", "tbody", 1)
        for cells in body:
            row(cells, "td")
        state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)


def grid_table_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("table", "grid_table", grid_table,
                          {"alt": ["paragraph", "reference", "blockquote"]})
