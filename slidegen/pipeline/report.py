"""What a build tells its caller: a listener it calls while it works, and the report it returns.
Nothing here prints; the command line shows both."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def _ignore(*_args) -> None:
    pass


@dataclass
class Listener:
    """Callbacks for progress: how many tasks will run, each one that finished (its episode),
    a line about each episode's outputs, and the end of the episode work; and `waiting(out)`
    when another build holds OUT (this one waits for it)."""
    started: Callable[[int], None] = _ignore
    advanced: Callable[[str], None] = _ignore
    built: Callable[[str], None] = _ignore
    stopped: Callable[[], None] = _ignore
    waiting: Callable[[str], None] = _ignore


@dataclass
class BuildReport:
    out: str
    built: dict = field(default_factory=dict)          # writer noun ("deck") -> episodes made
    up_to_date: int = 0
    lesson_outputs: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    reading: list = field(default_factory=list)        # where the lesson was read from, once
    notes: list = field(default_factory=list)          # what was kept or left alone, and why
    left_alone: list = field(default_factory=list)     # lesson files a one-episode build keeps
    seconds: float = 0.0
    earlier_warnings: int = 0      # of the episodes not rebuilt, reported when they were built

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)

    def summary(self) -> str:
        def n(count, word):
            return f"{count} {word}{'' if count == 1 else 's'}"
        parts = ["built " + ", ".join(n(count, noun) for noun, count in self.built.items())]
        if self.lesson_outputs:
            parts[0] += " + " + ", ".join(self.lesson_outputs)
        if self.left_alone:
            parts.append(", ".join(self.left_alone) + " left as it was (one episode built)")
        parts.append(f"{self.up_to_date} up to date")
        parts.append(n(self.warnings, "warning") + (
            f" ({self.earlier_warnings} more in episodes not rebuilt: 'slidegen check' lists them)"
            if self.earlier_warnings else ""))
        parts.append(n(self.errors, "error"))
        return "; ".join(parts[:-1]) + f"; {parts[-1]} in {self.seconds:.1f} s"
