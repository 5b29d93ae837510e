"""Plan a deck: which slides an episode becomes and what goes where, measured so that nothing
overflows. Pure apart from reading image files; the renderer turns the plans into a .pptx.

Slides: a title slide with the timing, an overview (questions, objectives), content slides per
section in source order, each challenge on its own slide(s) with its time and its solutions on
hidden slides right after, and a key-points slide. Prose and instructor notes go to the notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import Diagnostic
from ..model import (Code, Episode, Heading, Image, Lesson, ListBlock, Math, Paragraph, Special, Table, plain as plain_spans)
from ..paths import remote_image_note
from ..theme import Theme
from ..units import PT_PER_PX
from ..read.timing import without_time_statement
from . import pictures
from ..colour import readable_on, visible_on
from .elements import (BoxElement, CodeElement, Element, NoteOnly, PictureElement, TableElement,
                       TableLook, TextElement, prose_of)
from .highlight import tokens
from .look import Look
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, Insets, Para, RectShape, SlidePlan, TextShape
from .text import HANG, INDENT, BULLETS, TextStyle, line_count, para, paras_height, plain_para

EXERCISE_KINDS = ("challenge", "discussion")
MAX_BOX_DEPTH = 3
HIDDEN_KINDS = ("solution",)


@dataclass
class Options:
    allow_remote: bool = False


@dataclass
class Planner:
    lesson: Lesson
    episode: Episode
    look: Look
    options: Options
    diagnostics: list = field(default_factory=list)

    def warn(self, message: str, line: int = 0):
        d = Diagnostic(self.episode.source, line, "warning", message)
        if d not in self.diagnostics:       # trial layouts may meet the same image twice
            self.diagnostics.append(d)

    # -- the deck ----------------------------------------------------------------------------
    def plan(self) -> list[SlidePlan]:
        e = self.episode
        if e.is_break:
            return [self.break_slide()]
        slides = [self.title_slide()]
        if e.meta.questions or e.meta.objectives:
            slides += self.overview_slides()
        for title, blocks in sections(e.blocks, e.title):
            slides += self.section_slides(title, blocks)
        if e.meta.keypoints:
            slides += self.list_slides("Key Points", e.meta.keypoints, "keypoints")
        return slides

    # -- fixed slides --------------------------------------------------------------------------
    def _cover_colours(self) -> tuple[str | None, str, str, str]:
        """(fill, background, text, muted) of title and break slides: the episode's colour (or
        the theme's title colour) fills them, unless a template's own background shows."""
        lk, c, e = self.look, self.look.colours, self.episode
        if lk.frame.template:
            bg = c.background
            fg = readable_on(c.heading, bg, alternatives=(c.text,))
            return None, bg, fg, readable_on(c.muted, bg, alternatives=(fg,))
        bg = e.meta.colour or c.title_background
        fg = readable_on(c.title_text, bg, alternatives=(c.text, c.background))
        return bg, bg, fg, readable_on(c.title_muted, bg, alternatives=(fg,))

    def title_slide(self) -> SlidePlan:
        lk, c, d, e = self.look, self.look.colours, self.look.theme.deck, self.episode
        fill, bg, fg, muted = self._cover_colours()
        big = TextStyle(lk.title.family, d.title_size, fg, d.title_line_spacing,
                        lk.body.code_family, fg, bold=True)
        sub = TextStyle(lk.body.family, d.subtitle_size, muted, d.subtitle_line_spacing,
                        lk.body.code_family, muted)
        timing = timing_line(e)

        def meta_paras(sub):
            meta = [plain_para(self.lesson.config.title, sub, space_before=10)]
            if timing:
                meta.append(plain_para(timing, TextStyle(sub.family, sub.size, fg, sub.line_spacing,
                                                         sub.code_family, fg, bold=True), space_before=6))
            return meta
        bar = d.accent_bar
        accent = visible_on(lk.accent if fill is None or not e.meta.colour else c.accent, bg)
        if lk.frame.template:
            shapes = self._cover_in_template(e.title, big, sub, meta_paras, accent)
        else:
            w = lk.content_w - 4 * bar
            big = _fit_style(big, e.title, w, max_lines=3, floor=d.body_min)
            lines = [plain_para(e.title, big)]
            meta = meta_paras(sub)
            title_h = paras_height(lines, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.4
            meta_h = paras_height(meta, w - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
            top = max(lk.margin, (lk.H - title_h - meta_h - 24) / 2)
            x = lk.left + 2 * bar
            shapes = [RectShape(x - 2 * bar, top, bar, title_h + meta_h + 24, accent, name="Accent"),
                      TextShape(x, top, w, title_h, lines, anchor="b", title=True),
                      TextShape(x, top + title_h + 24, w, meta_h, meta, name="Subtitle")]
        return SlidePlan("title", e.title, shapes, notes=self._intro_notes(), background=fill)

    def _cover_in_template(self, title, big, sub, meta_paras, accent) -> list:
        """A title slide inside the template's title and subtitle placeholders."""
        lk, d = self.look, self.look.theme.deck
        ct, cs = lk.frame.cover_title, lk.frame.cover_sub
        bar = d.accent_bar
        x = ct.x + 2 * bar
        w = ct.right - x
        meta = meta_paras(sub)
        meta_h = paras_height(meta, w - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
        if cs == ct:                  # one area for both: the lesson name and timing below
            ct = replace(ct, h=max(ct.h - meta_h, ct.h / 2))
            cs = replace(cs, y=ct.bottom, h=cs.bottom - ct.bottom)
        big = _fit_box(big, title, w - INSETS_WIDTH, ct.h, max_lines=3, floor=d.body_min)
        lines = [plain_para(title, big)]
        title_h = min(ct.h, paras_height(lines, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.4)
        mx = x if cs.x <= x < cs.right - 72 else cs.x
        mw = cs.right - mx
        if paras_height(meta, mw - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4 > cs.h:
            meta = meta_paras(sub.sized(d.small_size))
        meta_h = paras_height(meta, mw - INSETS_WIDTH) + INSETS_HEIGHT + sub.pitch * 0.4
        return [RectShape(ct.x, ct.bottom - title_h, bar, title_h, accent, name="Accent"),
                TextShape(x, ct.y, w, ct.h, lines, anchor="b", title=True),
                TextShape(mx, cs.y, mw, meta_h, meta, name="Subtitle")]

    def _intro_notes(self) -> str:
        e = self.episode
        parts = [f"{e.title} — {self.lesson.config.title}"]
        t = timing_line(e)
        if t:
            parts.append(t)
        return "\n".join(parts)

    def break_slide(self) -> SlidePlan:
        lk, d, e = self.look, self.look.theme.deck, self.episode
        fill, bg, fg, _ = self._cover_colours()
        area = lk.frame.cover_title if lk.frame.template else None
        x, w = (area.x, area.w) if area else (lk.left, lk.content_w)
        big = TextStyle(lk.title.family, d.title_size, fg, d.title_line_spacing,
                        lk.body.code_family, fg, bold=True)
        big = _fit_box(big, e.title, w - INSETS_WIDTH, area.h if area else lk.H, max_lines=2,
                       floor=d.body_min) if area else \
            _fit_style(big, e.title, w, max_lines=2, floor=d.body_min)
        minutes = e.meta.break_minutes
        sub = TextStyle(lk.body.family, d.title_size * 0.8, fg, d.subtitle_line_spacing,
                        lk.body.code_family, fg)
        paras = [plain_para(e.title, big, align="ctr")]
        if minutes:
            paras.append(plain_para(f"{minutes} min", sub, align="ctr", space_before=12))
        h = paras_height(paras, w - INSETS_WIDTH) + INSETS_HEIGHT + big.pitch * 0.5
        y = (area.y + max(0.0, (area.h - h) / 2)) if area else (lk.H - h) / 2
        shape = TextShape(x, y, w, h, paras, anchor="ctr", title=True)
        return SlidePlan("break", e.title, [shape], notes=f"Break: {minutes or '?'} minutes",
                         background=fill)

    def overview_slides(self) -> list[SlidePlan]:
        m = self.episode.meta
        lk = self.look
        cols = [(label, items) for label, items in (("Questions", m.questions), ("Objectives", m.objectives)) if items]
        col_w = (lk.content_w - 24) / len(cols)
        built = []
        for label, items in cols:
            paras = [plain_para(label, lk.sub)]
            paras += [_bullet(para(i, lk.body), 0, space_before=6) for i in items]
            built.append(paras)
        avail = lk.bottom - self._content_top("Overview")
        if all(paras_height(p, col_w - INSETS_WIDTH) + 14 < avail for p in built):
            shapes = []
            for n, paras in enumerate(built):
                x = lk.left + n * (col_w + 24)
                h = paras_height(paras, col_w - INSETS_WIDTH) + INSETS_HEIGHT + lk.body.pitch * 0.35
                shapes.append(TextShape(x, self._content_top("Overview"), col_w, h, paras))
            notes = "\n".join(f"{label}:\n" + "\n".join(f"- {plain_spans(i)}" for i in items)
                              for label, items in cols)
            return [self.slide("overview", "Overview", shapes, notes)]
        elements = [TextElement(p) for p in built]
        return self.paginate("overview", "Overview", elements)

    def list_slides(self, title: str, items, kind: str) -> list[SlidePlan]:
        lk = self.look
        paras = [_bullet(para(i, lk.body), 0, space_before=10) for i in items]
        notes = "\n".join(f"- {plain_spans(i)}" for i in items)
        return self.paginate(kind, title, [TextElement(paras, notes=(notes,))])

    # -- sections ------------------------------------------------------------------------------
    def section_slides(self, title: str, blocks) -> list[SlidePlan]:
        """Content slides in source order; each exercise interrupts them with its own slides."""
        slides: list[SlidePlan] = []
        pending: list = []
        part = 0

        def flush(force=False):
            nonlocal pending, part
            if not pending and not (force and part == 0):
                return
            t = title if part == 0 else f"{title} (cont.)"
            blocks = pending
            slides.extend(self.fitted("content", t, lambda: self.elements(blocks)))
            part += 1
            pending = []

        for b in blocks:
            if isinstance(b, Special) and b.kind in EXERCISE_KINDS:
                flush(force=True)
                slides.extend(self.exercise_slides(b))
            else:
                pending.append(b)
        flush(force=(part == 0))
        return slides

    def exercise_slides(self, ex: Special) -> list[SlidePlan]:
        kind = ex.kind
        label = "Exercise" if kind == "challenge" else kind.capitalize()
        title = ex.title or label
        visible, solutions, nested = [], [], []
        for c in ex.children:
            if isinstance(c, Special) and c.kind in HIDDEN_KINDS:
                solutions.append(c)
            elif isinstance(c, Special) and c.kind in EXERCISE_KINDS:
                nested.append(c)
            else:
                visible.append(c)
        notes = []
        for s in solutions:
            notes.append(f"{s.title or 'Solution'}:\n{blocks_text(s.children)}")
        badge = f"{ex.minutes} min" if ex.minutes is not None else None
        visible = list(without_time_statement(visible, ex.minutes))    # the badge shows it

        def build():
            elements = self.elements(visible)
            if solutions:
                elements.append(NoteOnly("\n\n".join(notes)))
            return elements
        slides = self.fitted("exercise", title, build, badge=badge, box_kind=kind)
        for s in solutions:
            stitle = s.title or "Solution"
            if stitle.lower().startswith("solution") and ex.title:
                stitle = f"{stitle}: {ex.title}"
            hidden = self.fitted("solution", stitle, lambda s=s: self.elements(list(s.children)),
                                 box_kind="solution")
            for h in hidden:
                h.hidden = True
                h.notes = (h.notes + "\n\n" if h.notes else "") + f"{s.title or 'Solution'} (hidden slide)"
            slides.extend(hidden)
        for n in nested:
            slides.extend(self.exercise_slides(n))
        return slides

    # -- blocks to elements --------------------------------------------------------------------
    def elements(self, blocks, width=None, depth=0) -> list[Element]:
        """Flow elements for blocks; consecutive text merges into one element."""
        lk = self.look
        out: list[Element] = []
        paras: list[Para] = []
        notes: list[str] = []

        def flush_text():
            nonlocal paras, notes
            if paras:
                out.append(TextElement(paras, notes=(prose_of(paras),)))
            paras = []

        for b in blocks:
            if isinstance(b, Paragraph):
                paras.append(para(b.spans, lk.body, space_before=10 if paras else 0))
            elif isinstance(b, Heading):
                flush_text()
                out.append(TextElement([para(b.spans, lk.sub)], keep_with_next=True,
                                       notes=(plain_spans(b.spans),)))
            elif isinstance(b, ListBlock):
                for kind, item in self.list_items(b, 0):
                    if kind == "para":
                        paras.append(item)
                    else:
                        flush_text()
                        out.extend(item)
            elif isinstance(b, Special) and b.kind == "instructor":
                flush_text()
                out.append(NoteOnly(f"Instructor note{': ' + b.title if b.title else ''}\n"
                                    f"{blocks_text(b.children)}"))
            else:
                flush_text()
                out.extend(self.block(b, depth))
        flush_text()
        return out

    def list_items(self, lst: ListBlock, level: int):
        """("para", Para) for list text, ("elements", [...]) for code or images inside items."""
        lk = self.look
        for n, item in enumerate(lst.items):
            first = True
            for b in item:
                if isinstance(b, Paragraph):
                    p = para(b.spans, lk.body, space_before=6)
                    if first:
                        p = _bullet(p, level, number=(lst.start + n) if lst.ordered else None)
                    else:
                        p = _indent(p, level)
                    first = False
                    yield "para", p
                elif isinstance(b, ListBlock):
                    yield from self.list_items(b, level + 1)
                else:
                    first = False
                    yield "elements", self.block(b, 1)

    def block(self, b, depth: int) -> list[Element]:
        lk = self.look
        if isinstance(b, Code):
            look = {"output": lk.output, "error": lk.error}.get(b.role, lk.code)
            default = look.colour
            lines = tokens(b.text.expandtabs(4), b.lang if b.role == "source" else None,
                           lk.palette.code_style, default, look.fill) if b.role == "source" else \
                [[(line, default, False, False)] if line else [] for line in b.text.expandtabs(4).split("\n")]
            return [CodeElement(lines, look, notes=())]
        if isinstance(b, Image):
            return [self.image(b)]
        if isinstance(b, Math):
            return [self.math(b)]
        if isinstance(b, Table):
            body = lk.body.sized(max(lk.theme.deck.body_min, lk.body.size - 2))
            c = lk.colours
            header = TextStyle(body.family, body.size, c.table_header_text,
                               body.line_spacing, body.code_family, c.table_header_text, bold=True)
            look = TableLook(body, header, lk.theme.deck.body_min, c.table_header_background,
                             c.table_stripe, c.background, c.table_border)
            return [TableElement(list(b.header), [list(r) for r in b.rows], look)]
        if isinstance(b, Special):
            if b.kind in HIDDEN_KINDS:
                # A solution outside any exercise: hidden slides are the only safe place.
                return [NoteOnly(f"{b.title or 'Solution'}:\n{blocks_text(b.children)}")]
            look = lk.box(b.kind)
            title = b.title or ("" if b.kind == "quote" else b.kind.capitalize())
            children = self.elements(list(b.children), depth=depth + 1)
            if depth >= MAX_BOX_DEPTH:     # boxes in boxes in boxes: no room left for text
                head = [TextElement([plain_para(title, lk.sub)], keep_with_next=True)] if title else []
                return head + children
            return [BoxElement(title, children, look)]
        return []

    def image(self, b: Image) -> Element:
        lk = self.look
        try:
            pic = pictures.load(self.lesson.root, b.path, b.src, self.options.allow_remote)
        except pictures.PictureError as e:
            if b.remote and not self.options.allow_remote:
                self.warn(remote_image_note(b.src), b.line)
            elif b.path is not None or b.remote:      # the reader already reported missing files
                self.warn(f"image '{b.src}' not shown on the slide: {e}", b.line)
            return self.placeholder(b.alt or b.src, str(e))
        width = None
        if b.width:
            m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*", b.width)
            if m:
                width = float(m.group(1)) * PT_PER_PX
        max_h = lk.bottom - lk.picture_top
        c = lk.colours
        backing = c.picture_background if c.picture_background != c.background else None
        return PictureElement(pic, b.alt or b.src, max_h, width, notes=(f"[Image: {b.alt}]",) if b.alt else (),
                              backing=backing)

    def placeholder(self, alt: str, why: str) -> Element:
        lk = self.look
        box = lk.box("other")
        style = lk.small.__class__(lk.small.family, lk.small.size, readable_on(lk.small.colour, box.background),
                                   lk.small.line_spacing, lk.small.code_family, lk.small.link_colour)
        p = plain_para(f"[Image: {alt}] — {why}", style, align="ctr")
        return TextElement([p], fill=box.background, insets=Insets(10, 10, 10, 10))

    def math(self, b: Math) -> Element:
        from ..mathrender import MathError, typeset
        lk = self.look
        try:
            t = typeset(b.tex, lk.body.size * 1.15, lk.body.colour, fmt="png", dpi=300)
        except MathError as e:
            self.warn(f"math not typeset ({e}); shown as TeX", b.line)
            return CodeElement([[(b.tex, lk.code.colour, False, False)]], lk.code)
        pic = pictures.Picture(t.data, "png", round(t.width_pt / PT_PER_PX), round(t.height_pt / PT_PER_PX))
        max_h = lk.bottom - lk.picture_top
        return PictureElement(pic, b.tex, max_h, t.width_pt)

    # -- pagination ----------------------------------------------------------------------------
    def fitted(self, kind: str, title: str, build, **kw) -> list[SlidePlan]:
        """Paginate; for short content that spills onto an extra slide, use the largest smaller
        body size (never below the theme's minimum) that saves that slide."""
        base = self.look
        slides = self.paginate(kind, title, build(), **kw)
        if 1 < len(slides) <= 3:
            floor = base.theme.deck.body_min
            size = base.body.size - 2
            while size >= floor:
                self.look = base.with_body(size)
                try:
                    trial = self.paginate(kind, title, build(), **kw)
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
        if box_kind in ("challenge", "discussion", "solution"):
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
            style = _fit_box(style, title, w - INSETS_WIDTH, area.h, max_lines=2, floor=d.body_min)
        else:
            style = _fit_style(style, title, w - INSETS_WIDTH, max_lines=2, floor=d.body_min)
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

    def paginate(self, kind: str, title: str, elements: list[Element], badge=None,
                 box_kind=None) -> list[SlidePlan]:
        lk = self.look
        w = lk.content_w
        slides: list[SlidePlan] = []
        queue = list(elements)
        n = 0
        while True:
            t = title if n == 0 else (title if title.endswith("(cont.)") else f"{title} (cont.)")
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


def _fit_box(style: TextStyle, text: str, width: float, height: float, max_lines: int,
             floor: float) -> TextStyle:
    """The largest size, down to `floor`, at which `text` takes at most `max_lines` lines and
    fits `height` (a template's placeholder)."""
    size = style.size
    while size > floor:
        st = style.sized(size)
        n = line_count(plain_para(text, st), width)
        if n <= max_lines and n * st.pitch + INSETS_HEIGHT + st.pitch * 0.4 <= height:
            break
        size -= 2
    return style.sized(max(size, floor))


def _fit_style(style: TextStyle, text: str, width: float, max_lines: int, floor: float) -> TextStyle:
    """The largest size, down to `floor`, at which `text` takes at most `max_lines` lines."""
    size = style.size
    while size > floor:
        p = plain_para(text, style.sized(size))
        if line_count(p, width) <= max_lines:
            break
        size -= 2
    return style.sized(max(size, floor))


def _bullet(p: Para, level: int, number: int | None = None, space_before=None) -> Para:
    from dataclasses import replace
    return replace(p, bullet=None if number is not None else BULLETS[level % len(BULLETS)],
                   number=number, level=level, margin=INDENT * level + HANG + 6, hang=HANG + 6,
                   space_before=p.space_before if space_before is None else space_before)


def _indent(p: Para, level: int) -> Para:
    from dataclasses import replace
    return replace(p, margin=INDENT * level + HANG + 6, level=level)


def sections(blocks, episode_title: str):
    """(title, blocks) per section: split at the top-level headings of the highest level used."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    top = min([lv for lv in levels if lv >= 2] or levels or [2])
    out = []
    title, current = episode_title, []
    for b in blocks:
        if isinstance(b, Heading) and b.level <= top:
            if current or out:
                out.append((title, current))
            title, current = b.text, []
        else:
            current.append(b)
    if current or not out or title != episode_title:
        out.append((title, current))
    return [(t, bl) for t, bl in out if bl or t != episode_title]


def timing_line(e: Episode) -> str:
    m = e.meta
    parts = []
    if m.teaching is not None:
        parts.append(f"Teaching {m.teaching} min")
    if m.exercises is not None:
        parts.append(f"Exercises {m.exercises} min")
    return " · ".join(parts)


def blocks_text(blocks, indent: str = "") -> str:
    """Plain text of blocks, for speaker notes."""
    out = []
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            out.append(indent + plain_spans(b.spans))
        elif isinstance(b, Code):
            out.append("\n".join(indent + "    " + line for line in b.text.split("\n")))
        elif isinstance(b, ListBlock):
            for n, item in enumerate(b.items):
                mark = f"{b.start + n}." if b.ordered else "-"
                text = blocks_text(item, indent + "  ").lstrip()
                out.append(f"{indent}{mark} {text}")
        elif isinstance(b, Special):
            head = b.title or b.kind.capitalize()
            out.append(f"{indent}[{head}]\n{blocks_text(b.children, indent)}")
        elif isinstance(b, Image):
            out.append(f"{indent}[Image: {b.alt or b.src}]")
        elif isinstance(b, Math):
            out.append(indent + b.tex)
        elif isinstance(b, Table):
            out.append("\n".join(indent + " | ".join(plain_spans(c) for c in row)
                                 for row in ((b.header,) + b.rows)))
    return "\n".join(x for x in out if x.strip())


def plan_deck(lesson: Lesson, episode: Episode, theme: Theme, options: Options | None = None):
    """(slides, diagnostics) for one episode."""
    planner = Planner(lesson, episode, Look.of(theme, episode.meta.colour), options or Options())
    return planner.plan(), planner.diagnostics
