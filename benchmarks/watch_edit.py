#!/usr/bin/env python3
"""Edit-to-output time under `slidegen build --watch` (issue 30), from file timestamps.

Copies LESSON (default: the corpus lesson python-intermediate-development-uva) to a temporary
folder, starts `slidegen build --watch --instructor` on it, waits for the first build, then
appends a paragraph to one episode N times. Each time it waits until that episode's deck,
handout and script and the lesson's handout.pdf and instructor.pdf all have a modification
time later than the edited file's, and prints that delay and the median. Usage:
    python benchmarks/watch_edit.py [LESSON] [--episode STEM] [--edits N] [--pythonpath DIR]
(`--pythonpath`: the slidegen to time, e.g. an older checkout, for a before/after.)
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from build_benchmark import as_installed

HERE = os.path.dirname(os.path.abspath(__file__))
UVA = os.path.join(HERE, "..", "..", "shared", "corpus", "python-intermediate-development-uva")


def _wait(out: str, files: list[str], after: float, limit: float) -> float:
    """Seconds from `after` until every file in `files` was rewritten after it."""
    end = time.time() + limit
    while time.time() < end:
        try:
            times = [os.stat(os.path.join(out, f)).st_mtime for f in files]
        except FileNotFoundError:
            times = []
        if times and min(times) > after:
            return max(times) - after
        time.sleep(0.05)
    raise SystemExit(f"outputs not rewritten within {limit:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lesson", nargs="?", default=UVA)
    ap.add_argument("--episode", default="33-programming-paradigms")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--pythonpath", default=os.path.join(HERE, ".."))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="slidegen-watch-")
    lesson, out = os.path.join(work, "lesson"), os.path.join(work, "out")
    shutil.copytree(args.lesson, lesson)
    source = next(os.path.join(d, f) for d, _, fs in os.walk(lesson) for f in fs
                  if os.path.splitext(f)[0] == args.episode)
    stem = args.episode
    files = [f"slides/{stem}.pptx", f"handouts/{stem}.pdf", f"instructor/{stem}.pdf",
             "handout.pdf", "instructor.pdf"]
    env = as_installed(dict(os.environ, PYTHONPATH=os.path.abspath(args.pythonpath)),
                       os.path.join(os.path.abspath(args.pythonpath), "slidegen"))
    proc = subprocess.Popen([sys.executable, "-m", "slidegen", "build", lesson, "-o", out,
                             "--watch", "--instructor", "-q"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(out, files, 0, 1800)
        time.sleep(3)
        delays = []
        for i in range(args.edits):
            with open(source, "a", encoding="utf-8") as f:
                f.write(f"\n\nAn edit number {i}, for timing.\n")
            delays.append(_wait(out, files, os.stat(source).st_mtime, 300))
            print(f"edit {i + 1}: {delays[-1]:.2f} s", flush=True)
            time.sleep(3)
        print(f"median over {len(delays)} edits: {statistics.median(delays):.2f} s")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
