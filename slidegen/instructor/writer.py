"""The instructor's script as the pipeline sees it: instructor/STEM.pdf per taught episode,
and instructor.pdf for the whole lesson."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import Diagnostics
from ..handout.options import HandoutOptions, refuse_with_failed
from ..handout.writer import Handouts
from ..i18n import t
from ..model import Lesson
from ..pptx.options import Options
from ..pptx.writer import Decks
from ..theme import load_theme
from ..writer import Written


def _script_pdf(*args) -> bytes:
    """script.py's `script_pdf`: the deck's planner and the handout engine (WeasyPrint, half a
    second to import), loaded by the processes that write scripts."""
    from .script import script_pdf
    return script_pdf(*args)


@dataclass(frozen=True)
class Instructor:
    active: bool = True
    theme: str | None = None
    allow_remote: bool = False
    slides: str = "teaching"          # the decks' mode: the script follows them slide for slide
    noun: ClassVar[str] = "script"
    shows_clock: ClassVar[bool] = True     # its episode's clock times (schedule.shown)

    @property
    def variant(self) -> str:
        """What else than the inputs decides the outputs: a manifest records it."""
        return f"slides={self.slides}"

    def outputs(self, stem: str) -> tuple[str, ...]:
        return (f"instructor/{stem}.pdf",)

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("instructor.pdf",)

    def warm_up(self) -> None:
        Decks(theme=self.theme).warm_up()          # the script follows the deck's plan
        Handouts(theme=self.theme).warm_up()

    def write_episode(self, lesson, episode, cache):
        if episode.is_break or episode.skipped:
            return None
        diags = Diagnostics(episode.source)
        pdf = _script_pdf(lesson, [episode], load_theme(self.theme), _options(self, cache),
                          _title(episode.title), diags, _deck(self))
        return Written({self.outputs(episode.stem)[0]: pdf}, [], "script")

    def begin_lesson(self, parts, cache):
        return _WholeScript(self, parts, cache)


def _title(name: str) -> str:
    return t("Instructor's script") + f" – {name}"


def _deck(writer) -> Options:
    """The options the decks are built with."""
    return Options(writer.allow_remote, writer.slides)


def _options(writer, cache):
    return HandoutOptions(allow_remote=writer.allow_remote, cache_dir=cache.scratch)


class _WholeScript:
    """instructor.pdf needs every episode's whole model: unchanged ones are read while the
    workers build the others."""

    def __init__(self, writer: Instructor, parts, cache):
        self.writer, self.parts, self.cache = writer, parts, cache
        self.known = parts.unchanged()

    def finish(self):
        refuse_with_failed(self.parts, "instructor.pdf")
        episodes = self.parts.in_order(self.known)
        lesson = Lesson(self.parts.root, self.parts.config, tuple(episodes))
        pdf = _script_pdf(lesson, episodes, load_theme(self.writer.theme),
                          _options(self.writer, self.cache), _title(lesson.config.title),
                          Diagnostics("instructor.pdf"), _deck(self.writer))
        return Written({"instructor.pdf": pdf})
