"""What a build tells its caller: a listener it calls while it works, and the report it returns.
Nothing here prints; the command line shows both."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..writer import counted


def _ignore(*_args) -> None:
    pass


@dataclass
class Listener:
    """Callbacks for progress: how many tasks will run, each one that finished (its episode),
    a line about each episode's outputs, and the end of the episode work; `waiting(out)`
    when another build holds OUT (this one waits for it); and `reason(episode, why)`, why each
    episode is built again or is up to date."""
    started: Callable[[int], None] = _ignore
    advanced: Callable[[str], None] = _ignore
    built: Callable[[str], None] = _ignore
    stopped: Callable[[], None] = _ignore
    waiting: Callable[[str], None] = _ignore
    reason: Callable[[str, str], None] = _ignore     # (episode, why it is built or not)


class Interrupted(KeyboardInterrupt):
    """A build stopped by Ctrl-C (or SIGINT), after recording what it finished: the episodes
    whose outputs were written, how many were not built, and whether lesson files (handout.pdf)
    were left as they were."""

    def __init__(self, kept: list, not_built: int, lesson_files: bool):
        super().__init__()
        self.kept, self.not_built, self.lesson_files = kept, not_built, lesson_files

    def __str__(self) -> str:
        if not self.kept:
            said = "nothing was written: every output keeps its earlier version"
        else:
            n = len(self.kept)
            said = (f"the new outputs of {n} episode{'s' * (n != 1)} were written and are kept "
                    f"({', '.join(self.kept[:3])}{', …' if n > 3 else ''})")
            if self.not_built:
                said += (f"; {self.not_built} episode{'s' * (self.not_built != 1)} not built "
                         "keep their earlier outputs")
        if self.lesson_files:
            said += "; the lesson's own files (handout.pdf …) keep their earlier versions"
        return f"interrupted: {said}. The next build makes the rest."


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
    failed_made: dict = field(default_factory=dict)    # noun -> made by episodes that failed
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
        n = counted
        parts = ["built " + ", ".join(n(count, noun) for noun, count in self.built.items())]
        if self.lesson_outputs:
            parts[0] += " + " + ", ".join(self.lesson_outputs)
        if self.left_alone:
            kept = " left as it was" if len(self.left_alone) == 1 else " left as they were"
            parts.append(", ".join(self.left_alone) + kept + " (one episode built)")
        parts.append(f"{self.up_to_date} up to date")
        parts.append(n(self.warnings, "warning") + (
            f" ({self.earlier_warnings} more in episodes not rebuilt: 'slidegen check' lists them)"
            if self.earlier_warnings else ""))
        parts.append(n(self.errors, "error"))
        return "; ".join(parts[:-1]) + f"; {parts[-1]} in {self.seconds:.1f} s"

    def failure(self) -> str:
        """The line about failed episodes: what they wrote before failing, and what was kept."""
        n = len(self.failed)
        names = ", ".join(self.failed)
        if not self.failed_made:
            return (f"{counted(n, 'episode')} failed and kept {'its' if n == 1 else 'their'} "
                    f"earlier outputs: {names}")
        made = ", ".join(counted(c, noun) for noun, c in self.failed_made.items())
        return (f"{counted(n, 'episode')} failed: {names}; {made} written before the failure, "
                f"{'its' if n == 1 else 'their'} other outputs keep their earlier versions")
