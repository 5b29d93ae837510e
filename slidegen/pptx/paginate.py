"""Pagination: elements onto as many slides as they need, split where a designer would split.

Elements split between paragraphs, list items, code lines (never fewer than four on a slide),
table rows and box children; what introduces the next element stays with it, and code with its
output when both fit. A subsection that starts a slide titles it, with its section as a
breadcrumb. When the last slide would be nearly empty, the content is spread evenly over the same
number of slides instead. Notes of what is not shown go to the slide that shows what follows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..i18n import t
from .elements import BoxElement, Element, PictureElement, TextElement
from .flow import Subsection
from .heading import heading_shapes
from .keep import has_content, next_fits, promotable, together, whole_fits
from .shapes import SlidePlan
from .titles import CONTINUED, slide_title

SAVE_UP_TO = 6         # content this long may take a smaller text size to save a slide
REST_WORDS = 15        # nor does text split by words leave fewer on the next slide
MIN_WORDS = 12         # text that starts under others on a slide shows at least this much
LIGHT = 0.45           # a last slide filled less than this is spread with the ones before
STEPS = (0.92, 0.84, 0.76, 0.68, 0.6, 0.52)   # shares of the room tried when spreading


@dataclass
class Column:
    """Where content flows: a slide's whole width, or one column of it."""
    x: float
    w: float


@dataclass
class Titles:
    """The titles of the slides that show one thing: a section (its subsections, and titled boxes
    that start a slide, titling the slides they start), an exercise, a solution or a summary.

    A slide says "(cont.)" only when it begins with the rest of something split across slides
    (a listing, a list, a table, a box); one that begins with something new carries the title
    alone."""
    kind: str
    episode: object
    subject: object = None
    parent: object = None
    crumb: str | None = None      # a breadcrumb for every slide (an exercise's section)
    promote: bool = False         # a titled box that starts a slide titles it (content slides)

    def __call__(self, sub=None, box: str | None = None, continued: bool = False) -> tuple[str, str | None]:
        """(title, breadcrumb) of a slide of this subject, of a subsection's (`sub`), or of a
        slide a titled box (`box`) starts; `continued`: it begins with a split's rest."""
        part = int(continued)
        if box is not None:
            return box, sub.text if sub is not None else slide_title(self.kind, self.episode, self.subject)
        if sub is not None:
            return slide_title(self.kind, self.episode, sub, part=part), \
                slide_title(self.kind, self.episode, self.subject)
        return slide_title(self.kind, self.episode, self.subject, self.parent, part), self.crumb


def paginate(ctx, kind: str, titles: Titles, elements: list[Element], badge=None, box_kind=None,
             column: Column | None = None, beside: Callable | None = None,
             allow_empty: bool = False, words: int | None = None) -> list[SlidePlan]:
    """Slides for `elements` (none when nothing in them shows, unless `allow_empty`); spread
    evenly when the last one would be nearly empty. `beside(top)` gives shapes every slide
    repeats beside the column (an exercise's task). `words`: text that would take a slide past
    this many words goes on to the next (teaching slides are read at a glance)."""
    if not allow_empty and not any(e.visible for e in elements):
        return []
    lk = ctx.look
    column = column or Column(lk.left, lk.content_w)
    pager = _Pager(ctx, kind, titles, badge, box_kind, column, beside, words)
    slides, fill = pager.run(elements, 1.0)
    if len(slides) < 2 or fill >= LIGHT:
        return slides
    stranded = pager.stranded
    for share in STEPS:
        trial, _ = pager.run(elements, share)
        if len(trial) != len(slides) or pager.stranded > stranded:
            break                             # not spread over the same slides, or worse kept
        slides = trial
    return slides


@dataclass
class _Slide:
    """The slide being filled."""
    title: str
    head: list
    top: float
    room: float
    shapes: list
    notes: list = field(default_factory=list)
    y: float = 0.0
    placed: int = 0
    said: int = 0                 # words on it
    kept: bool = False            # the last element placed stays with the next
    problems: list = field(default_factory=list)


@dataclass
class _Pager:
    ctx: object
    kind: str
    titles: Titles
    badge: str | None
    box_kind: str | None
    col: Column
    beside: Callable | None
    budget: int | None

    def run(self, elements, share: float) -> tuple[list[SlidePlan], float]:
        """(slides, share of the last slide's room used), filling each slide up to `share` of
        its room."""
        self.queue, self.held = list(elements), []
        self.sub, self.box, self.continued = None, None, False
        self.stranded = 0                     # slides ending in what should stay with the next
        slides, fill = [], 0.0
        while any(e.visible for e in self.queue) or not slides:
            slide = self._start(share)
            while self.queue and self._place_next(slide):
                pass
            self.stranded += slide.kept and any(e.visible for e in self.queue)
            if not any(e.visible for e in self.queue):
                slide.notes.extend(self.held + [n for e in self.queue for n in e.notes])
                self.held, self.queue = [], []
            fill = (slide.y - slide.top) / slide.room if slide.room > 0 else 1.0
            slides.append(SlidePlan(self.kind, slide.title, slide.head + slide.shapes,
                                    notes="\n\n".join(x for x in slide.notes if x),
                                    problems=slide.problems))
        return slides, fill

    def _start(self, share: float) -> _Slide:
        """A new slide, titled by what it begins with: a subsection, a titled box, or the rest of
        something split ("(cont.)")."""
        q = self.queue
        if q and isinstance(q[0], Subsection) and has_content(q):
            self.sub, self.box = q.pop(0).heading, None
        if self.titles.promote and q and promotable(q[0]):
            el = q.pop(0)
            self.box = el.title + (f" {t(CONTINUED)}" if el.cont else "")
            q.insert(0, el.untitled())
        elif self.box is not None and self.continued and q and isinstance(q[0], BoxElement):
            self.box = self.box if self.box.endswith(t(CONTINUED)) else f"{self.box} {t(CONTINUED)}"
        else:
            self.box = None
        title, crumb = self.titles(self.sub, self.box, self.continued)
        self.continued = False
        head, top = heading_shapes(self.ctx.look, title, self.badge, self.box_kind, crumb)
        shapes = list(self.beside(top)) if self.beside else []
        return _Slide(title, head, top, (self.ctx.look.bottom - top) * share, shapes, y=top)

    def _place_next(self, s: _Slide) -> bool:
        """Place queue[0] (or its first part) on the slide; False when the slide is done."""
        lk, w, el = self.ctx.look, self.col.w, self.queue[0]
        if not el.visible:
            self.held.extend(self.queue.pop(0).notes)
            return True
        if s.placed and isinstance(el, Subsection) and not whole_fits(self.queue, w, s.top + s.room - s.y, lk.gap):
            return False                      # the subsection starts the next slide, as its title
        if s.placed and self.titles.promote and promotable(el) and el.height(w) > s.top + s.room - s.y - lk.gap:
            return False                      # so does a titled box that does not fit under it
        gap = lk.gap if s.placed else 0.0
        avail = s.top + s.room - s.y - gap
        avail, by_words = self._word_room(s, el, avail)
        if avail is None:
            return False
        piece, split = self._fit(s, el, avail, by_words)
        if piece is None:
            return False
        if isinstance(piece, Subsection):
            self.sub = piece.heading
        h = piece.height(w)
        s.shapes.extend(piece.place(self.col.x, s.y + gap, w))
        s.notes.extend(self.held + list(piece.notes))
        self.held = []
        s.y += gap + h
        s.placed += 1
        s.said += piece.words()
        s.kept = piece.keep_with_next
        return not (split or self.box is not None)   # a box that titles its slide has it alone

    def _word_room(self, s: _Slide, el, avail: float):
        """(room, cut by the word budget) for `el`; room None: it starts the next slide."""
        if self.budget is None or s.said + el.words() <= self.budget:
            return avail, False
        if not isinstance(el, TextElement):
            return (None, False) if s.placed and not s.kept else (avail, False)
        if s.placed and self.budget - s.said < MIN_WORDS:
            return None, False
        return min(avail, el.room_for(self.col.w, max(self.budget - s.said, MIN_WORDS))), True

    def _fit(self, s: _Slide, el, avail: float, by_words: bool):
        """(what of `el` goes on the slide, whether the rest waits in the queue); (None, False)
        when it starts the next slide."""
        lk, w = self.ctx.look, self.col.w
        full = lk.bottom - s.top
        small = self._beside_question(el, avail)
        if small is not None:
            self.queue.pop(0)
            return small, False
        h = el.height(w)
        if h <= avail and (not s.placed or next_fits(self.queue, w, avail - h - lk.gap, full, lk.gap)):
            self.queue.pop(0)
            return el, False
        if el.keep_with_next and s.placed and together(self.queue, w, full, lk.gap):
            return None, False                # it moves on with what it introduces
        a, b = el.split(w, avail, forced=not s.placed and not by_words)
        if by_words and (a is None or b is not None and b.words() < REST_WORDS) and h <= s.top + s.room - s.y:
            if s.placed and not s.kept:
                return None, False            # it starts the next slide whole
            a, b = el, None                   # no good break within the words (or what
            #                                   introduces it is on this slide): whole
        if a is None:
            if s.placed:
                return None, False
            a, b = el, None                   # cannot split: alone on its slide, and said so
            if h > full:
                s.problems.append(f"content too large for one slide on '{s.title}'; it may overflow")
        self.queue[0:1] = [b] if b is not None else []
        self.continued = b is not None
        return a, b is not None


    def _beside_question(self, el, avail: float):
        """A figure that keeps the question after it on its slide, shrunk (within its limit)
        to leave room for it; None when it need not or cannot be."""
        w, gap = self.col.w, self.ctx.look.gap
        if not (isinstance(el, PictureElement) and el.keep_with_next):
            return None
        nxt = next((e for e in self.queue[1:] if e.visible), None)
        if nxt is None or el.height(w) + gap + nxt.height(w) <= avail:
            return None
        return el.split(w, avail - gap - nxt.height(w))[0]


def fitted(ctx, kind: str, titles: Titles, build: Callable, **kw) -> list[SlidePlan]:
    """Paginate `build()`'s elements; when short content spills onto an extra slide, use the
    largest smaller body size (never below the theme's minimum) that saves that slide."""
    base = ctx.look
    slides = paginate(ctx, kind, titles, build(), **kw)
    if 1 < len(slides) <= SAVE_UP_TO:
        size = base.body.size - 2
        while size >= base.theme.deck.body_min:
            ctx.look = base.with_body(size)
            try:
                trial = paginate(ctx, kind, titles, build(), **kw)
            finally:
                ctx.look = base
            if len(trial) < len(slides):
                return trial
            size -= 2
    return slides
