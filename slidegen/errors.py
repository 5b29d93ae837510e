"""Errors and diagnostics that name a file and a line.

Library code raises `SlidegenError` (fatal for one episode or one command) or records a
`Diagnostic` (a finding that does not stop the work). Only the CLI prints them.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

# How a message relayed from an outside renderer starts (see `without_echoes`).
RENDERER = "PDF renderer: "
_FILE_URL = re.compile(r"file://[^/\s\"']*(/[^\s\"']+)")    # the host is the fetcher's
_QUOTED = re.compile(r"'([^'\s]+)'")


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: str        # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class SlidegenError(Exception):
    """An error the user can fix, located at path:line."""

    def __init__(self, message: str, path: str = "", line: int = 0):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path, self.line, "error", self.message)

    def __str__(self) -> str:
        return str(self.diagnostic()) if self.path else self.message


class LessonNotFound(SlidegenError):
    """The path given is not a lesson directory nor an episode file."""


class EpisodeError(SlidegenError):
    """An episode cannot be read; the other episodes go on."""


class ThemeError(SlidegenError):
    """A theme is missing or broken."""


class Diagnostics:
    """Collects findings for one file, de-duplicated, in source order."""

    def __init__(self, path: str):
        self.path = path
        self._items: dict[tuple, Diagnostic] = {}

    def add(self, severity: str, message: str, line: int = 0, path: str | None = None) -> None:
        d = Diagnostic(path or self.path, line, severity, message)
        self._items.setdefault((d.path, d.line, d.message), d)

    def error(self, message: str, line: int = 0, path: str | None = None) -> None:
        self.add("error", message, line, path)

    def warning(self, message: str, line: int = 0, path: str | None = None) -> None:
        self.add("warning", message, line, path)

    def extend(self, items) -> None:
        for d in items:
            self._items.setdefault((d.path, d.line, d.message), d)

    @property
    def items(self) -> list[Diagnostic]:
        return sorted(self._items.values(), key=lambda d: (d.path, d.line))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self._items.values())


def without_echoes(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics without a renderer's message about a file that one of slidegen's own
    already names (an image without alt text is reported once, by slidegen, at its line)."""
    named = set()
    for d in diagnostics:
        if not d.message.startswith(RENDERER):
            here = posixpath.dirname(d.path)
            for quoted in _QUOTED.findall(d.message):
                name = posixpath.normpath(posixpath.join(here, unquote(quoted))).lstrip("/")
                if name and not name.startswith(".."):
                    named.add("/" + name)

    def echoes(d: Diagnostic) -> bool:
        return d.message.startswith(RENDERER) and any(
            _same_file(unquote(url), name) for url in _FILE_URL.findall(d.message)
            for name in named)
    return [d for d in diagnostics if not echoes(d)]


def _same_file(url_path: str, name: str) -> bool:
    """Whether a renderer's file URL path (absolute, or from the lesson's root under the
    fetcher's host) and a path slidegen named (from its episode's path) are one file."""
    return url_path.endswith(name) or name.endswith(url_path)
