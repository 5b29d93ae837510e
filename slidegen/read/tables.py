"""Tables as the lesson's site shows them: a cell is a line of text, or blocks where it holds
more (a grid table's heading or list, a picture); a header of empty cells is no header; pandoc's
`Table: …` (or `: …`) paragraph next to a table is its caption."""
from __future__ import annotations

import re
from dataclasses import replace

from ..model import Cell, Inline, ListBlock, Paragraph, Span, Special, Table, plain, walk

# pandoc: a caption paragraph begins "Table:", "table:" or ":"
CAPTION = re.compile(r"^\s*(?:[Tt]able)?:\s+")


def build(builder, node) -> Table:
    """The model's table for a markdown-it table node; `builder` is the episode's BlockBuilder."""
    header: list = []
    rows: list = []
    align: list = []
    for section in node.children:
        for tr in getattr(section, "children", ()):
            cells = []
            for cell in tr.children:
                cells.append(_cell(builder, cell))
                if section.type == "thead":
                    style = cell.token.attrGet("style") or ""
                    m = re.search(r"text-align:\s*(\w+)", style)
                    align.append(m.group(1) if m else None)
            (header if section.type == "thead" else rows).append(tuple(cells))
    head = header[0] if header else ()
    if not any(plain(c).strip() or _blocks(c) for c in head):
        head = ()
    width = max([len(head)] + [len(r) for r in rows]) if (head or rows) else 0
    rows = [r + ((),) * (width - len(r)) for r in rows]
    return Table(tuple(head), tuple(tuple(r) for r in rows), tuple(align),
                 builder.line(node.token))


def _blocks(cell) -> tuple:
    return getattr(cell, "blocks", ())


def _cell(builder, cell):
    """A cell's spans, or a Cell with its blocks: a grid table's cell written as blocks, or a
    cell with a picture in it."""
    inline = cell.children[0] if cell.children else None
    markdown = ((inline.meta or {}).get("markdown") or "") if inline is not None else ""
    spans, images = builder.inline(inline, inline if inline is not None else cell.token)
    if markdown and _more_than_text(markdown):
        blocks = builder.blocks_of(markdown, inline)
        if not (len(blocks) == 1 and isinstance(blocks[0], Paragraph)):
            return Cell(_text_of(blocks), blocks)
    if images:
        line = builder.line(cell.token)
        text = [Paragraph(tuple(spans), line)] if plain(spans).strip() else []
        return Cell(tuple(spans), text + list(images))
    return tuple(spans)


def _text_of(blocks) -> Inline:
    """The words of a cell's blocks as one line of text, for what reads cells as text."""
    words = [getattr(b, "text", "") or getattr(b, "alt", "") for b, _ in walk(blocks)
             if not isinstance(b, (ListBlock, Special))]
    return (Span(" ".join(w for w in words if w.strip())),)


BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|`{3,}|~{3,}|<\w)", re.M)


def _more_than_text(markdown: str) -> bool:
    """Whether a cell's Markdown has blocks in it: a heading, list, quote, fence or HTML line,
    or a blank line between paragraphs."""
    return bool(BLOCK_START.search(markdown)) or bool(re.search(r"\S\n\s*\n\s*\S", markdown))


def with_captions(blocks: list) -> list:
    """pandoc's caption paragraphs put on the table they stand before or after."""
    out: list = []
    for b in blocks:
        if isinstance(b, Table) and not b.caption and out and _caption(out[-1]):
            b = replace(b, caption=_caption(out.pop()))
        elif isinstance(b, Paragraph) and out and isinstance(out[-1], Table) \
                and not out[-1].caption and _caption(b):
            out[-1] = replace(out[-1], caption=_caption(b))
            continue
        out.append(b)
    return out


def _caption(b) -> Inline:
    """The caption of a `Table: …` paragraph, without its label; () for any other block."""
    if not isinstance(b, Paragraph) or not b.spans or b.spans[0].code:
        return ()
    m = CAPTION.match(b.spans[0].text)
    if not m:
        return ()
    first = b.spans[0].text[m.end():]
    return ((replace(b.spans[0], text=first),) if first else ()) + tuple(b.spans[1:])
