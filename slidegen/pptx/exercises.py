"""Exercise slides that teach: the task, its time badge, its hints and its figure together on one
slide where they fit; a long code listing beside the task, the task repeated on every slide the
listing continues on; solutions on hidden slides right after, and in the exercise's notes."""
from __future__ import annotations

from ..i18n import t
from ..kinds import SOLUTIONS, TIMED, label
from . import flow
from .elements import CodeElement, NoteOnly
from .heading import heading_shapes
from .notes import blocks_text
from .paginate import Column, Titles, fitted, paginate
from .shapes import SlidePlan
from .teach import full_blocks, task_blocks

TASK_SHARE = 0.42        # of the width, for the task beside a long listing
GUTTER = 24.0
LONG_CODE = 0.4          # code taller than this share of a slide's room is a long listing


def exercise_slides(ctx, ex, crumb: str | None = None) -> list[SlidePlan]:
    visible, solutions, nested = [], [], []
    for c in ex.children:
        if c.type == "special" and c.kind in SOLUTIONS:
            solutions.append(c)
        elif c.type == "special" and c.kind in TIMED:
            nested.append(c)
        else:
            visible.append(c)
    answers = "\n\n".join(f"{s.title or label(s.kind)}:\n{blocks_text(s.children)}" for s in solutions)
    badge = t("{n} min", n=ex.minutes) if ex.minutes is not None else None
    titles = Titles("exercise", ctx.episode, ex, crumb=crumb)

    def build():
        select = task_blocks if ctx.teaching else full_blocks
        elements = flow.elements(ctx, select(visible), select=select)
        return elements + ([NoteOnly(answers)] if answers else [])
    slides = fitted(ctx, "exercise", titles, build, badge=badge, box_kind=ex.kind, allow_empty=True,
                    words=ctx.words("exercise"))
    if len(slides) > 1:
        slides = beside_listing(ctx, titles, build, badge, ex.kind) or slides
    for s in solutions:
        hidden = fitted(ctx, "solution", Titles("solution", ctx.episode, s, ex),
                        lambda s=s: flow.elements(ctx, full_blocks(s.children), select=full_blocks),
                        box_kind="solution",
                        allow_empty=True)
        for h in hidden:
            h.hidden = True
            h.notes = (h.notes + "\n\n" if h.notes else "") + f"{s.title or label(s.kind)} " + t("(hidden slide)")
        slides.extend(hidden)
    for n in nested:
        slides.extend(exercise_slides(ctx, n, crumb))
    return slides


def beside_listing(ctx, titles, build, badge, kind) -> list[SlidePlan] | None:
    """The task in a column beside its long code listing, repeated on every slide the listing
    continues on; None when there is no long listing or the task does not fit its column."""
    lk = ctx.look
    elements = build()
    code = [e for e in elements if isinstance(e, CodeElement)]
    task = [e for e in elements if not isinstance(e, CodeElement) and e.visible]
    if not code or not task:
        return None
    left_w = lk.content_w * TASK_SHARE
    right = Column(lk.left + left_w + GUTTER, lk.content_w - left_w - GUTTER)
    full = lk.bottom - lk.frame.content.y
    if sum(e.height(lk.content_w) for e in code) < LONG_CODE * full:
        return None
    heights = [e.height(left_w) for e in task]
    if sum(heights) + lk.gap * (len(task) - 1) > lk.bottom - _top(ctx, titles, badge, kind):
        return None

    def beside(top):
        shapes, y = [], top
        for e, h in zip(task, heights):
            shapes.extend(e.place(lk.left, y, left_w))
            y += h + lk.gap
        return shapes
    notes = [n for e in elements if not isinstance(e, CodeElement) for n in e.notes]
    flowing = ([NoteOnly("\n\n".join(notes))] if notes else []) + code
    return paginate(ctx, "exercise", titles, flowing, badge=badge, box_kind=kind, column=right,
                    beside=beside)


def _top(ctx, titles, badge, kind) -> float:
    title, crumb = titles(continued=True)
    return heading_shapes(ctx.look, title, badge, kind, crumb)[1]
