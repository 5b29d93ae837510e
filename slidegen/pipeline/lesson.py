"""The lesson-level files (the whole-lesson handout, the answer key): begun while the workers
build episodes, finished from every episode's latest good reading, and not made again when
nothing they come from changed."""
from __future__ import annotations

import os
import pickle
from functools import partial

from ..errors import Diagnostic, SlidegenError
from ..i18n import speaking
from ..read import LessonSource, read_one
from ..writer import Aside, LessonParts
from . import depends, manifest, outputs
from .cache import OutCache
from .jobs import WORKER_MB, available_mb
from .outdir import DiskError

LESSON_FILE_LIMIT_S = 3600.0    # a lesson file made aside for longer is made here instead


class LessonOutputs:
    def __init__(self, source: LessonSource, out: str, writers, rebuilding: set[str],
                 claimed: frozenset = frozenset(), recorded: dict | None = None):
        self.out = out
        self.claimed = claimed
        self.writers = [w for w in writers if w.active and w.lesson_outputs()]
        paths = {_rel(source, p): p for p in source.episode_paths}
        self.parts = LessonParts(source.root, source.lesson_config, list(paths),
                                 frozenset(rebuilding),
                                 read=lambda rel: read_one(paths[rel], source)[0])
        self.cache = OutCache(out, recorded)      # parts as the manifest recorded them
        self.works: dict[int, object] = {}
        self.fresh: set[int] = set()        # writers whose files are up to date (not begun)
        self.done: list = []                # outcomes of episodes built well, as they end

    @property
    def wanted(self) -> list[str]:
        return [rel for w in self.writers for rel in w.lesson_outputs()]

    def read_ahead(self, rel: str, episode) -> None:
        """An episode as a worker read it, its outputs still being made (for what the lesson
        files can do before it ends: `parts.ahead`)."""
        self.parts.ahead[rel] = episode

    def built(self, outcome) -> None:
        """An episode's outputs are all made (told from the main thread as each ends)."""
        if not outcome.failed and outcome.episode is not None:
            self.done.append(outcome)

    def begin(self) -> None:
        """Start every writer's lesson files (in this process, while workers build): from the
        episodes not being rebuilt, and from those already rebuilt, whose cached parts the
        files take now rather than at the end of the build. Called again as workers end
        episodes, it hands the files begun the episodes built since."""
        taken = self._take_built()
        for i, writer in enumerate(self.writers):
            if i in self.fresh:
                continue
            work = self.works.get(i)
            try:
                with speaking(self.parts.config.speaks):
                    if work is None:
                        self.works[i] = writer.begin_lesson(self.parts, self.cache)
                    elif not isinstance(work, Exception) and hasattr(work, "take"):
                        for rel in taken:
                            work.take(rel)
            except Exception as e:        # reported when the files would be finished
                self.works[i] = e

    def _take_built(self) -> list[str]:
        """The episodes built well since the last call (their parts trusted as `finish` trusts
        them, by what the job wrote), no longer counted as being rebuilt."""
        done = [o for o in self.done if o.rel in self.parts.rebuilding]
        for o in done:
            self.cache.trusted.update(o.written)
            self.parts.rebuilt[o.rel] = o.episode
        self.parts.rebuilding = self.parts.rebuilding - {o.rel for o in done}
        return [o.rel for o in done]

    def expect(self, keys: dict, old, changing: set[str]) -> None:
        """Which writers' files look up to date before the episodes are built (`keys` from what
        the episodes were built from last time), but for the writers in `changing` (those an
        episode being rebuilt will likely change): those are not begun while the workers
        build. `finish` decides, from what they were built from now."""
        self.fresh = {i for i in self._up_to_date([keys], old)
                      if depends.name(self.writers[i]) not in changing}

    def _up_to_date(self, accepted: list[dict], old) -> set[int]:
        old = old if isinstance(old, dict) else {}
        before = old.get("writers") if isinstance(old.get("writers"), dict) else {}
        written = old.get("outputs") if isinstance(old.get("outputs"), dict) else {}
        return {i for i, w in enumerate(self.writers)
                if before.get(depends.name(w)) in [k[depends.name(w)] for k in accepted] and all(
                    rel in written and outputs.output_sha(self.out, rel) == written[rel]
                    for rel in w.lesson_outputs())}

    def finish(self, outcomes, episodes_state: dict, old, keys_of, force: bool,
               report) -> dict:
        """Write the lesson files that are not up to date; returns the manifest's lesson entry.
        `keys_of(failed)`: what each writer's files are made from now, with the episodes that
        failed (their last good versions in the files). Files made when every episode was good
        are up to date while one fails (they hold its last good version); files made while some
        failed are made again when those are good again."""
        old = old if isinstance(old, dict) else {}
        written_before = old.get("outputs") if isinstance(old.get("outputs"), dict) else {}
        made_from = dict(old.get("writers")) if isinstance(old.get("writers"), dict) else {}
        keys = keys_of(sorted(o.rel for o in outcomes if o.failed))
        self.fresh = set() if force else self._up_to_date([keys, keys_of([])], old)
        if len(self.fresh) == len(self.writers):
            return {"key": None, "outputs": written_before, "writers": made_from}
        # what this build's workers cached, as they wrote it
        self.cache.trusted.update(manifest.recorded({"lesson": {}, "episodes": episodes_state}))
        self.cache.trusted.update(self.cache.written)
        self.parts.rebuilt.update({o.rel: o.episode for o in outcomes
                                   if o.episode is not None and not o.failed})
        self.parts.failed.update(o.rel for o in outcomes if o.failed)
        self.begin()
        pending = [i for i in range(len(self.writers)) if i not in self.fresh]
        # every laid-out lesson file but the first made meanwhile by a forked process of its
        # own (the whole-lesson handout, the script and the answer key were made one after
        # another); the exercise sheet, put together in moments, is made here
        heavy = [i for i in pending if not getattr(self.writers[i], "keeps_episodes", False)
                 and not isinstance(self.works[i], Exception)]
        asides = {i: Aside(partial(self._made_aside, self.works[i]), LESSON_FILE_LIMIT_S)
                  for i in heavy[1:]} if _room_for(len(heavy)) else {}
        written: dict = {}
        try:
            for i in pending:
                writer = self.writers[i]
                made = self._finish(writer, self.works[i], report, asides.pop(i, None))
                # a file that could not be made is tried again next time
                made_from[depends.name(writer)] = keys[depends.name(writer)] \
                    if made is not None else None
                written.update(made or {})
        finally:                      # (a full disk stops the loop: the others are not waited for)
            for aside in asides.values():
                aside.stop()
        _recorded_with_episodes(self.cache.written, episodes_state)
        return {"key": None, "outputs": {**written_before, **written},
                "writers": {k: v for k, v in made_from.items() if v is not None}}

    def _made_aside(self, work) -> bytes:
        """A lesson file made in a forked process: its writer's result, and the parts it
        cached (an episode laid out again), for this process to record."""
        with speaking(self.parts.config.speaks):
            result = work.finish()
        return pickle.dumps((result, dict(self.cache.written)))

    def _made(self, aside):
        """What a forked process made (its cached parts recorded here), or None: then this
        process makes it, and reports what goes wrong."""
        data = aside.result() if aside else None
        if data is None:
            return None
        result, cached = pickle.loads(data)
        self.cache.written.update(cached)
        self.cache.trusted.update(cached)
        return result

    def _finish(self, writer, work, report, aside=None) -> dict[str, str] | None:
        where = writer.lesson_outputs()[0]
        try:
            if isinstance(work, Exception):
                raise work
            result = self._made(aside)
            if result is None:
                with speaking(self.parts.config.speaks):
                    result = work.finish()
        except DiskError:
            raise
        except SlidegenError as e:
            report.diagnostics.append(Diagnostic(e.path or where, e.line, "error",
                                                 f"whole-lesson outputs not written: {e.message}"))
            return None
        except Exception as e:      # a bug must not cost the per-episode outputs already written
            report.diagnostics.append(Diagnostic(where, 0, "error",
                                                 "whole-lesson outputs not written: internal error "
                                                 f"({type(e).__name__}: {e}); please report it"))
            return None
        report.diagnostics.extend(result.diagnostics)
        report.notes.extend(result.notes)
        written = {}
        for rel, data in result.files.items():
            if rel not in writer.lesson_outputs():
                raise ValueError(f"a writer made '{rel}', which is not one of its outputs")
            try:
                written[rel] = outputs.write_atomic(self.out, rel, data, self.claimed)
            except DiskError:
                raise
            except SlidegenError as e:       # not ours to replace, or a link planted meanwhile
                report.diagnostics.append(Diagnostic(rel, 0, "error", e.message))
                return None
            report.lesson_outputs.append(rel)
        return written


def _room_for(processes: int) -> bool:
    """Whether the free memory holds this many processes making lesson files at once (each
    as much as a worker may need)."""
    memory = available_mb()
    return memory is None or processes * WORKER_MB <= memory


def _recorded_with_episodes(written: dict[str, str], episodes_state: dict) -> None:
    """Parts cached here (an episode's pages laid out again) recorded under the episode whose
    parts they are, so that the next build trusts them."""
    for rel, digest in written.items():
        for entry in episodes_state.values():
            if rel in entry["outputs"]:
                entry["outputs"][rel] = digest


def _rel(source: LessonSource, path: str) -> str:
    return os.path.relpath(path, source.root).replace(os.sep, "/")
