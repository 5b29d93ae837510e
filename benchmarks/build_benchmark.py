#!/usr/bin/env python3
"""Build-speed benchmark: slidegen against the obvious pipeline, timed in the same run.

For one lesson (default: the 23-episode corpus lesson python-intermediate-development-uva) it
prints medians over several runs of:
  - a cold `slidegen build` (all decks, per-episode handouts and the whole-lesson handout),
  - a rebuild with no change, and a rebuild after editing one episode,
  - peak memory of the build's process tree (parent and workers together, as PSS),
  - the reference pipeline: per episode `pandoc EP.md -o EP.pptx`, then
    `pandoc EP.md -s -o EP.html` and `weasyprint EP.html EP.pdf`, one after the other as a
    shell loop would run them (and, for comparison, the same with 2 episodes at a time),
and the ratios. Usage: python benchmarks/build_benchmark.py [LESSON] [--runs N] [--jobs N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpus",
                                        "python-intermediate-development-uva"))


def tree_memory_kb(pid: int) -> int:
    """Memory of a process and all its descendants (Linux /proc): the sum of their PSS, which
    shares pages that forked workers have in common with the parent instead of counting them
    once per process as summing RSS would."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def timed(cmd: list[str], env=None) -> tuple[float, int]:
    """(seconds, peak memory of its process tree in MB) of a command; fails loudly if the
    command fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_kb(proc.pid))
            time.sleep(0.02)
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    done.set()
    t.join()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return seconds, peak // 1024


def episodes(lesson: str) -> list[str]:
    for sub in ("_episodes", "episodes"):
        d = os.path.join(lesson, sub)
        if os.path.isdir(d):
            return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".md"))
    sys.exit(f"{lesson} has no episodes")


def fill_missing_figures(lesson: str) -> int:
    """Corpus copies leave out large figures; pandoc stops on a missing image, so give both
    pipelines the same small stand-in PNG for each one."""
    import base64
    import re
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    made = 0
    for ep in episodes(lesson):
        with open(ep, encoding="utf-8") as f:
            text = f.read().replace("{{ page.root }}", "..")
        for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text):
            if "://" in src:
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(ep), src))
            if path.startswith(lesson) and not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(png)
                made += 1
    return made


def reference(lesson: str, out: str, parallel: int = 1) -> float:
    """pandoc to .pptx per episode, plus pandoc to HTML and WeasyPrint to PDF per episode."""
    os.makedirs(out, exist_ok=True)
    eps = episodes(lesson)

    def one(ep: str):
        stem = os.path.join(out, os.path.splitext(os.path.basename(ep))[0])
        cwd = os.path.dirname(ep)
        subprocess.run(["pandoc", ep, "-o", stem + ".pptx"], cwd=cwd, check=True,
                       capture_output=True)
        subprocess.run(["pandoc", ep, "-s", "--metadata", "title=episode", "-o", stem + ".html"],
                       cwd=cwd, check=True, capture_output=True)
        subprocess.run(["weasyprint", stem + ".html", stem + ".pdf"], cwd=cwd, check=True,
                       capture_output=True)

    start = time.perf_counter()
    if parallel <= 1:
        for ep in eps:
            one(ep)
    else:
        with ThreadPoolExecutor(parallel) as pool:
            list(pool.map(one, eps))
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lesson", nargs="?", default=DEFAULT)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0, help="slidegen --jobs (default: all cores)")
    ap.add_argument("--skip-reference", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.lesson):
        sys.exit(f"no lesson at {a.lesson}")
    for tool in ("slidegen", "pandoc", "weasyprint"):
        if shutil.which(tool) is None and not (tool != "slidegen" and a.skip_reference):
            sys.exit(f"{tool} is not on PATH (bash .ci/setup installs it)")
    work = tempfile.mkdtemp(prefix="slidegen-bench-")
    lesson = os.path.join(work, "lesson")
    shutil.copytree(a.lesson, lesson)
    if not a.skip_reference:
        fill_missing_figures(lesson)
    edited = episodes(lesson)[len(episodes(lesson)) // 2]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    jobs = ["--jobs", str(a.jobs)] if a.jobs else []
    cold, nochange, oneedit, peaks, refs, refs2 = [], [], [], [], [], []
    print(f"lesson: {a.lesson} ({len(episodes(lesson))} episodes), {os.cpu_count()} cores, "
          f"{a.runs} runs", flush=True)
    for run in range(a.runs):
        out = os.path.join(work, f"out{run}")
        build = ["slidegen", "build", lesson, "-o", out, "-q", *jobs]
        s, peak = timed(build, env)
        cold.append(s)
        peaks.append(peak)
        nochange.append(timed(build, env)[0])
        with open(edited, "a") as f:
            f.write(f"\nAn added sentence for benchmark run {run}.\n")
        oneedit.append(timed(build, env)[0])
        if not a.skip_reference:
            refs.append(reference(lesson, os.path.join(work, f"ref{run}")))
            refs2.append(reference(lesson, os.path.join(work, f"refp{run}"), parallel=2))
        print(f"  run {run + 1}: cold {cold[-1]:.1f} s, no change {nochange[-1]:.2f} s, "
              f"one edit {oneedit[-1]:.2f} s, peak {peaks[-1]} MB"
              + (f", reference {refs[-1]:.1f} s (2 at a time {refs2[-1]:.1f} s)" if refs else ""),
              flush=True)
    med = statistics.median
    print("\nmedians")
    print(f"  cold build            {med(cold):7.2f} s")
    print(f"  no-change rebuild     {med(nochange):7.2f} s   ({100 * med(nochange) / med(cold):.1f}% of cold)")
    print(f"  one-episode rebuild   {med(oneedit):7.2f} s   ({100 * med(oneedit) / med(cold):.1f}% of cold)")
    print(f"  peak memory           {med(peaks):7.0f} MB  (build process tree, PSS; max {max(peaks)} MB)")
    if refs:
        print(f"  reference pipeline    {med(refs):7.2f} s   (sequential, as a shell loop runs it)")
        print(f"  reference, 2 at once  {med(refs2):7.2f} s")
        print(f"  cold / reference      {med(cold) / med(refs):7.2f}     (target: at most 0.50)")
        print(f"  cold / reference x2   {med(cold) / med(refs2):7.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
