"""Plan a deck: which slides an episode becomes and what goes where, measured so that nothing
overflows. The renderer turns the plans into a .pptx.

Slides: a title slide with the timing, an overview (questions, objectives), the sections'
teaching slides in source order, each exercise on its own slide(s) with its time and its
solutions on hidden slides right after, and a key-points slide. A teaching deck (the default)
shows what the room looks at and puts the narrative in the notes; a full deck shows every word.

The parts: assets.py (pictures, diagrams and formulae, resolved once before planning),
covers.py (title and break slides), summary.py (overview, key points), sections.py and
exercises.py (the slides that teach), teach.py (what of the prose a teaching slide keeps),
flow.py (blocks to elements), paginate.py (elements onto slides), titles.py (every title).
"""
from __future__ import annotations

from ..model import Episode, Lesson
from ..theme import Theme
from .assets import resolve
from .context import Context
from .covers import break_slide, title_slide
from .look import Look
from .options import SLIDE_MODES, Options
from .sections import Notes, grouped, section_slides, sections
from .shapes import SlidePlan
from .summary import keypoints_slides, overview_slides
from .unimath import lesson_macros

__all__ = ["Options", "SLIDE_MODES", "plan_deck"]


def plan_deck(lesson: Lesson, episode: Episode, theme: Theme, options: Options | None = None):
    """(slides, diagnostics) for one episode."""
    ctx = Context(lesson, episode, Look.of(theme, episode.meta.colour), options or Options())
    ctx.assets = resolve(lesson, episode, ctx.look, ctx.options.allow_remote, ctx.warn)
    with lesson_macros(lesson.config.math_macros):
        slides = plan_slides(ctx)
    for s in slides:               # of the layouts tried, those of the slides kept
        for problem in s.problems:
            ctx.warn(problem)
    return slides, ctx.diagnostics


def plan_slides(ctx: Context) -> list[SlidePlan]:
    e = ctx.episode
    if e.is_break:
        return [break_slide(ctx)]
    out: list = [title_slide(ctx)]
    if e.meta.questions or e.meta.objectives:
        out += overview_slides(ctx)
    for heading, blocks in grouped(sections(e.blocks, e.title), ctx.teaching):
        out += section_slides(ctx, heading, blocks)
    if e.meta.keypoints:
        out += keypoints_slides(ctx)
    return attach_notes(out)


def attach_notes(items: list) -> list[SlidePlan]:
    """Slides, with the notes of parts that have no slide given to the next visible slide (or,
    at the end, to the last one before them): no visible slide is ever blank."""
    slides: list[SlidePlan] = []
    waiting: list[str] = []
    for item in items:
        if isinstance(item, Notes):
            waiting.append(item.text)
            continue
        if waiting and not item.hidden and item.kind != "title":
            item.notes = "\n\n".join([*waiting, item.notes] if item.notes else waiting)
            waiting = []
        slides.append(item)
    if waiting:
        last = next(s for s in reversed(slides) if not s.hidden)
        last.notes = "\n\n".join([last.notes, *waiting] if last.notes else waiting)
    return slides
