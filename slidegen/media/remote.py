"""What is on the web, and the one way slidegen fetches it.

A reference is remote when its scheme is http or https (in any case) or it starts with "//"
(the page's own scheme: https here). ftp is not remote: nothing fetches it, so an ftp image is
not a lesson file like any other scheme. Fetching is opt-in (--allow-remote) and bounded, the
same for decks and handouts: http(s) only, at most MAX_BYTES in TIMEOUT_S seconds.
"""
from __future__ import annotations

import time
from urllib.parse import urlsplit

REMOTE_SCHEMES = ("http", "https")
LINK_SCHEMES = ("http", "https", "mailto", "ftp")     # links a reader can follow from a slide
TIMEOUT_S = 10
MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = "slidegen (+https://carpentries.org)"


class FetchRefused(ValueError):
    """A URL that may not be fetched, or whose content is too large or too slow."""


def is_remote(src: str) -> bool:
    return src.startswith("//") or urlsplit(src).scheme.lower() in REMOTE_SCHEMES


def absolute(src: str) -> str:
    """A protocol-relative URL ("//host/x") as the https URL a browser would fetch."""
    return "https:" + src if src.startswith("//") else src


def remote_image_note(src: str) -> str:
    """The one warning every writer gives for a remote image it did not fetch (identical text,
    so a build reports it once)."""
    return (f"image '{src}' is on the web and is not downloaded without --allow-remote; "
            "a placeholder shows it")


def fetch(url: str) -> tuple[bytes, str, str]:
    """Download `url` (http or https only), at most MAX_BYTES in TIMEOUT_S seconds.

    Returns (data, content type, final URL); raises FetchRefused or OSError."""
    url = absolute(url)
    if urlsplit(url).scheme.lower() not in REMOTE_SCHEMES:
        raise FetchRefused(f"'{url}' is not an http(s) URL")
    from urllib import (
        request,  # (only a fetch needs it: a slow import for every command)
    )
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
            if size > MAX_BYTES:
                raise FetchRefused(f"'{url}' is larger than {MAX_BYTES // (1024 * 1024)} MB")
            if time.monotonic() > deadline:
                raise FetchRefused(f"'{url}' took longer than {TIMEOUT_S} s")
        data = b"".join(chunks)
        ctype = response.headers.get_content_type() if response.headers else ""
        return data, ctype or "application/octet-stream", response.geturl()
