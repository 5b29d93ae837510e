"""Findings about a read episode that do not stop reading it: the rules behind `slidegen check`
(besides the front-matter, Liquid and image findings the reader records as it goes)."""
from __future__ import annotations

import re

from .. import kinds
from ..errors import Diagnostics
from ..model import Episode, Heading, ListBlock, Paragraph, Special, Table, walk

# Blocks a solution may sit in: exercises, and the containers lessons put around answers.
SOLUTION_PARENTS = kinds.TIMED | {"solution", "spoiler", "hint"}


def lint_episode(episode: Episode, diags: Diagnostics, each_untimed: bool = False) -> None:
    """`each_untimed` also notes every exercise without a time: real lessons rarely give one,
    so by default `check` sums them up in one line (see `untimed`). A note, not a warning: a
    lesson is not wrong for it, and `--strict` fails on warnings."""
    _walk(episode.blocks, diags, episode.source, None, each_untimed)
    _doubled_backslashes(episode, diags)


# `\\beta` in inline math: a line break and the letters "beta" to MathJax, which shows
# "\beta" or "beta", not β. (Rows of an environment use `\\` rightly.)
DOUBLED = re.compile(r"(?<!\\)\\\\([A-Za-z]+)")


def _doubled_backslashes(episode: Episode, diags: Diagnostics) -> None:
    for b, _ in walk(episode.blocks):
        if not isinstance(b, (Paragraph, Heading)):
            continue
        for s in b.spans:
            m = DOUBLED.search(s.text) if s.math and "\\begin" not in s.text else None
            if m:
                diags.warning(f"math '{s.text.strip()[:60]}' has a doubled backslash before "
                              f"'{m.group(1)}', which MathJax does not read as "
                              f"\\{m.group(1)}: write '\\{m.group(1)}'", b.line,
                              episode.source)


LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def unrun_liquid(blocks, diags: Diagnostics, rel: str) -> None:
    """Liquid in the text of a lesson that runs none (Workbench): its site prints the braces
    as written, and so do slides and handouts; say so once a line (code is left alone)."""
    for b, _ in walk(blocks):
        if isinstance(b, (Paragraph, Heading)):
            runs = [b.spans]
        elif isinstance(b, Table):
            runs = [*b.header, *(cell for row in b.rows for cell in row)]
        else:
            continue
        text = "".join(s.text for spans in runs for s in spans if not s.code and not s.math)
        found = LIQUID.search(text)
        if found:
            diags.warning(f"'{found.group(0)[:60]}' is Liquid, which Workbench lessons do not "
                          "run: the lesson's site prints it as written, and so do slides and "
                          "handouts", b.line, rel)


def untimed(episodes) -> tuple[int, int]:
    """(exercises without a time, all exercises) of some episodes."""
    exercises = [b for e in episodes for b, _ in walk(e.blocks)
                 if isinstance(b, Special) and b.kind in kinds.EXERCISES]
    return sum(b.minutes is None for b in exercises), len(exercises)


def _walk(blocks, diags: Diagnostics, rel: str, parent: str | None, each_untimed: bool) -> None:
    for b in blocks:
        if isinstance(b, Special):
            if b.kind == "solution" and parent not in SOLUTION_PARENTS:
                diags.warning("solution outside a challenge: it goes into the speaker notes only "
                              "and is left out of handouts", b.line, rel)
            if b.kind not in kinds.KNOWN:
                diags.warning(f"unknown block class '{b.kind}'; shown as a box titled "
                              f"'{b.title or b.kind}'", b.line, rel)
            if each_untimed and b.kind in kinds.EXERCISES and b.minutes is None:
                diags.add("note", f"{b.kind} '{b.title or '(untitled)'}' has no time; add "
                          "'(10 min)' to its title or a 'Time: 10 min' line", b.line, rel)
            _walk(b.children, diags, rel, b.kind, each_untimed)
        elif isinstance(b, ListBlock):
            for item in b.items:
                _walk(item, diags, rel, parent, each_untimed)
