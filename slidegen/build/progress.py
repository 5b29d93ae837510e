"""Build feedback: a progress bar on a terminal, plain lines otherwise, nothing with -q."""
from __future__ import annotations

import sys


class Progress:
    def __init__(self, total: int, quiet: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.total = total
        self._bar = None
        if not quiet and total and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, \
                TextColumn, TimeElapsedColumn
            self._bar = RichProgress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TextColumn("{task.description}"),
                                     console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("", total=total)

    def line(self, text: str) -> None:
        """A message that stays (above the bar on a terminal)."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)

    def advance(self, label: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=label)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
