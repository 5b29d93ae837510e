"""The worker pool: workers with nothing left to do go at once (their memory with them), and
the parent's own work goes on beside them, in its own thread."""
from __future__ import annotations

import os
import threading
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


def test_an_idle_worker_ends_and_the_parents_work_goes_on_beside_the_workers(tmp_path):
    """The build's own work (`meanwhile`) runs in the pool's thread (no fork sees another
    thread), first while every worker is busy, then again each time tasks have ended, with what
    they made already told (`done`)."""
    calls, told = [], []
    results = pool.run([("long", str(tmp_path)), ("short", str(tmp_path))], [0, 1], 2, _work,
                       lambda task, how: None, lambda i, result: told.append(i),
                       lambda: calls.append((time.monotonic(), threading.get_ident(),
                                             list(told))))
    long_pid, long_end, other_alive = results[0]
    short_pid, short_end = results[1]
    assert long_pid != short_pid
    assert not other_alive                  # the short task's worker ended while the long ran
    assert {ident for _, ident, _ in calls} == {threading.get_ident()}
    assert calls[0][0] < short_end and calls[0][2] == []      # at once, beside the workers
    assert [seen for _, _, seen in calls[1:]] == [[1], [1, 0]]   # again as each task ended


WARM = {"done": False}


def _warm():
    time.sleep(0.6)                          # (importing WeasyPrint)
    WARM["done"] = True


def _early_work(task):
    kind, _ = task
    time.sleep(0.05)
    return kind, os.getpid(), WARM["done"], time.monotonic()


def test_an_early_worker_takes_the_quick_tasks_while_this_process_warms_up():
    """The early worker is forked before the warm-up and takes only quick tasks, the first of
    them before the warm-up ends; the other tasks go to workers forked after it (they have
    what it prepared); the early worker gives way to one once no quick task is left."""
    WARM["done"] = False
    tasks = [("quick", i) for i in range(4)] + [("slow", i) for i in range(6)]
    order = [0, 4, 1, 5, 2, 6, 3, 7, 8, 9]
    warmed_at = []

    def warm():
        _warm()
        warmed_at.append(time.monotonic())
    results = pool.run(tasks, order, 2, _early_work, lambda task, how: None,
                       lambda i, result: None, lambda: None,
                       pool.Early(warm, lambda task: task[0] == "quick"))
    assert sorted(results) == list(range(10))
    quick = [results[i] for i in range(4)]
    slow = [results[i] for i in range(4, 10)]
    assert all(not warm_seen for _, _, warm_seen, _ in quick)
    assert all(warm_seen for _, _, warm_seen, _ in slow)
    assert min(end for *_, end in quick) < warmed_at[0]
    early = {pid for _, pid, _, _ in quick}
    assert len(early) == 1 and early.isdisjoint({pid for _, pid, _, _ in slow})
    assert len({pid for _, pid, _, _ in slow}) == 2      # a second full worker took its place


def test_a_failing_warm_up_is_raised_here():
    def warm():
        raise RuntimeError("no Pango")
    with pytest.raises(RuntimeError, match="no Pango"):
        pool.run([("quick", 0), ("slow", 1)], [0, 1], 2, _early_work, lambda task, how: None,
                 lambda i, result: None, lambda: None,
                 pool.Early(warm, lambda task: task[0] == "quick"))


def _end_as_a_worker_does():
    from slidegen.writer import process_ends
    process_ends()


def test_a_forked_process_leaves_the_font_folder_of_the_process_it_came_from():
    """Each process removes the temporary font folders it made as it ends; a forked one leaves
    those it inherited (the process it came from still reads its fonts there)."""
    import multiprocessing

    from slidegen.handout.style import style
    from slidegen.theme import load_theme
    folder = style(load_theme(None)).font_config._folder        # (WeasyPrint's, made here)
    assert folder is not None and folder.is_dir()
    child = multiprocessing.get_context("fork").Process(target=_end_as_a_worker_does)
    child.start()
    child.join(60)
    assert child.exitcode == 0 and folder.is_dir()


def _font_file(path: str, conn) -> None:
    from slidegen.theme import fonts
    font = fonts._font(path)
    font["glyf"]                      # (read: a lazily read font's file is still open)
    conn.send(font.reader.file.fileno())


def test_a_forked_process_reads_a_font_through_a_file_of_its_own():
    """A font read as it is used (marks drawn as outlines) is opened again in a forked process:
    sharing the open file would share its position, each process reading at the other's place
    (a Japanese build's workers, forked after the build's process used its font, read damaged
    tables)."""
    import multiprocessing

    from slidegen.theme import FONT_DIR, fonts
    path = os.path.join(FONT_DIR, "LiberationSans-Regular.ttf")
    mine = fonts._font(path)
    mine["cmap"]
    ctx = multiprocessing.get_context("fork")
    here, there = ctx.Pipe()
    child = ctx.Process(target=_font_file, args=(path, there))
    child.start()
    theirs = here.recv()
    child.join(60)
    assert child.exitcode == 0 and theirs != mine.reader.file.fileno()
    assert fonts._font(path) is mine                # (once per process)


def test_the_lessons_last_episode_runs_after_all_others_when_it_is_small(tmp_path,
                                                                         monkeypatch):
    """Jobs run biggest episode first, but the lesson's last episode, when no bigger than
    half of them, after all the others (the whole-lesson handout's front pages are laid out
    while it is made); a big last episode keeps its place by size."""
    from slidegen.pipeline import jobs
    from slidegen.pipeline.jobs import Job, run_jobs
    ran: list[str] = []
    monkeypatch.setattr(jobs, "run", lambda job, settings: ran.append(job.rel) or job.rel)
    monkeypatch.setattr(jobs, "merge", lambda outcomes: outcomes)

    def lesson(sizes: dict[str, int]) -> list[Job]:
        out = []
        for name, size in sizes.items():
            path = tmp_path / f"{name}.md"
            path.write_text("x" * size)
            out.append(Job(str(path), name, name, (0,), ()))
        return out

    class Quiet:
        def __getattr__(self, name):
            return lambda *a, **k: None

    run_jobs(lesson({"a": 500, "b": 4000, "c": 2000, "d": 3000, "e": 900}), None, 1, Quiet())
    assert ran == ["b", "d", "c", "a", "e"]
    ran.clear()
    run_jobs(lesson({"a": 500, "b": 4000, "c": 2000, "d": 3000, "e": 3500}), None, 1, Quiet())
    assert ran == ["b", "e", "d", "c", "a"]
