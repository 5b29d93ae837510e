"""`build --watch`: rebuild when a lesson file changes, until interrupted."""
from __future__ import annotations

import os

import click


def watch_lesson(lesson: str, out: str | None, rebuild) -> None:
    from watchfiles import watch

    from .build.outputs import DEFAULT_OUT
    from .read import find_lesson
    root = find_lesson(lesson).root
    out_dir = os.path.realpath(out or os.path.join(root, DEFAULT_OUT))

    def relevant(change, path: str) -> bool:
        real = os.path.realpath(path)
        return not (real == out_dir or real.startswith(out_dir + os.sep)) and \
            "/.git/" not in real and not os.path.basename(real).startswith(".#")

    click.echo(f"watching {root} (Ctrl-C to stop)", err=True)
    try:
        for _ in watch(root, watch_filter=relevant, debounce=400):
            rebuild()
    except KeyboardInterrupt:
        pass
