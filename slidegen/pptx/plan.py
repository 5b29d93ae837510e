"""Plan a deck: which slides an episode becomes and what goes where, measured so that nothing
overflows. Pure apart from reading image files; the renderer turns the plans into a .pptx.

Slides: a title slide with the timing, an overview (questions, objectives), content slides per
section in source order, each challenge on its own slide(s) with its time and its solutions on
hidden slides right after, and a key-points slide. Prose and instructor notes go to the notes.
The planner's parts: covers.py (title and break slides), sections.py (what teaches), flow.py
(blocks to elements), paginate.py (elements onto slides), titles.py (every slide's title).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Diagnostic
from ..model import Episode, Lesson
from ..theme import Theme
from .covers import CoverSlides
from .flow import Flow
from .look import Look
from .paginate import Pagination
from .sections import SectionSlides, sections
from .shapes import SlidePlan


@dataclass
class Options:
    allow_remote: bool = False


@dataclass
class Planner(CoverSlides, SectionSlides, Flow, Pagination):
    lesson: Lesson
    episode: Episode
    look: Look
    options: Options
    diagnostics: list = field(default_factory=list)

    def warn(self, message: str, line: int = 0):
        d = Diagnostic(self.episode.source, line, "warning", message)
        if d not in self.diagnostics:       # trial layouts may meet the same image twice
            self.diagnostics.append(d)

    # -- the deck ----------------------------------------------------------------------------
    def plan(self) -> list[SlidePlan]:
        e = self.episode
        if e.is_break:
            return [self.break_slide()]
        slides = [self.title_slide()]
        if e.meta.questions or e.meta.objectives:
            slides += self.overview_slides()
        for heading, blocks in sections(e.blocks, e.title):
            slides += self.section_slides(heading, blocks)
        if e.meta.keypoints:
            slides += self.list_slides(e.meta.keypoints, "keypoints")
        return slides


def plan_deck(lesson: Lesson, episode: Episode, theme: Theme, options: Options | None = None):
    """(slides, diagnostics) for one episode."""
    planner = Planner(lesson, episode, Look.of(theme, episode.meta.colour), options or Options())
    return planner.plan(), planner.diagnostics
