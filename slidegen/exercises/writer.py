"""The exercises writer as the pipeline sees it: one lesson-level file, exercises.md."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Exercises:
    active: bool = True
    noun: ClassVar[str] = ""

    def outputs(self, stem: str) -> tuple[str, ...]:
        return ()

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("exercises.md",)

    def warm_up(self) -> None:
        return None

    def write_episode(self, lesson, episode, cache):
        return None

    def begin_lesson(self, parts, cache):
        return _Sheet(parts)


class _Sheet:
    """exercises.md needs every episode's model: unchanged ones are read while the workers
    build the others, which are added when they are done."""

    def __init__(self, parts):
        self.parts = parts
        self.known = {rel: parts.episode(rel) for rel in parts.sources if rel not in parts.rebuilding}

    def finish(self):
        from ..model import Lesson
        from ..pipeline.outputs import TEXT_MARK
        from ..pipeline.writer import Written
        from .sheet import exercises_markdown
        episodes = []
        for rel in self.parts.sources:
            ep = self.parts.rebuilt.get(rel) or self.known.get(rel)
            if ep is not None:
                episodes.append(ep)
        lesson = Lesson(self.parts.root, self.parts.config, tuple(episodes))
        sheet = exercises_markdown(lesson).encode("utf-8") + b"\n" + TEXT_MARK + b"\n"
        return Written({"exercises.md": sheet})
