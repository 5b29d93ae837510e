"""An episode's summaries on slides: the overview (questions and objectives side by side) and the
key points; a list that continues on another slide keeps its label."""
from __future__ import annotations

from ..kinds import label
from ..model import plain as plain_spans
from .costs import SPARSE_WORDS
from .elements import TextElement
from .flow import bullet
from .heading import heading_shapes
from .notes import spoken
from .paginate import Titles, layout
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, SlidePlan, TextShape
from .text import para, paras_height, plain_para
from .titles import slide_title

COLUMN_GAP = 24.0


def overview_slides(ctx) -> list[SlidePlan]:
    """Questions and objectives side by side, at the largest type size at which both columns
    fit; else one after the other over as many slides as they need."""
    m = ctx.episode.meta
    cols = [(label(kind), items) for kind, items in (("questions", m.questions),
                                                     ("objectives", m.objectives)) if items]
    notes = "\n".join(f"{name}:\n" + "\n".join(f"- {spoken(i)}" for i in items)
                      for name, items in cols)
    title = slide_title("overview", ctx.episode)
    for lk in reversed(ctx.look.levels()):
        slide = _columns(lk, title, cols)
        if slide is not None:
            slide.notes = notes
            return [slide]

    def build():
        return [TextElement([name] + items, label=name) for name, items in _built(ctx.look, cols)]
    slides = layout(ctx, "overview", Titles("overview", ctx.episode), build)
    slides[0].notes = notes
    return slides


def _built(lk, cols) -> list[tuple]:
    return [(plain_para(name, lk.sub),
             [bullet(para(i, lk.body), 0, space_before=6) for i in items]) for name, items in cols]


def _columns(lk, title: str, cols, kind: str = "overview") -> SlidePlan | None:
    """The overview as columns side by side at this look's sizes, or None when they do not fit."""
    head, top = heading_shapes(lk, title)
    col_w = (lk.content_w - COLUMN_GAP * (len(cols) - 1)) / len(cols)
    built = _built(lk, cols)
    if not all(paras_height([name] + items, col_w - INSETS_WIDTH) + 14 < lk.bottom - top
               for name, items in built):
        return None
    shapes = []
    for n, (name, items) in enumerate(built):
        x = lk.left + n * (col_w + COLUMN_GAP)
        h = paras_height([name] + items, col_w - INSETS_WIDTH) + INSETS_HEIGHT + \
            lk.body.pitch * 0.35
        shapes.append(TextShape(x, top, col_w, h, [name] + items))
    return SlidePlan(kind, title, head + shapes)


def keypoints_slides(ctx) -> list[SlidePlan]:
    """The key points; a single short one beside the questions it answers (alone it would
    leave the slide all but empty)."""
    m = ctx.episode.meta
    items = m.keypoints
    notes = "\n".join(f"- {spoken(i)}" for i in items)
    if sum(len(plain_spans(i).split()) for i in items) <= SPARSE_WORDS and m.questions:
        cols = [(label("keypoints"), items), (label("questions"), m.questions)]
        title = slide_title("keypoints", ctx.episode)
        for lk in reversed(ctx.look.levels()):
            slide = _columns(lk, title, cols, kind="keypoints")
            if slide is not None:
                slide.notes = notes
                return [slide]

    def build():
        paras = [bullet(para(i, ctx.look.body), 0, space_before=10) for i in items]
        return [TextElement(paras, notes=(notes,))]
    return layout(ctx, "keypoints", Titles("keypoints", ctx.episode), build,
                  words=ctx.words("keypoints"))
