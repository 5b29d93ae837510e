"""The slide-layout cost model: what makes one way of breaking a section into slides worse than
another. The optimiser (breaking.py) chooses the breaks, and each slide's type size, that give
the smallest total over all the slides of a section, an exercise or a summary, as TeX's line
breaker does for the lines of a paragraph. Every weight is here, named and explained, so that
the look can be tuned without touching the algorithm.

A slide's cost is the sum of:
  SLIDE                       every slide (fewer slides, other things equal)
  EMPTY   * empty²            the share of its room left empty, at the type size chosen
  SMALL   * (1 - level)       type below the largest size the theme allows (level 0 … 1)
  WORDS   * excess²           words over the slide's word budget, as a share of the budget (on
                              an exercise's slides, up to twice the budget: EXERCISE splits it)
  SHRINK  * shrunk            the share of what pictures may give that they gave to make room
  CONTINUED                   it begins with the rest of something split on the slide before
  EXERCISE                    an exercise on more than one slide: each slide after its first
  SPARSE                      it shows almost nothing (a heading, a lone short sentence)
  ORPHAN                      it begins with the rest of something split, and that is a scrap
and the price of the break at its foot (`break_cost`), and RESIZE for each step its type size
takes from the slide before it, when it continues what that slide split.
"""
from __future__ import annotations

INF = float("inf")

# -- a slide -----------------------------------------------------------------------------------
SLIDE = 100.0          # one more slide: worth a fuller slide or smaller type, up to a point
EMPTY = 120.0          # a slide half empty costs 30: two slides at 50 % beat 90 % and 10 %
SMALL = 250.0          # type at the theme's minimum rather than its maximum: two and a half slides
WORDS = 600.0          # 50 % over the word budget costs 150: a slide is read at a glance
SHRINK = 60.0          # pictures shrunk as far as they may go (to 40 %: elements/picture.py)
CONTINUED = 160.0      # a "(cont.)" slide: the room has to hold the first part in mind
EXERCISE = 1000.0      # an exercise's task is read whole: it splits only when it cannot fit
RESIZE = 150.0         # each step of type size between the parts of something split: a listing
#                        that goes from 20 to 14 pt on its next slide looks like another listing
LIST_WORDS = 0.5       # a list is scanned, not read: its words count half against the budget
SPARSE = 100_000.0     # a slide with next to nothing on it: never, unless nothing else fits
SPARSE_WORDS = 8       # … that is, at most this many words and no code, picture or table
ORPHAN = 500.0         # a "(cont.)" slide with only a scrap of what was split: a few words …
ORPHAN_WORDS = 15      # … fewer than this (code too), and no picture or table
FORCED = 1_000_000.0   # a rule broken because no layout keeps them all (a listing with a
#                        bracket open throughout; a unit taller than a slide, alone on it)

# -- the break at a slide's foot (a "split") ---------------------------------------------------
BREAKS = {
    "element": 0.0,         # between two things on the slide (paragraphs, code and a figure)
    "keep": 400.0,          # after what stays with the next: code and its output, a figure
    #                         and the question about it, a short lead sentence
    "paragraph": 40.0,      # between paragraphs of one text
    "item": 150.0,          # between the items of a list (a list is read as one thing)
    "item-short": 1500.0,   # … of a list of three items or fewer, or leaving one item alone
    "sentence": 3000.0,     # between the sentences of a paragraph taller than a slide
    "code-block": 80.0,     # a listing, at a blank line or before a top-level statement
    "code": 250.0,          # a listing, inside an indented block
    "code-nested": 600.0,   # … inside brackets (a loop's body in braces, a dictionary)
    "row": 120.0,           # a table, between rows (the header is repeated)
    "row-short": 1500.0,    # … of a table of eight rows or fewer, or leaving one row alone
    "box": 150.0,           # a box (callout, hint …), between its children
}
BOX_INSIDE = 100.0          # a split inside a box costs this on top of the split's own price


def break_cost(kind: str | None) -> float:
    """The price of a split of this kind ("in-box code": a listing split inside a box); None:
    a split that is never made (inside a sentence, between a line of code and its
    continuation, after a heading or a lead)."""
    if kind is None:
        return INF
    boxes = kind.count("in-box ")
    return BREAKS[kind.rsplit(" ", 1)[-1]] + BOX_INSIDE * boxes


def resize(before: int, level: int, continues: bool) -> float:
    """The cost of a slide at `level` after one at `before` (`continues`: it begins with the
    rest of something that one split)."""
    return RESIZE * abs(level - before) if continues else 0.0


def slide_cost(empty: float, level: float, excess: float, shrunk: float, continued: bool,
               sparse: bool, extra_exercise: bool | None, orphan: bool = False) -> float:
    """A slide's own cost (see the module's docstring); `level` is 0 at the theme's smallest
    type and 1 at its largest, `excess` the words over the budget as a share of it;
    `extra_exercise`: None when the slide is not an exercise's, else whether it is not its
    first."""
    cost = SLIDE + EMPTY * empty * empty + SMALL * (1.0 - level)
    # (an exercise's slides are many words each rather than many slides: EXERCISE decides)
    cost += WORDS * (min(excess * excess, 1.0) if extra_exercise is not None else excess * excess)
    cost += SHRINK * shrunk
    if continued:
        cost += CONTINUED
    if sparse:
        cost += SPARSE
    if orphan:
        cost += ORPHAN
    if extra_exercise:
        cost += EXERCISE
    return cost
