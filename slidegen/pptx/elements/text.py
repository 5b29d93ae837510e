"""Text elements: paragraphs and list items in one text box. They split between paragraphs or
list items, never inside a sentence; a long paragraph may split between its sentences, at a
price (costs.py) that makes it happen only when the paragraph cannot fit otherwise."""
from __future__ import annotations

from dataclasses import replace
from functools import cached_property, lru_cache

from ...i18n import t
from ..costs import LIST_WORDS
from ..sentences import boundaries, cut
from ..shapes import Insets, Para, TextShape
from ..text import line_count, plain
from ..titles import CONTINUED
from .base import SLACK, Element

SHORT_LIST = 3          # a list of no more items than this stays on one slide
LONG_PARAGRAPH = 40     # a paragraph of more words may split between its sentences
DEFAULT_INSETS = Insets()     # a text box's unless given its own (frozen: one serves all)


class TextElement(Element):
    """Paragraphs in one text box. `label` (a list's name, "Objectives") heads every part of it
    when it splits, marked as continued."""

    def __init__(self, paras: list[Para], insets: Insets = DEFAULT_INSETS, notes=(),
                 keep_with_next=False,
                 fill: str | None = None, label: Para | None = None, name: str = "Text",
                 whole: bool = False):
        self.paras = paras
        self.insets = insets
        self.notes = tuple(notes)
        self.keep_with_next = keep_with_next
        self.fill = fill
        self.label = label
        self.name = name
        self.whole = whole            # one piece (a figure's description): it moves, never splits
        self.heading = name == "Subheading"
        self._heights: dict = {}       # (a, b, width) -> a piece's height
        self._words: dict = {}         # (a, b) -> its words
        self._made: dict = {}          # group (_groups) -> its paragraph
        self._lines: dict = {}         # (group, width) -> its lines

    def _inner(self, w):
        return w - self.insets.left - self.insets.right

    def words(self) -> int:
        return sum(len(plain(p).split()) for p in self.paras)

    def height(self, w):
        return self._measured([(i, 0, 0) for i in range(len(self.paras))], w)

    def _measured(self, groups: list[tuple[int, int, int]], w) -> float:
        """The height of these paragraphs (`_groups`) in this element's insets, from each one's
        line count at this width, kept however many parts it is in (a first paragraph's space
        before does not count: a part's need not lose it first, and then measures as the same
        paragraph whole, whose line counts are known)."""
        inner, total, pitch = self._inner(w), 0.0, 0.0
        for n, group in enumerate(groups):
            p = self._para(group)
            lines = self._lines.get((group, inner))
            if lines is None:
                lines = self._lines[(group, inner)] = line_count(p, inner)
            total += (p.space_before if n else 0.0) + lines * p.pitch
            pitch = max(pitch, p.pitch)
        return self.insets.top + self.insets.bottom + total + pitch * SLACK

    # -- units: whole paragraphs, or the sentences of a long one ---------------------------
    @cached_property
    def segments(self) -> list[tuple[int, int, int]]:
        """(paragraph, first sentence, end sentence) per unit."""
        out = []
        for i, p in enumerate(self.paras):
            n = len(_sentences(p)) if not self.whole and len(plain(p).split()) > LONG_PARAGRAPH \
                else 1
            out += [(i, s, s + 1) for s in range(n)] if n > 1 else [(i, 0, 0)]
        return out

    def units(self) -> int:
        return 1 if self.whole else len(self.segments)

    def split_kind(self, k: int) -> str | None:
        if self.whole or (self.label is not None and k == 1):
            return None
        i, s, _ = self.segments[k]
        if s > 0:                       # between two sentences of one paragraph
            return "sentence"
        before, after = self.paras[i - 1], self.paras[i]
        if _introduces(before) or _goes_on(before, after):
            return None
        if _item(before) and _item(after):
            lo, hi = _list_run(self.paras, i)
            if hi - lo <= SHORT_LIST or i - lo < 2 or hi - i < 2:
                return "item-short"     # a short list, or one item left alone
            return "item"
        return "paragraph"

    def introduces(self, b: int) -> bool:
        i, _, end = self.segments[b - 1]
        if end and end < len(_sentences(self.paras[i])):
            return False               # (a paragraph cut after a sentence goes on)
        return _introduces(self.paras[i])

    def _groups(self, a: int, b: int) -> list[tuple[int, int, int]]:
        """The paragraphs units a to b show: (paragraph, first sentence, end sentence), (i, 0, 0)
        for a whole one; (-1, 0, 0) first for a split list's label, marked continued."""
        segs = self.segments[a:b]
        out = [(-1, 0, 0)] if self.label is not None and a > 0 else []
        k = 0
        while k < len(segs):
            i = segs[k][0]
            j = k
            while j + 1 < len(segs) and segs[j + 1][0] == i:
                j += 1
            first, last = segs[k][1], segs[j][2]
            whole = last == 0 or first == 0 and last == len(_sentences(self.paras[i]))
            out.append((i, 0, 0) if whole else (i, first, last))
            k = j + 1
        return out

    def _para(self, group: tuple[int, int, int]) -> Para:
        """A group's paragraph (kept: the optimiser measures the same part for many slides)."""
        if group not in self._made:
            i, first, last = group
            if i < 0:
                self._made[group] = self._continued_label()
            elif last == 0:
                self._made[group] = self.paras[i]
            else:
                p = self.paras[i]
                self._made[group] = _join(p, _sentences(p)[first:last], cont=first > 0)
        return self._made[group]

    def _piece_paras(self, a: int, b: int) -> list[Para]:
        return [self._para(g) for g in self._groups(a, b)]

    def piece(self, a: int, b: int) -> TextElement:
        if a == 0 and b == self.units():
            return self
        return self._part(self._piece_paras(a, b), self.notes if a == 0 else ())

    def piece_height(self, a: int, b: int, w: float) -> float:
        """As `height` of the piece (a slide's start is tried at every position: kept)."""
        key = (a, b, w)
        if key not in self._heights:
            self._heights[key] = self.height(w) if a == 0 and b == self.units() else \
                self._measured(self._groups(a, b), w)
        return self._heights[key]

    def piece_words(self, a: int, b: int) -> int:
        """Words the room reads, a list's counting as costs.LIST_WORDS of a paragraph's."""
        if (a, b) not in self._words:
            self._words[(a, b)] = round(sum(
                len(plain(p).split()) * (LIST_WORDS if _item(p) else 1.0)
                for p in self._piece_paras(a, b)))
        return self._words[(a, b)]

    def _continued_label(self) -> Para:
        last = self.label.runs[-1]
        continued = t(CONTINUED)
        cont = last.text if last.text.endswith(continued) else f"{last.text} {continued}"
        return replace(self.label, runs=self.label.runs[:-1] + (replace(last, text=cont),))

    def _part(self, paras, notes):
        if paras and paras[0].space_before:
            paras = [replace(paras[0], space_before=0.0)] + paras[1:]
        return TextElement(paras, self.insets, notes, self.keep_with_next, self.fill, None,
                           self.name, self.whole)

    def place(self, x, y, w):
        return [TextShape(x, y, w, self.height(w), self.paras, fill=self.fill, insets=self.insets,
                          name=self.name)]


def _item(p: Para) -> bool:
    return p.bullet is not None or p.number is not None or p.level > 0 or p.margin > 0


def _list_run(paras, n: int) -> tuple[int, int]:
    """The first and one-past-last paragraph of the list that paragraph n is in."""
    lo = n
    while lo > 0 and _item(paras[lo - 1]):
        lo -= 1
    hi = n
    while hi < len(paras) and _item(paras[hi]):
        hi += 1
    return lo, hi


def _goes_on(before: Para, after: Para) -> bool:
    """Whether a sentence runs on from one paragraph (or list item) into the next: it ends
    with a comma, a semicolon, "and" or "or", or it ends without a full stop and the next
    begins in lower case (a list of phrases)."""
    end = plain(before).rstrip()
    start = plain(after).lstrip()
    if end.endswith((",", ";", " and", " or")):
        return True
    return bool(start) and start[0].islower() and not end.endswith((".", "!", "?", ":"))


def _introduces(p: Para) -> bool:
    """A paragraph that leads into the next one ("The steps are:")."""
    return plain(p).rstrip().endswith(":")


@lru_cache(maxsize=4096)
def _sentences(p: Para) -> list[tuple]:
    """A paragraph's runs as sentences (code and links hold no boundary)."""
    return cut(p.runs, boundaries(p.runs, lambda r: bool(r.href) or r.family != p.family))


def _join(p: Para, parts, cont: bool = False) -> Para:
    """Sentences as one paragraph (a continuation has no bullet of its own)."""
    runs: list = []
    for k, part in enumerate(parts):
        if k:
            runs.append(replace(part[0], text=" ", family=p.family, href=None, bold=False,
                                italic=False, strike=False))
        runs.extend(part)
    if cont:
        return replace(p, runs=tuple(runs), bullet=None, number=None, space_before=0.0)
    return replace(p, runs=tuple(runs))

