"""What every slide builder of one deck shares: the lesson and episode, the look (swapped for a
smaller text size while a builder tries one), the options, what was resolved before planning,
and the warnings."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Diagnostic
from ..model import Episode, Lesson
from .assets import Assets
from .look import Look
from .options import Options

SLIDE_WORDS = 36         # a teaching slide's words, read at a glance: more go on to the next
TASK_WORDS = 60          # an exercise's or the key points', read while working or recapping



@dataclass
class Context:
    lesson: Lesson
    episode: Episode
    look: Look
    options: Options
    assets: Assets = field(default_factory=Assets)
    diagnostics: list = field(default_factory=list)
    task: bool = False            # an exercise's task is being laid out

    @property
    def teaching(self) -> bool:
        return self.options.slides != "full"

    def words(self, kind: str = "content") -> int | None:
        """The most words a slide of `kind` takes (None: as many as fit)."""
        if not self.teaching:
            return None
        return SLIDE_WORDS if kind == "content" else TASK_WORDS

    def warn(self, message: str, line: int = 0):
        d = Diagnostic(self.episode.source, line, "warning", message)
        if d not in self.diagnostics:
            self.diagnostics.append(d)
