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
        above = _text_above(lines, i, markers)
        if indent < 4 or above is None or indent - above[1] < 4:
            if indent < 4:
                fence = (f.group(2)[0], len(f.group(2)))
            i += 1
            continue
        quote, column, item = above
        fence_at = (f.group(2)[0], len(f.group(2)))
        # into the list item it continues, when every line of the block stays inside it
        inside = item is not None and _least_indent(lines, i, fence_at) - (indent - item) >= item
        target = item if inside else column
        i = _dedent_block(lines, i, indent - target, fence_at, quote)
    return "\n".join(lines)


def _text_above(lines: list[str], i: int, markers: str) -> tuple[str, int, int | None] | None:
    """The paragraph line right above a fence: its quote markers (a fence line with fewer is
    a lazy line of that quote), the column its text starts at, and the text column of the list
    item it continues (None outside a list item); None when there is no such line."""
    if not i:
        return None
    quote, content = _split(lines[i - 1])
    if quote.count(">") < markers.count(">"):
        return None
    column = _text_column(content)
    if column is None:
        return None
    for j in range(i - 1, -1, -1):
        above_quote, above = _split(lines[j])
        if above_quote.count(">") != quote.count(">") or _text_column(above) is None:
            break
        m = LIST_MARKER.match(above)
        if m:
            return quote, column, m.end()
    return quote, column, None


def _closes(content: str, fence) -> bool:
    f = FENCE.match(content)
    return bool(f and f.group(2)[0] == fence[0] and len(f.group(2)) >= fence[1]
                and not f.group(3).strip())


def _least_indent(lines: list[str], start: int, fence) -> int:
    """The least indentation of the block's non-blank lines, from its fence to its end."""
    least = len(lines[start])
    for i in range(start, len(lines)):
        content = _split(lines[i])[1]
        if content.strip():
            least = min(least, len(content) - len(content.lstrip(" ")))
        if i > start and _closes(content, fence):
            break
    return least


def _dedent_block(lines: list[str], start: int, shift: int, fence, quote: str) -> int:
    """Move a fenced block (and the attribute line after it) `shift` columns left, inside the
    quote of the text above it (a lazy line gets its markers); returns the index of the line
    after it."""
    pattern = re.compile(rf"^ {{0,{shift}}}")
    depth = quote.count(">")

    def moved(line: str) -> str:
        markers, content = _split(line)
        return (quote if markers.count(">") < depth else markers) + \
            pattern.sub("", content, count=1)

    i = start
    while i < len(lines):
        content = _split(lines[i])[1]
        lines[i] = moved(lines[i])
        i += 1
        if i - 1 > start and _closes(content, fence):
            break
    if i < len(lines) and _split(lines[i])[1].strip().startswith("{:"):
        lines[i] = moved(lines[i])
        i += 1
    return i


# A fence line, in a quote too: the code fence trackers of text passes share it (fence_after).
ANY_FENCE = re.compile(r"^[\t >]*(`{3,}|~{3,})(.*)$")


def fence_after(line: str, fence: str | None) -> str | None:
    """The open code fence after `line` (CommonMark's rules: a backtick fence's info string has
    no backtick, so "```` ``` ````" is inline code; a closing fence is only its characters)."""
    f = ANY_FENCE.match(line)
    if not f:
        return fence
    run, rest = f.group(1), f.group(2)
    if fence is None:
        return None if run[0] == "`" and "`" in rest else run
    if run[0] == fence[0] and len(run) >= len(fence) and not rest.strip():
        return None
    return fence
