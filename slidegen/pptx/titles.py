"""A slide's title, decided here for every slide a deck has."""
from __future__ import annotations

import re

from ..i18n import t
from ..kinds import label
from ..model import Episode, Heading, Special
from ..read.minutes import title_without_time
from .notes import spoken

OVERVIEW = "Overview"
KEY_POINTS = "Key Points"
CONTINUED = "(cont.)"
DASH = " — "
# An exercise's label at the start of its title ("Exercise: Loops"), which a solution's title
# does not repeat.
LABEL_PREFIX = re.compile(r"^\s*(?:exercise|challenge)\s*[:.–—-]\s*", re.I)


def slide_title(kind: str, episode: Episode, subject=None, parent: Special | None = None,
                part: int = 0) -> str:
    """The title of a slide of `kind` (a SlidePlan kind). `subject` is what the slide shows: a
    section's or subsection's heading (None: the part before the first heading), an exercise, a
    solution (whose exercise is `parent`). `part` counts the slides before this one that show
    the same thing: those after the first are continued."""
    if kind in ("title", "break"):
        title = episode.title
    elif kind == "overview":
        title = t(OVERVIEW)
    elif kind == "keypoints":
        title = t(KEY_POINTS)
    elif kind == "exercise":
        title = exercise_title(subject)
    elif kind == "solution":
        title = solution_title(subject, parent)
    else:
        title = spoken(subject.spans) if isinstance(subject, Heading) else episode.title
    continued = t(CONTINUED)
    if part == 0 or title.endswith(continued):
        return title
    return f"{title} {continued}"


def exercise_title(ex: Special) -> str:
    """An exercise's title; a time in it is left to the time badge beside it."""
    title = ex.title or label(ex.kind)
    if ex.minutes is not None:
        title = title_without_time(title) or label(ex.kind)
    return title


def solution_title(solution: Special, exercise: Special | None) -> str:
    """"Solution — Loops": the solution's own name, then its exercise without its label."""
    own = (solution.title or label(solution.kind)).strip().rstrip(":").strip()
    if exercise is None or not (exercise.title or "").strip():
        return own
    name = LABEL_PREFIX.sub("", exercise_title(exercise)) or exercise_title(exercise)
    return f"{own}{DASH}{name}"
