"""A deck's teaching slides: an episode's sections in source order, their subsections titling the
slides they start, each exercise on slides of its own between them."""
from __future__ import annotations

from dataclasses import dataclass

from ..kinds import TIMED
from ..model import Heading, Special
from . import flow
from .exercises import exercise_slides
from .paginate import Titles, fitted
from .shapes import SlidePlan
from .teach import full_blocks, teaching_blocks


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


def subsection_level(blocks) -> int | None:
    """The level of a section's subsections: its highest heading level."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    return min(levels) if levels else None


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
        units = select(run, level) if ctx.teaching else select(run)

        def build():
            return flow.elements(ctx, units, subsection=level, select=select)
        slides = fitted(ctx, "content", Titles("content", ctx.episode, heading, promote=True), build,
                        words=ctx.words())
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
            crumb = heading.text if heading is not None and not shown else None
            out.extend(exercise_slides(ctx, b, crumb))
        else:
            run.append(b)
    flush()
    if not any(isinstance(s, SlidePlan) for s in out) and heading is not None:
        out.append(Notes(heading.text))
    for s in out:
        if isinstance(s, SlidePlan):
            s.section = heading.text if heading is not None else ""
    return out
