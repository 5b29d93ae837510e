"""Worker processes that die with the build, and whose loss costs one episode, not the build.

concurrent.futures cannot say which job a dead worker held, so one worker killed by the OOM
killer breaks its whole pool; and its workers outlive a parent killed with SIGKILL. Here each
worker has its own pipe and runs one job at a time, so a worker that dies fails the job it held
and a new worker takes the rest; and each worker asks the kernel to kill it when the build's
process goes (prctl PR_SET_PDEATHSIG on Linux; elsewhere a thread watching its parent).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait

from ..writer import die_with_parent, process_ends

POLL_S = 0.5


def _serve(conn, parent: int, work) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            conn.send(work(task))
    finally:
        process_ends()


class _Worker:
    def __init__(self, ctx, work, only: Callable | None = None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, os.getpid(), work), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None
        self.only = only                 # the tasks it can take (forked before the warm-up)

    def give(self, task_index: int, task) -> None:
        self.task = task_index
        self.conn.send(task)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.conn.close()


@dataclass
class Early:
    """A worker forked before this process's warm-up (`warm`: importing what the other tasks
    need, WeasyPrint's half second), for the tasks `quick` says need none of it: it starts at
    once, on a core that would wait, while `warm` runs in a thread here. The other workers are
    forked once it is done; the early worker gives way to one of them when no quick task is
    left."""
    warm: Callable[[], None]
    quick: Callable[[object], bool]


def stopped_how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {exitcode}"


def run(tasks: list, order: list[int], count: int, work: Callable, lost: Callable,
        done: Callable[[int, object], None], meanwhile: Callable[[], None],
        early: Early | None = None) -> dict:
    """`work(task)` for every task in `count` forked workers, in `order`; `lost(task, how)` is
    the result of a task whose worker died. `done(i, result)` is called as each task ends, and
    `meanwhile()` runs in this thread beside the workers: once the warm-up is done, and again
    whenever tasks have ended since, each time after the workers were given their next tasks
    (so the build's own work, taking each episode as it is built, is not left to the end; in
    this thread, no fork ever sees another thread at work). A worker with nothing left to do
    ends at once, giving back its memory. With `early`, its warm-up runs in a thread here while
    an early worker starts (see Early); without, the caller has warmed up."""
    ctx = multiprocessing.get_context("fork")
    pending = deque(order)
    results: dict = {}
    warming = _Warming(early.warm) if early else None
    workers = [_Worker(ctx, work, early.quick)] if early else \
        [_Worker(ctx, work) for _ in range(min(count, len(tasks)))]
    told = -1                            # tasks ended when meanwhile() last ran
    try:
        _feed(workers, pending, tasks)
        if warming:
            warming.start()              # (after the fork: a fork must see no other thread)
        while len(results) < len(tasks):
            if warming and not warming.is_alive():
                warming = warming.joined()
                workers += [_Worker(ctx, work) for _ in range(min(count, len(pending))
                                                                  - len(workers))]
            _feed(workers, pending, tasks)
            if not warming:
                workers = _swap_early(workers, ctx, work, pending, tasks)
                _feed(workers, pending, tasks)
                if told < len(results):
                    told = len(results)
                    meanwhile()
            busy = [w for w in workers if w.task is not None]
            if busy:
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy]
                             + ([warming.ended] if warming else []), POLL_S)
                for w in busy:
                    if w.conn in ready or w.process.sentinel in ready:
                        _collect(w, tasks, results, lost, done)
            elif warming:
                warming.join(POLL_S)
            workers = _replace_dead(workers, ctx, work, pending, warming)
            _feed(workers, pending, tasks)
            idle = [w for w in workers if w.task is None and not pending]
            _retire(idle)
            workers = [w for w in workers if w not in idle]
        if warming:
            warming.joined()
        if told < len(results):
            meanwhile()
    except BaseException:                # Ctrl-C: outputs are written atomically, so stop now
        for w in workers:
            w.process.terminate()
        raise
    finally:
        _retire(workers)
    return results


class _Warming(threading.Thread):
    """The warm-up, in a thread; its error is raised where it is joined, and `ended` is
    readable once it ends (the pool waits on it with the workers)."""

    def __init__(self, warm: Callable[[], None]):
        super().__init__(daemon=True)
        self.warm = warm
        self.error: BaseException | None = None
        self.ended, self._tell = multiprocessing.Pipe(duplex=False)

    def run(self) -> None:
        try:
            self.warm()
        except BaseException as e:       # raised in the pool's thread (joined)
            self.error = e
        finally:
            self._tell.send(True)

    def joined(self) -> None:
        self.join()
        self.ended.close()
        self._tell.close()
        if self.error is not None:
            raise self.error


def _feed(workers: list, pending: deque, tasks: list) -> None:
    for w in workers:
        if w.task is None:
            _next(w, pending, tasks, workers)


def _swap_early(workers: list, ctx, work, pending: deque, tasks: list) -> list:
    """Early workers with no quick task left give way to full ones (once the warm-up's thread
    has ended), while tasks wait."""
    spent = [w for w in workers if w.only and w.task is None and pending
             and not any(w.only(tasks[i]) for i in pending)]
    if not spent:
        return workers
    _retire(spent)
    return [w for w in workers if w not in spent] + [_Worker(ctx, work) for _ in spent]


def _retire(workers: list) -> None:
    for w in workers:
        w.stop()
    for w in workers:
        w.process.join(timeout=5)
        if w.process.is_alive():
            w.process.kill()


def _next(w: _Worker, pending: deque, tasks: list, workers: list) -> None:
    """The first waiting task `w` can take; a full worker leaves the quick ones to an early
    worker while there is one."""
    if not pending or not w.process.is_alive():
        return
    quick = next((o.only for o in workers if o.only and o.process.is_alive()), None)
    if w.only:
        i = next((i for i in pending if w.only(tasks[i])), None)
    else:
        i = next((i for i in pending if not quick(tasks[i])), pending[0]) if quick \
            else pending[0]
    if i is None:
        return
    pending.remove(i)
    try:
        w.give(i, tasks[i])
    except OSError:                      # it died just now: the task waits for another
        w.task = None
        pending.appendleft(i)


def _collect(w: _Worker, tasks, results: dict, lost, done) -> None:
    i = w.task
    try:
        if w.conn.poll():
            results[i] = w.conn.recv()
            w.task = None
            done(i, results[i])
            return
    except (EOFError, OSError):
        pass
    if not w.process.is_alive():
        w.process.join()
        results[i] = lost(tasks[i], stopped_how(w.process.exitcode))
        w.task = None
        done(i, results[i])


def _replace_dead(workers: list, ctx, work, pending: deque,
                  warming: threading.Thread | None) -> list:
    """Dead workers go; while tasks remain, new ones are forked in their place — but only once
    the warm-up's thread has ended: a fork while a thread holds a lock (fontconfig's, an
    import's) leaves the child waiting for it forever."""
    dead = [w for w in workers if w.task is None and not w.process.is_alive()]
    if not dead or (pending and warming):
        return workers
    for w in dead:
        w.stop()
        w.process.join()
    alive = [w for w in workers if w not in dead]
    return alive + ([_Worker(ctx, work) for _ in dead] if pending else [])
