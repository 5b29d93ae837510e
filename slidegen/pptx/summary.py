"""An episode's summaries on slides: the overview (questions and objectives side by side) and the
key points; a list that continues on another slide keeps its label."""
from __future__ import annotations

from ..kinds import label
from ..model import plain as plain_spans
from .elements import TextElement
from .flow import bullet
from .heading import heading_shapes
from .paginate import Titles, paginate
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, SlidePlan, TextShape
from .text import para, paras_height, plain_para
from .titles import slide_title

COLUMN_GAP = 24.0


def overview_slides(ctx) -> list[SlidePlan]:
    m, lk = ctx.episode.meta, ctx.look
    cols = [(label(kind), items) for kind, items in (("questions", m.questions),
                                                     ("objectives", m.objectives)) if items]
    notes = "\n".join(f"{name}:\n" + "\n".join(f"- {plain_spans(i)}" for i in items)
                      for name, items in cols)
    built = [(plain_para(name, lk.sub), [bullet(para(i, lk.body), 0, space_before=6) for i in items])
             for name, items in cols]
    title = slide_title("overview", ctx.episode)
    head, top = heading_shapes(lk, title)
    col_w = (lk.content_w - COLUMN_GAP * (len(cols) - 1)) / len(cols)
    if all(paras_height([name] + items, col_w - INSETS_WIDTH) + 14 < lk.bottom - top for name, items in built):
        shapes = []
        for n, (name, items) in enumerate(built):
            x = lk.left + n * (col_w + COLUMN_GAP)
            h = paras_height([name] + items, col_w - INSETS_WIDTH) + INSETS_HEIGHT + lk.body.pitch * 0.35
            shapes.append(TextShape(x, top, col_w, h, [name] + items))
        return [SlidePlan("overview", title, head + shapes, notes=notes)]
    elements = [TextElement([name] + items, label=name) for name, items in built]
    slides = paginate(ctx, "overview", Titles("overview", ctx.episode), elements)
    slides[0].notes = notes
    return slides


def keypoints_slides(ctx) -> list[SlidePlan]:
    lk, items = ctx.look, ctx.episode.meta.keypoints
    paras = [bullet(para(i, lk.body), 0, space_before=10) for i in items]
    notes = "\n".join(f"- {plain_spans(i)}" for i in items)
    return paginate(ctx, "keypoints", Titles("keypoints", ctx.episode), [TextElement(paras, notes=(notes,))],
                    words=ctx.words("keypoints"))
