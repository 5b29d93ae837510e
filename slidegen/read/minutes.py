"""A timed block's minutes, read from its title or its opening text, settled once here.

Lessons write it many ways: "Exercise: Loops (10 min)", "Time: 5 mins", "**Duration:** 15
minutes", "⏱ 10 min". Only the title, or a sentence that announces a time, counts: a challenge
that asks learners to "wait 5 minutes" has no time.
"""
from __future__ import annotations

import re

from ..model import Paragraph, Special

WORD_UNIT = r"(?:minutes?|mins?\.?)\b"
UNIT = r"(?:minutes?|mins?\.?|m)\b"
AMOUNT = r"(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?"
IN_TITLE = re.compile(AMOUNT + r"\s*" + WORD_UNIT, re.I)
ANNOUNCED = re.compile(
    r"(?:^|[\s(\[*_])(?:time|duration|timing|estimated time|time needed)"
    r"\s*[*_]*\s*[:=–-]?\s*[*_]*\s*"
    + AMOUNT + r"\s*" + UNIT, re.I)
PARENTHESISED = re.compile(r"[(\[]\s*" + AMOUNT + r"\s*" + UNIT + r"\s*[)\]]", re.I)
CLOCK = re.compile(r"[⏱⏰🕐]\s*" + AMOUNT + r"\s*" + UNIT, re.I)


def _minutes(m: re.Match) -> int:
    low, high = int(m.group(1)), m.group(2)
    return int(high) if high else low


def minutes_in_title(title: str) -> int | None:
    m = IN_TITLE.search(title)
    return _minutes(m) if m else None


def minutes_in_text(text: str) -> int | None:
    for pattern in (ANNOUNCED, PARENTHESISED, CLOCK):
        m = pattern.search(text)
        if m:
            return _minutes(m)
    return None


TIME_STATEMENT = re.compile(
    r"^\W*(?:time|duration|timing|estimated time|time needed)\W*" + AMOUNT + r"\s*" + UNIT
    + r"\W*$",
    re.I)


def is_time_statement(text: str) -> bool:
    """A paragraph that only states the exercise's time ("Time: 10 min")."""
    return bool(TIME_STATEMENT.match(text.strip()))


def minutes_of(title: str, children) -> int | None:
    """A timed block's minutes: from its title, else from the first paragraph before any
    nested block that announces a time, else from a paragraph anywhere in the block that only
    states it ("Time: 5 mins" closing an exercise)."""
    minutes = minutes_in_title(title)
    if minutes is None:
        for c in children:
            if isinstance(c, Special):
                break
            if isinstance(c, Paragraph):
                minutes = minutes_in_text(c.text)
                if minutes is not None:
                    break
    if minutes is None:
        for c in children:
            if isinstance(c, Paragraph) and is_time_statement(c.text):
                return minutes_in_text(c.text)
    return minutes


def without_statement(children: list) -> list:
    """A timed block's children without the paragraphs that only state its time, wherever they
    stand: the time is in the model (`Special.minutes`), and every writer shows it from there."""
    return [c for c in children if not (isinstance(c, Paragraph) and is_time_statement(c.text))]
