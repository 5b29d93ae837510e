"""Findings about a read episode that do not stop reading it: the rules behind `slidegen check`
(besides the front-matter, Liquid and image findings the reader records as it goes)."""
from __future__ import annotations

from ..errors import Diagnostics
from ..model import KNOWN_KINDS, Episode, ListBlock, Special

# Blocks a solution may sit in: challenges, and the containers lessons put around answers.
SOLUTION_PARENTS = {"challenge", "solution", "spoiler", "discussion", "exercise", "hint"}


def lint_episode(episode: Episode, diags: Diagnostics) -> None:
    _walk(episode.blocks, diags, episode.source, parent=None)


def _walk(blocks, diags: Diagnostics, rel: str, parent: str | None) -> None:
    for b in blocks:
        if isinstance(b, Special):
            if b.kind == "solution" and parent not in SOLUTION_PARENTS:
                diags.warning("solution outside a challenge: it goes into the speaker notes only "
                              "and is left out of handouts", b.line, rel)
            if b.kind not in KNOWN_KINDS:
                diags.warning(f"unknown block class '{b.kind}'; shown as a box titled "
                              f"'{b.title or b.kind}'", b.line, rel)
            if b.kind == "challenge" and b.minutes is None:
                diags.warning(f"challenge '{b.title or '(untitled)'}' has no time; add "
                              "'(10 min)' to its title or a 'Time: 10 min' line", b.line, rel)
            _walk(b.children, diags, rel, b.kind)
        elif isinstance(b, ListBlock):
            for item in b.items:
                _walk(item, diags, rel, parent)
