"""What of a section goes on a teaching slide, and what goes to the speaker notes.

A teaching deck shows what the room looks at — lists, code and its output, figures, tables, math,
callouts, subsection titles — and moves the narrative prose to the notes in full. Of that prose
the slide keeps a short lead at most: the sentence that introduces the code, figure or list that
follows it, a question about a figure next to it, a short paragraph around display math, or the
opening sentences of a part that has nothing else to show. A lead is whole sentences, never a
piece of one. A list stays whole unless it cannot fit even over two slides at the smallest type:
then each long item keeps its first sentence (never only its term) and the whole list goes to
the notes; so does a table whose cells are paragraphs (each keeps its first sentence). Boxes
(callouts and the like) are read the same way inside. An exercise's task is shown whole: the
learners read it on the slide. `--slides full` keeps every paragraph on the slides instead.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..media.diagrams import is_diagram
from ..model import (
    Code,
    Heading,
    Image,
    ListBlock,
    Math,
    Paragraph,
    Span,
    Special,
    Table,
    plain,
)
from .notes import blocks_text, spoken
from .sentences import sentences, words

LEAD_WORDS = 24          # the longest sentence kept to introduce what follows ("…:")
SHORT_LEAD = 12          # any shorter last sentence before what it is about is kept too
OPENING_WORDS = 45       # the most words kept to open a part with nothing else to show …
OPENING_LEAST = 12       # … in as many whole sentences as it takes to say this many
MATH_PROSE_WORDS = 40    # a paragraph around display math stays whole up to this many words
ITEM_WORDS = 12          # a list item up to this long stays whole, even in a list cut short
CELL_WORDS = 20          # a table cell up to this long stays whole
SHOWN = (Code, Image, Math, Table, ListBlock, Special)


@dataclass(frozen=True)
class Narrative:
    """Prose that goes to the speaker notes only."""
    text: str
    line: int
    type = "narrative"


def locked(span) -> bool:
    """Spans that never hold a sentence boundary."""
    return span.code or span.math or bool(span.href)


def lead_spans(p: Paragraph, last: bool):
    """The paragraph's last (or first) sentence."""
    parts = sentences(p.spans, locked)
    return parts[-1] if last else parts[0]


def shows(b) -> bool:
    """Blocks a teaching slide shows (instructor notes and solutions only feed the notes)."""
    if isinstance(b, Special):
        return b.kind not in ("instructor", "solution")
    return isinstance(b, SHOWN) or (isinstance(b, Paragraph) and has_display_math(b))


def has_display_math(p: Paragraph) -> bool:
    return any(s.math and s.display for s in p.spans)


def teaching_blocks(blocks, level: int | None = None, fits=None) -> list:
    """A section's blocks for a teaching slide: each prose paragraph becomes a Narrative (for
    the notes) followed by its lead, if it keeps one. Parts are split at headings of `level`
    (subsections): a part with nothing to show keeps its opening sentences. `fits(list)` says
    whether a list fits over two slides at the smallest type (None: it does)."""
    out: list = []
    for part in _parts(list(blocks), level):
        visible = any(shows(b) for b in part)
        opened = 0                                  # words of the opening kept so far
        for i, b in enumerate(part):
            if isinstance(b, ListBlock) and (fits is None or fits(b)):
                out.append(b)
                continue
            if isinstance(b, (ListBlock, Table)):
                short, changed = short_list(b) if isinstance(b, ListBlock) else short_table(b)
                if changed:
                    out.append(Narrative(blocks_text([b]), b.line))
                out.append(short)
                continue
            if not isinstance(b, Paragraph):
                out.append(b)
                continue
            out.append(Narrative(spoken(b.spans), b.line))
            lead = _lead(b, part[i - 1] if i else None, part[i + 1] if i + 1 < len(part) else None)
            if lead is None and not visible and opened < OPENING_LEAST:
                lead = _opening(b, opened)
            if lead is not None:
                out.append(Paragraph(tuple(lead), b.line))
                opened += words(lead) or OPENING_LEAST
    return out


def _opening(p: Paragraph, already: int = 0):
    """The opening sentences of a part with nothing else to show: enough to say something
    (OPENING_LEAST words, over as many short paragraphs as it takes: a glossary's lines), no
    more than OPENING_WORDS; None when its first is longer."""
    parts = sentences(p.spans, locked)
    kept: list = []
    for sentence in parts:
        n = already + words(kept)
        if n >= OPENING_LEAST or n + words(sentence) > OPENING_WORDS:
            break
        kept.extend([Span(" "), *sentence] if kept else sentence)
    return tuple(kept) if kept else None


def short_list(lst: ListBlock) -> tuple[ListBlock, bool]:
    """The list with each long item cut to its first sentence; and whether any was."""
    items, changed = [], False
    for item in lst.items:
        new, seen = [], False
        for b in item:
            if isinstance(b, Paragraph) and not seen:
                seen = True
                spans = _item_spans(b.spans)
                changed |= spans != b.spans
                new.append(Paragraph(spans, b.line))
            elif isinstance(b, Paragraph):
                changed = True                   # an item's further paragraphs: notes only
            elif isinstance(b, ListBlock):
                sub, more = short_list(b)
                new.append(sub)
                changed |= more
            else:
                new.append(b)
        items.append(tuple(new))
    return replace(lst, items=tuple(items)), changed


def short_table(table: Table) -> tuple[Table, bool]:
    """The table with each cell of running prose cut to its first sentence (the whole table
    goes to the notes); and whether any was."""
    def cell(spans):
        return spans if words(spans) <= CELL_WORDS else sentences(spans, locked)[0]
    rows = tuple(tuple(cell(c) for c in row) for row in table.rows)
    return replace(table, rows=rows), rows != table.rows


def _item_spans(spans):
    if words(spans) <= ITEM_WORDS:
        return spans
    return tuple(sentences(spans, locked)[0])


def full_blocks(blocks) -> list:
    """A part's blocks for full slides, and an exercise's task on a teaching slide: every
    paragraph on the slide, and in the notes too."""
    out: list = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(Narrative(spoken(b.spans), b.line))
        out.append(b)
    return out


def _lead(p: Paragraph, before, after):
    """The spans of `p` a teaching slide keeps, or None."""
    if has_display_math(p):
        return p.spans if words(p.spans) <= MATH_PROSE_WORDS else \
            tuple(s for s in p.spans if s.math and s.display)
    if isinstance(before, Table) and plain(p.spans).lstrip().lower().startswith("table"):
        return p.spans                      # a table's caption
    if is_figure(before) or is_figure(after):
        text = plain(p.spans).strip()
        if text.endswith("?") and words(p.spans) <= LEAD_WORDS:
            return p.spans                  # the question about the figure beside it
    if after is not None and shows(after) and not isinstance(after, Special):
        last = lead_spans(p, last=True)
        n = words(last)
        if n <= SHORT_LEAD or n <= LEAD_WORDS and plain(last).rstrip().endswith(":"):
            return last
    return None


def is_figure(b) -> bool:
    return isinstance(b, Image) or (isinstance(b, Code) and is_diagram(b.lang))


def _parts(blocks: list, level: int | None) -> list[list]:
    """Blocks split before each heading of `level` (a heading starts its part)."""
    parts: list[list] = [[]]
    for b in blocks:
        if isinstance(b, Heading) and level is not None and b.level == level and parts[-1]:
            parts.append([])
        parts[-1].append(b)
    return parts
