"""The only way the PDF renderer reads anything: lesson files, slidegen's own files, data: URLs.

Lessons arrive from forks and pull requests, so a figure or stylesheet must not pull in
`/etc/passwd` nor make the build wait on the network. Remote fetching is opt-in, bounded in time
and size.
"""
from __future__ import annotations

import mimetypes
import os
import time
from urllib import request
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import paths
from ..theme import PACKAGE_DIR

TIMEOUT_S = 10
MAX_REMOTE_BYTES = 10 * 1024 * 1024
USER_AGENT = "slidegen handout (+https://carpentries.org)"


class FetchRefused(ValueError):
    """A URL the handout may not read."""


class LessonFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to some directories (symlinks resolved)."""

    def __init__(self, roots, allow_remote: bool = False):
        super().__init__(timeout=TIMEOUT_S, allowed_protocols=("file", "data", "http", "https"),
                         allow_redirects=False)
        self.roots = tuple(os.path.realpath(r) for r in roots if r) + (PACKAGE_DIR,)
        self.allow_remote = allow_remote
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        try:
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                return self._file(url)
            if scheme in ("http", "https") and self.allow_remote:
                data, ctype, final = fetch_remote(url)
                return URLFetcherResponse(final, data, {"Content-Type": ctype})
            if scheme in ("http", "https"):
                raise FetchRefused(f"'{url}' is remote and remote fetching is off")
            raise FetchRefused(f"'{url}' is not a lesson file")
        except Exception:
            self.refused.append(url)
            raise

    def _file(self, url: str):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"'{url}' names another host")
        path = request.url2pathname(unquote(parts.path))
        if not any(paths.inside(root, path) for root in self.roots):
            raise FetchRefused(f"'{url}' is outside the lesson")
        if not os.path.isfile(path):
            raise FetchRefused(f"'{url}' does not exist")
        with open(path, "rb") as f:
            data = f.read()
        ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": ctype})


def fetch_remote(url: str) -> tuple[bytes, str, str]:
    """Download `url` (http or https only), at most MAX_REMOTE_BYTES in TIMEOUT_S seconds.

    Returns (data, content type, final URL); raises FetchRefused or OSError."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchRefused(f"'{url}' is not an http(s) URL")
    opener = request.OpenerDirector()
    for handler in (request.HTTPHandler(), request.HTTPSHandler(), request.HTTPRedirectHandler(),
                    request.HTTPDefaultErrorHandler(), request.HTTPErrorProcessor(),
                    request.UnknownHandler()):
        opener.add_handler(handler)
    req = request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + TIMEOUT_S
    with opener.open(req, timeout=TIMEOUT_S) as response:
        chunks, size = [], 0
        while chunk := response.read(65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_REMOTE_BYTES:
                raise FetchRefused(f"'{url}' is larger than {MAX_REMOTE_BYTES // (1024 * 1024)} MB")
            if time.monotonic() > deadline:
                raise FetchRefused(f"'{url}' took longer than {TIMEOUT_S} s")
        data = b"".join(chunks)
        ctype = response.headers.get_content_type() if response.headers else ""
        return data, ctype or "application/octet-stream", response.geturl()
