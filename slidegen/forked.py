"""Forked processes that end with the one that made them, and work done aside in one.

A build's workers (pipeline/pool.py) are forked processes; so is the whole-lesson handout's
`Aside`: its page stamps laid out while this process lays out its front pages, on the core the
episodes' workers have just left (the two layouts were half a second, one after the other, at
the end of every build).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
POLL_S = 0.5
ASIDE_LIMIT_S = 120.0     # an aside that takes longer is given up: the caller does the work


def die_with_parent(parent: int) -> None:
    """Make this (forked) process end as soon as process `parent` does."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):         # not Linux: watch the parent instead
        def watch():
            while os.getppid() == parent:
                time.sleep(POLL_S)
            os._exit(1)
        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:                # it went before the request took effect
        os._exit(1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Aside:
    """`make()` (returning bytes) run in a forked process while this one goes on; `result()`
    is its bytes, or None when it failed, took too long, or could not be started (one core, a
    daemonic worker, other threads running: a fork while a thread holds a lock can hang the
    child). Then the caller makes them itself, so an aside only ever saves time."""

    def __init__(self, make: Callable[[], bytes]):
        self.process = None
        if _cores() < 2 or multiprocessing.current_process().daemon \
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
            if self.conn.poll(ASIDE_LIMIT_S):
                data = self.conn.recv()
                return data if isinstance(data, bytes) else None
        except (EOFError, OSError):
            pass
        finally:
            self.conn.close()
            self.process.join(timeout=1)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        return None


def _serve(conn, parent: int, make: Callable[[], bytes]) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    try:
        data = make()
    except Exception:                 # the caller makes it itself, and reports what fails
        data = None
    conn.send(data)
    conn.close()
