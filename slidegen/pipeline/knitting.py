"""`build --knit`: the lesson's R Markdown episodes knitted (slidegen/knit.py) side by side, then
gathered with the lesson's config and figures into one folder in the knitted layout, which the
build then reads as a knitted lesson (read/knitted.py) with results and plots."""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor

from .. import knit
from ..errors import Diagnostic, SlidegenError
from ..read import LessonSource
from ..read.dialects import is_rmd
from ..read.knitted import knitted_name
from .outputs import STATE_DIR

ASSETS = ("fig", "files")        # folders beside the episodes that knitted pages show from


def knit_lesson(source: LessonSource, out: str, jobs: int) -> LessonSource:
    """The lesson as read after knitting its `.Rmd` episodes (`jobs` at a time)."""
    why = knit.available()
    if why is not None:
        raise SlidegenError(f"--knit: {why}")
    if source.format != "workbench":
        raise SlidegenError("--knit knits the .Rmd episodes of a Workbench lesson; this lesson "
                            f"is a {source.format} lesson")
    rels = {p: os.path.relpath(p, source.root).replace(os.sep, "/") for p in source.episode_paths}
    rmd = [p for p in source.chosen_paths if is_rmd(p)]       # (one, when one is asked for)
    cache = os.path.join(out, STATE_DIR, "knit")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = dict(zip(rmd, pool.map(lambda p: knit.knit_episode(p, rels[p], cache), rmd)))
    stage = os.path.join(out, STATE_DIR, "knitted")
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
                        sources=source.root, selected=tuple(
                            os.path.join(stage, knitted_name(os.path.basename(p)))
                            for p in source.selected))


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
