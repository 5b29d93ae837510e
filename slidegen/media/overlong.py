"""Overlong text: a line of code or a word of prose too long for any reader to want whole.

A code line of 100,000 characters without a space (a data blob, minified JSON) filled 21
handout pages and took the PDF renderer 56 s, as it measures the rest of such a line again for
each row it breaks off; a word of 400,000 characters took gigabytes to measure for slides. No
learner reads or types that: outputs show the first MAX_LINE characters of a line of code and
the first MAX_WORD of a word, then a visible mark of how much is left out, and the build warns
naming the file and line, so that the author can fix the lesson (its web page has it whole).
Every writer asks here, so every output cuts the same text and the build gives one warning.
"""
from __future__ import annotations

import re

from ..i18n import t

MAX_LINE = 2000      # characters of one line of code an output shows (25 rows of a handout)
MAX_WORD = 2000      # characters of one word of prose (a long URL has a few hundred)


def cut_mark(n: int) -> str:
    """The mark where `n` characters are left out."""
    return t("… ({n} characters cut)", n=n)


def cut_lines(text: str, limit: int = MAX_LINE, mark=None) -> tuple[str, dict[int, int]]:
    """`text` with every line longer than `limit` cut to its first `limit` characters (then
    `mark(characters cut)`, if given), and {line index: characters cut}."""
    if len(text) <= limit:
        return text, {}
    lines = text.split("\n")
    cut = {i: len(line) - limit for i, line in enumerate(lines) if len(line) > limit}
    if not cut:
        return text, {}
    return "\n".join(line[:limit] + (mark(cut[i]) if mark else "") if i in cut else line
                     for i, line in enumerate(lines)), cut


def line_note(cut: dict[int, int], limit: int = MAX_LINE) -> str:
    """The warning for a code block whose lines `cut_lines` cut."""
    first = min(cut)
    more = f" (and {len(cut) - 1} more)" if len(cut) > 1 else ""
    return (f"line {first + 1} of this code has {cut[first] + limit} characters{more}: "
            f"it is cut to its first {limit}")


def cut_words(text: str, limit: int = MAX_WORD, mark=cut_mark) -> tuple[str, int]:
    """`text` with every word longer than `limit` characters cut to its first `limit`, then
    `mark(characters cut)`; and the length of the longest word it cut (0: none)."""
    if len(text) <= limit:
        return text, 0
    longest = 0

    def shorten(m: re.Match) -> str:
        nonlocal longest
        word = m.group(0)
        longest = max(longest, len(word))
        return word[:limit] + mark(len(word) - limit)
    # (tried where a word starts only: at every character, each try scans the rest of a word)
    return re.sub(rf"(?<!\S)\S{{{limit + 1},}}", shorten, text), longest


def word_note(length: int, limit: int = MAX_WORD) -> str:
    """The warning for a paragraph with a word `cut_words` cut."""
    return f"a word of {length} characters without a space is cut to its first {limit}"
