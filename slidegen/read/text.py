"""An episode's text: read safely from its file, and carried with the file and line every line
came from (Liquid includes and kramdown table rewriting move lines; the model keeps the author's)."""
from __future__ import annotations

import os
import re
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



def read_text(path: str, rel: str) -> str:
    try:
        size = os.path.getsize(path)
        if size > MAX_EPISODE_BYTES:
            raise EpisodeError(f"file is {size / 1_000_000:.1f} MB; slidegen reads episodes up to "
                               f"{MAX_EPISODE_BYTES // 1_000_000} MB (is data pasted into it?)", rel, 0)
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise EpisodeError(f"cannot read: {e.strerror or e}", rel, 0) from None
    if b"\x00" in raw[:8192]:
        raise EpisodeError("not a text file (binary content)", rel, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise EpisodeError(f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8",
                           rel, line) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EpisodeError("empty file", rel, 1)
    # Terminal colour codes pasted with program output mean nothing on a slide or a page, and
    # other control characters cannot go into XML (pptx, PDF metadata) at all.
    text = ANSI.sub("", text)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)
