"""The slide-layout optimiser: where a section (an exercise, a summary) breaks into slides, and at
which type size each slide is set, chosen for the whole sequence at once.

The content is a sequence of elements, each of one or more units (paragraphs, code lines, table
rows, a box's children); a position is a place between two units. A slide is the run of units
between two positions, set at one of the theme's type sizes (a level; the elements are built
once per level). Its cost (costs.py) grows with the room left empty, smaller type, prose over the
word budget, and the kind of split at its foot; it is infinite where the run does not fit, where
a split falls inside a sentence or between a line of code and its continuation, or right after a
heading or a lead. As Knuth and Plass break a paragraph into lines, dynamic programming over the
positions finds the cheapest set of slides: for each position, the cheapest way to end a slide
there, from every position a slide could start at. A slide's largest level that fits only falls
as the run grows, so each start is extended until even the smallest type overflows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from . import costs
from .elements import BoxElement, Element
from .flow import Subsection

INF = costs.INF


@dataclass(frozen=True)
class Run:
    """A slide of the solution: units start to end (positions), at level `level`."""
    start: int
    end: int
    level: int
    cost: float = 0.0


@dataclass
class Problem:
    """What the optimiser breaks. `levels[k]` are the elements built at type size k (smallest
    first; each level has the same elements and units). `top(p, box)` is where content starts on
    a slide beginning at position p (below its title; `box`: the titled box starting there
    titles the slide). `budget`: the words of prose a slide holds without cost (None: any)."""
    levels: list[list[Element]]
    width: float
    bottom: float
    gap: float
    top: Callable[[int, bool], float]
    budget: int | None = None
    exercise: bool = False         # each slide after the first costs costs.EXERCISE
    promote: bool = False          # a titled box that starts a slide titles it
    forced: bool = False           # no layout keeps every rule: break them, at a price

    @cached_property
    def offsets(self) -> list[int]:
        out = [0]
        for e in self.levels[0]:
            out.append(out[-1] + e.units())
        return out

    @property
    def size(self) -> int:
        return self.offsets[-1]

    @cached_property
    def element_at(self) -> list[int]:
        """The element each unit belongs to."""
        return [i for i in range(len(self.offsets) - 1)
                for _ in range(self.offsets[i], self.offsets[i + 1])]

    def locate(self, p: int) -> tuple[int, int]:
        """(element, unit within it) at position p < size."""
        i = self.element_at[p]
        return i, p - self.offsets[i]

    @cached_property
    def subsection_end(self) -> dict[int, int]:
        """Element index of each subsection heading -> the position where its part ends."""
        els = self.levels[0]
        starts = [i for i, e in enumerate(els) if isinstance(e, Subsection)]
        ends = [self.offsets[j] for j in starts[1:]] + [self.size]
        return dict(zip(starts, ends, strict=True))

    def split(self, p: int) -> str | None:
        """The kind of split at position p (0 < p < size)."""
        i, a = self.locate(p)
        els = self.levels[0]
        if a:
            return els[i].split_kind(a)
        before = els[i - 1]
        if before.heading or before.introduces(before.units()):
            return None
        return "keep" if before.keep_with_next else "element"

    @cached_property
    def _prices(self) -> list[float]:
        return [INF] + [costs.break_cost(self.split(p)) for p in range(1, self.size)] + [0.0]

    def price(self, q: int) -> float:
        """The price of ending a slide at position q (0 at the end)."""
        x = self._prices[q]
        return costs.FORCED if x == INF and self.forced and q > 0 else x

    def promoted(self, p: int, q: int) -> tuple[bool, bool]:
        """(the subsection heading at p titles the slide, the titled box at p does)."""
        i, a = self.locate(p)
        e = self.levels[0][i]
        if a:
            return False, False
        if isinstance(e, Subsection):
            return True, False
        box = self.promote and isinstance(e, BoxElement) and bool(e.title) and \
            q <= self.offsets[i + 1]
        return False, box


def optimise(problem: Problem) -> tuple[list[Run], list[str]]:
    """The cheapest slides for the problem's units (one slide when there are none), and what
    could not be helped: a split where none should be, a unit taller than a slide."""
    if problem.size == 0:
        return [Run(0, 0, len(problem.levels) - 1)], []
    runs = _cheapest(problem)
    if runs is not None:
        return runs, []
    problem.forced = True          # (a listing with a bracket open throughout, say)
    return _cheapest(problem), ["a split that breaks the layout rules"]


def _cheapest(problem: Problem) -> list[Run] | None:
    """Dynamic programming over (position, level of the slide ending there): a slide that
    begins with the rest of something split costs more the further its type size is from the
    slide's before it (costs.RESIZE)."""
    n, levels = problem.size, len(problem.levels)
    best = [[INF] * levels for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * levels for _ in range(n + 1)]
    best[0] = [0.0] * levels
    for p in range(n):
        if min(best[p]) == INF:
            continue
        split = p > 0 and problem.locate(p)[1] > 0
        entry = []                 # for each level: the cheapest way to reach p before it
        for k in range(levels):
            prev = min(range(levels), key=lambda j: best[p][j] + costs.resize(j, k, split))
            entry.append((best[p][prev] + costs.resize(prev, k, split), prev))
        for q, level, cost in _slides_from(problem, p):
            before, prev = entry[level]
            total = before + cost
            if total < best[q][level]:
                best[q][level], back[q][level] = total, (p, cost, prev)
    k = min(range(levels), key=lambda j: best[n][j])
    if best[n][k] == INF:
        return None
    out, q = [], n
    while q > 0:
        p, cost, prev = back[q][k]
        out.append(Run(p, q, k, cost))
        q, k = p, prev
    return out[::-1]


def _slides_from(problem: Problem, p: int):
    """Every slide that can start at p, at every level it fits, with its cost and the price of
    its split: (end, level, cost)."""
    top = len(problem.levels) - 1
    measure = _Measure(problem, p)
    for q in range(p + 1, problem.size + 1):
        measure.q = q
        while top >= 0 and not measure.fits(top):
            top -= 1
        if top < 0:
            if problem.forced and q == p + 1:        # a unit taller than any slide: alone
                yield q, 0, costs.FORCED + problem.price(q)
            return
        price = problem.price(q)
        if price == INF:
            continue
        for level in range(top + 1):
            cost = measure.cost(level)
            if cost < INF:
                yield q, level, cost + price


class _Measure:
    """The slide from p to q as q grows: its height at each level, its words, what it shows."""

    def __init__(self, problem: Problem, p: int):
        self.pb, self.p = problem, p
        self.i0, self.a0 = problem.locate(p)
        self.q = p
        self._known: dict = {}
        self._done: dict[int, _Sums] = {}

    def _layout(self, level: int) -> tuple:
        """(room, height with pictures at full size, how much they may shrink, words, shows
        code, a picture or a table, shows a picture or a table, a subsection begun on it runs
        past it)."""
        key = (self.q, level)
        if key not in self._known:
            self._known[key] = self._measure(level)
        return self._known[key]

    def _measure(self, level: int):
        """The slide at this level, from the sums of the elements it shows whole (kept as q
        grows, so each element is measured once) and the part of the last one."""
        pb, p, q = self.pb, self.p, self.q
        sub, box = pb.promoted(p, q)
        room = pb.bottom - pb.top(p, box)
        done = self._done.setdefault(level, _Sums(self.i0))
        last = pb.element_at[q - 1]
        while done.next < last:
            done.add(pb, level, p, done.next, pb.offsets[done.next + 1], sub, False, self.i0)
            done.next += 1
        now = done.copy()
        now.add(pb, level, p, last, q, sub, box, self.i0)
        return room, now.height, now.flex, now.words, now.solid, now.visual, now.sub_end > q

    def fits(self, level: int) -> bool:
        room, height, flex, *_ = self._layout(level)
        return height - flex <= room + 0.01

    def cost(self, level: int) -> float:
        pb = self.pb
        room, height, flex, words, solid, visual, broken = self._layout(level)
        if broken:
            return INF
        used = min(height, room)
        shrunk = (height - room) / flex if height > room and flex else 0.0
        empty = max(0.0, 1.0 - used / room) if room > 0 else 0.0
        levels = len(pb.levels)
        share = level / (levels - 1) if levels > 1 else 1.0
        excess = max(0, words - pb.budget) / pb.budget if pb.budget else 0.0
        sparse = words <= costs.SPARSE_WORDS and not solid
        orphan = self.a0 > 0 and words < costs.ORPHAN_WORDS and not visual
        return costs.slide_cost(empty, share, excess, shrunk, self.a0 > 0, sparse,
                                self.p > 0 if pb.exercise else None, orphan)


class _Sums:
    """What a slide's elements add up to: height, shrinkable height, words, what they show,
    and where the last subsection begun on the slide (not at its top) ends."""

    def __init__(self, first: int):
        self.next = first
        self.height = self.flex = 0.0
        self.words = self.shown = self.sub_end = 0
        self.solid = self.visual = False

    def copy(self) -> _Sums:
        out = _Sums(self.next)
        out.__dict__.update(self.__dict__)
        return out

    def add(self, pb: Problem, level: int, p: int, i: int, q: int, sub: bool, box: bool,
            first: int) -> None:
        """Element i's part on a slide from p to q (`sub`, `box`: the first element titles
        the slide instead)."""
        if i == first and sub:
            return                             # the heading is the slide's title
        e = pb.levels[level][i]
        a = max(p, pb.offsets[i]) - pb.offsets[i]
        b = min(q, pb.offsets[i + 1]) - pb.offsets[i]
        h = e.piece_height(a, b, pb.width)
        if i == first and box:
            h -= e.title_height(pb.width, a)
        if isinstance(e, Subsection) and i != first:
            self.sub_end = pb.subsection_end[i]   # a subsection begun here must end here
        if h > 0:
            self.height += h + (pb.gap if self.shown else 0.0)
            self.shown += 1
            self.flex += e.piece_shrinkable(a, b, pb.width)
        self.words += e.piece_words(a, b)
        self.solid, self.visual = self.solid or e.solid, self.visual or e.visual
