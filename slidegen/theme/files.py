"""A theme's files, read as untrusted data: only regular files inside the theme's folders (its
templates are rendered in Jinja's sandbox, within a budget of work: environment.py).

`--theme PATH` is a folder anyone can share, so nothing in it may run code, reach a file outside
it (an absolute path, `..`, a link leading out) or make the build wait (a FIFO where a file
should be). What a theme can do is what its tokens, templates and CSS describe: the look.
"""
from __future__ import annotations

import os
import stat

from ..paths import inside

MAX_TEMPLATE_BYTES = 1_000_000


def theme_file(folder: str, relative: str) -> str | None:
    """The path of `relative` inside the theme folder `folder`, or None when it is absolute,
    climbs out with '..', leads out through a link, or is not a regular file."""
    if not isinstance(relative, str) or not relative or "\0" in relative:
        return None
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith(("/", "\\")) or os.path.isabs(relative) or ".." in parts:
        return None
    path = os.path.join(folder, *[p for p in parts if p not in ("", ".")])
    if not inside(folder, path):
        return None
    try:
        return path if stat.S_ISREG(os.stat(path).st_mode) else None
    except OSError:                # missing, a broken link, a link loop
        return None


def read_theme_file(folder: str, relative: str, limit: int) -> bytes | None:
    """A theme file's bytes (see theme_file), or None; never more than `limit` bytes."""
    path = theme_file(folder, relative)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):    # swapped since it was looked at
            return None
        data = f.read(limit + 1)
    return data if len(data) <= limit else None
