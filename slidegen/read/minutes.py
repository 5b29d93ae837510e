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
# A sentence of the exercise's own prose that gives its time: "This exercise should take about
# 10 minutes", "This discussion will take 5 min", "Leave about 10 minutes for this discussion".
# Its subject is the block ("this", "the exercise"): "the job should take 2 minutes" is no time.
SUBJECT = r"(?:exercise|challenge|activity|discussion|task|part|game)"
IN_PROSE = re.compile(
    r"(?:\b(?:this|the)(?:\s+" + SUBJECT + r")?(?:\s+and\s+(?:the\s+)?" + SUBJECT + r")?"
    r"\s+(?:should|will|would|may|might|can|could)\s+(?:take|last)|"
    r"\b(?:this|the)\s+" + SUBJECT + r"\s+(?:takes|lasts)|\bleave)"
    r"\s+(?:you\s+)?(?:about|around|approximately|roughly|up\s+to|at\s+most|~)?\s*"
    + AMOUNT + r"\s*" + WORD_UNIT, re.I)


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
    """A paragraph that only states the exercise's time ("Time: 10 min"). A sentence of prose
    that gives it ("This exercise should take about 10 minutes.") is the author's text: it
    stays, and the time badge shows the time as well."""
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
    if minutes is None:
        for c in children:
            m = IN_PROSE.search(c.text) if isinstance(c, Paragraph) else None
            if m:
                return _minutes(m)
    return minutes


# A time in a title, which a time badge shows instead: "(15 min)", "[10 minutes]", "– 5 min",
# and "(30 min - optional)", whose other words stay: "(optional)".
TIME_IN_TITLE = re.compile(r"\s*(?:([(\[])\s*" + AMOUNT + r"\s*" + UNIT
                           + r"\s*(?:[-–—,;:]\s*([^()\[\]]*?)\s*)?[)\]]|"
                           r"[-–—:,]\s*\d{1,3}(?:\s*(?:-|–|to)\s*\d{1,3})?\s*" + WORD_UNIT
                           + r"\s*$)", re.I)


def title_without_time(title: str) -> str:
    """A title without the time it states, for a place that shows the time beside it."""
    def keep(m: re.Match) -> str:
        rest = m.group(4)
        return f" {m.group(1)}{rest}{')' if m.group(1) == '(' else ']'}" if rest else ""
    return TIME_IN_TITLE.sub(keep, title).strip()


def without_statement(children: list) -> list:
    """A timed block's children without the paragraphs that only state its time, wherever they
    stand: the time is in the model (`Special.minutes`), and every writer shows it from there."""
    return [c for c in children if not (isinstance(c, Paragraph) and is_time_statement(c.text))]
