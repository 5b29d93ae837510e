"""A theme's files, read as untrusted data: only regular files inside the theme's folders, and
templates rendered in Jinja's sandbox, within a budget of work (sandbox.py).

`--theme PATH` is a folder anyone can share, so nothing in it may run code, reach a file outside
it (an absolute path, `..`, a link leading out) or make the build wait (a FIFO where a file
should be). What a theme can do is what its tokens, templates and CSS describe: the look.
"""
from __future__ import annotations

import os
import stat

import jinja2
from jinja2.loaders import split_template_path

from ..paths import inside
from .sandbox import BoundedSandbox

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


class ThemeLoader(jinja2.BaseLoader):
    """Templates from `sub` in each theme folder (own folder first), confined as theme_file
    says; a template named by an absolute path is not found."""

    def __init__(self, folders, sub: str):
        self.folders = tuple(folders)
        self.sub = sub

    def get_source(self, environment, template):
        if template.startswith(("/", "\\")) or os.path.isabs(template):
            raise jinja2.TemplateNotFound(template)
        name = "/".join(split_template_path(template))      # refuses '..'
        for folder in self.folders:
            data = read_theme_file(folder, f"{self.sub}/{name}", MAX_TEMPLATE_BYTES)
            if data is None:
                continue
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise jinja2.TemplateNotFound(f"{template} (not UTF-8 text)") from None
            path = os.path.join(folder, self.sub, name)
            mtime = os.path.getmtime(path)
            return (source, path,
                    lambda p=path, m=mtime: os.path.exists(p) and os.path.getmtime(p) == m)
        raise jinja2.TemplateNotFound(template)


def sandboxed_environment(folders, sub: str, **options) -> jinja2.Environment:
    """A Jinja environment for a theme's templates: they can lay out what they are given, but
    not reach Python's internals (no `__globals__`, no private attributes), change the data
    they get, read a file beyond the theme's own templates, or work without end (sandbox.py)."""
    return BoundedSandbox(loader=ThemeLoader(folders, sub), **options)
