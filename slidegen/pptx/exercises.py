"""Exercise slides that teach: the task whole (every paragraph, item, hint and piece of code), its
time badge and its figure, on one slide wherever it fits at the smallest type, else split between
its parts on slides numbered "1/2", "2/2"; solutions on hidden slides right after, and in the
exercise's notes."""
from __future__ import annotations

from ..i18n import t
from ..kinds import SOLUTIONS, TIMED, label
from . import flow
from .elements import NoteOnly
from .notes import blocks_text
from .paginate import Titles, layout
from .shapes import SlidePlan
from .teach import full_blocks


def exercise_slides(ctx, ex, crumb: str | None = None) -> list[SlidePlan]:
    visible, solutions, nested = [], [], []
    for c in ex.children:
        if c.type == "special" and c.kind in SOLUTIONS:
            solutions.append(c)
        elif c.type == "special" and c.kind in TIMED:
            nested.append(c)
        else:
            visible.append(c)
    answers = "\n\n".join(f"{s.title or label(s.kind)}:\n{blocks_text(s.children)}"
                          for s in solutions)
    badge = t("{n} min", n=ex.minutes) if ex.minutes is not None else None
    titles = Titles("exercise", ctx.episode, ex, crumb=crumb)

    def build():                  # the task whole, in teaching decks too: it is read on the slide
        ctx.task = True
        try:
            elements = flow.elements(ctx, full_blocks(visible), select=full_blocks)
        finally:
            ctx.task = False
        return elements + ([NoteOnly(answers)] if answers else [])
    slides = layout(ctx, "exercise", titles, build, badge=badge, box_kind=ex.kind,
                    allow_empty=True, words=ctx.words("exercise"), exercise=True)
    for slide in slides:
        slide.subject = ex
    for s in solutions:
        hidden = layout(ctx, "solution", Titles("solution", ctx.episode, s, ex),
                        lambda s=s: flow.elements(ctx, full_blocks(s.children), select=full_blocks),
                        box_kind="solution", allow_empty=True)
        for h in hidden:
            h.hidden, h.subject = True, ex
            h.notes = (h.notes + "\n\n" if h.notes else "") + \
                f"{s.title or label(s.kind)} " + t("(hidden slide)")
        slides.extend(hidden)
    for n in nested:
        slides.extend(exercise_slides(ctx, n, crumb))
    return slides
