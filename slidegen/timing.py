"""How an episode's time reads, in one place: the deck's title slide and the handout's episode
heading print the same line."""
from __future__ import annotations


def timing_line(meta) -> str:
    """"Teaching 30 min · Exercises 20 min" from an episode's front matter; a part that is
    missing or zero is left out (an "Exercises 0 min" tells the room nothing)."""
    parts = []
    if meta.teaching:
        parts.append(f"Teaching {meta.teaching} min")
    if meta.exercises:
        parts.append(f"Exercises {meta.exercises} min")
    return " · ".join(parts)
