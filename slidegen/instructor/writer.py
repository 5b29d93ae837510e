"""The instructor's script as the pipeline sees it: instructor/STEM.pdf per taught episode,
and instructor.pdf for the whole lesson.

An episode's script pages are laid out once, when the episode is built, and kept in the cache
(script-STEM.pdf, and script-STEM.json with its page count and bookmarks), so instructor.pdf
joins the kept parts: an edit lays out the edited episode's script, not the lesson's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar

from ..errors import Diagnostics
from ..handout.options import HandoutOptions, RenderedEpisode, refuse_with_failed
from ..handout.writer import Handouts, kept_part
from ..i18n import t
from ..model import Lesson
from ..pptx.options import Options
from ..pptx.writer import Decks
from ..theme import load_theme
from ..writer import LessonParts, Written


def _engine():
    """script.py: the deck's planner and the handout engine (WeasyPrint, half a second to
    import), loaded by the processes that write scripts."""
    from . import script
    return script


@dataclass(frozen=True)
class Instructor:
    active: bool = True
    theme: str | None = None
    allow_remote: bool = False
    slides: str = "teaching"          # the decks' mode: the script follows them slide for slide
    noun: ClassVar[str] = "script"
    shows_clock: ClassVar[bool] = True     # its episode's clock times (schedule.shown)

    @property
    def variant(self) -> str:
        """What else than the inputs decides the outputs: a manifest records it."""
        return f"slides={self.slides}"

    def outputs(self, stem: str) -> tuple[str, ...]:
        return (f"instructor/{stem}.pdf",)

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("instructor.pdf",)

    def warm_up(self) -> None:
        Decks(theme=self.theme).warm_up()          # the script follows the deck's plan
        Handouts(theme=self.theme).warm_up()

    def write_episode(self, lesson, episode, cache):
        if episode.is_break or episode.skipped:
            cache.put(_cached(episode.stem, "json"), _record(None))
            return None
        part = _lay_out(self, lesson, episode, cache)
        pdf = _engine().script_file(lesson, [part], load_theme(self.theme),
                                    _options(self, cache), _title(episode.title))
        return Written({self.outputs(episode.stem)[0]: pdf}, [], "script")

    def begin_lesson(self, parts, cache):
        return _WholeScript(self, parts, cache)


def _lay_out(writer: Instructor, lesson, episode, cache) -> RenderedEpisode:
    """Lay out one taught episode's script pages and keep them for instructor.pdf."""
    part = _engine().script_part(lesson, episode, load_theme(writer.theme),
                                 _options(writer, cache), Diagnostics(episode.source),
                                 _deck(writer))
    cache.put(_cached(episode.stem, "pdf"), part.pdf)
    cache.put(_cached(episode.stem, "json"), _record(part))
    return part


def _title(name: str) -> str:
    return t("Instructor's script") + f" – {name}"


def _deck(writer) -> Options:
    """The options the decks are built with."""
    return Options(writer.allow_remote, writer.slides)


def _options(writer, cache):
    return HandoutOptions(allow_remote=writer.allow_remote, cache_dir=cache.scratch)


class _WholeScript:
    """instructor.pdf: every taught episode's kept script pages, joined. An episode whose kept
    pages are missing or damaged is read and laid out again here (the cache only saves time)."""

    def __init__(self, writer: Instructor, parts, cache):
        self.writer, self.parts, self.cache = writer, parts, cache
        self.known = {rel: _kept(cache, rel) for rel in parts.sources
                      if rel not in parts.rebuilding}

    def finish(self):
        refuse_with_failed(self.parts, "instructor.pdf")
        laid: list[RenderedEpisode] = []
        for rel in self.parts.sources:
            kept = _kept(self.cache, rel) if rel in self.parts.rebuilt else self.known.get(rel)
            if kept is None:
                episode = self.parts.episode(rel)
                if episode is None:        # cannot be read: left out, as before
                    continue
                if not (episode.is_break or episode.skipped):
                    lesson = Lesson(self.parts.root, self.parts.config, (episode,))
                    laid.append(_lay_out(self.writer, lesson, episode, self.cache))
            elif kept is not _UNTAUGHT:
                laid.append(kept)
        lesson = Lesson(self.parts.root, self.parts.config, ())
        engine, theme = _engine(), load_theme(self.writer.theme)
        options, title = _options(self.writer, self.cache), _title(lesson.config.title)
        if not laid:
            pdf = engine.script_pdf(lesson, [], theme, options, title,
                                    Diagnostics("instructor.pdf"), _deck(self.writer))
        else:
            pdf = engine.script_file(lesson, laid, theme, options, title)
        return Written({"instructor.pdf": pdf})


# -- the cache -------------------------------------------------------------------------------

_UNTAUGHT = RenderedEpisode(b"", 0, (), ())      # a kept record of a break or untaught page


def _cached(stem: str, ext: str) -> str:
    return f"script-{stem}.{ext}"


def _record(part: RenderedEpisode | None) -> bytes:
    if part is None:
        return json.dumps({"taught": False}).encode()
    return json.dumps({"taught": True, "pages": part.pages,
                       "outline": [list(o) for o in part.outline]}, sort_keys=True).encode()


def _kept(cache, rel: str):
    """An episode's kept script pages, `_UNTAUGHT`, or None (not kept, or damaged)."""
    stem = LessonParts.stem(rel)
    record = cache.get(_cached(stem, "json"))
    try:
        if json.loads(record or b"null")["taught"] is False:
            return _UNTAUGHT
    except (ValueError, KeyError, TypeError):
        return None
    return kept_part(cache.get(_cached(stem, "pdf")), record)
