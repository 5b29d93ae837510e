"""The worker pool: workers with nothing left to do go at once (their memory with them), and
the parent's own work waits for a core that no worker needs."""
from __future__ import annotations

import os
import time

import pytest

from slidegen.pipeline import pool

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _work(task):
    kind, folder = task
    if kind == "short":
        with open(os.path.join(folder, "short.pid"), "w") as f:
            f.write(str(os.getpid()))
        return os.getpid(), time.monotonic()
    deadline = time.monotonic() + 10
    path = os.path.join(folder, "short.pid")
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    with open(path) as f:
        other = int(f.read())
    while os.path.exists(f"/proc/{other}") and time.monotonic() < deadline:
        time.sleep(0.02)                    # (a reaped process leaves /proc)
    return os.getpid(), time.monotonic(), os.path.exists(f"/proc/{other}")


def test_an_idle_worker_ends_and_the_parents_work_waits_for_a_free_core(tmp_path):
    started = []
    results = pool.run([("long", str(tmp_path)), ("short", str(tmp_path))], [0, 1], 2, _work,
                       lambda task, how: None, lambda i, result: None,
                       lambda: started.append(time.monotonic()))
    long_pid, long_end, other_alive = results[0]
    short_pid, short_end = results[1]
    assert long_pid != short_pid
    assert not other_alive                  # the short task's worker ended while the long ran
    assert started and short_end <= started[0] < long_end + 1   # after a worker was free
