"""What each output is made from besides its episode's files, as the manifest records it: a key
per writer, so that a build makes again only the outputs whose inputs changed. An episode's
files depend on their writer's settings and, for a writer that shows them, the episode's own
clock times (not every episode's minutes, nor the other writers of the build); the lesson's
files on every episode and the whole timetable. The manifest also keeps each episode's last
good front matter, so that an episode with errors keeps its place in the timetable and does
not move the clock times of the others."""
from __future__ import annotations

import os

from ..model import Episode, EpisodeMeta
from ..read.summary import summary
from ..workshop.schedule import shown
from ..writer import identity
from . import manifest


def name(writer) -> str:
    """How the manifest names a writer (its kind: one of each in a build)."""
    return type(writer).__name__


def episode_writers(writers, stem: str) -> tuple[int, ...]:
    """The writers that work on an episode: those with files of their own, and those that keep
    something of each episode for the lesson's files (the exercises sheet's)."""
    return tuple(i for i, w in enumerate(writers) if w.active and (
        w.outputs(stem) or getattr(w, "keeps_episodes", False)))


def writer_keys(writers, timetable, rel: str, stem: str) -> dict[str, str]:
    """Per writer that works on the episode, the key of its settings and, when its files show
    them, the episode's clock times."""
    keys = {}
    for i in episode_writers(writers, stem):
        w = writers[i]
        times = shown(timetable, rel) if timetable is not None and \
            getattr(w, "shows_clock", False) else None
        keys[name(w)] = manifest.key(identity(w), times)
    return keys


def lesson_keys(writers, common: str, schedule, sources, episodes: dict,
                failed=()) -> dict[str, str]:
    """Per lesson-level writer, the key of all it is made from: the build's common parts, the
    whole timetable, the episodes in order with what each was (last) built from, its settings,
    and the episodes whose last good version it holds as they failed."""
    built_from = [[rel, (episodes.get(rel) or {}).get("deps")] for rel in sources]
    return {name(w): manifest.key(common, schedule, built_from, identity(w), w.lesson_outputs(),
                                  *([list(failed)] if failed else []))
            for w in writers}


def summary_of(episode: Episode | None) -> dict | None:
    """What the timetable needs of an episode that built, for when it has errors later."""
    if episode is None:
        return None
    m = episode.meta
    return {"title": m.title, "teaching": m.teaching, "exercises": m.exercises,
            "layout": m.layout, "break": m.break_minutes, "hidden": m.hidden,
            "redirect_to": m.redirect_to}


def timetable_episodes(paths, root: str, state: dict) -> list[Episode]:
    """Every episode's front matter for the timetable; an episode whose front matter has
    errors now takes its place from its last good build (its outputs keep showing those times,
    and the others' times do not move because of it)."""
    found = []
    for path in paths:
        episode = summary(path, root)
        if episode is None:
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            entry = state.get("episodes", {}).get(rel)
            episode = _from_summary(rel, entry.get("summary") if entry else None)
        if episode is not None:
            found.append(episode)
    return found


def _from_summary(rel: str, record) -> Episode | None:
    if not manifest.summary_valid(record) or not record:
        return None
    meta = EpisodeMeta(title=record.get("title") or rel, teaching=record.get("teaching"),
                       exercises=record.get("exercises"), layout=record.get("layout"),
                       break_minutes=record.get("break"), hidden=bool(record.get("hidden")),
                       redirect_to=record.get("redirect_to"))
    return Episode(rel, meta, ())
