"""Running episode jobs: in worker processes when there are several, biggest episodes first,
each job's outcome kept in job order whatever order they finish in."""
from __future__ import annotations

import os
from functools import partial

from . import manifest, pool
from .report import Listener
from .worker import Job, Outcome, Settings, lost, run


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def workers(requested: int) -> int:
    """-j N, but never more workers than cores: the work is all computing, so more only
    costs memory (each worker holds its own fonts and layouts)."""
    return min(requested, cores()) if requested and requested > 0 else cores()


def split(jobs: list[Job], count: int) -> list[Job]:
    """With fewer episodes than workers (the usual edit-and-rebuild), the outputs of one episode
    (its deck, its handout) can be made side by side."""
    if len(jobs) >= count:
        return jobs
    out = []
    for j in jobs:
        if len(j.writers) > 1:
            out.extend(Job(j.path, j.rel, j.stem, (w,), j.deps_before) for w in j.writers)
        else:
            out.append(j)
    return out


def merge(outcomes: list[Outcome]) -> list[Outcome]:
    """One outcome per episode, whether its outputs were made together or apart."""
    merged: dict[str, Outcome] = {}
    for o in outcomes:
        m = merged.get(o.rel)
        if m is None:
            merged[o.rel] = o
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
             meanwhile=lambda: None) -> list[Outcome]:
    """Run the jobs (in `count` worker processes when there are several); `meanwhile` runs in
    this process while they do."""
    if not jobs:
        meanwhile()
        return []
    # Biggest episodes first, so the last one to finish is a small one.
    order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i].path))
    if count <= 1 or len(jobs) == 1:
        results = {}
        for i in order:
            results[i] = run(jobs[i], settings)
            listener.advanced(jobs[i].rel)
        meanwhile()
    else:
        try:
            results = pool.run(jobs, order, count, partial(run, settings=settings), lost,
                               lambda i: listener.advanced(jobs[i].rel), meanwhile)
        except KeyboardInterrupt:
            listener.stopped()
            raise
    return [results[i] for i in range(len(jobs))]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
