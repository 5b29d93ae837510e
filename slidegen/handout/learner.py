"""The parts of an episode a learner may see, and the exercises an instructor's key needs.

Secret blocks (solutions, instructor notes) are removed from the model *before* any HTML is
written, so no template, stylesheet or renderer bug can leak them into a learner's PDF.
"""
from __future__ import annotations

from ..kinds import EXERCISES
from ..model import ListBlock, Special


def learner_blocks(blocks) -> tuple:
    """`blocks` without secret specials, at any depth (inside specials and list items)."""
    out = []
    for b in blocks:
        if isinstance(b, Special):
            if b.secret:
                continue
            b = Special(b.kind, b.title, b.minutes, learner_blocks(b.children), b.line)
        elif isinstance(b, ListBlock):
            b = ListBlock(b.ordered, b.start, tuple(learner_blocks(i) for i in b.items), b.line)
        out.append(b)
    return tuple(out)


def exercises(blocks) -> list[Special]:
    """Every exercise, outermost first, each with all its children (solutions included)."""
    out = []
    for b in blocks:
        if isinstance(b, Special) and b.kind in EXERCISES:
            out.append(b)
        elif isinstance(b, Special):
            out.extend(exercises(b.children))
        elif isinstance(b, ListBlock):
            for item in b.items:
                out.extend(exercises(item))
    return out
