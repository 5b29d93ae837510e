"""Pandoc's inline notes, `text.^[The note.]`: the lesson's page shows the note at the foot of
the page; a slide or handout has no foot of the episode to send it to, so the note stays where
it is written, in parentheses."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline


def inline_note(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start:start + 2] != "^[":
        return False
    end = parseLinkLabel(state, start + 1)
    if end < 0:
        return False
    if not silent:
        inner: list = []
        state.md.inline.parse(state.src[start + 2:end], state.md, state.env, inner)
        state.push("text", "", 0).content = " ("
        state.tokens.extend(inner)
        state.push("text", "", 0).content = ")"
    state.pos = end + 1
    return True


def pandoc_notes_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "pandoc_inline_note", inline_note)
