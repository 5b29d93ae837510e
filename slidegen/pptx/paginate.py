"""Pagination: elements onto as many slides as they need under a slide heading (title, time
badge, band and rule), splitting between paragraphs, lines, rows and box children, and the
largest body size that saves a slide."""
from __future__ import annotations

from ..colour import readable_on
from ..kinds import SOLUTIONS, TIMED
from .elements import Element
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, RectShape, SlidePlan, TextShape
from .text import TextStyle, fit_box, fit_lines, line_count, plain_para
from .titles import slide_title


class Pagination:
    """Planner methods that place elements on slides (see plan.Planner). Slides are titled by
    `titles(n)`, n counting the slides before, so that continued slides say so."""

    def titles(self, kind: str, subject=None, parent=None, first: int = 0):
        """The titles of the slides showing `subject` (see titles.slide_title)."""
        return lambda n: slide_title(kind, self.episode, subject, parent, first + n)

    def fitted(self, kind: str, titles, build, **kw) -> list[SlidePlan]:
        """Paginate; for short content that spills onto an extra slide, use the largest smaller
        body size (never below the theme's minimum) that saves that slide."""
        base = self.look
        slides = self.paginate(kind, titles, build(), **kw)
        if 1 < len(slides) <= 3:
            floor = base.theme.deck.body_min
            size = base.body.size - 2
            while size >= floor:
                self.look = base.with_body(size)
                try:
                    trial = self.paginate(kind, titles, build(), **kw)
                finally:
                    self.look = base
                if len(trial) < len(slides):
                    return trial
                size -= 2
        return slides

    def _title_shapes(self, title: str, badge: str | None, box_kind: str | None):
        """The title (in the frame's title area), its time badge, band and rule; and where the
        content may start below them."""
        lk, c, d = self.look, self.look.colours, self.look.theme.deck
        area = lk.frame.title
        x, w, top = area.x, area.w, area.y
        shapes = []
        badge_shapes = []
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
            bp = plain_para(badge, bstyle, align="ctr")
            from .measure import metrics
            bw = metrics(bstyle.family, True).width(badge, bstyle.size) / 0.96 + 36
            bh = bstyle.pitch + 14
            badge_shapes.append(TextShape(x + w - bw, top + 4, bw, bh, [bp], fill=box.colour,
                                          anchor="ctr", rounded=True, name="Time"))
            w -= bw + 16
        if lk.frame.template:
            style = fit_box(style, title, w - INSETS_WIDTH, area.h, max_lines=2, floor=d.body_min)
        else:
            style = fit_lines(style, title, w - INSETS_WIDTH, max_lines=2, floor=d.body_min)
        tp = plain_para(title, style)
        th = max(area.h, line_count(tp, w - INSETS_WIDTH) * style.pitch + INSETS_HEIGHT + style.pitch * 0.3)
        if bar_fill:
            band = RectShape(x, top, area.w, th, bar_fill, name="Title band") if lk.frame.template \
                else RectShape(0, 0, lk.W, top + th + 8, bar_fill, name="Title band")
            shapes.append(band)
        shapes.append(TextShape(x, top, w, th, [tp], anchor="b", title=True))
        shapes.extend(badge_shapes)
        rule_y = max(top + th + 8, lk.frame.content.y)
        shapes.append(RectShape(lk.left, rule_y, lk.content_w, d.title_rule, lk.accent if not bar_fill
                                else lk.box_colours(box_kind).colour, name="Title rule"))
        return shapes, rule_y + d.title_rule + d.title_gap

    def _content_top(self, title: str, badge=None, box_kind=None) -> float:
        return self._title_shapes(title, badge, box_kind)[1]

    def slide(self, kind, title, shapes, notes="", badge=None, box_kind=None) -> SlidePlan:
        head, _ = self._title_shapes(title, badge, box_kind)
        return SlidePlan(kind, title, head + shapes, notes=notes)

    def paginate(self, kind: str, titles, elements: list[Element], badge=None,
                 box_kind=None) -> list[SlidePlan]:
        lk = self.look
        w = lk.content_w
        slides: list[SlidePlan] = []
        queue = list(elements)
        n = 0
        while True:
            t = titles(n)
            head, top = self._title_shapes(t, badge, box_kind)
            y, shapes, notes, placed = top, [], [], 0
            bottom = lk.bottom
            while queue:
                el = queue[0]
                h = el.height(w)
                gap = lk.gap if placed and h > 0 else 0.0
                avail = bottom - y - gap
                if h <= avail and not (el.keep_with_next and len(queue) > 1 and
                                       not _room_for_next(queue[1], w, avail - h - lk.gap)):
                    queue.pop(0)
                    shapes.extend(el.place(lk.left, y + gap, w))
                    notes.extend(el.notes)
                    y += gap + h
                    placed += 1 if h > 0 else 0
                    continue
                if el.keep_with_next and placed:
                    break
                a, b = el.split(w, avail)
                if a is None and not placed:
                    a, b = el.split(w, bottom - y)          # alone on a slide: must split
                    if a is None:               # cannot be split at all: place it and say so
                        a, b = el, None
                        self.warn(f"content too large for one slide on '{t}'; it may overflow")
                if a is not None:
                    queue.pop(0)
                    if b is not None:
                        queue.insert(0, b)
                    shapes.extend(a.place(lk.left, y + gap, w))
                    notes.extend(a.notes)
                    placed += 1
                break
            slides.append(SlidePlan(kind, t, head + shapes, notes="\n\n".join(x for x in notes if x)))
            n += 1
            if not queue:
                break
        return slides


def _room_for_next(el: Element, w: float, avail: float) -> bool:
    if el.height(w) <= avail:
        return True
    a, _ = el.split(w, avail)
    return a is not None
