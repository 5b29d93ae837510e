"""A content slide's heading: its title in the frame's title area, a breadcrumb above it (the
section a subsection belongs to), an exercise's time badge and band, and the rule under it."""
from __future__ import annotations

from ..kinds import SOLUTIONS, TIMED
from ..theme.colour import readable_on
from .measure import metrics
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, TextShape
from .text import TextStyle, fit_box, fit_lines, line_count, plain_para


def heading_shapes(look, title: str, badge: str | None = None, box_kind: str | None = None,
                   breadcrumb: str | None = None) -> tuple[list, float]:
    """The heading's shapes, and where the content may start below them."""
    lk, c, d = look, look.colours, look.theme.deck
    area = lk.frame.title
    x, w, top = area.x, area.w, area.y
    shapes, badge_shapes = [], []
    style = lk.title
    bar_fill = None
    if box_kind in TIMED or box_kind in SOLUTIONS:
        box = lk.box_colours(box_kind)
        bar_fill = box.background
        style = TextStyle(style.family, style.size, readable_on(box.colour, box.background),
                          style.line_spacing, style.code_family, style.link_colour, bold=True)
    if badge:
        box = lk.box_colours(box_kind or "challenge")
        fg = readable_on(c.title_text, box.colour, alternatives=(c.background, c.text))
        bstyle = TextStyle(lk.body.family, lk.body.size, fg, d.title_line_spacing,
                           lk.body.code_family, fg, bold=True)
        bw = metrics(bstyle.family, True).width(badge, bstyle.size) / 0.96 + 36
        bh = bstyle.pitch + 14
        badge_shapes.append(TextShape(x + w - bw, top + 4, bw, bh,
                                      [plain_para(badge, bstyle, align="ctr")],
                                      fill=box.colour, anchor="ctr", rounded=True, name="Time"))
        w -= bw + 16
    crumb_h = 0.0
    if breadcrumb:
        cstyle = TextStyle(lk.body.family, d.body_min,
                           readable_on(c.muted, bar_fill or c.background),
                           lk.body.line_spacing, lk.body.code_family, c.link)
        cp = plain_para(breadcrumb, cstyle)
        crumb_h = cstyle.pitch + INSETS_HEIGHT
        shapes.append(TextShape(x, top, w, crumb_h, [cp], anchor="b", name="Breadcrumb"))
        top += crumb_h
    if lk.frame.template:
        style = fit_box(style, title, w - INSETS_WIDTH, max(area.h - crumb_h, style.pitch),
                        max_lines=2, floor=d.body_min)
    else:
        style = fit_lines(style, title, w - INSETS_WIDTH, max_lines=2, floor=d.body_min)
    tp = plain_para(title, style)
    th = max(area.h - crumb_h, line_count(tp, w - INSETS_WIDTH) * style.pitch + INSETS_HEIGHT
             + style.pitch * 0.3)
    if bar_fill:
        band = RectShape(area.x, area.y, area.w, th + crumb_h, bar_fill, name="Title band") \
            if lk.frame.template \
            else RectShape(0, 0, lk.W, top + th + 8, bar_fill, name="Title band")
        shapes.insert(0, band)
    shapes.append(TextShape(x, top, w, th, [tp], anchor="b", title=True))
    shapes.extend(badge_shapes)
    rule_y = max(top + th + 8, lk.frame.content.y)
    shapes.append(RectShape(lk.left, rule_y, lk.content_w, d.title_rule,
                            lk.accent if not bar_fill else lk.box_colours(box_kind).colour,
                            name="Title rule"))
    return shapes, rule_y + d.title_rule + d.title_gap
