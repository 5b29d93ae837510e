"""The one interface between the pipeline and an output format, below both.

A writer says which files an episode gets and which the whole lesson gets, makes an episode's
files from the model, and puts the lesson-level files together. Between builds it keeps what it
likes in the `Cache` the pipeline hands it. The pipeline knows nothing else of a writer: it
decides what is out of date, runs writers in worker processes, writes their files atomically,
records them in the manifest and removes them when their episode goes. Neither side imports the
other: both import this module.

Writers are sent to worker processes, so they hold only plain settings (a theme name, flags).
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .errors import Diagnostic
from .model import Episode, Lesson, LessonConfig

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# The last line of every text file a writer makes (exercises.md): how a later build knows the
# file is slidegen's to replace, and not one a person wrote in its place.
TEXT_MARK = b"<!-- written by slidegen; the next build replaces it -->"


def counted(count: int, noun: str) -> str:
    """'1 slide', '3 slides': the progress and summary lines' counts (in English, as every
    message slidegen prints to the terminal is)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass
class Written:
    """What a writer made of one episode, or of the lesson."""
    files: dict[str, bytes] = field(default_factory=dict)    # OUT-relative path -> content
    diagnostics: list[Diagnostic] = field(default_factory=list)
    description: str = ""            # for the progress line: "deck 12 slides (1 hidden)"
    notes: list[str] = field(default_factory=list)    # what the summary should say (what was kept)


@dataclass(frozen=True)
class Share:
    """This job is one of `count` laying out the same long episode side by side (a writer that
    says `share_above`); `folder` is where they leave their work for the last one to finish."""
    index: int
    count: int
    folder: str


class Cache(Protocol):
    """A writer's files between builds, kept by the pipeline in OUT/.slidegen/ with the episode
    that made them (they go when it goes). Anything missing or unreadable in it reads as absent:
    the cache only saves time, and a writer makes again what it lacks."""

    @property
    def scratch(self) -> str:
        """A folder a writer may use freely (small layouts it wants to keep)."""

    def put(self, name: str, data: bytes) -> None:
        """Keep `data` as `name` (a plain file name: no folders)."""

    def get(self, name: str) -> bytes | None:
        """What was kept as `name`, or None."""

    def output(self, rel: str) -> bytes | None:
        """An output file (OUT-relative) exactly as an earlier build wrote it, or None."""


@dataclass
class LessonParts:
    """The lesson as the pipeline knows it when lesson-level files are made: every episode in
    order, those read in this build, and a reader for the others (each read once)."""
    root: str
    config: LessonConfig
    sources: list[str]                            # lesson-relative, in lesson order
    rebuilding: frozenset[str]                    # episodes the workers are building now
    read: Callable[[str], Episode | None]
    rebuilt: dict[str, Episode] = field(default_factory=dict)   # filled when workers finish
    failed: set[str] = field(default_factory=set)  # episodes with errors in this build (ditto)
    ahead: dict[str, Episode] = field(default_factory=dict)     # read, outputs still being made
    _read: dict[str, Episode | None] = field(default_factory=dict, repr=False)

    def episode(self, source: str) -> Episode | None:
        """The model of an episode: this build's reading, else read now."""
        if source in self.rebuilt:
            return self.rebuilt[source]
        if source not in self._read:
            self._read[source] = self.read(source)
        return self._read[source]

    def unchanged(self) -> dict[str, Episode | None]:
        """The episodes no worker is rebuilding, read now (while the workers build the rest)."""
        return {rel: self.episode(rel) for rel in self.sources if rel not in self.rebuilding}

    def in_order(self, known: Mapping[str, Episode | None]) -> list[Episode]:
        """Every episode in lesson order: as this build read it, as `known` (read when the
        lesson work began), else read now; episodes that cannot be read are left out."""
        out = []
        for rel in self.sources:
            ep = self.rebuilt.get(rel)
            if ep is None:
                ep = known[rel] if rel in known else self.episode(rel)
            if ep is not None:
                out.append(ep)
        return out

    @staticmethod
    def stem(source: str) -> str:
        return os.path.splitext(os.path.basename(source))[0]


class LessonWork(Protocol):
    """Lesson-level files under way: begun while the workers build episodes. Optionally, a
    `take(source)` method is handed each episode the workers rebuilt as soon as it is done
    (`parts.rebuilt` has it), for what can be done with it before `finish`."""

    def finish(self) -> Written: ...


class Writer(Protocol):
    noun: str            # what one episode's output is called in the summary ("deck"), or ""
    active: bool         # asked for in this build
    # Optional (a ClassVar): True when an episode's files show its clock times (a deck's title
    # slide, a script's header); they are then made again when those times move, and only then.
    shows_clock: bool
    # Optional (a ClassVar): True when its warm-up takes next to no time (a deck's): a worker
    # forked before the other writers' warm-up (WeasyPrint's) can make its files meanwhile.
    quick_start: bool

    def outputs(self, stem: str) -> tuple[str, ...]:
        """The files (OUT-relative) one episode gets."""

    def lesson_outputs(self) -> tuple[str, ...]:
        """The files (OUT-relative) the whole lesson gets."""

    def warm_up(self) -> None:
        """Import and prepare what every episode needs, once, before workers are forked."""

    def write_episode(self, lesson: Lesson, episode: Episode, cache: Cache,
                      share: Share | None = None) -> Written | None:
        """One episode's files; None when it gets none (a page that is not taught, a break's
        handout). Every episode read without errors comes here. A writer with a `share_above`
        (bytes of episode source) may be given a `share` of a longer episode's work: then only
        the share that finishes last returns the files, the others an empty description."""

    def begin_lesson(self, parts: LessonParts, cache: Cache) -> LessonWork:
        """Start the lesson-level files; `parts.rebuilt` is complete only in `finish`."""


def identity(writer: object) -> list[object]:
    """What decides a writer's files besides what they are made from: its kind and its settings
    (a frozen dataclass's fields, whether it is asked for aside), as the manifest records them,
    so that another writer joining a build leaves this one's files alone."""
    settings: list[object]
    if dataclasses.is_dataclass(writer):
        settings = [[f.name, getattr(writer, f.name)] for f in dataclasses.fields(writer)
                    if f.name != "active"]
    else:
        settings = [getattr(writer, "variant", "")]
    return [type(writer).__name__, settings]


# -- work in forked processes ----------------------------------------------------------------
# The pipeline's workers (pipeline/pool.py) are forked processes; so is a writer's `Aside`: the
# whole-lesson handout's page stamps laid out while its front pages are, on the core the
# episodes' workers have just left (the two layouts were half a second, one after the other,
# at the end of every build).

PR_SET_PDEATHSIG = 1
POLL_S = 0.5
ASIDE_LIMIT_S = 120.0     # an aside that takes longer is given up: the caller does the work


_AT_END: list[Callable[[], None]] = []


def at_process_end(clean_up: Callable[[], None]) -> None:
    """Have `clean_up()` run as a forked worker or aside ends its work (such a process ends
    without running what `atexit` holds)."""
    _AT_END.append(clean_up)


def process_ends() -> None:
    """What `at_process_end` asked for, in a forked process about to end."""
    for clean_up in _AT_END:
        with contextlib.suppress(Exception):      # (nothing left to report it to)
            clean_up()


def die_with_parent(parent: int) -> None:
    """Make this (forked) process end as soon as process `parent` does."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):         # not Linux: watch the parent instead
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(POLL_S)
            os._exit(1)
        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:                # it went before the request took effect
        os._exit(1)


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


class Aside:
    """`make()` (returning bytes) run in a forked process while this one goes on; `result()`
    is its bytes, or None when it failed, took too long, or could not be started (one core, a
    daemonic worker, other threads running: a fork while a thread holds a lock can hang the
    child). Then the caller makes them itself, so an aside only ever saves time."""

    def __init__(self, make: Callable[[], bytes], limit_s: float = ASIDE_LIMIT_S):
        import multiprocessing  # (not for a build with nothing to do)

        self.process = None
        self.limit_s = limit_s
        if cores() < 2 or multiprocessing.current_process().daemon \
                or threading.active_count() > 1:
            return
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, args=(child, os.getpid(), make), daemon=True)
        self.process.start()
        child.close()

    def result(self) -> bytes | None:
        if self.process is None:
            return None
        try:
            if self.conn.poll(self.limit_s):
                data = self.conn.recv()
                return data if isinstance(data, bytes) else None
        except (EOFError, OSError):
            pass
        finally:
            self.stop()
        return None

    def stop(self) -> None:
        """End the process: it has a second to end by itself (its result sent), else it is
        killed (its work no longer wanted)."""
        if self.process is None:
            return
        self.conn.close()
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None


def _serve(conn: Connection, parent: int, make: Callable[[], bytes]) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    gc.freeze()         # its collections leave what it inherited alone: shared, not copied
    try:
        data = make()
    except Exception:                 # the caller makes it itself, and reports what fails
        data = None
    conn.send(data)
    conn.close()
    process_ends()
