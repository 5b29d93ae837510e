"""Running episode jobs: in worker processes when there are several, biggest episodes first,
each job's outcome kept in job order whatever order they finish in."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from functools import partial

from ..writer import cores
from . import manifest
from .report import Listener
from .worker import Job, Outcome, Read, Settings, lost, run

WORKER_MB = 350        # what a worker may need for a big episode's layout (parts.py bounds it)


def available_mb() -> int | None:
    """Memory the system can give without swapping (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def workers(requested: int) -> int:
    return plan_workers(requested)[0]


def plan_workers(requested: int) -> tuple[int, str | None]:
    """(workers, why fewer than asked or None): -j N, but never more workers than cores (the
    work is all computing, so more only costs memory) nor than the free memory holds."""
    count = min(requested, cores()) if requested and requested > 0 else cores()
    why = f"the machine has {cores()} cores" if requested and requested > count else None
    memory = available_mb()
    if memory is not None and count > 1 and count * WORKER_MB > memory:
        count = max(1, memory // WORKER_MB)
        why = f"{memory} MB of memory is free"
    if why and requested and requested > count:
        return count, f"-j {requested} runs {count} worker{'s' if count > 1 else ''}: {why}"
    return count, None


def split(jobs: list[Job], count: int, light: frozenset = frozenset(),
          share_above: dict | None = None) -> list[Job]:
    """The outputs of one episode (its deck, its handout) made side by side by several workers
    when that shortens the build: with fewer episodes than workers (the usual edit-and-rebuild),
    and for an episode longer than a worker's share of the lesson, which would otherwise keep
    one worker busy long after the others are done. `light` writers (no files of their own,
    such as the exercises sheet's) go with the first of them rather than take a worker. A
    writer in `share_above` (index -> bytes) splits its own work on an episode longer than
    that: every worker takes a share, and one more when another output of the episode takes
    a worker for itself (the shares then fill in around it)."""
    if count <= 1:
        return jobs
    share_above = share_above or {}
    sizes = [_size(j.path) for j in jobs]
    share = sum(sizes) / count
    if len(jobs) >= count and max(sizes) <= share:
        return jobs
    out = []
    for j, size in zip(jobs, sizes, strict=True):
        heavy = [w for w in j.writers if w not in light]
        shared = [w for w in heavy if w in share_above and size > share_above[w]]
        if (len(heavy) > 1 or shared) and (len(jobs) < count or size > share):
            rest = tuple(w for w in j.writers if w in light)
            for k, w in enumerate(heavy):
                mine = (w,) + (rest if k == 0 else ())
                if w not in shared:
                    out.append(Job(j.path, j.rel, j.stem, mine, j.deps_before))
                    continue
                n = count + 1 if len(heavy) > 1 else count
                out.extend(Job(j.path, j.rel, j.stem, mine if s == 0 else (w,), j.deps_before,
                               (s, n)) for s in range(n))
        else:
            out.append(j)
    return out


def quick_apart(jobs: list[Job], quick: frozenset) -> list[Job]:
    """Each job's `quick` writers (a deck's: python-pptx loads in a tenth of a second) apart
    from its others (a handout's: WeasyPrint takes half a second), so that a worker forked
    before this process has loaded WeasyPrint can start on them (pool.Early). The episode is
    read once: its other job is handed what the quick one read (run_jobs)."""
    out = []
    for j in jobs:
        fast = tuple(w for w in j.writers if w in quick)
        slow = tuple(w for w in j.writers if w not in quick)
        if fast and slow and j.share is None:
            out += [replace(j, writers=fast, quick=True), replace(j, writers=slow)]
        else:
            out.append(replace(j, quick=not slow))
    return out


def merge(outcomes: list[Outcome]) -> list[Outcome]:
    """One outcome per episode, whether its outputs were made together or apart."""
    merged: dict[str, Outcome] = {}
    for o in outcomes:
        m = merged.get(o.rel)
        if m is None:          # (a copy: the outcomes themselves are left as they came)
            merged[o.rel] = replace(o, diagnostics=list(o.diagnostics), deps=dict(o.deps),
                                    written=dict(o.written), made=dict(o.made))
            continue
        m.diagnostics.extend(d for d in o.diagnostics if d not in m.diagnostics)
        m.written.update(o.written)
        m.made.update(o.made)
        for rel, digest in o.deps.items():
            m.deps[rel] = digest if m.deps.get(rel, digest) == digest else manifest.CHANGED
        for attr in ("note", "episode", "disk_error"):
            if getattr(m, attr) is None:
                setattr(m, attr, getattr(o, attr))
        m.seconds = max(m.seconds, o.seconds)
    return list(merged.values())


def run_jobs(jobs: list[Job], settings: Settings, count: int, listener: Listener,
             meanwhile=lambda: None, episode_done=lambda outcome: None,
             warm=None, episode_read=lambda rel, episode: None) -> list[Outcome]:
    """Run the jobs (in `count` worker processes when there are several); `meanwhile` runs in
    this process while they do, and `episode_done(outcome)` as soon as an episode's last job
    ends (its outputs merged), so that progress is told as it happens; `episode_read(rel,
    episode)` when a quick job read an episode whose other jobs are still to come. `warm()`,
    when given, prepares this process for forking workers: while it runs, an early worker
    takes the quick jobs (pool.Early)."""
    early = warm and count > 1 and len(jobs) > 1 and any(j.quick for j in jobs) and \
        not all(j.quick for j in jobs)
    if warm and not early:
        warm()
    if not jobs:
        meanwhile()
        return []
    # Biggest episodes first, so the last one to finish is a small one; of one episode's jobs,
    # a whole output before the shares that can fill in around it. But the lesson's last
    # episode, when small, after all the others: lesson files can then do what depends on every
    # episode but it while it is made (the front pages' contents: handout/writer.py).
    sizes = [_size(j.path) for j in jobs]
    last = _small_last(jobs, sizes)
    order = sorted(range(len(jobs)), key=lambda i: (jobs[i].rel == last and not jobs[i].quick,
                                                    -sizes[i], jobs[i].share or (-1,)))
    left = Counter(j.rel for j in jobs)
    ended: dict[str, list[Outcome]] = {}

    def done(i: int, outcome: Outcome) -> None:
        rel = jobs[i].rel
        if jobs[i].quick and outcome.episode is not None and not outcome.failed:
            read = Read(outcome.episode, dict(outcome.deps))
            for k, j in enumerate(jobs):         # (its other jobs not begun yet take it)
                if j.rel == rel and not j.quick:
                    jobs[k] = replace(j, read=read)
            if left[rel] > 1:
                episode_read(rel, outcome.episode)
        listener.advanced(rel)
        ended.setdefault(rel, []).append(outcome)
        left[rel] -= 1
        if not left[rel]:
            episode_done(merge(ended[rel])[0])

    if count <= 1 or len(jobs) == 1:
        results = {}
        for i in order:
            results[i] = run(jobs[i], settings)
            done(i, results[i])
        meanwhile()
    else:
        from . import pool  # (multiprocessing: not for a build with nothing to do)
        try:
            results = pool.run(jobs, order, count, partial(run, settings=settings), lost, done,
                               meanwhile, pool.Early(warm, _quick) if early else None)
        except KeyboardInterrupt:
            listener.stopped()
            raise
    return [results[i] for i in range(len(jobs))]


def _small_last(jobs: list[Job], sizes: list[int]) -> str | None:
    """The lesson's last episode (the jobs are in lesson order; `sizes` theirs), when it is no
    bigger than half of them: running it last costs the build's balance next to nothing."""
    if len(jobs) < 3 or jobs[-1].share is not None:
        return None
    return jobs[-1].rel if sizes[-1] <= sorted(sizes)[len(sizes) // 2] else None


def _quick(job: Job) -> bool:
    return job.quick


def _size(path: str) -> int:
    """An episode's size; 0 for one that is not there (it fails when read, and says why)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
