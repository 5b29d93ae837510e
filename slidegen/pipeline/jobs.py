"""Running episode jobs: in worker processes when there are several, biggest episodes first,
each job's outcome kept in job order whatever order they finish in."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

from .report import Listener
from .worker import Job, Outcome, Settings, run


def workers(requested: int) -> int:
    return requested if requested and requested > 0 else (os.cpu_count() or 1)


def split(jobs: list[Job], count: int) -> list[Job]:
    """With fewer episodes than workers (the usual edit-and-rebuild), the outputs of one episode
    (its deck, its handout) can be made side by side."""
    if len(jobs) >= count:
        return jobs
    out = []
    for j in jobs:
        if len(j.writers) > 1:
            out.extend(Job(j.path, j.rel, j.stem, (w,)) for w in j.writers)
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
        m.deps = sorted(set(m.deps) | set(o.deps))
        for attr in ("note", "episode"):
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
    results: dict[int, Outcome] = {}
    if count <= 1 or len(jobs) == 1:
        for i in order:
            results[i] = run(jobs[i], settings)
            listener.advanced(jobs[i].rel)
        meanwhile()
    else:
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ProcessPoolExecutor(max_workers=min(count, len(jobs)), mp_context=ctx,
                                 initializer=_quiet_worker) as pool:
            futures = {pool.submit(run, jobs[i], settings): i for i in order}
            try:
                meanwhile()
                for f in as_completed(futures):
                    i = futures[f]
                    results[i] = f.result()
                    listener.advanced(jobs[i].rel)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                listener.stopped()
                raise
    return [results[i] for i in range(len(jobs))]


def _size(path: str) -> int:
    """An episode's size; 0 for one that is not there (it fails when read, and says why)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle: workers just stop when it shuts the pool down."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
