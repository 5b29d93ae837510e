"""Link destinations with spaces, which pandoc reads and CommonMark does not.

pandoc's Markdown takes `[open an issue]({{ site.github.repository_url }}/issues/new)` as a
link (the spaces escaped in its URL), so a Workbench page shows "open an issue"; CommonMark
leaves the brackets, braces and parentheses on the page. Here such a destination is put in
angle brackets, CommonMark's way of writing it, outside code. Lines are changed, never added
or removed.
"""
from __future__ import annotations

import re

from .fences import fence_after

# `](`, then a destination with a space and without parentheses, quotes (a title) or brackets
SPACED = re.compile(r"\]\((?P<dest>[^\s()<>\"'][^()<>\"'\n]*?\s[^()<>\"'\n]*?)\)")


def bracket_spaced_destinations(text: str) -> str:
    if "](" not in text:
        return text
    lines = text.split("\n")
    fence = None
    for i, line in enumerate(lines):
        inside, fence = fence, fence_after(line, fence)
        if inside is None and fence is None and "](" in line:
            lines[i] = _outside_code(line)
    return "\n".join(lines)


def _outside_code(line: str) -> str:
    """The line with spaced destinations bracketed, except inside `code spans`."""
    parts = re.split(r"(`+[^`]*`+)", line)
    return "".join(p if p.startswith("`") else SPACED.sub(_bracketed, p) for p in parts)


def _bracketed(m: re.Match) -> str:
    return f"](<{m.group('dest').strip()}>)"
