"""A deck's teaching slides: an episode's sections in source order, their subsections titling the
slides they start, each exercise on slides of its own between them."""
from __future__ import annotations

from dataclasses import dataclass

from ..kinds import TIMED
from ..model import Heading, ListBlock, Paragraph, Special
from . import flow
from .exercises import exercise_slides
from .heading import heading_shapes
from .notes import blocks_text, spoken
from .paginate import Titles, layout
from .shapes import SlidePlan
from .teach import full_blocks, has_display_math, teaching_blocks

BRIEF_WORDS = 60         # a section of prose no longer than this is brief (see grouped)
LIST_SLIDES = 3          # a list of more words than this many teaching slides hold is cut short


@dataclass
class Notes:
    """Notes with no slide of their own (a part that only feeds the notes): the deck gives them
    to a neighbouring slide."""
    text: str


def sections(blocks, episode_title: str) -> list[tuple[Heading | None, list]]:
    """(heading, blocks) per section, split at the top-level headings of the highest level used;
    the part before the first heading has none. A section with no blocks is left out unless its
    heading says something the episode title does not."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    top = min([lv for lv in levels if lv >= 2] or levels or [2])
    out = []
    heading, current = None, []
    for b in blocks:
        if isinstance(b, Heading) and b.level <= top:
            if current or out:
                out.append((heading, current))
            heading, current = b, []
        else:
            current.append(b)

    def named(h) -> bool:
        return h is not None and h.text != episode_title
    if current or not out or named(heading):
        out.append((heading, current))
    return [(h, bl) for h, bl in out if bl or named(h)]


def grouped(parts: list[tuple[Heading | None, list]], teaching: bool = True
            ) -> list[tuple[Heading | None, list]]:
    """Sections in order, consecutive brief ones (prose and lists only; on full slides, a few
    sentences at most) gathered into one part with their headings as its subsections: a slide
    each would often show a heading and a line (a wrap-up's pieces of advice), so they share
    slides where they fit."""
    out: list[tuple[Heading | None, list]] = []
    run: list[tuple[Heading, list]] = []

    def flush():
        if len(run) > 1:
            out.append((None, [b for h, blocks in run for b in (h, *blocks)]))
        else:
            out.extend(run)
        run.clear()
    for heading, blocks in parts:
        if heading is not None and _brief(blocks, teaching):
            run.append((heading, blocks))
        else:
            flush()
            out.append((heading, blocks))
    flush()
    return out


def _brief(blocks, teaching: bool) -> bool:
    if not all(isinstance(b, (Paragraph, ListBlock)) for b in blocks):
        return False
    if any(isinstance(b, Paragraph) and has_display_math(b) for b in blocks):
        return False
    return teaching or len(blocks_text(blocks).split()) <= BRIEF_WORDS


def subsection_level(blocks) -> int | None:
    """The level of a section's subsections: its highest heading level."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    return min(levels) if levels else None


def list_fits(ctx, lst) -> bool:
    """Whether a list fits over two slides at the theme's smallest type, and is no more than
    LIST_SLIDES slides' worth of words (else a teaching slide shows each long item's first
    sentence, and the notes the whole list)."""
    if len(blocks_text([lst]).split()) > LIST_SLIDES * ctx.words():
        return False
    base = ctx.look
    ctx.look = small = base.levels()[0]
    try:
        height = sum(e.height(small.content_w) for e in flow.elements(ctx, [lst]))
    finally:
        ctx.look = base
    return height <= 2 * (small.bottom - heading_shapes(small, "Title")[1])


def section_slides(ctx, heading: Heading | None, blocks) -> list:
    """Content slides in source order, each exercise interrupting them with its own slides; a
    part with nothing to show leaves Notes for a neighbour. A section that opens with an exercise
    gets no slide of its own: its title is the exercise slides' breadcrumb."""
    out: list = []
    level = subsection_level(blocks)
    shown = False           # whether the section has a slide of its own yet
    run: list = []

    def flush():
        nonlocal run, shown
        if not run:
            return
        select = teaching_blocks if ctx.teaching else full_blocks
        units = teaching_blocks(run, level, lambda lst: list_fits(ctx, lst)) if ctx.teaching \
            else full_blocks(run)

        def build():
            return flow.elements(ctx, units, subsection=level, select=select)
        slides = layout(ctx, "content", Titles("content", ctx.episode, heading, promote=True),
                        build, words=ctx.words())
        if slides:
            out.extend(slides)
            shown = True
        else:
            text = "\n\n".join(n for e in build() for n in e.notes)
            if text:
                out.append(Notes(text))
        run = []

    for b in blocks:
        if isinstance(b, Special) and b.kind in TIMED:
            flush()
            crumb = spoken(heading.spans) if heading is not None and not shown else None
            out.extend(exercise_slides(ctx, b, crumb))
        else:
            run.append(b)
    flush()
    if not any(isinstance(s, SlidePlan) for s in out) and heading is not None:
        out.append(Notes(spoken(heading.spans)))
    for s in out:
        if isinstance(s, SlidePlan):
            s.section = spoken(heading.spans) if heading is not None else ""
    return out
