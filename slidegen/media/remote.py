"""What is on the web, and the one way slidegen fetches it.

A reference is remote when its scheme is http or https (in any case) or it starts with "//"
(the page's own scheme: https here). ftp is not remote: nothing fetches it, so an ftp image is
not a lesson file like any other scheme. Fetching is opt-in (--allow-remote) and bounded, the
same for decks and handouts: http(s) only, at most MAX_BYTES in TIMEOUT_S seconds for the whole
download, headers and redirects included (a socket timeout bounds each read only: a server that
sends a byte every few seconds never trips it).
"""
from __future__ import annotations

import contextlib
import socket
import threading
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
    import http.client  # (only a fetch needs them: a slow import for every command)
    url = absolute(url)
    if urlsplit(url).scheme.lower() not in REMOTE_SCHEMES:
        raise FetchRefused(f"'{url}' is not an http(s) URL")
    deadline = _Deadline(TIMEOUT_S)
    opener, req = _opener(url, deadline)
    try:
        with deadline, opener.open(req, timeout=TIMEOUT_S) as response:
            data = _read(response, url)
            if deadline.expired:     # a body cut short when the clock ran out
                raise OSError("cut short")
            ctype = response.headers.get_content_type() if response.headers else ""
            return data, ctype or "application/octet-stream", response.geturl()
    except (OSError, http.client.HTTPException):
        if deadline.expired:         # (the connection was shut under the read)
            raise FetchRefused(f"'{url}' took longer than {TIMEOUT_S} s") from None
        raise


def _opener(url: str, deadline: _Deadline):
    """An opener for http(s) only whose connections run on `deadline`, and the request."""
    import http.client
    from urllib import request

    def connection(base):
        class Connection(base):
            def connect(self):
                self.timeout = deadline.left()    # connecting takes from the same clock
                super().connect()
                deadline.track(self.sock)
        return Connection

    class HTTPHandler(request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(connection(http.client.HTTPConnection), req)

    class HTTPSHandler(request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(connection(http.client.HTTPSConnection), req,
                                context=self._context)

    opener = request.OpenerDirector()
    for handler in (HTTPHandler(), HTTPSHandler(), request.HTTPRedirectHandler(),
                    request.HTTPDefaultErrorHandler(), request.HTTPErrorProcessor(),
                    request.UnknownHandler()):
        opener.add_handler(handler)
    return opener, request.Request(url, headers={"User-Agent": USER_AGENT})


def _read(response, url: str) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchRefused(f"'{url}' is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return b"".join(chunks)


class _Deadline:
    """One download's clock: when it runs out, every connection the download opened is shut,
    which ends whatever read is waiting on it (connect, headers or body)."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.expired = False
        self._socks: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()

    def left(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def track(self, sock) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shut(sock)


def _shut(sock) -> None:
    """Shut the connection under a (TLS) socket, waking a thread that waits on it."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
