"""A Jinja environment for a theme's templates: read from the theme's folders as files.py
reads any theme file, and rendered in the bounded sandbox (sandbox.py)."""
from __future__ import annotations

import os

import jinja2
from jinja2.loaders import split_template_path

from .files import MAX_TEMPLATE_BYTES, read_theme_file
from .sandbox import BoundedSandbox


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
