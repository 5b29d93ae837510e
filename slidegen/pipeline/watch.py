"""`build --watch`: rebuild when a lesson file changes, until interrupted."""
from __future__ import annotations

import os

from ..read import find_lesson
from .outputs import DEFAULT_OUT


def watch_lesson(lesson: str, out: str | None, rebuild, watching=lambda root: None) -> None:
    """Call `rebuild()` after each change to the lesson (outside OUT); `watching(root)` is
    called once, when watching starts."""
    from watchfiles import watch

    root = find_lesson(lesson).home
    out_dir = os.path.realpath(out or os.path.join(root, DEFAULT_OUT))

    def relevant(change, path: str) -> bool:
        real = os.path.realpath(path)
        return not (real == out_dir or real.startswith(out_dir + os.sep)) and \
            "/.git/" not in real and not os.path.basename(real).startswith(".#")

    watching(root)
    try:
        for _ in watch(root, watch_filter=relevant, debounce=400):
            rebuild()
    except KeyboardInterrupt:
        pass
