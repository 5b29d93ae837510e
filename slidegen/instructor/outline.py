"""What the script takes from the deck: its slides in order, as the deck writer plans them.

This is the one place that knows the deck planner (`pptx.plan.plan_deck`, the `SlidePlan`
fields kind/title/notes/hidden/subject, and the lesson's blocks its shapes show), so the script
and the deck agree on every slide and a change to the planner touches only this module. Slide
numbers are the plan's own positions: the script is the deck that was built, slide for slide.

An exercise is shown once, from the lesson model, with everything it holds (the task, hints,
solutions, instructor notes); its slides (the plan's slides whose `subject` it is: "1/2", "2/2"
and the hidden solutions) are counted in its entry rather than repeated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Code, Special
from ..pptx.notes import blocks_text
from ..pptx.plan import Options, plan_deck


@dataclass
class ScriptSlide:
    """One entry of the script: a slide (or an exercise's run of slides)."""
    number: int                      # the deck's slide number (from 1)
    last: int                        # the last visible slide it covers
    kind: str
    title: str
    hidden: bool
    notes: str = ""
    code: list[Code] = field(default_factory=list)     # the lesson's code blocks it shows
    exercise: Special | None = None  # the model's exercise, shown in full
    solutions: tuple[int, int] | None = None   # its hidden solution slides (first, last)


def script_slides(lesson, episode, theme, options: Options | None = None) -> tuple[list, list]:
    """(entries, diagnostics) for one episode, in teaching order; `options`: the deck's own
    (teaching or full slides), so that the numbers are the built deck's."""
    plans, diagnostics = plan_deck(lesson, episode, theme, options or Options())
    codes = _Codes()
    entries: list[ScriptSlide] = []
    for n, p in enumerate(plans, 1):
        current = entries[-1] if entries else None
        if current is not None and current.exercise is not None and p.subject is current.exercise:
            _extend(current, p, n)
            continue
        notes = "" if p.kind == "title" else p.notes.strip()   # the title slide's repeat the head
        entry = ScriptSlide(n, n, p.kind, p.title, p.hidden, notes)
        if p.kind == "exercise" and isinstance(p.subject, Special):
            entry.exercise = p.subject
            entry.notes = _beyond(notes, entry.exercise)
        entry.code = codes.shown(p)
        entries.append(entry)
    return entries, diagnostics


def _extend(entry: ScriptSlide, plan, n: int) -> None:
    """An exercise's entry takes in its next slide (a visible part, or a hidden solution)."""
    if plan.hidden:
        first = entry.solutions[0] if entry.solutions else n
        entry.solutions = (first, n)
    else:
        entry.last = n


def _beyond(notes: str, exercise: Special | None) -> str:
    """What an exercise slide's notes say besides the exercise the script prints in full (the
    deck gives a neighbouring instructor note to the exercise's slide)."""
    if exercise is None:
        return notes
    shown = _squash(exercise.title + blocks_text(exercise.children))
    kept = [c for c in re.split(r"\n\s*\n", notes)
            if _squash(c) and _squash(re.sub(r"^[^:\n]{1,40}:\s*", "", c)) not in shown]
    return "\n\n".join(kept).strip()


class _Codes:
    """The lesson's code blocks behind a slide's code boxes (the block each box shows, as the
    planner names it). A slide shows code as it fits (a long line wrapped, a long block split
    over slides or cut short); the script gives the lesson's own text, once, with its role
    (code to type, its output, an error)."""

    def __init__(self):
        self.given: set[int] = set()

    def shown(self, plan) -> list[Code]:
        out = []
        for shape in plan.shapes:
            block = getattr(shape, "source", None)
            if isinstance(block, Code) and id(block) not in self.given:
                self.given.add(id(block))
                out.append(block)
        return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)

