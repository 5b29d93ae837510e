"""A slide's title, decided here for every slide a deck has."""
from __future__ import annotations

from ..i18n import t
from ..kinds import label
from ..model import Episode, Heading, Special

OVERVIEW = "Overview"
KEY_POINTS = "Key Points"
CONTINUED = "(cont.)"


def slide_title(kind: str, episode: Episode, subject=None, parent: Special | None = None,
                part: int = 0) -> str:
    """The title of a slide of `kind` (a SlidePlan kind). `subject` is what the slide shows: a
    section's heading (None: the part before the first heading), an exercise, a solution (whose
    exercise is `parent`). `part` counts the slides before this one that show the same thing:
    those after the first are continued."""
    if kind in ("title", "break"):
        title = episode.title
    elif kind == "overview":
        title = t(OVERVIEW)
    elif kind == "keypoints":
        title = t(KEY_POINTS)
    elif kind == "exercise":
        title = subject.title or label(subject.kind)
    elif kind == "solution":
        title = subject.title or label(subject.kind)
        if title.lower().startswith("solution") and parent is not None and parent.title:
            title = f"{title}: {parent.title}"
    else:
        title = subject.text if isinstance(subject, Heading) else episode.title
    continued = t(CONTINUED)
    if part == 0 or title.endswith(continued):
        return title
    return f"{title} {continued}"
