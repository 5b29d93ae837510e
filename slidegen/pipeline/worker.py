"""One episode's work, run in a worker process: read it, then let each writer asked for make its
files. Inputs and outputs are plain picklable data. A fault in one episode becomes diagnostics in
its outcome; it never stops the other episodes.
"""
from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field

from ..errors import Diagnostic, SlidegenError
from ..i18n import speaking
from ..model import Episode, Lesson
from ..read import LessonSource, read_one
from ..writer import Share
from . import manifest, outputs
from .cache import OutCache
from .outdir import DiskError


@dataclass(frozen=True)
class Job:
    path: str                 # absolute episode path
    rel: str
    stem: str
    writers: tuple[int, ...]  # indices into Settings.writers
    deps_before: tuple[str, ...] = ()    # what it was built from last time (hashed as it starts)
    share: tuple[int, int] | None = None  # (index, count): a share of its one writer's work
    quick: bool = False       # its writers start quickly (jobs.quick_apart)
    read: Read | None = None  # the episode as another job of it read it


@dataclass(frozen=True)
class Read:
    """An episode as one job read it, handed to its other jobs (not read again)."""
    episode: Episode
    deps: dict                # what it was read from, as Outcome.deps


@dataclass
class Settings:
    """What every job shares (picklable)."""
    source: LessonSource
    out: str
    writers: tuple            # every writer of the build, in report order
    claimed: frozenset = frozenset()     # outputs the manifest says slidegen wrote
    shares: str = ""                     # where shared jobs leave their work (a temporary folder)


@dataclass
class Outcome:
    rel: str
    stem: str
    episode: Episode | None = None
    diagnostics: list = field(default_factory=list)
    deps: dict = field(default_factory=dict)          # lesson-relative input -> sha256 as used
    written: dict = field(default_factory=dict)       # output rel -> sha256
    made: dict = field(default_factory=dict)          # writer index -> what it made
    note: str | None = None
    disk_error: str | None = None                     # OUT could not be written (and why)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.disk_error is not None or any(d.severity == "error" for d in self.diagnostics)


def run(job: Job, settings: Settings) -> Outcome:
    start = time.perf_counter()
    _settle_before_second_job()
    root = settings.source.root
    if job.read is None:       # (a reading handed over says what it was read from)
        began = manifest.job_clock(settings.out)
        before = manifest.deps_hashes(
            root, {job.rel, *settings.source.inputs(None, job.rel), *job.deps_before})
        before.update(settings.source.as_read)  # read before the job, by the build (the config)
    out = Outcome(job.rel, job.stem)
    deps: list = [job.rel]
    try:
        deps = _run(job, settings, out)
    except DiskError as e:
        out.disk_error = e.reason
    except SlidegenError as e:      # an output that may not be written (OUT's own rules)
        out.diagnostics.append(Diagnostic(job.rel, 0, "error", e.message))
    except Exception as e:          # a bug must not take the other episodes down
        out.diagnostics.append(Diagnostic(job.rel, 0, "error",
                                          f"internal error while building ({type(e).__name__}: "
                                          f"{e}); please report it"))
    # What the episode was built from, as it was when the job began (see hashes_as_used).
    out.deps = manifest.hashes_as_used(root, deps, before, began) if job.read is None else \
        dict(job.read.deps)
    out.seconds = time.perf_counter() - start
    return out


_RAN: dict[int, int] = {}            # process id -> jobs begun there


def settle() -> None:
    """Put what this process keeps for the whole build (modules, stylesheets, fonts, caches)
    out of the cyclic collector's sight. Its full collections would otherwise walk all of it
    again every few episodes (a tenth of a cold build); forked workers share those pages
    instead of copying them as it touches them."""
    gc.collect()
    gc.freeze()


def _settle_before_second_job() -> None:
    """Settle once a process has what its first episode loaded (a one-episode rebuild does not
    pay the collection)."""
    pid = os.getpid()
    _RAN[pid] = _RAN.get(pid, 0) + 1
    if _RAN[pid] == 2:
        settle()


def lost(job: Job, how: str) -> Outcome:
    """The outcome of a job whose worker process died."""
    return Outcome(job.rel, job.stem, diagnostics=[Diagnostic(
        job.rel, 0, "error", f"the process building it stopped: {how}; outputs it had not "
        "written yet keep their earlier version")])


def _run(job: Job, settings: Settings, out: Outcome) -> list:
    # (read by another job of the episode: what reading it said is in that job's outcome)
    episode, diags = (job.read.episode, []) if job.read else read_one(job.path, settings.source)
    out.diagnostics.extend(diags)
    deps = settings.source.inputs(episode, job.rel)
    if episode is None or out.failed:
        return deps
    out.episode = episode
    if episode.skipped:
        out.note = "skipped: " + ("redirects elsewhere" if episode.meta.redirect_to else "hidden")
    lesson = Lesson(settings.source.root, settings.source.lesson_config, (episode,))
    with speaking(lesson.config.speaks):         # every word a writer adds, in the lesson's
        _write(job, settings, out, lesson, episode)
    return deps


def _write(job: Job, settings: Settings, out: Outcome, lesson, episode) -> None:
    for i in job.writers:
        writer = settings.writers[i]
        cache = OutCache(settings.out)
        if job.share and getattr(writer, "share_above", None):
            share = Share(*job.share, settings.shares)
            result = writer.write_episode(lesson, episode, cache, share=share)
        else:
            result = writer.write_episode(lesson, episode, cache)
        out.written.update(cache.written)
        if result is None:
            continue
        out.diagnostics.extend(d for d in result.diagnostics if d not in out.diagnostics)
        if job.share and not result.description:    # another share completes the writer's work
            continue
        for rel, data in result.files.items():
            if rel not in writer.outputs(job.stem):
                raise ValueError(f"a writer made '{rel}', which is not one of its outputs")
            out.written[rel] = outputs.write_atomic(settings.out, rel, data, settings.claimed)
        out.made[i] = result.description
