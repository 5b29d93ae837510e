"""The exercises writer as the pipeline sees it: one lesson-level file, exercises.md.

Each built episode's exercises are kept in the build's cache (`keeps_episodes`), so after an
edit the sheet is put together from the cache instead of reading every other episode again."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar

from ..writer import TEXT_MARK, Written
from .sheet import episode_exercises, sheet


@dataclass(frozen=True)
class Exercises:
    active: bool = True
    noun: ClassVar[str] = ""
    keeps_episodes: ClassVar[bool] = True      # write_episode runs although it has no files
    quick_start: ClassVar[bool] = True         # nothing to warm up

    def outputs(self, stem: str) -> tuple[str, ...]:
        return ()

    def lesson_outputs(self) -> tuple[str, ...]:
        return ("exercises.md",)

    def warm_up(self) -> None:
        return None

    def write_episode(self, lesson, episode, cache):
        cache.put(_cached(episode.stem), _record(episode.title, episode_exercises(episode)))
        return None

    def begin_lesson(self, parts, cache):
        return _Sheet(parts, cache)


def _cached(stem: str) -> str:
    return f"exercises-{stem}.json"


def _record(title: str, markdown: str | None) -> bytes:
    return json.dumps({"title": title, "exercises": markdown}, sort_keys=True).encode()


def _from_cache(cache, stem: str) -> tuple[str, str | None] | None:
    """(title, markdown) an earlier build kept, or None when missing or damaged."""
    try:
        record = json.loads(cache.get(_cached(stem)) or b"null")
        title, markdown = record["title"], record["exercises"]
    except (ValueError, KeyError, TypeError):
        return None
    if isinstance(title, str) and (markdown is None or isinstance(markdown, str)):
        return title, markdown
    return None


class _Sheet:
    """exercises.md: the unchanged episodes' exercises from the cache (or read, when an earlier
    build did not keep them) while the workers build the others."""

    def __init__(self, parts, cache):
        self.parts, self.cache = parts, cache
        self.known: dict[str, tuple[str, str | None] | None] = {}
        for rel in parts.sources:
            if rel in parts.rebuilding:
                continue
            found = _from_cache(cache, parts.stem(rel))
            if found is None:
                found = _of(parts.episode(rel))
            self.known[rel] = found

    def finish(self):
        episodes = []
        for rel in self.parts.sources:
            if rel in self.parts.rebuilt:
                found = _of(self.parts.rebuilt[rel])
            elif rel in self.parts.failed:          # its last good exercises, when kept
                found = _from_cache(self.cache, self.parts.stem(rel))
            else:
                found = self.known.get(rel)
            if found is None and rel not in self.known and rel not in self.parts.failed:
                found = _of(self.parts.episode(rel))
            if found is not None:
                episodes.append(found)
        text = sheet(self.parts.config.title, episodes)
        return Written({"exercises.md": text.encode("utf-8") + b"\n" + TEXT_MARK + b"\n"})


def _of(episode) -> tuple[str, str | None] | None:
    return None if episode is None else (episode.title, episode_exercises(episode))
