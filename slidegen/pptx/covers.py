"""A deck's cover slides: the title slide (the episode, its lesson and timing) and a break's
slide, filled with the episode's colour unless a template's own background shows."""
from __future__ import annotations

from dataclasses import replace

from ..i18n import t
from ..theme.colour import readable_on, visible_on
from ..workshop.schedule import clock_line, lesson_schedule
from ..workshop.timing import timing_line
from .notes import blocks_text
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, SlidePlan, TextShape
from .text import TextStyle, fit_box, fit_lines, paras_height, plain_para
from .titles import slide_title


def _cover_colours(ctx) -> tuple[str | None, str, str, str]:
    """(fill, background, text, muted) of title and break slides: the episode's colour (or
    the theme's title colour) fills them, unless a template's own background shows."""
    lk, c, e = ctx.look, ctx.look.colours, ctx.episode
    if lk.frame.template:
        bg = c.background
        fg = readable_on(c.heading, bg, alternatives=(c.text,))
        return None, bg, fg, readable_on(c.muted, bg, alternatives=(fg,))
    bg = e.meta.colour or c.title_background
    fg = readable_on(c.title_text, bg, alternatives=(c.text, c.background))
    return bg, bg, fg, readable_on(c.title_muted, bg, alternatives=(fg,))

def title_slide(ctx) -> SlidePlan:
    lk, c, d, e = ctx.look, ctx.look.colours, ctx.look.theme.deck, ctx.episode
    fill, bg, fg, muted = _cover_colours(ctx)
    big = TextStyle(lk.title.family, d.title_size, fg, d.title_line_spacing,
                    lk.body.code_family, fg, bold=True)
    sub = TextStyle(lk.body.family, d.subtitle_size, muted, d.subtitle_line_spacing,
                    lk.body.code_family, muted)
    timing = timing_line(e.meta)
    clock = clock_line(lesson_schedule(ctx.lesson), e.source, offsets=False)
    title = slide_title("title", e)

    def meta_paras(sub):
        meta = [plain_para(ctx.lesson.config.title, sub, space_before=10)]
        strong = TextStyle(sub.family, sub.size, fg, sub.line_spacing, sub.code_family, fg,
                           bold=True)
        meta += [plain_para(line, strong, space_before=6) for line in (timing, clock) if line]
        return meta
    bar = d.accent_bar
    accent = visible_on(lk.accent if fill is None or not e.meta.colour else c.accent, bg)
    if lk.frame.template:
        shapes = _cover_in_template(ctx, title, big, sub, meta_paras, accent)
    else:
        w = lk.content_w - 4 * bar
        big = fit_lines(big, title, w, max_lines=3, floor=d.body_min)
        lines = [plain_para(title, big)]
        meta = meta_paras(sub)
        title_h = paras_height(lines, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.4
        meta_h = paras_height(meta, w - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
        top = max(lk.margin, (lk.H - title_h - meta_h - 24) / 2)
        x = lk.left + 2 * bar
        shapes = [RectShape(x - 2 * bar, top, bar, title_h + meta_h + 24, accent, name="Accent"),
                  TextShape(x, top, w, title_h, lines, anchor="b", title=True),
                  TextShape(x, top + title_h + 24, w, meta_h, meta, name="Subtitle")]
    return SlidePlan("title", title, shapes, notes=_intro_notes(ctx), background=fill)

def _cover_in_template(ctx, title, big, sub, meta_paras, accent) -> list:
    """A title slide inside the template's title and subtitle placeholders."""
    lk, d = ctx.look, ctx.look.theme.deck
    ct, cs = lk.frame.cover_title, lk.frame.cover_sub
    bar = d.accent_bar
    x = ct.x + 2 * bar
    w = ct.right - x
    meta = meta_paras(sub)
    meta_h = paras_height(meta, w - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
    if cs == ct:                  # one area for both: the lesson name and timing below
        ct = replace(ct, h=max(ct.h - meta_h, ct.h / 2))
        cs = replace(cs, y=ct.bottom, h=cs.bottom - ct.bottom)
    big = fit_box(big, title, w - INSETS_WIDTH, ct.h, max_lines=3, floor=d.body_min)
    lines = [plain_para(title, big)]
    title_h = min(ct.h, paras_height(lines, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.4)
    mx = x if cs.x <= x < cs.right - 72 else cs.x
    mw = cs.right - mx
    if paras_height(meta, mw - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4 > cs.h:
        meta = meta_paras(sub.sized(max(d.small_size, d.body_min)))
    meta_h = paras_height(meta, mw - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
    return [RectShape(ct.x, ct.bottom - title_h, bar, title_h, accent, name="Accent"),
            TextShape(x, ct.y, w, ct.h, lines, anchor="b", title=True),
            TextShape(mx, cs.y, mw, meta_h, meta, name="Subtitle")]

def _intro_notes(ctx) -> str:
    e = ctx.episode
    parts = [f"{e.title} — {ctx.lesson.config.title}"]
    parts += [line for line in (timing_line(e.meta),
                                clock_line(lesson_schedule(ctx.lesson), e.source)) if line]
    parts.extend(ctx.lesson.config.notices)     # said once per deck, on its title slide
    return "\n".join(parts)


def break_slide(ctx) -> SlidePlan:
    lk, d, e = ctx.look, ctx.look.theme.deck, ctx.episode
    fill, bg, fg, _ = _cover_colours(ctx)
    title = slide_title("break", e)
    area = lk.frame.cover_title if lk.frame.template else None
    x, w = (area.x, area.w) if area else (lk.left, lk.content_w)
    big = TextStyle(lk.title.family, d.title_size, fg, d.title_line_spacing,
                    lk.body.code_family, fg, bold=True)
    big = fit_box(big, title, w - INSETS_WIDTH, area.h if area else lk.H, max_lines=2,
                   floor=d.body_min) if area else \
        fit_lines(big, title, w, max_lines=2, floor=d.body_min)
    minutes = e.meta.break_minutes
    sub = TextStyle(lk.body.family, d.title_size * 0.8, fg, d.subtitle_line_spacing,
                    lk.body.code_family, fg)
    paras = [plain_para(title, big, align="ctr")]
    clock = clock_line(lesson_schedule(ctx.lesson), e.source, offsets=False)
    when = " · ".join(x for x in (clock, t("{n} min", n=minutes) if minutes else "") if x)
    if when:
        paras.append(plain_para(when, sub, align="ctr", space_before=12))
    h = paras_height(paras, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.5
    y = (area.y + max(0.0, (area.h - h) / 2)) if area else (lk.H - h) / 2
    shape = TextShape(x, y, w, h, paras, anchor="ctr", title=True)
    said = blocks_text(e.blocks)       # what the break's page says, for the instructor
    notes = t("Break: {n} minutes", n=minutes or "?") + (f"\n\n{said}" if said.strip() else "")
    return SlidePlan("break", title, [shape], notes=notes, background=fill)
