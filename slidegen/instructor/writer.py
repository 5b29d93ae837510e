"""The instructor's script as the pipeline sees it: instructor/STEM.pdf per taught episode,
and instructor.pdf for the whole lesson."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Instructor:
    active: bool = True
    theme: str | None = None
    allow_remote: bool = False
    noun: ClassVar[str] = "script"

    def outputs(self, stem: str) -> tuple[str, ...]:
        return (f"instructor/{stem}.pdf",)

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("instructor.pdf",)

    def warm_up(self) -> None:
        from ..handout.writer import Handouts
        from ..pptx import deck  # noqa: F401  (the script follows the deck's plan)
        Handouts(theme=self.theme).warm_up()

    def write_episode(self, lesson, episode, cache):
        from ..errors import Diagnostics
        from ..pipeline.writer import Written
        from ..theme import load_theme
        from .script import script_pdf
        if episode.is_break or episode.skipped:
            return None
        diags = Diagnostics(episode.source)
        pdf = script_pdf(lesson, [episode], load_theme(self.theme), _options(self, cache),
                         _title(episode.title), diags)
        return Written({self.outputs(episode.stem)[0]: pdf}, [], "script")

    def begin_lesson(self, parts, cache):
        return _WholeScript(self, parts, cache)


def _title(name: str) -> str:
    from ..i18n import t
    return t("Instructor's script") + f" – {name}"


def _options(writer, cache):
    from ..handout.options import HandoutOptions
    return HandoutOptions(allow_remote=writer.allow_remote, cache_dir=cache.scratch)


class _WholeScript:
    """instructor.pdf needs every episode's whole model: unchanged ones are read while the
    workers build the others."""

    def __init__(self, writer: Instructor, parts, cache):
        self.writer, self.parts, self.cache = writer, parts, cache
        self.known = parts.unchanged()

    def finish(self):
        from ..errors import Diagnostics
        from ..handout.options import refuse_with_failed
        from ..model import Lesson
        from ..pipeline.writer import Written
        from ..theme import load_theme
        from .script import script_pdf
        refuse_with_failed(self.parts, "instructor.pdf")
        episodes = self.parts.in_order(self.known)
        lesson = Lesson(self.parts.root, self.parts.config, tuple(episodes))
        pdf = script_pdf(lesson, episodes, load_theme(self.writer.theme),
                         _options(self.writer, self.cache), _title(lesson.config.title),
                         Diagnostics("instructor.pdf"))
        return Written({"instructor.pdf": pdf})
