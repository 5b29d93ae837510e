"""A challenge's time in minutes, read from its title or its opening text.

Lessons write it many ways: "Exercise: Loops (10 min)", "Time: 5 mins", "**Duration:** 15
minutes", "⏱ 10 min". Only the title, or a sentence that announces a time, counts: a challenge
that asks learners to "wait 5 minutes" has no time.
"""
from __future__ import annotations

import re

WORD_UNIT = r"(?:minutes?|mins?\.?)\b"
UNIT = r"(?:minutes?|mins?\.?|m)\b"
AMOUNT = r"(\d{1,3})(?:\s*(?:-|–|to)\s*(\d{1,3}))?"
IN_TITLE = re.compile(AMOUNT + r"\s*" + WORD_UNIT, re.I)
ANNOUNCED = re.compile(
    r"(?:^|[\s(\[*_])(?:time|duration|timing|estimated time|time needed)\s*[*_]*\s*[:=–-]?\s*[*_]*\s*"
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
    r"^\W*(?:time|duration|timing|estimated time|time needed)\W*" + AMOUNT + r"\s*" + UNIT + r"\W*$",
    re.I)


def is_time_statement(text: str) -> bool:
    """A paragraph that only states the exercise's time ("Time: 10 min"): writers show the time
    prominently instead, so they leave such a paragraph out."""
    return bool(TIME_STATEMENT.match(text.strip()))


def without_time_statement(blocks, minutes):
    """Children of an exercise without a leading paragraph that merely states its time."""
    from ..model import Paragraph
    blocks = tuple(blocks)
    if minutes is not None and blocks and isinstance(blocks[0], Paragraph) \
            and is_time_statement(blocks[0].text):
        return blocks[1:]
    return blocks
