"""What the script takes from the deck: its slides in order, as the deck writer plans them.

This is the one place that knows the deck planner (`pptx.plan.plan_deck`, the `SlidePlan`
fields kind/title/notes/hidden/shapes, and the shape name "Code"), so the script and
the deck agree on every slide and a change to the planner touches only this module.

An exercise is shown once, from the lesson model, with everything it holds (the task, hints,
solutions, instructor notes); its continued and hidden solution slides are counted in its entry
rather than repeated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..kinds import TIMED
from ..model import Code, Special, walk
from ..pptx.notes import blocks_text
from ..pptx.plan import Options, plan_deck

CODE_SHAPE = "Code"


@dataclass
class ScriptSlide:
    """One entry of the script: a slide (or an exercise's run of slides)."""
    number: int                      # the deck's slide number (from 1)
    last: int                        # the last slide it covers
    kind: str
    title: str
    hidden: bool
    notes: str = ""
    code: list[Code] = field(default_factory=list)     # the lesson's code blocks it shows
    exercise: Special | None = None  # the model's exercise, shown in full


def script_slides(lesson, episode, theme, allow_remote: bool = False) -> tuple[list, list]:
    """(entries, diagnostics) for one episode, in teaching order."""
    plans, diagnostics = plan_deck(lesson, episode, theme, Options(allow_remote))
    exercises = iter(_timed(episode))
    codes = _Codes(episode)
    entries: list[ScriptSlide] = []
    for n, p in enumerate(plans, 1):
        current = entries[-1] if entries else None
        if current is not None and current.exercise is not None and _continues(p, current):
            current.last = n
            continue
        notes = "" if p.kind == "title" else p.notes.strip()   # the title slide's repeat the head
        entry = ScriptSlide(n, n, p.kind, p.title, p.hidden, notes)
        if p.kind == "exercise":
            entry.exercise = next(exercises, None)
            entry.notes = _beyond(notes, entry.exercise)
        else:
            entry.code = codes.shown(p)
        entries.append(entry)
    return entries, diagnostics


def _beyond(notes: str, exercise: Special | None) -> str:
    """What an exercise slide's notes say besides the exercise the script prints in full (the
    deck gives a neighbouring instructor note to the exercise's slide)."""
    if exercise is None:
        return notes
    shown = _squash(exercise.title + blocks_text(exercise.children))
    kept = [c for c in re.split(r"\n\s*\n", notes)
            if _squash(c) and _squash(re.sub(r"^[^:\n]{1,40}:\s*", "", c)) not in shown]
    return "\n\n".join(kept).strip()


def _continues(plan, current: ScriptSlide) -> bool:
    """A slide that belongs to the exercise before it: its continuation or a solution."""
    return plan.kind == "solution" or (plan.kind == "exercise" and plan.title != current.title
                                       and plan.title.startswith(current.title))


class _Codes:
    """The lesson's code blocks behind a slide's code boxes. A slide shows code as it fits (a
    long line wrapped, a long block split over slides); the script gives the lesson's own text,
    once, with its role (code to type, its output, an error)."""

    def __init__(self, episode):
        self.blocks = [b for b, _ in walk(episode.blocks) if isinstance(b, Code)]
        self.flat = [_squash(b.text) for b in self.blocks]
        self.at = 0
        self.given: set[int] = set()

    def shown(self, plan) -> list[Code]:
        out = []
        for shape in plan.shapes:
            if getattr(shape, "name", "") != CODE_SHAPE or not getattr(shape, "paras", None):
                continue
            text = _squash("".join(para.text for para in shape.paras))
            if not text:
                continue
            found = next((i for i in range(self.at, len(self.blocks)) if text in self.flat[i]),
                         None)
            if found is None:
                continue
            self.at = found
            if found not in self.given:
                self.given.add(found)
                out.append(self.blocks[found])
        return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _timed(episode):
    """The exercises that get slides of their own, in the order the deck shows them: those at
    the top level of the episode, each followed by those nested in it."""
    def flat(ex):
        yield ex
        for c in ex.children:
            if isinstance(c, Special) and c.kind in TIMED:
                yield from flat(c)
    for b in episode.blocks:
        if isinstance(b, Special) and b.kind in TIMED:
            yield from flat(b)
