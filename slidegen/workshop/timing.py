"""How an episode's time reads, in one place: the deck's title slide and the handout's episode
heading print the same line."""
from __future__ import annotations

from ..i18n import t


def timing_line(meta) -> str:
    """"Teaching 30 min · Exercises 20 min" from an episode's front matter; a part that is
    missing or zero is left out (an "Exercises 0 min" tells the room nothing)."""
    parts = []
    if meta.teaching:
        parts.append(t("Teaching {n} min", n=meta.teaching))
    if meta.exercises:
        parts.append(t("Exercises {n} min", n=meta.exercises))
    return " · ".join(parts)
