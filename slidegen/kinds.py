"""Special-block kinds: which exist, what each is called, which are exercises, which are secret.

Readers, checks and both writers take these decisions from here, so that a kind reads the same
on a slide, in a handout and in `slidegen check`.
"""
from __future__ import annotations

from .i18n import t

# A box's label when the lesson gives it no title ("" for none: quotes and tabs show none).
LABELS = {
    "challenge": "Exercise", "exercise": "Exercise", "solution": "Solution", "hint": "Hint",
    "callout": "Callout", "discussion": "Discussion", "checklist": "Checklist",
    "prereq": "Prerequisites", "testimonial": "Testimonial", "caution": "Caution",
    "instructor": "Instructor note", "spoiler": "More", "keypoints": "Key points",
    "objectives": "Objectives", "questions": "Questions", "quote": "", "tab": "", "group-tab": "",
}
# Kinds the lesson formats define; any other class is kept as its own kind (with a warning).
KNOWN = frozenset(LABELS)
# Content that must never reach a learner.
SECRET = frozenset({"solution", "instructor"})
# Exercises learners do: a time, slides of their own, a place in the answer key, answer space
# in the handout, and a warning when they have no time.
EXERCISES = frozenset({"challenge", "exercise"})
# Timed blocks with slides of their own: the exercises, and discussions.
TIMED = EXERCISES | {"discussion"}
# Answers: on hidden slides after their exercise, in the answer key, never in a learner's handout.
SOLUTIONS = frozenset({"solution"})
# Lists of an episode's summary (front matter or blocks).
SUMMARIES = ("questions", "objectives", "keypoints")
# Kinds that look like another (the theme's colours for it) unless a theme styles them itself.
LOOKS_LIKE = {"exercise": "challenge"}


def label(kind: str) -> str:
    """What a box of `kind` is called where it has no title of its own, in the language of
    the output being made (i18n.speaking)."""
    if kind in LABELS:
        return t(LABELS[kind])
    return kind.replace("-", " ").title()
