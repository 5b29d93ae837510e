"""Every episode's place in the workshop, from its front matter alone.

The workshop's timetable (slidegen/schedule.py) needs every episode's minutes, while a build
reads in full only the episodes that changed; a deck's title slide and an instructor's script
still show the clock times of the whole lesson. Reading only the front matter makes that cheap.
The fields are read as the full reading reads them (meta.py), so both agree; an episode whose
front matter cannot be read (or has a field in error) is left out here, and its own build
reports why.
"""
from __future__ import annotations

import os

from ..errors import Diagnostics, SlidegenError
from ..model import Episode, EpisodeMeta
from .meta import _first
from .metadata import FrontMatter, load_yaml, split_front_matter
from .text import read_text


def summary(path: str, root: str) -> Episode | None:
    """A body-less episode with the metadata a timetable needs, or None."""
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    try:
        fm_text, fm_line, _, _ = split_front_matter(read_text(path, rel))
        if fm_text is None:
            return None
        data, lines = load_yaml(fm_text, rel, fm_line)
    except (SlidegenError, OSError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    diags = Diagnostics(rel)
    fm = FrontMatter(data, lines, diags, 1)
    meta = EpisodeMeta(
        title=fm.text("title") or os.path.splitext(os.path.basename(rel))[0],
        teaching=fm.minutes("teaching"), exercises=fm.minutes("exercises"),
        layout=fm.text("layout"), break_minutes=fm.minutes("break"), hidden=fm.flag("hidden"),
        redirect_to=_first(data.get("redirect_to")))
    # a field in error ('teaching: ten') fails the episode's build: its minutes are not known
    return None if diags.has_errors else Episode(rel, meta, ())


def summaries(paths, root: str) -> list[Episode]:
    return [e for e in (summary(p, root) for p in paths) if e is not None]
