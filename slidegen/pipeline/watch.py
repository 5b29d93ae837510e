"""`build --watch`: rebuild when a lesson file or a theme file changes, until interrupted."""
from __future__ import annotations

import os

from .. import paths
from ..errors import ThemeError
from ..read import find_lesson
from ..theme import builtin_dir, forget_themes, load_theme
from .outputs import DEFAULT_OUT


def watch_lesson(lesson: str, out: str | None, rebuild, watching=lambda root: None,
                 theme: str | None = None) -> None:
    """Call `rebuild()` after each change to the lesson (outside OUT) or to the folders of
    `theme` (one of the user's, not a built-in one); `watching(root)` is called once, when
    watching starts. A rebuild after a change to the theme's files reads the theme again (the
    edit is used at once); after any other change it keeps what was made from the theme (its
    stylesheet and fonts: a tenth of a second of every edit's wait)."""
    from watchfiles import watch

    root = find_lesson(lesson).home
    out_dir = os.path.realpath(out or os.path.join(root, DEFAULT_OUT))

    def relevant(change, path: str) -> bool:
        real = os.path.realpath(path)
        return not (real == out_dir or real.startswith(out_dir + os.sep)) and \
            "/.git/" not in real and not os.path.basename(real).startswith(".#")

    watching(root)
    try:
        folders = _all_theme_folders(theme)
        for changes in watch(root, *_theme_folders(theme, root), watch_filter=relevant,
                             debounce=400):
            if folders is None or any(paths.inside(f, path) for _, path in changes
                                      for f in folders):
                forget_themes()
                folders = _all_theme_folders(theme)
            rebuild()
    except KeyboardInterrupt:
        pass


def _all_theme_folders(theme: str | None) -> tuple[str, ...] | None:
    """Every folder the theme is read from, or None when it cannot be read now."""
    try:
        return load_theme(theme).folders
    except ThemeError:            # said by the build; watching the lesson goes on
        return None


def _theme_folders(theme: str | None, root: str) -> list[str]:
    """The user's theme folders outside the lesson (those inside are watched with it)."""
    folders = _all_theme_folders(theme) or ()
    return [f for f in folders if not (paths.inside(root, f) or paths.inside(builtin_dir(), f))]
