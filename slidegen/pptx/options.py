"""What a build asks of a deck, beside the lesson and the theme: kept apart from the planner so
that naming the deck writer loads nothing of it."""
from __future__ import annotations

from dataclasses import dataclass

SLIDE_MODES = ("teaching", "full")


@dataclass
class Options:
    allow_remote: bool = False
    slides: str = "teaching"      # "teaching": narrative in the notes; "full": every word on slides
