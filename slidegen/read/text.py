"""An episode's text: read safely from its file, and carried with the file and line every line
came from (Liquid includes and kramdown table rewriting move lines; the model keeps the
author's)."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from ..errors import EpisodeError

MAX_EPISODE_BYTES = 2_000_000      # a hundred times the longest real episode seen
ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


@dataclass
class Expanded:
    """Text after Liquid, with the (file, line) each of its lines came from."""
    text: str
    origins: list[tuple[str, int]]

    def origin(self, line_index: int) -> tuple[str, int]:
        """(file, 1-based line) for a 0-based line of `text`."""
        if not self.origins:
            return ("", 0)
        return self.origins[min(max(line_index, 0), len(self.origins) - 1)]



class Unreadable(ValueError):
    """A lesson file that cannot be read as text (the message says why)."""


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def read_limited(path: str, limit: int, what: str = "file") -> bytes:
    """A regular file's bytes, refusing one over `limit` bytes before reading it, and never
    opening a FIFO or a device for reading (that would wait forever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file (a FIFO, socket or device)")
        if st.st_size > limit:
            raise Unreadable(f"{what} is {st.st_size / 1_000_000:.1f} MB; slidegen reads "
                             f"{what}s up to {limit / 1_000_000:g} MB")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"{what} is larger than {limit / 1_000_000:g} MB")
    return data


def decode(raw: bytes) -> tuple[str, str]:
    """Text and its encoding: UTF-8, or UTF-16/32 when a byte-order mark (or UTF-16's zero
    bytes between ASCII letters) says so, as editors on Windows save "Unicode" files."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding), encoding
    head = raw[:4096]
    if len(head) >= 8 and len(head) % 2 == 0 and b"\x00" in head:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return raw.decode("utf-16-le"), "utf-16-le"
        if even > len(head) // 4 and odd == 0:
            return raw.decode("utf-16-be"), "utf-16-be"
    return raw.decode("utf-8"), "utf-8"


def read_text(path: str, rel: str) -> str:
    try:
        raw = read_limited(path, MAX_EPISODE_BYTES, "episode")
    except Unreadable as e:
        raise EpisodeError(f"{e} (is data pasted into it?)" if "MB" in str(e) else str(e),
                           rel, 0) from None
    except OSError as e:
        raise EpisodeError(f"cannot read: {e.strerror or e}", rel, 0) from None
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as e:
        if b"\x00" in raw[:8192]:
            raise EpisodeError("not a text file (binary content)", rel, 1) from None
        line = raw[:e.start].count(b"\n") + 1
        raise EpisodeError(f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8",
                           rel, line) from None
    if encoding == "utf-8" and "\x00" in text[:8192]:
        raise EpisodeError("not a text file (binary content)", rel, 1)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EpisodeError("empty file", rel, 1)
    # Terminal colour codes pasted with program output mean nothing on a slide or a page, and
    # other control characters cannot go into XML (pptx, PDF metadata) at all.
    text = ANSI.sub("", text)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)
