"""The handout writers as the pipeline sees them: `Handouts` (handouts/STEM.pdf per episode and
handout.pdf for the lesson) and `AnswerKey` (answer-key.pdf).

An episode's learner pages are laid out once and kept in the cache (STEM.pdf, and STEM.json with
the page count, the bookmarks and what the front pages need of the episode), so the whole-lesson
handout of a rebuild neither lays out nor reads the episodes that did not change.
"""
from __future__ import annotations

import io
import json
from contextlib import suppress
from dataclasses import dataclass
from typing import ClassVar

from ..errors import Diagnostic
from ..model import Episode, EpisodeMeta, Lesson
from ..theme import load_theme
from ..writer import LessonParts, Written, counted
from .largeprint import large_print
from .options import HandoutOptions, RenderedEpisode, refuse_with_failed
from .parts import SHARE_ABOVE


def _engine():
    """files.py, which lays pages out and joins them, with WeasyPrint and pikepdf (half a
    second to import): loaded by the processes that make handouts, not by every build that
    names this writer (`--only slides`)."""
    from . import files
    return files


@dataclass(frozen=True)
class Handouts:
    active: bool = True
    theme: str | None = None          # a built-in theme's name or a theme folder
    allow_remote: bool = False
    noun: ClassVar[str] = "handout"
    folder: ClassVar[str] = ""        # where in OUT its files go
    large_print: ClassVar[bool] = False
    share_above: ClassVar[int] = SHARE_ABOVE    # bytes of source: laid out by several workers

    def outputs(self, stem: str) -> tuple[str, ...]:
        return (f"{self.folder}handouts/{stem}.pdf",)

    def lesson_outputs(self) -> tuple[str, ...]:
        return (f"{self.folder}handout.pdf",)

    def cached(self, stem: str, ext: str) -> str:
        """The name of an episode's laid-out pages (pdf) or summary (json) in the cache."""
        return f"{'large-print-' if self.large_print else ''}{stem}.{ext}"

    def load_theme(self):
        theme = load_theme(self.theme)
        return large_print(theme) if self.large_print else theme

    def warm_up(self) -> None:
        _engine().warm_up(self.load_theme())

    def write_episode(self, lesson, episode, cache, share=None):
        engine = _engine()
        if episode.is_break or episode.skipped:   # the schedule shows a break; no pages of its own
            cache.put(self.cached(episode.stem, "json"), _record(episode, None))
            return None
        theme, options = self.load_theme(), _options(self, cache)
        if share is None:
            rendered = engine.render_episode(lesson, episode, theme, options)
        else:
            rendered, mine = engine.render_share(lesson, episode, theme, options, share)
            if rendered is None:              # another share joins the parts
                return Written({}, list(mine), "")
        record = _record(episode, rendered)
        cache.put(self.cached(episode.stem, "pdf"), rendered.pdf)
        cache.put(self.cached(episode.stem, "json"), record)
        pdf = engine.episode_pdf(rendered, lesson, episode, theme, options, record.decode())
        return Written({self.outputs(episode.stem)[0]: pdf}, list(rendered.diagnostics),
                       f"{self.noun} {counted(rendered.pages, 'page')}")

    def begin_lesson(self, parts, cache):
        return _WholeLesson(self, parts, cache)


@dataclass(frozen=True)
class LargePrintHandouts(Handouts):
    """The learner handouts again, in large print (largeprint.py), in OUT/large-print/."""
    noun: ClassVar[str] = "large-print handout"
    folder: ClassVar[str] = "large-print/"
    large_print: ClassVar[bool] = True


@dataclass(frozen=True)
class AnswerKey:
    active: bool = True
    theme: str | None = None
    allow_remote: bool = False
    noun: ClassVar[str] = ""

    def outputs(self, stem: str) -> tuple[str, ...]:
        return ()

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("answer-key.pdf",)

    def warm_up(self) -> None:
        Handouts(theme=self.theme).warm_up()

    def write_episode(self, lesson, episode, cache):
        return None

    def begin_lesson(self, parts, cache):
        return _AnswerKey(self, parts, cache)


def _options(writer, cache):
    return HandoutOptions(allow_remote=writer.allow_remote, cache_dir=cache.scratch)


class _WholeLesson:
    """handout.pdf: the cached pages of unchanged episodes are joined while the workers build
    the others, whose pages are added when they are done. An episode that failed in this build
    keeps its last good pages; one whose cached pages are missing or damaged is laid out again
    here (the cache only saves time: it never decides what the handout contains)."""

    def __init__(self, writer: Handouts, parts, cache):
        engine = _engine()
        self.writer, self.parts, self.cache = writer, parts, cache
        self.theme, self.options = writer.load_theme(), _options(writer, cache)
        self.assembly = engine.LessonAssembly(parts.sources, self.theme, self.options)
        engine.prepare(self.theme)
        self.episodes: dict[str, Episode | None] = {}
        self.front_ahead = False
        for rel in parts.sources:
            if rel in parts.rebuilding:
                continue
            episode, rendered = _cached(cache, rel, writer)
            if episode is None:
                episode = parts.episode(rel)
                if episode is not None and not (episode.is_break or episode.skipped):
                    rendered = _rendered(cache, episode.stem, writer)
            self.episodes[rel] = episode
            if rendered is not None and not (episode.is_break or episode.skipped):
                self.assembly.add(rel, rendered)

    def take(self, rel: str) -> None:
        """An episode this build made: its cached pages join the handout now."""
        episode = self.parts.rebuilt.get(rel)
        if episode is None or _untaught(episode) or rel in self.assembly.rendered:
            return
        rendered = _rendered(self.cache, episode.stem, self.writer)
        if rendered is not None:          # (else `finish` lays it out again)
            self.assembly.add(rel, rendered)
            self._front_ahead()

    def _front_ahead(self) -> None:
        """The front pages laid out while a worker makes the lesson's last episode, once every
        other is in (the jobs run it last when it is small): what they show depends on every
        episode's model and on every page count but its (LessonAssembly.front_ahead)."""
        if self.front_ahead or not self.options.cache_dir:
            return
        known = {**self.parts.ahead, **self.episodes}
        if any(rel not in known and rel not in self.parts.rebuilt for rel in self.parts.sources):
            return                          # (not read yet: nothing is read here)
        models = self.parts.in_order(known)
        taught = [ep for ep in models if not _untaught(ep)]
        missing = [ep for ep in taught if ep.source not in self.assembly.rendered]
        if len(missing) != 1 or missing[0] is not taught[-1]:
            return
        self.front_ahead = True
        with suppress(Exception):   # (laid out again, and any error told, when the file is made)
            self.assembly.front_ahead(Lesson(self.parts.root, self.parts.config,
                                             tuple(models)), missing[0])

    def finish(self):
        kept = {}
        for rel in self.parts.failed:     # last good version: from the cache, else its handout
            episode, rendered = _cached(self.cache, rel, self.writer)
            if episode is None:
                episode, rendered = _from_handout(self.cache, rel, self.writer)
                kept[rel] = rendered
            self.episodes[rel] = episode
        episodes = self.parts.in_order(self.episodes)
        diagnostics, notes = [], []
        for ep in episodes:
            if ep.skipped or ep.is_break or ep.source in self.assembly.rendered:
                continue              # breaks appear in the schedule, from the lesson model
            rendered = kept.get(ep.source) or _rendered(self.cache, ep.stem, self.writer)
            if ep.source in self.parts.failed and rendered is not None:
                notes.append(f"{self.name} has the last good pages of {ep.source}")
            elif rendered is None and ep.source not in self.parts.failed:
                rendered = self._lay_out_again(ep)
            if rendered is not None:
                self.assembly.add(ep.source, rendered)
        for rel in sorted(self.parts.failed):
            if rel not in self.assembly.rendered and not _untaught(self.episodes.get(rel)):
                diagnostics.append(_left_out(rel, self.name))
        lesson = Lesson(self.parts.root, self.parts.config, tuple(episodes))
        return Written({self.name: self.assembly.pdf(lesson)}, diagnostics, notes=notes)

    @property
    def name(self) -> str:
        return self.writer.lesson_outputs()[0]

    def _lay_out_again(self, ep: Episode):
        """An unchanged episode whose cached pages are gone: read it and lay it out now."""
        if not ep.blocks:                      # a body-less summary from the cache
            ep = self.parts.episode(ep.source)
            if ep is None:
                return None
        lesson = Lesson(self.parts.root, self.parts.config, (ep,))
        rendered = _engine().render_episode(lesson, ep, self.theme, self.options)
        self.cache.put(self.writer.cached(ep.stem, "pdf"), rendered.pdf)
        self.cache.put(self.writer.cached(ep.stem, "json"), _record(ep, rendered))
        return rendered


def _untaught(episode) -> bool:
    return episode is not None and (episode.is_break or episode.skipped)


def _left_out(rel: str, name: str):
    return Diagnostic(rel, 0, "warning", f"left out of {name}: it has errors, and no earlier "
                                         "good pages of it are kept")


class _AnswerKey:
    """answer-key.pdf needs every exercise, so every episode's whole model: the unchanged ones
    are read while the workers build the others."""

    def __init__(self, writer: AnswerKey, parts, cache):
        self.parts = parts
        self.theme, self.options = load_theme(writer.theme), _options(writer, cache)
        self.episodes = parts.unchanged()

    def finish(self):
        refuse_with_failed(self.parts, "answer-key.pdf")
        lesson = Lesson(self.parts.root, self.parts.config,
                        tuple(self.parts.in_order(self.episodes)))
        return Written({"answer-key.pdf": _engine().answer_key_pdf(lesson, self.theme,
                                                                   self.options)})


# -- the cache -------------------------------------------------------------------------------

def _record(episode: Episode, rendered) -> bytes:
    m = episode.meta
    record = {"episode": {"title": m.title, "teaching": m.teaching, "exercises": m.exercises,
                          "layout": m.layout, "break": m.break_minutes, "hidden": m.hidden,
                          "redirect_to": m.redirect_to}}
    if rendered is not None:
        record.update(pages=rendered.pages, outline=[list(o) for o in rendered.outline])
    return json.dumps(record, sort_keys=True).encode()


def _cached(cache, rel: str, writer: Handouts):
    """(a body-less episode, its laid-out pages or None) from the cache, or (None, None)."""
    stem = LessonParts.stem(rel)
    try:
        record = json.loads(cache.get(writer.cached(stem, "json")) or b"null")
        episode = _episode(rel, record["episode"])
    except (ValueError, KeyError, TypeError):
        return None, None
    if episode is None:
        return None, None
    return episode, (None if episode.is_break or episode.skipped
                     else _rendered(cache, stem, writer))


def _rendered(cache, stem: str, writer: Handouts):
    """The RenderedEpisode an earlier build cached for this episode, or None."""
    return kept_part(cache.get(writer.cached(stem, "pdf")), cache.get(writer.cached(stem, "json")))


def kept_part(pdf: bytes | None, record: bytes | None):
    """A RenderedEpisode of laid-out pages and their summary (page count and bookmarks) as a
    cache keeps them, or None when either is missing, damaged or they disagree."""
    try:
        meta = json.loads(record or b"null")
        outline = tuple((int(a), str(b), int(c)) for a, b, c in meta["outline"])
        pages = int(meta["pages"])
    except (ValueError, KeyError, TypeError):
        return None
    if pdf is None or _page_count(pdf) != pages:      # missing, truncated or damaged
        return None
    return RenderedEpisode(pdf, pages, outline, ())


def _from_handout(cache, rel: str, writer: Handouts):
    """(a body-less episode, its pages) from the episode's own handout as an earlier build
    wrote it (the last good pages when the cache is gone), or (None, None)."""
    data = cache.output(writer.outputs(LessonParts.stem(rel))[0])
    found = _engine().part_of_handout(data) if data else None
    if found is None:
        return None, None
    try:
        episode = _episode(rel, json.loads(found[0])["episode"])
    except (ValueError, KeyError, TypeError):
        return None, None
    rendered = kept_part(found[1], found[0].encode())
    return (episode, rendered) if episode is not None and rendered is not None else (None, None)


def _page_count(pdf: bytes) -> int | None:
    import pikepdf  # (a twentieth of a second; only a build with cached pages asks)
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return len(doc.pages)
    except Exception:            # pikepdf raises several kinds on damaged files
        return None


def _episode(rel: str, summary) -> Episode | None:
    """A body-less episode from its cached summary (a damaged one just means a re-read)."""
    if not isinstance(summary, dict) or not isinstance(summary.get("title"), str):
        return None

    def minutes(key):
        v = summary.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None
    redirect = summary.get("redirect_to")
    layout = summary.get("layout")
    meta = EpisodeMeta(title=summary["title"], teaching=minutes("teaching"),
                       exercises=minutes("exercises"),
                       layout=layout if isinstance(layout, str) else None,
                       break_minutes=minutes("break"), hidden=summary.get("hidden") is True,
                       redirect_to=redirect if isinstance(redirect, str) else None)
    return Episode(rel, meta, ())
