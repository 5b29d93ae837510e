"""One episode's deck: plan its slides, render them, stamp reproducible document properties."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Episode, Lesson
from ..sourcedate import as_datetime, source_date_epoch
from ..theme import Theme
from .drawingml import text_language
from .frame import frame_of, template_warnings
from .look import Look
from .options import Options
from .plan import plan_deck
from .render import DeckWriter


@dataclass(frozen=True)
class DeckResult:
    slides: int
    hidden: int
    diagnostics: tuple


def source_date() -> dt.datetime:
    """The build's date as the naive UTC datetime the document properties take."""
    return as_datetime(source_date_epoch()).replace(tzinfo=None)


def write_deck(lesson: Lesson, episode: Episode, theme: Theme, target,
               options: Options | None = None) -> DeckResult:
    """Write one episode's deck to `target` (a path or a binary file object)."""
    plans, diagnostics = plan_deck(lesson, episode, theme, options)
    frame = frame_of(theme)
    writer = DeckWriter(theme, frame.width, frame.height, Look.of(theme, None).colours.link)
    with text_language(lesson.config.lang):
        for p in plans:
            writer.add(p)
    when = source_date()
    writer.save(target, {
        "title": episode.title, "subject": lesson.config.title, "author": lesson.config.title,
        "last_modified_by": "slidegen", "created": when, "modified": when, "revision": 1,
        "language": lesson.config.lang, "keywords": "Carpentries lesson slides",
    })
    return DeckResult(len(plans), sum(p.hidden for p in plans),
                      tuple(diagnostics) + tuple(template_warnings(theme)))
