"""Fences that kramdown reads as code and CommonMark as text: a fence indented four or more
spaces right after a line of text.

kramdown reads a list item's lines with the item's indentation removed, and a fence may end a
paragraph; so a fence written deeper than the text before it (a paragraph lazily continuing a
list item, a hand-indented command) is code on the lesson's site. CommonMark takes such a line
as the paragraph's continuation, and the slide shows `~~~ export X=4 ~~~ {: .language-bash}`
as a sentence. Here such a fence, its code, its closing fence and the attribute line after it
are moved left to the column of the text before them. Lines are changed, never added or removed.
"""
from __future__ import annotations

import re

QUOTE = re.compile(r"^(?:\s{0,3}>\s?)*")
FENCE = re.compile(r"^( *)(`{3,}|~{3,})(.*)$")
LIST_MARKER = re.compile(r"^( *)(?:[-*+]|\d{1,9}[.)])( +)(?=\S)")


def _split(line: str) -> tuple[str, str]:
    markers = QUOTE.match(line).group(0)
    return markers, line[len(markers):]


def _text_column(content: str) -> int | None:
    """Where the text of a line of prose starts (after a list marker), or None when the line is
    blank, a fence, a heading or an attribute line."""
    stripped = content.strip()
    if not stripped or FENCE.match(content.lstrip()) or stripped.startswith(("#", "{:", "|")):
        return None
    m = LIST_MARKER.match(content)
    return m.end() if m else len(content) - len(content.lstrip(" "))


def dedent_fences_after_text(text: str) -> str:
    if "~~~" not in text and "```" not in text:
        return text
    lines = text.split("\n")
    fence = None                     # (chars, length) of the fence being read
    i = 0
    while i < len(lines):
        markers, content = _split(lines[i])
        f = FENCE.match(content)
        if fence is not None:
            if (f and f.group(2)[0] == fence[0] and len(f.group(2)) >= fence[1]
                    and not f.group(3).strip()):
                fence = None
            i += 1
            continue
        if not f:
            i += 1
            continue
        indent = len(f.group(1))
        column = _text_column(_split(lines[i - 1])[1]) if i and \
            _split(lines[i - 1])[0].count(">") == markers.count(">") else None
        if indent < 4 or column is None or indent - column < 4:
            if indent < 4:
                fence = (f.group(2)[0], len(f.group(2)))
            i += 1
            continue
        i = _dedent_block(lines, i, indent - column, (f.group(2)[0], len(f.group(2))))
    return "\n".join(lines)


def _dedent_block(lines: list[str], start: int, shift: int, fence) -> int:
    """Move a fenced block (and the attribute line after it) `shift` columns left; returns the
    index of the line after it."""
    pattern = re.compile(rf"^ {{0,{shift}}}")
    i = start
    while i < len(lines):
        markers, content = _split(lines[i])
        lines[i] = markers + pattern.sub("", content, count=1)
        f = FENCE.match(content)
        i += 1
        if i - 1 > start and f and f.group(2)[0] == fence[0] and len(f.group(2)) >= fence[1] \
                and not f.group(3).strip():
            break
    if i < len(lines):
        markers, content = _split(lines[i])
        if content.strip().startswith("{:"):
            lines[i] = markers + pattern.sub("", content, count=1)
            i += 1
    return i
