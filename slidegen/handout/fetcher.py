"""The only way the PDF renderer reads anything: lesson files, slidegen's own files, data: URLs.

Lessons arrive from forks and pull requests, so a figure or stylesheet must not pull in
`/etc/passwd` nor make the build wait on the network. Remote fetching is opt-in, and bounded in
time and size as everywhere in slidegen (remote.py).
"""
from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from urllib import request
from urllib.parse import quote, unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import paths
from ..media import imageformats
from ..media.remote import REMOTE_SCHEMES, TIMEOUT_S, FetchRefused, fetch
from ..theme import PACKAGE_DIR, builtin_dir

# The lesson's files are named to the renderer by where they are in the lesson, not on the disk:
# WeasyPrint names a picture in the PDF by a hash of its URL, and the same lesson must give the
# same bytes wherever it is (a move must not make an incremental build differ from --force).
LESSON_HOST = "lesson.slidegen.invalid"
LESSON_BASE = f"file://{LESSON_HOST}/"
# A theme's files likewise, by where they are in the theme: theme0 is the theme's own folder,
# theme1 the one it extends, and so on (Theme.folders), wherever those folders are.
THEME_HOST = re.compile(r"^theme(\d+)\.slidegen\.invalid$")


def lesson_url(root: str, path: str) -> str:
    """The URL of the lesson file `path` (inside `root`, links resolved) for `LessonFetcher`."""
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return LESSON_BASE + quote(rel.replace(os.sep, "/"))


def theme_url(folders, path: str) -> str:
    """The URL of the theme file `path` for a `LessonFetcher` given `folders` (a theme's
    folders): named in the folder holding it (the deepest, if they nest), not on the disk."""
    real = os.path.realpath(path)
    inside = [(len(os.path.realpath(f)), i) for i, f in enumerate(folders) if paths.inside(f, real)]
    if not inside:
        return Path(real).as_uri()
    i = max(inside)[1]
    rel = os.path.relpath(real, os.path.realpath(folders[i]))
    return f"file://theme{i}.slidegen.invalid/" + quote(rel.replace(os.sep, "/"))


class LessonFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to some directories (symlinks resolved); `lesson` is
    the folder that `LESSON_BASE` names, `themes` the folders that `theme_url` names."""

    def __init__(self, roots, allow_remote: bool = False, lesson: str | None = None,
                 themes=()):
        super().__init__(timeout=TIMEOUT_S, allowed_protocols=("file", "data", "http", "https"),
                         allow_redirects=False)
        self.themes = tuple(os.path.realpath(t) for t in themes)
        self.roots = tuple(os.path.realpath(r) for r in (*roots, *self.themes, PACKAGE_DIR,
                                                          builtin_dir()) if r)
        self.lesson = os.path.realpath(lesson) if lesson else None
        self.allow_remote = allow_remote
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        response = self._fetch(url, headers)
        data = response.read()
        refusal = imageformats.renderer_refusal(data)
        if refusal:               # WeasyPrint gives every raster image to Pillow, any format
            self.refused.append(url)
            raise FetchRefused(f"'{url}': {refusal}")
        return URLFetcherResponse(response.url, data, response.headers, response.status)

    def _fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        try:
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                return self._file(url)
            if scheme in REMOTE_SCHEMES and self.allow_remote:
                data, ctype, final = fetch(url)
                return URLFetcherResponse(final, data, {"Content-Type": ctype})
            if scheme in REMOTE_SCHEMES:
                raise FetchRefused(f"'{url}' is remote and remote fetching is off")
            raise FetchRefused(f"'{url}' is not a lesson file")
        except Exception:
            self.refused.append(url)
            raise

    def _file(self, url: str):
        parts = urlsplit(url)
        theme = THEME_HOST.match(parts.netloc)
        if parts.netloc == LESSON_HOST and self.lesson:
            path = os.path.join(self.lesson, *unquote(parts.path).lstrip("/").split("/"))
        elif theme and int(theme.group(1)) < len(self.themes):
            path = os.path.join(self.themes[int(theme.group(1))],
                                *unquote(parts.path).lstrip("/").split("/"))
        elif parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"'{url}' names another host")
        else:
            path = request.url2pathname(unquote(parts.path))
        if not any(paths.inside(root, path) for root in self.roots):
            raise FetchRefused(f"'{url}' is outside the lesson")
        try:
            data = imageformats.read_image_file(path)    # a regular file of bounded size
        except imageformats.ImageRefused as e:
            raise FetchRefused(f"'{url}': {e}") from None
        ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": ctype})
