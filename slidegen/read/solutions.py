"""Solutions authors forgot to mark: inside an exercise, a block (a plain quote, an unnamed box)
or a section whose heading starts with "Solution" is a solution, whatever its markup says.

A learner's handout promises that no solution is in it; a `> ### Solution to Challenge 1.2`
quote without its `{: .solution}` line would otherwise be printed right under the exercise.
Each one found is reported, so that the author can mark it.
"""
from __future__ import annotations

import re

from .. import kinds
from ..errors import Diagnostics
from ..model import Heading, ListBlock, Special

SOLUTION_TITLE = re.compile(r"^\s*solutions?\b", re.I)
# Boxes whose kind says nothing about their content: a heading may still make them a solution.
NEUTRAL = frozenset({"quote", "div"})


def mark_solutions(blocks, diags: Diagnostics, rel: str, in_exercise: bool = False) -> tuple:
    out = []
    for b in blocks:
        if isinstance(b, Special):
            if b.kind in kinds.SECRET:
                out.append(b)
                continue
            if in_exercise and (b.kind in NEUTRAL or b.kind not in kinds.KNOWN):
                title = _heading_title(b)
                if title is not None:
                    out.append(_as_solution(b, title, diags, rel))
                    continue
            exercise = in_exercise or b.kind in kinds.EXERCISES
            children = mark_solutions(b.children, diags, rel, exercise)
            if b.kind in kinds.EXERCISES:
                children = _sections(children, diags, rel)
            out.append(Special(b.kind, b.title, b.minutes, children, b.line))
        elif isinstance(b, ListBlock) and in_exercise:
            items = tuple(mark_solutions(item, diags, rel, True) for item in b.items)
            out.append(ListBlock(b.ordered, b.start, items, b.line))
        else:
            out.append(b)
    return tuple(out)


def _heading_title(b: Special) -> str | None:
    """The block's "Solution …" title (its own, or its first heading), else None."""
    if b.title:
        return b.title if SOLUTION_TITLE.match(b.title) else None
    first = b.children[0] if b.children else None
    if isinstance(first, Heading) and SOLUTION_TITLE.match(first.text):
        return first.text
    return None


def _as_solution(b: Special, title: str, diags: Diagnostics, rel: str) -> Special:
    diags.warning(f"'{title[:60]}' is inside an exercise but not marked as a solution; it is "
                  "treated as one (hidden slide, left out of handouts): mark it '::: solution' "
                  "or '{: .solution}'", b.line, rel)
    children = b.children
    if not b.title and children and isinstance(children[0], Heading):
        children = children[1:]
    return Special("solution", title, None, tuple(children), b.line)


def _sections(children: tuple, diags: Diagnostics, rel: str) -> tuple:
    """A "Solution" heading straight inside an exercise starts a solution that runs to the next
    heading of its level or above, or to the end of the exercise."""
    out: list = []
    i = 0
    while i < len(children):
        b = children[i]
        if isinstance(b, Heading) and SOLUTION_TITLE.match(b.text):
            j = i + 1
            while j < len(children) and not (isinstance(children[j], Heading)
                                             and children[j].level <= b.level):
                j += 1
            section = Special("quote", "", None, (b,) + tuple(children[i + 1:j]), b.line)
            out.append(_as_solution(section, b.text, diags, rel))
            i = j
            continue
        out.append(b)
        i += 1
    return tuple(out)
