"""A deck's teaching slides: an episode's sections in source order, each exercise on slides
of its own with its time, its solutions on hidden slides after it; the overview and the key
points."""
from __future__ import annotations

from ..i18n import t
from ..kinds import SOLUTIONS, TIMED, label
from ..model import Heading, Special
from ..model import plain as plain_spans
from .elements import NoteOnly, TextElement
from .flow import bullet
from .notes import blocks_text
from .shapes import INSETS_HEIGHT, INSETS_WIDTH, SlidePlan, TextShape
from .text import para, paras_height, plain_para
from .titles import slide_title

def sections(blocks, episode_title: str) -> list[tuple[Heading | None, list]]:
    """(heading, blocks) per section, split at the top-level headings of the highest level used;
    the part before the first heading has none. A section with no blocks is left out unless its
    heading says something the episode title does not."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    top = min([lv for lv in levels if lv >= 2] or levels or [2])
    out = []
    heading, current = None, []
    for b in blocks:
        if isinstance(b, Heading) and b.level <= top:
            if current or out:
                out.append((heading, current))
            heading, current = b, []
        else:
            current.append(b)

    def named(h) -> bool:
        return h is not None and h.text != episode_title
    if current or not out or named(heading):
        out.append((heading, current))
    return [(h, bl) for h, bl in out if bl or named(h)]


class SectionSlides:
    """Planner methods for the slides that teach (see plan.Planner)."""

    def overview_slides(self) -> list[SlidePlan]:
        m = self.episode.meta
        lk = self.look
        cols = [(label(kind), items) for kind, items in (("questions", m.questions),
                                                         ("objectives", m.objectives)) if items]
        col_w = (lk.content_w - 24) / len(cols)
        built = []
        for name, items in cols:
            paras = [plain_para(name, lk.sub)]
            paras += [bullet(para(i, lk.body), 0, space_before=6) for i in items]
            built.append(paras)
        title = slide_title("overview", self.episode)
        avail = lk.bottom - self._content_top(title)
        if all(paras_height(p, col_w - INSETS_WIDTH) + 14 < avail for p in built):
            shapes = []
            for n, paras in enumerate(built):
                x = lk.left + n * (col_w + 24)
                h = paras_height(paras, col_w - INSETS_WIDTH) + INSETS_HEIGHT + lk.body.pitch * 0.35
                shapes.append(TextShape(x, self._content_top(title), col_w, h, paras))
            notes = "\n".join(f"{name}:\n" + "\n".join(f"- {plain_spans(i)}" for i in items)
                              for name, items in cols)
            return [self.slide("overview", title, shapes, notes)]
        elements = [TextElement(p) for p in built]
        return self.paginate("overview", self.titles("overview"), elements)

    def list_slides(self, items, kind: str) -> list[SlidePlan]:
        lk = self.look
        paras = [bullet(para(i, lk.body), 0, space_before=10) for i in items]
        notes = "\n".join(f"- {plain_spans(i)}" for i in items)
        return self.paginate(kind, self.titles(kind), [TextElement(paras, notes=(notes,))])

    def section_slides(self, heading: Heading | None, blocks) -> list[SlidePlan]:
        """Content slides in source order; each exercise interrupts them with its own slides."""
        slides: list[SlidePlan] = []
        pending: list = []
        part = 0

        def flush(force=False):
            nonlocal pending, part
            if not pending and not (force and part == 0):
                return
            blocks = pending
            slides.extend(self.fitted("content", self.titles("content", heading, first=part),
                                      lambda: self.elements(blocks)))
            part += 1
            pending = []

        for b in blocks:
            if isinstance(b, Special) and b.kind in TIMED:
                flush(force=True)
                slides.extend(self.exercise_slides(b))
            else:
                pending.append(b)
        flush(force=(part == 0))
        return slides

    def exercise_slides(self, ex: Special) -> list[SlidePlan]:
        kind = ex.kind
        visible, solutions, nested = [], [], []
        for c in ex.children:
            if isinstance(c, Special) and c.kind in SOLUTIONS:
                solutions.append(c)
            elif isinstance(c, Special) and c.kind in TIMED:
                nested.append(c)
            else:
                visible.append(c)
        notes = []
        for s in solutions:
            notes.append(f"{s.title or label(s.kind)}:\n{blocks_text(s.children)}")
        badge = t("{n} min", n=ex.minutes) if ex.minutes is not None else None

        def build():
            elements = self.elements(visible)
            if solutions:
                elements.append(NoteOnly("\n\n".join(notes)))
            return elements
        slides = self.fitted("exercise", self.titles("exercise", ex), build, badge=badge,
                             box_kind=kind)
        for s in solutions:
            hidden = self.fitted("solution", self.titles("solution", s, ex),
                                 lambda s=s: self.elements(list(s.children)), box_kind="solution")
            for h in hidden:
                h.hidden = True
                h.notes = (h.notes + "\n\n" if h.notes else "") + \
                    f"{s.title or label(s.kind)} " + t("(hidden slide)")
            slides.extend(hidden)
        for n in nested:
            slides.extend(self.exercise_slides(n))
        return slides
