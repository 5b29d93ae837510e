"""Slides from elements: the optimiser (breaking.py) chooses where they break and at which type
size each slide is set; this module builds the elements at every size, asks it, and makes the
slides it chose: titles, shapes and notes.

A subsection that starts a slide titles it, with its section as a breadcrumb; so does a titled
box (a callout) that starts a slide and ends on it. A slide says "(cont.)" only when it begins
with the rest of something split (a listing, a list, a table, a box); an exercise's slides are
numbered "1/2", "2/2" instead. Pictures are shrunk, within their limit, where the optimiser
counted on it. Notes of what is not shown go to the slide that shows what follows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from .breaking import Problem, Run, optimise
from .elements import Element
from .flow import Subsection
from .heading import heading_shapes
from .shapes import SlidePlan
from .text import plain
from .titles import slide_title

# an exercise's slide number as wide as it gets, while the count is unknown
WIDEST = (8, 8)


@dataclass
class Titles:
    """The titles of the slides that show one thing: a section (its subsections, and titled boxes
    that start a slide, titling the slides they start), an exercise, a solution or a summary."""
    kind: str
    episode: object
    subject: object = None
    parent: object = None
    crumb: str | None = None      # a breadcrumb for every slide (an exercise's section)
    promote: bool = False         # a titled box that starts a slide titles it (content slides)

    def __call__(self, sub=None, box: str | None = None, continued: bool = False,
                 number: tuple[int, int] | None = None) -> tuple[str, str | None]:
        """(title, breadcrumb) of a slide of this subject, of a subsection's (`sub`), or of a
        slide a titled box (`box`) starts; `continued`: it begins with a split's rest;
        `number`: (this slide, of how many), for an exercise's slides."""
        part = int(continued)
        if box is not None:
            return box, sub.text if sub is not None else \
                slide_title(self.kind, self.episode, self.subject)
        if sub is not None:
            return slide_title(self.kind, self.episode, sub, part=part), \
                slide_title(self.kind, self.episode, self.subject)
        title = slide_title(self.kind, self.episode, self.subject, self.parent,
                            0 if number else part)
        if number and number[1] > 1:
            title += f" ({number[0]}/{number[1]})"
        return title, self.crumb


@dataclass
class _Content:
    """The elements built at each type size, without the note-only ones, whose notes go with the
    element after them (`before`) or, at the end, to the last slide (`after`)."""
    levels: list[list[Element]]
    before: list[list[str]]
    after: list[str] = field(default_factory=list)


def layout(ctx, kind: str, titles: Titles, build: Callable[[], list[Element]], badge=None,
           box_kind=None, allow_empty: bool = False, words: int | None = None,
           exercise: bool = False) -> list[SlidePlan]:
    """Slides for the elements `build()` makes under `ctx.look` (it is called once per type
    size); none when nothing in them shows, unless `allow_empty`. `words`: the words of prose a
    slide holds without cost; `exercise`: each slide after the first costs costs.EXERCISE."""
    content = _content(ctx, build)
    if not content.levels[0] and not allow_empty:
        return []
    lk = ctx.look

    @cache
    def top(p: int, box: bool) -> float:
        number = WIDEST if exercise else None       # (the count is not known yet)
        return below(*_title(titles, content, problem, p, box, number))

    @cache
    def below(title: str, crumb: str | None) -> float:     # (most starts share their title)
        return heading_shapes(lk, title, badge, box_kind, crumb)[1]
    problem = Problem(content.levels, lk.content_w, lk.bottom, lk.gap, top, words,
                      exercise, titles.promote)
    runs, problems = optimise(problem)
    slides = [_slide(ctx, kind, titles, content, problem, run,
                     (k + 1, len(runs)) if exercise else None, badge, box_kind)
              for k, run in enumerate(runs)]
    if content.after:
        slides[-1].notes = "\n\n".join(x for x in [slides[-1].notes, *content.after] if x)
    for s in slides[:1]:
        s.problems.extend(f"{what} on '{s.title}'" for what in problems)
    return slides


def _content(ctx, build) -> _Content:
    base = ctx.look
    levels = []
    try:
        for look in base.levels():
            ctx.look = look
            levels.append(build())
    finally:
        ctx.look = base
    shown = [[e for e in els if e.visible] for els in levels]
    if any([e.units() for e in s] != [e.units() for e in shown[0]] for s in shown):
        shown, levels = shown[:1], levels[:1]       # (never: the same blocks make the same units)
    before, held = [], []
    for e in levels[0]:
        if e.visible:
            before.append(held)
            held = []
        else:
            held = held + list(e.notes)
    while shown[0] and shown[0][-1].heading:  # a heading with nothing under it (before an
        dropped = shown[0][-1]                # exercise): its words go to the notes
        held = before.pop() + [plain(p) for p in dropped.paras] + held
        shown = [s[:-1] for s in shown]
    return _Content(shown, before, held)


def _title(titles: Titles, content: _Content, problem: Problem, p: int, box: bool,
           number: tuple[int, int] | None = None) -> tuple[str, str | None]:
    """The title of a slide starting at position p (`box`: the titled box there titles it)."""
    if problem.size == 0:
        return titles(number=number)
    els = content.levels[0]
    i, a = problem.locate(p)
    sub = next((e.heading for e in reversed(els[:i + 1]) if isinstance(e, Subsection)), None)
    return titles(sub, els[i].title if box else None, a > 0, number)


def _slide(ctx, kind, titles, content, problem: Problem, run: Run, number, badge,
           box_kind) -> SlidePlan:
    lk = ctx.look
    sub, box = problem.promoted(run.start, run.end) if problem.size else (False, False)
    title, crumb = _title(titles, content, problem, run.start, box, number)
    head, top = heading_shapes(lk, title, badge, box_kind, crumb)
    pieces, notes = [], []
    first = problem.element_at[run.start] if problem.size else 0
    last = problem.element_at[run.end - 1] + 1 if problem.size else 0
    for i in range(first, last):
        e = content.levels[run.level][i]
        a = max(run.start, problem.offsets[i]) - problem.offsets[i]
        b = min(run.end, problem.offsets[i + 1]) - problem.offsets[i]
        if a == 0:
            notes.extend(content.before[i])
        piece = e.piece(a, b)
        notes.extend(piece.notes)
        if i == first and sub:
            continue                               # its heading is the slide's title
        pieces.append(piece.untitled() if i == first and box else piece)
    shapes = _place(lk, pieces, top, lk.bottom - top, lk.left, lk.content_w)
    return SlidePlan(kind, title, head + shapes, notes="\n\n".join(x for x in notes if x))


def _place(lk, pieces: list[Element], top: float, room: float, x: float, w: float) -> list:
    """The pieces one under another, pictures shrunk (as far as they may) where they would not
    fit at their full size."""
    shown = [p for p in pieces if p.visible and p.height(w) > 0]
    heights = [p.height(w) for p in shown]
    total = sum(heights) + lk.gap * max(len(shown) - 1, 0)
    over = total - room
    if over > 0.01:
        give = [p.shrinkable(w) for p in shown]
        share = min(1.0, over / sum(give)) if sum(give) else 0.0
        for k, g in enumerate(give):
            if g:
                heights[k] -= g * share
                shown[k] = shown[k].shrunk(heights[k], w)
    shapes, y = [], top
    for p, h in zip(shown, heights, strict=True):
        shapes.extend(p.place(x, y, w))
        y += h + lk.gap
    return shapes


__all__ = ["Titles", "layout"]
