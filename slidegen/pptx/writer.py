"""The deck writer as the pipeline sees it: one editable deck per episode, slides/STEM.pptx."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import ClassVar

from ..theme import load_theme
from ..writer import Written, counted
from .options import Options


def _deck():
    """pptx/deck.py, with python-pptx, lxml, Pillow and Pygments (a third of a second to
    import): loaded by the processes that make decks, not by every build that names this
    writer (`--only handouts`)."""
    from . import deck
    return deck


@dataclass(frozen=True)
class Decks:
    active: bool = True
    theme: str | None = None          # a built-in theme's name or a theme folder
    allow_remote: bool = False
    slides: str = "teaching"          # "teaching" or "full" (see plan.py)
    noun: ClassVar[str] = "deck"
    shows_clock: ClassVar[bool] = True     # its episode's clock times (schedule.shown)
    quick_start: ClassVar[bool] = True     # warmed up in a tenth of a second (writer.Writer)

    @property
    def variant(self) -> str:
        """What else than the inputs decides the outputs: a manifest records it."""
        return f"slides={self.slides}"

    def outputs(self, stem: str) -> tuple[str, ...]:
        return (f"slides/{stem}.pptx",)

    def lesson_outputs(self) -> tuple[str, ...]:
        return ()

    def warm_up(self) -> None:
        _deck()

    def write_episode(self, lesson, episode, cache):
        if episode.skipped:           # redirects and hidden pages are not taught
            return None
        buf = io.BytesIO()
        result = _deck().write_deck(lesson, episode, load_theme(self.theme), buf,
                                    Options(self.allow_remote, self.slides))
        return Written({self.outputs(episode.stem)[0]: buf.getvalue()}, list(result.diagnostics),
                       f"deck {counted(result.slides, 'slide')}"
                       + (f" ({result.hidden} hidden)" if result.hidden else ""))

    def begin_lesson(self, parts, cache):
        raise NotImplementedError("decks have no lesson-level files")
