"""`build --knit`: R Markdown episodes knitted with R's knitr package, as sandpaper knits them
(fenced ```output, ```warning and ```error blocks, plots in fig/ named after the episode).

Each episode is knitted on its own, in its own folder (its code reads its data from there, as
the lesson's own build does), into a temporary folder that is renamed into the cache only when
knitting succeeded: a failed chunk leaves no half-written episode, and is reported with the
episode, the chunk and its lines. A knitted episode is kept by the hash of what it came from
and is not knitted again until that changes. The lesson's code runs: knit only lessons you trust.
It runs with a minimal environment (r_environment), so that the tokens and keys a user keeps in
theirs never reach the lesson's code, nor, printed, its handout.

The knitted episodes are gathered with the lesson's config and figures into one folder in the
knitted layout, which the build then reads as a knitted lesson (read/knitted.py) with results
and plots.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import Diagnostic, SlidegenError
from ..read import LessonSource
from ..read.chunks import OPENER, parse_header
from ..read.dialects import is_rmd
from ..read.knitted import knitted_name

RSCRIPT = "Rscript"
TIMEOUT_S = 900
PARTIAL = ".partial-"              # a knit under way, renamed into the cache when done
SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(knitr))
render_markdown(fence_char = "`")
fence <- function(class) function(x, options)
  paste0("\n\n```", class, "\n", sub("\n$", "", x), "\n```\n\n")
knit_hooks$set(output = fence("output"), error = fence("error"), warning = fence("warning"),
               message = fence("output"))
opts_hooks$set(dev = function(options) {
  pkg <- c(svglite = "svglite", ragg_png = "ragg", CairoPNG = "Cairo")[options$dev]
  if (!is.na(pkg) && !requireNamespace(pkg, quietly = TRUE)) options$dev <- "png"
  options
})
opts_chunk$set(comment = "", error = FALSE, dev = "png",
               fig.path = paste0("fig/", args[[3]], "-rendered-"))
opts_knit$set(base.dir = dirname(args[[2]]))
invisible(knit(args[[1]], output = args[[2]], quiet = TRUE, envir = new.env()))
"""
# What R is given of the user's environment: where programs, R's packages and temporary files
# are, the home folder, the user's name and language; nothing else (no tokens, keys, passwords).
R_ENV = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TMP", "TEMP",
         "R_HOME")
R_ENV_PREFIXES = ("LC_", "R_LIBS")
QUITTING = re.compile(r"Quitting from (?:lines )?(?:\S*?:)?(\d+)-(\d+)(?: \[([^\]]*)\])?")


@dataclass
class Knitted:
    episode: str                      # the source, lesson-relative
    markdown: str | None = None       # the knitted episode's folder holds NAME.md and fig/
    diagnostics: list = field(default_factory=list)


def r_environment(environ=None) -> dict[str, str]:
    """The environment R runs the lesson's code in: R_ENV and R_ENV_PREFIXES of `environ`
    (os.environ), nothing else."""
    environ = os.environ if environ is None else environ
    return {k: v for k, v in environ.items() if k in R_ENV or k.startswith(R_ENV_PREFIXES)}


def available() -> str | None:
    """Why knitting is not possible here, or None when R with knitr is installed."""
    if shutil.which(RSCRIPT) is None:
        return "R is not installed (Rscript not found); install R and its knitr package"
    try:
        run = subprocess.run([RSCRIPT, "--vanilla", "-e", "library(knitr)"], capture_output=True,
                             text=True, timeout=120, env=r_environment())
    except (OSError, subprocess.SubprocessError) as e:
        return f"Rscript does not run ({e})"
    if run.returncode != 0:
        return "R's knitr package is not installed (Debian: r-cran-knitr)"
    return None


def knit_episode(path: str, rel: str, cache: str) -> Knitted:
    """Knit the episode at `path` into `cache` (kept there by its hash)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as e:
        return Knitted(rel, None, [Diagnostic(rel, 0, "error", f"cannot read: {e.strerror or e}")])
    key = hashlib.sha256(SCRIPT.encode() + b"\0" + stem.encode() + b"\0" + source).hexdigest()[:32]
    folder = os.path.join(cache, key)
    if os.path.isfile(os.path.join(folder, stem + ".md")):
        return Knitted(rel, folder)
    os.makedirs(cache, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=PARTIAL, dir=cache)
    try:
        error = _run(path, os.path.join(tmp, stem + ".md"), stem)
        if error is not None:
            return Knitted(rel, None, [_failure(rel, source, error)])
        try:
            os.rename(tmp, folder)
        except OSError:
            if not os.path.isdir(folder):
                raise
        return Knitted(rel, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(path: str, output: str, stem: str) -> str | None:
    """Run knitr; its error output when it failed, else None."""
    try:
        run = subprocess.run([RSCRIPT, "--vanilla", "-e", SCRIPT, path, output, stem],
                             cwd=os.path.dirname(path), capture_output=True, text=True,
                             timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, env=r_environment())
    except subprocess.TimeoutExpired:
        return f"knitting took longer than {TIMEOUT_S // 60} minutes and was stopped"
    except OSError as e:
        return f"cannot run {RSCRIPT}: {e}"
    if run.returncode != 0 or not os.path.isfile(output):
        return run.stderr.strip() or f"{RSCRIPT} exited with status {run.returncode}"
    return None


def _failure(rel: str, source: bytes, stderr: str) -> Diagnostic:
    """The diagnostic for a failed knit: the chunk (label and lines) and R's error."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    error = next((line for line in lines if line.startswith("Error")), lines[-1] if lines else "")
    m = QUITTING.search(stderr)
    if not m:
        return Diagnostic(rel, 0, "error",
                          f"knitting failed: {error}; its earlier outputs are kept")
    first, last, label = int(m.group(1)), int(m.group(2)), m.group(3)
    opener = _opener(source.decode("utf-8", "replace").split("\n"), first)
    label = label or (opener[1] if opener else "")
    chunk = f"chunk '{label}'" if label else "a chunk"
    return Diagnostic(rel, opener[0] if opener else first, "error",
                      f"knitting failed in {chunk} (lines {first}-{last}): {error.strip()}; "
                      "its earlier outputs are kept")


def _opener(lines: list[str], first: int) -> tuple[int, str] | None:
    """(line, label) of the chunk whose code starts at or after its opener before `first`."""
    for n in range(min(first, len(lines)), 0, -1):
        m = OPENER.match(lines[n - 1])
        if m:
            return n, parse_header(m.group("spec")).label
    return None


ASSETS = ("fig", "files")        # folders beside the episodes that knitted pages show from


def knit_lesson(source: LessonSource, work: str, jobs: int) -> LessonSource:
    """The lesson as read after knitting its `.Rmd` episodes (`jobs` at a time), with the
    knitted episodes kept in `work/knit` and the lesson gathered in `work/knitted`."""
    why = available()
    if why is not None:
        raise SlidegenError(f"--knit: {why}")
    if source.format != "workbench":
        raise SlidegenError("--knit knits the .Rmd episodes of a Workbench lesson; this lesson "
                            f"is a {source.format} lesson")
    rels = {p: os.path.relpath(p, source.root).replace(os.sep, "/") for p in source.episode_paths}
    rmd = [p for p in source.chosen_paths if is_rmd(p)]       # (one, when one is asked for)
    cache = os.path.join(work, "knit")
    _clean_partials(cache)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = dict(zip(rmd, pool.map(lambda p: knit_episode(p, rels[p], cache), rmd),
                           strict=True))
    stage = os.path.join(work, "knitted")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)
    _link(os.path.join(source.root, "config.yaml"), os.path.join(stage, "config.yaml"))
    for asset in ASSETS:
        _link_tree(os.path.join(source.root, "episodes", asset), os.path.join(stage, asset))
    paths, failed = [], {}
    chosen = set(source.chosen_paths)
    for p in source.episode_paths:
        name = knitted_name(os.path.basename(p))
        target = os.path.join(stage, name)
        paths.append(target)
        done = results.get(p)
        if p not in chosen:
            continue
        if done is None:
            _link(p, target)                             # a Markdown episode: as it is
        elif done.markdown is None:
            failed[target] = [Diagnostic(rels[p], d.line, d.severity, d.message)
                              for d in done.diagnostics]
        else:
            _link(os.path.join(done.markdown, name), target)
            _link_tree(os.path.join(done.markdown, "fig"), os.path.join(stage, "fig"))
    note = f"knitted {len(rmd) - len(failed)} of {len(rmd)} R Markdown episodes with knitr"
    return LessonSource(stage, "knitted", source.config, paths, list(source.diagnostics),
                        home=source.home, notes=[note], origin="knitted", failed=failed,
                        sources=source.root, config_sha=source.config_sha, selected=tuple(
                            os.path.join(stage, knitted_name(os.path.basename(p)))
                            for p in source.selected))


def _clean_partials(cache: str) -> None:
    """Remove the half-knitted folders a killed build left (the build holds OUT's lock, so
    none is another build's); rmtree removes a link inside without following it."""
    try:
        names = os.listdir(cache)
    except OSError:
        return
    for name in names:
        path = os.path.join(cache, name)
        if name.startswith(PARTIAL) and os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)


def _link(src: str, dst: str) -> None:
    """A hard link where the file system allows one, else a copy."""
    if not os.path.isfile(src):
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _link_tree(src: str, dst: str) -> None:
    if not os.path.isdir(src):
        return
    for folder, _dirs, files in os.walk(src):
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                _link(path, os.path.join(dst, os.path.relpath(path, src)))
