#!/usr/bin/env python3
"""Build-speed benchmark: slidegen against the obvious pipeline, timed in the same run.

For one lesson (default: the 23-episode corpus lesson python-intermediate-development-uva) it
prints medians over several runs of:
  - a cold `slidegen build` (all decks, per-episode handouts and the whole-lesson handout),
  - a rebuild with no change, and a rebuild after editing one episode,
  - peak memory of the build's process tree (parent and workers together, as PSS),
  - the reference pipeline: per episode `pandoc EP.md -o EP.pptx`, then
    `pandoc EP.md -s -o EP.html` and `weasyprint EP.html EP.pdf`, one after the other as a
    shell loop would run them,
  - the strongest reference a user could script: pandoc to .pptx and to self-contained HTML
    (figures embedded) per episode, then one Python process that lays out every HTML file with
    WeasyPrint, so that WeasyPrint starts once (issue 30),
and the ratios to each; `-j 1` and `-j 2` outputs are compared byte for byte. `--case many` and
`--case huge` time generated lessons instead (generate.py: 200 episodes; one 1.5 MB episode),
with their own reference runs. Usage:
    python benchmarks/build_benchmark.py [LESSON] [--case lesson|many|huge|all] [--runs N]
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


# The tools of the Python running this script first (a virtual environment need not be active).
PATH = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])


def tool(name: str) -> str:
    return shutil.which(name, path=PATH) or name


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


SAMPLE_S = 0.2      # reading smaps_rollup costs ~7 ms per 300 MB process: every 20 ms, for a
                    # parent and two workers, it took most of a core from the build it timed


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
            done.wait(SAMPLE_S)
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    done.set()
    t.join()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return seconds, peak // 1024


def as_installed(env: dict, package: str | None = None) -> dict:
    """`env` as a user's Python runs slidegen: keeping compiled bytecode, Python's default and
    what `pip install` writes when it installs. A machine that sets PYTHONDONTWRITEBYTECODE (this
    project's development machine does) makes every run compile slidegen's modules from source
    again, 0.1 to 0.3 s per command that no user pays; the package (default: the installed
    slidegen) is compiled once here."""
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if package is None:
        import slidegen
        package = os.path.dirname(slidegen.__file__)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


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
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                           "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    made = 0
    for ep in episodes(lesson):
        with open(ep, encoding="utf-8") as f:
            text = f.read().replace("{{ page.root }}", "..")
        # any image path: in ![...](…) (whose alt text may hold brackets), <img src="…"> or a
        # reference definition
        for src in re.findall(r"""(?:\]\(|src=["']|\]:\s*)([^)"'\s]+\.(?:png|jpe?g|gif|svg))""",
                              text, re.I):
            if "://" in src:
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(ep), src))
            if path.startswith(lesson) and not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(png)
                made += 1
    return made


def _pandoc_source(ep: str, stem: str) -> str:
    """What pandoc reads: the episode, with Jekyll's `{{ page.root }}` in figure paths resolved
    as the site would (pandoc has no Liquid, and its .pptx writer stops on a missing image)."""
    with open(ep, encoding="utf-8") as f:
        text = f.read()
    if "{{ page.root }}" not in text:
        return ep
    path = stem + ".src.md"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("{{ page.root }}", ".."))
    return path


def _pandoc(ep: str, out: str, *html_options: str) -> tuple[str, str]:
    """pandoc to .pptx and to standalone HTML for one episode: (the HTML's path, its folder)."""
    stem = os.path.join(out, os.path.splitext(os.path.basename(ep))[0])
    cwd = os.path.dirname(ep)
    src, where = _pandoc_source(ep, stem), f"--resource-path={cwd}"
    subprocess.run(["pandoc", src, where, "-o", stem + ".pptx"], cwd=cwd, check=True,
                   capture_output=True)
    subprocess.run(["pandoc", src, where, "-s", *html_options, "--metadata", "title=episode",
                    "-o", stem + ".html"], cwd=cwd, check=True, capture_output=True)
    return stem + ".html", cwd


def reference(lesson: str, out: str, parallel: int = 1) -> float:
    """pandoc to .pptx per episode, plus pandoc to HTML and WeasyPrint to PDF per episode."""
    os.makedirs(out, exist_ok=True)
    eps = episodes(lesson)

    def one(ep: str):
        page, cwd = _pandoc(ep, out)
        subprocess.run([tool("weasyprint"), page, page[:-5] + ".pdf"], cwd=cwd, check=True,
                       capture_output=True)

    start = time.perf_counter()
    if parallel <= 1:
        for ep in eps:
            one(ep)
    else:
        with ThreadPoolExecutor(parallel) as pool:
            list(pool.map(one, eps))
    return time.perf_counter() - start


LAY_OUT_ALL = """
import sys
from weasyprint import HTML
for page in sys.argv[1:]:
    HTML(filename=page).write_pdf(page[:-5] + ".pdf")
"""


def strongest_reference(lesson: str, out: str) -> float:
    """pandoc to .pptx and to self-contained HTML per episode, then every HTML file laid out
    by one WeasyPrint process: the cheapest pipeline to script, paying WeasyPrint's start-up
    once instead of once per episode."""
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    pages = [_pandoc(ep, out, "--self-contained")[0] for ep in episodes(lesson)]
    subprocess.run([sys.executable, "-c", LAY_OUT_ALL, *pages], check=True, capture_output=True)
    return time.perf_counter() - start


def outputs_digest(out: str) -> dict[str, str]:
    """sha256 of every output file (not the build's own cache and manifest)."""
    import hashlib
    found = {}
    for folder, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if d != ".slidegen"]
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, out)] = hashlib.sha256(f.read()).hexdigest()
    return found


def bench_lesson(name: str, lesson: str, work: str, runs: int, jobs: list[int],
                 reference_too: bool, edits: bool) -> None:
    """Cold builds with each -j in `jobs`, then (with `edits`) a no-change and a one-episode
    rebuild, and the reference pipeline, `runs` times; prints each run and the medians."""
    env = as_installed(dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
    edited = episodes(lesson)[len(episodes(lesson)) // 2]
    cold: dict[int, list[float]] = {j: [] for j in jobs}
    peaks: dict[int, list[int]] = {j: [] for j in jobs}
    nochange, oneedit, refs, strong, identical = [], [], [], [], []
    print(f"\n== {name}: {len(episodes(lesson))} episodes, "
          f"{sum(os.path.getsize(e) for e in episodes(lesson)) / 1e6:.2f} MB of episode text, "
          f"{os.cpu_count()} cores, {runs} runs", flush=True)
    for run in range(runs):
        digests = []
        for j in jobs:
            out = os.path.join(work, f"{name}-out{run}-j{j}")
            s, peak = timed([tool("slidegen"), "build", lesson, "-o", out, "-q", "--jobs", str(j)],
                            env)
            cold[j].append(s)
            peaks[j].append(peak)
            digests.append(outputs_digest(out))
        identical.append(all(d == digests[0] for d in digests))
        line = ", ".join(f"cold -j {j} {cold[j][-1]:.1f} s (peak {peaks[j][-1]} MB)" for j in jobs)
        if edits:
            build = [tool("slidegen"), "build", lesson, "-o", out, "-q", "--jobs", str(jobs[0])]
            nochange.append(timed(build, env)[0])
            with open(edited, "a") as f:
                f.write(f"\nAn added sentence for benchmark run {run}.\n")
            oneedit.append(timed(build, env)[0])
            line += f", no change {nochange[-1]:.2f} s, one edit {oneedit[-1]:.2f} s"
        if reference_too:
            refs.append(reference(lesson, os.path.join(work, f"{name}-ref{run}")))
            strong.append(strongest_reference(lesson, os.path.join(work, f"{name}-strong{run}")))
            line += f", reference {refs[-1]:.1f} s, strongest reference {strong[-1]:.1f} s"
        print(f"  run {run + 1}: {line}", flush=True)
    med = statistics.median
    print(f"medians ({name})")
    for j in jobs:
        ratio = (f"   {med(cold[j]) / med(strong):.2f} x the strongest reference, "
                 f"{med(cold[j]) / med(refs):.2f} x the per-episode one" if refs else "")
        print(f"  cold build -j {j}       {med(cold[j]):7.2f} s{ratio}")
        print(f"  peak memory -j {j}      {med(peaks[j]):7.0f} MB"
              f"  (process tree, PSS; max {max(peaks[j])} MB)")
    if edits:
        c = med(cold[jobs[0]])
        print(f"  no-change rebuild     {med(nochange):7.2f} s"
              f"   ({100 * med(nochange) / c:.1f}% of cold -j {jobs[0]})")
        print(f"  one-episode rebuild   {med(oneedit):7.2f} s"
              f"   ({100 * med(oneedit) / c:.1f}% of cold -j {jobs[0]})")
    if refs:
        print(f"  reference pipeline    {med(refs):7.2f} s   (per episode, one after the other)")
        print(f"  strongest reference   {med(strong):7.2f} s   (pandoc per episode, one WeasyPrint "
              "process)")
    if len(jobs) > 1:
        print(f"  -j {' and -j '.join(map(str, jobs))} outputs byte-identical: "
              f"{'yes' if all(identical) else 'NO'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lesson", nargs="?", default=DEFAULT)
    ap.add_argument("--case", choices=("lesson", "many", "huge", "all"), default="lesson",
                    help="lesson: LESSON (default uva); many: 200 generated episodes; "
                         "huge: one generated 1.5 MB episode; all: the three")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", default="2,1", help="-j values for cold builds (default: 2,1)")
    ap.add_argument("--skip-reference", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.lesson):
        sys.exit(f"no lesson at {a.lesson}")
    for name in ("slidegen", "pandoc", "weasyprint"):
        if shutil.which(name, path=PATH) is None and not (name != "slidegen" and a.skip_reference):
            sys.exit(f"{name} is not on PATH (bash .ci/setup installs it)")
    import generate
    jobs = [int(j) for j in a.jobs.split(",")]
    work = tempfile.mkdtemp(prefix="slidegen-bench-")
    try:
        if a.case in ("lesson", "all"):
            lesson = os.path.join(work, "lesson")
            shutil.copytree(a.lesson, lesson)
            if not a.skip_reference:
                fill_missing_figures(lesson)
            bench_lesson(os.path.basename(os.path.normpath(a.lesson)), lesson, work, a.runs,
                         jobs, not a.skip_reference, edits=True)
        if a.case in ("many", "all"):
            lesson = generate.many_episodes(os.path.join(work, "many"), 200)
            bench_lesson("200 episodes", lesson, work, a.runs, jobs[:1], not a.skip_reference,
                         edits=False)
        if a.case in ("huge", "all"):
            lesson = generate.huge_episode(os.path.join(work, "huge"))
            bench_lesson("1.5 MB episode", lesson, work, a.runs, jobs[:1], not a.skip_reference,
                         edits=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
