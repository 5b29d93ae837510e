"""What a slide shows of an overlong word or line of code: its start and a mark, the rest in the
speaker notes. A word of a few thousand characters fills slides on its own, and a sentence is
never split between slides, so it ran off the slide's foot; the room reads the start, the
instructor has the rest in the notes (and the learners in their handout)."""
from __future__ import annotations

from dataclasses import replace

from ..i18n import t
from ..media.overlong import (
    MAX_LINE,
    MAX_WORD,
    cut_lines,
    cut_mark,
    cut_words,
    line_note,
    word_note,
)
from .notes import spoken

SLIDE_WORD = 240     # characters of one word a slide shows (about three lines of body text)
SLIDE_LINE = 320     # characters of one line of code (about three rows at the smallest size)


def slide_mark(n: int) -> str:
    return t("… ({n} more characters in the notes)", n=n)


def slide_spans(spans, line: int, warn) -> tuple[tuple, str | None]:
    """The spans with words longer than SLIDE_WORD cut for a slide, and the paragraph's text
    for the notes when any was (else None). `warn(message, line)` hears of a word that even
    the notes and the handout cut (overlong.MAX_WORD)."""
    out, longest = [], 0
    for s in spans:
        if s.math or len(s.text) <= SLIDE_WORD:
            out.append(s)
            continue
        text, n = cut_words(s.text, SLIDE_WORD, lambda cut: slide_mark(
            min(cut, MAX_WORD - SLIDE_WORD)))           # (what the notes have of it)
        longest = max(longest, n)
        out.append(replace(s, text=text) if n else s)
    if longest > MAX_WORD:
        warn(word_note(longest), line)
    return tuple(out), (spoken(spans) if longest else None)


def slide_code(text: str, line: int, warn) -> tuple[str, dict[int, int], str | None]:
    """Code with its lines longer than SLIDE_LINE cut for a slide: (the text, {line index:
    characters cut}, the listing for the notes when any was)."""
    shown, cut = cut_lines(text, SLIDE_LINE)
    if not cut:
        return text, {}, None
    whole, too_long = cut_lines(text, mark=cut_mark)
    if too_long:
        warn(line_note(too_long), line)
    return shown, {i: min(n, MAX_LINE - SLIDE_LINE) for i, n in cut.items()}, whole
