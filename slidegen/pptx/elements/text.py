"""Text elements: paragraphs and list items that split between paragraphs, never inside one —
unless a paragraph alone is taller than a slide, and then between sentences."""
from __future__ import annotations

from dataclasses import replace

from ...i18n import t
from ..sentences import boundaries, cut
from ..shapes import Insets, Para, TextShape
from ..text import line_count, para_height, paras_height, plain, split_para
from ..titles import CONTINUED
from .base import MIN_LINES, SLACK, Element

SHORT_LIST = 3          # a list of no more items than this stays on one slide


class TextElement(Element):
    """Paragraphs in one text box. `label` (a list's name, "Objectives") heads every part of it
    when it splits, marked as continued."""

    def __init__(self, paras: list[Para], insets: Insets = Insets(), notes=(), keep_with_next=False,
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

    def _inner(self, w):
        return w - self.insets.left - self.insets.right

    def words(self) -> int:
        return sum(len(plain(p).split()) for p in self.paras)

    def room_for(self, w, words: int) -> float:
        """The height of its first paragraphs that hold at most `words` words (at least one)."""
        inner, used, h = self._inner(w), 0, 0.0
        for i, p in enumerate(self.paras):
            used += len(plain(p).split())
            if used > words and i:
                break
            h += para_height(p, inner, first=(i == 0))
        return h + self.insets.top + self.insets.bottom + self._slack()

    def _slack(self):
        return max(p.pitch for p in self.paras) * SLACK if self.paras else 0.0

    def height(self, w):
        return self.insets.top + self.insets.bottom + paras_height(self.paras, self._inner(w)) + self._slack()

    def split(self, w, avail, forced=False):
        if self.whole and not forced:
            return None, self
        inner = self._inner(w)
        budget = avail - self.insets.top - self.insets.bottom - self._slack()
        used, n = 0.0, 0
        for i, p in enumerate(self.paras):
            h = para_height(p, inner, first=(i == 0))
            if used + h > budget:
                break
            used += h
            n += 1
        start = 1 if self.label is not None else 0
        while start < n < len(self.paras) and not self._breakable(n):
            n -= 1
        if n > start and n < len(self.paras):
            return self._part(self.paras[:n], self.notes), self._rest(self.paras[n:])
        if not forced or n >= len(self.paras):
            return None, self
        n = len(self.paras) if self.paras else 0
        fits = [k for k in range(start + 1, n) if paras_height(self.paras[:k], inner) <= budget]
        if fits:                        # alone on a slide: a looser break between paragraphs
            k = fits[-1]
            return self._part(self.paras[:k], self.notes), self._rest(self.paras[k:])
        return self._split_paragraph(0, inner, budget)

    def _breakable(self, n: int) -> bool:
        """Whether the text may break before paragraph n: not after a sentence that introduces
        what follows, not inside a short list, and never leaving one item of a list alone."""
        before, after = self.paras[n - 1], self.paras[n]
        if _introduces(before) or _goes_on(before, after):
            return False
        if _item(before) and _item(after):
            lo, hi = _list_run(self.paras, n)
            if hi - lo <= SHORT_LIST or n - lo < 2 or hi - n < 2:
                return False
        return True

    def _split_paragraph(self, i: int, inner: float, budget: float):
        """Paragraph `i`, taller than the room left on an empty slide, split between sentences
        (between lines only if one sentence is taller than a slide)."""
        p = self.paras[i]
        room = budget - (p.space_before if i else 0.0)
        parts = _sentences(p)
        k = 0
        while k < len(parts) and para_height(_join(p, parts[:k + 1]), inner, True) <= room:
            k += 1
        while k > 0 and line_count(_join(p, parts[k:]), inner) < MIN_LINES:
            k -= 1                     # the paragraph's last line never stands alone
        if k > 0:
            head, tail = _join(p, parts[:k]), _join(p, parts[k:], cont=True)
        else:
            lines = int(room // p.pitch)
            if lines < MIN_LINES or line_count(p, inner) - lines < MIN_LINES:
                return None, self
            head, tail = split_para(p, inner, lines)
        return (self._part(self.paras[:i] + [head], self.notes),
                self._rest([tail] + self.paras[i + 1:]))

    def _part(self, paras, notes):
        if paras and paras[0].space_before:
            paras = [replace(paras[0], space_before=0.0)] + paras[1:]
        return TextElement(paras, self.insets, notes, self.keep_with_next, self.fill, self.label,
                           self.name, self.whole)

    def _rest(self, paras):
        if self.label is not None:
            last = self.label.runs[-1]
            continued = t(CONTINUED)
            cont = last.text if last.text.endswith(continued) else f"{last.text} {continued}"
            paras = [replace(self.label, runs=self.label.runs[:-1] + (replace(last, text=cont),))] + paras
        return self._part(paras, ())

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


def prose_of(paras) -> str:
    return "\n".join(plain(p) for p in paras if plain(p).strip())
