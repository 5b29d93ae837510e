"""What a handout render is asked for and what it hands back to the build.

`RenderedEpisode` is plain data (bytes and tuples) so that the build can cache it on disk and
assemble the whole-lesson PDF later without laying the episode out again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import SlidegenError
from ..sourcedate import as_datetime, source_date_epoch


class HandoutError(SlidegenError):
    """A handout cannot be laid out (a theme template or renderer failure)."""


def refuse_with_failed(parts, name: str) -> None:
    """A lesson file made from every episode's whole text, which only a good reading has,
    keeps its earlier version while an episode has errors."""
    if parts.failed:
        raise HandoutError(f"{name} keeps its earlier version, as "
                           + ", ".join(sorted(parts.failed)) + " has errors")


@dataclass(frozen=True)
class HandoutOptions:
    allow_remote: bool = False
    # for reproducible output; default: env SOURCE_DATE_EPOCH or 0
    source_date_epoch: int | None = None
    cache_dir: str | None = None           # where small layouts may be kept between builds

    @property
    def epoch(self) -> int:
        """The timestamp written into every PDF, so identical input gives identical bytes."""
        if self.source_date_epoch is not None:
            return max(int(self.source_date_epoch), 0)
        return source_date_epoch()

    @property
    def date(self) -> datetime:
        return as_datetime(self.epoch)


@dataclass(frozen=True)
class RenderedEpisode:
    pdf: bytes                  # the episode's pages WITHOUT page numbers (cached by the build)
    pages: int
    outline: tuple              # (level, title, page_index) for the episode title and its sections
    diagnostics: tuple          # errors.Diagnostic warnings (placeholders, math that failed …)
