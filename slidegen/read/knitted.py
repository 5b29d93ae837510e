"""Knitted R Markdown lessons: where a lesson's knitted episodes are, and whether they are
older than their sources.

A Workbench lesson's `.Rmd` episodes only have results and plots once knitted. sandpaper
keeps the knitted lesson in one layout (the `md-outputs` branch on GitHub, `site/built/` after
a local build): `NN-name.md` at the top, `config.yaml`, `md5sum.txt` (the checksum of every
source when it was knitted) and `fig/`. Knitted first: a lesson in that layout is read as it is,
and a Workbench lesson with `.Rmd` episodes is read from `site/built/` or its clone's
`md-outputs` branch when either is there. Otherwise its sources are read (rmarkdown.py), and the
lesson says once that results and plots are missing.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import os
import subprocess
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..errors import Diagnostic, Diagnostics
from . import gitbranch
from .chunks import OPENER

MD5SUM = "md5sum.txt"
CONFIG = "config.yaml"
SITE_BUILT = os.path.join("site", "built")
NOT_KNITTED = ("R Markdown read from its sources: code results and plots appear only once the "
               "episodes are knitted, and values R computes are shown as [value of …]. For results "
               "and plots, build the knitted lesson (the md-outputs branch: git fetch origin "
               "md-outputs; or site/built/ after a local Workbench build), or build with --knit "
               "where R and the knitr package are installed.")


@dataclass
class KnittedPlace:
    """A folder in the knitted layout, and what to tell the user about it."""
    folder: str
    note: str = ""                    # one line: where the episodes are read from, how to refresh
    sources: str | None = None        # the lesson folder whose .Rmd files were knitted
    diagnostics: list = field(default_factory=list)


def is_knitted_layout(path: str) -> bool:
    """sandpaper's knitted layout: config and checksums at the top with the episodes, no
    `episodes/` folder."""
    return (os.path.isfile(os.path.join(path, CONFIG))
            and os.path.isfile(os.path.join(path, MD5SUM))
            and not os.path.isdir(os.path.join(path, "episodes")))


def has_rmd(names: list[str]) -> bool:
    return any(n.lower().endswith(".rmd") for n in names)


def find_knitted(root: str, diags: Diagnostics) -> KnittedPlace | None:
    """The knitted version of the Workbench lesson at `root`: its `site/built/`, else its
    clone's `md-outputs` branch; None when neither is there."""
    built = os.path.join(root, SITE_BUILT)
    if is_knitted_layout(built):
        return KnittedPlace(built, "reading the knitted episodes in site/built/ (a local Workbench "
                                   "build); refresh them with sandpaper::build_lesson()", root)
    try:
        copy = gitbranch.knitted_branch(root)
    except (OSError, ValueError, subprocess.SubprocessError) as e:
        diags.warning(f"cannot read the git branch '{gitbranch.BRANCH}' ({_reason(e)}); reading "
                      "the R Markdown sources", 0, ".git")
        return None
    if copy is None:
        return None
    return KnittedPlace(copy.folder, f"reading the knitted episodes from git branch {copy.ref} "
                                     f"(commit {copy.commit[:7]}, {copy.date}) without a checkout; "
                                     f"refresh it with: git fetch origin {gitbranch.BRANCH}", root)


def _reason(e: Exception) -> str:
    stderr = getattr(e, "stderr", None)
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    return ((stderr or str(e)).strip().splitlines()[-1][:200] if (stderr or str(e)).strip()
            else type(e).__name__)


def knitted_name(name: str) -> str:
    """The knitted file of an episode listed in config.yaml: `08-plot.Rmd` -> `08-plot.md`."""
    stem, ext = os.path.splitext(name)
    return stem + ".md" if ext.lower() in (".rmd", ".md") else name


def episode_paths(place: KnittedPlace, config: dict, diags: Diagnostics) -> list[str]:
    """The knitted episodes in the config's order; an episode never knitted is reported."""
    folder = place.folder
    present = sorted(n for n in os.listdir(folder) if n.endswith(".md") and not n.startswith(".")
                     and os.path.isfile(os.path.join(folder, n)))
    order = config.get("episodes")
    if not isinstance(order, list) or not order:
        return [os.path.join(folder, n) for n in present
                if n[:1].isdigit()]        # index.md, setup.md … are not episodes
    out = []
    for name in order:
        knitted = knitted_name(str(name))
        if knitted in present:
            out.append(os.path.join(folder, knitted))
        else:
            diags.warning(f"episode '{name}' has no knitted version ({knitted}) here; it is left "
                          "out: knit the lesson again, or build with --knit", 0, CONFIG)
    return out


def stale_warnings(place: KnittedPlace, diags: Diagnostics) -> None:
    """Warn about each knitted episode whose source changed after it was knitted (the source's
    checksum is not the one md5sum.txt recorded)."""
    if place.sources is None:
        return
    for source, checksum, built in _checksums(os.path.join(place.folder, MD5SUM)):
        if not source.startswith("episodes/"):
            continue
        path = os.path.join(place.sources, *source.split("/"))
        try:
            with open(path, "rb") as f:
                current = hashlib.md5(f.read()).hexdigest()
        except OSError:
            continue
        if current != checksum:
            knitted = os.path.basename(built)
            diags.warning(f"knitted before its source last changed: {source} is newer than the "
                          f"knitted {knitted}, so results may not match the text", 0, knitted)


def _checksums(path: str) -> list[tuple[str, str, str]]:
    """(source, md5, knitted file) rows of sandpaper's md5sum.txt."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter=" ", quotechar='"', skipinitialspace=True))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return [(r[0], r[1], r[2]) for r in rows[1:] if len(r) >= 3]


def source_of(root: str, sources: str, rel: str) -> tuple[str, str] | None:
    """The `.Rmd` a knitted episode was knitted from, as (absolute path, path to show): in the
    lesson's sources when they are known, else beside the knitted file; None when neither."""
    stem, ext = os.path.splitext(rel)
    if ext.lower() != ".md":
        return None
    if sources:
        path = os.path.join(sources, "episodes", os.path.basename(stem) + ".Rmd")
        if os.path.isfile(path):
            return path, os.path.relpath(path, sources).replace(os.sep, "/")
    path = os.path.join(root, stem + ".Rmd")
    return (path, stem + ".Rmd") if os.path.isfile(path) else None


def point_at_sources(diagnostics: list[Diagnostic], root: str,
                     sources: str) -> list[Diagnostic]:
    """Diagnostics at a line of a knitted episode, moved to the line of its `.Rmd` source that
    the author edits (knitr copies the text and adds results: the line with the same text, or
    the nearest one above it that has)."""
    out = []
    for d in diagnostics:
        found = source_of(root, sources, d.path) if d.line > 0 else None
        lines = _line_map(os.path.join(root, d.path), found[0]) if found else None
        out.append(replace(d, path=found[1], line=lines[min(d.line, len(lines)) - 1])
                   if lines else d)
    return out


def _line_map(knitted: str, source: str) -> tuple[int, ...] | None:
    """For each line of the knitted file (from 1), its line in the source."""
    try:
        return _aligned(knitted, os.path.getmtime(knitted), source, os.path.getmtime(source))
    except OSError:
        return None


@lru_cache(maxsize=64)
def _aligned(knitted: str, _knitted_time: float, source: str, _source_time: float):
    try:
        with open(knitted, encoding="utf-8", errors="replace") as f:
            a = [line.rstrip() for line in f.read().split("\n")]
        with open(source, encoding="utf-8", errors="replace") as f:
            b = [line.rstrip() for line in f.read().split("\n")]
    except OSError:
        return None
    at = [0] * len(a)
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            at[block.a + k] = block.b + k + 1
    # what knitr added (results, plots) comes from the chunk above it: its opener line, where
    # its options (fig.alt, echo …) are set
    openers = _chunk_openers(b)
    last = 1
    for i, n in enumerate(at):
        last = n or last
        at[i] = n or openers[last - 1] or last
    return tuple(at) or None


def _chunk_openers(lines: list[str]) -> list[int]:
    """For each line of an `.Rmd`, the line of the opener of the knitr chunk it is in, or 0."""
    out, opener = [], 0
    for i, line in enumerate(lines):
        if not opener and OPENER.match(line):
            opener = i + 1
        elif opener and line.strip().startswith("```") and not line.strip().strip("`"):
            out.append(opener)
            opener = 0
            continue
        out.append(opener)
    return out
