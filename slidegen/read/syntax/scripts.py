"""pandoc's superscript `2^10^` and subscript `H~2~O`.

As pandoc reads them: the text between the marks is not empty and holds no unescaped space,
and `~~` is strikeout, never two subscripts (the strikethrough rule sees it first).
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

MARKS = {"^": "sup", "~": "sub"}


def _script(state: StateInline, silent: bool) -> bool:
    mark = state.src[state.pos]
    if mark not in MARKS or state.pos + 2 >= state.posMax:
        return False
    start = state.pos + 1
    if state.src[start:start + 1] in (mark, "") or state.src[start].isspace():
        return False
    end = start
    while end < state.posMax:
        ch = state.src[end]
        if ch == "\\":
            end += 2
            continue
        if ch.isspace():
            return False
        if ch == mark:
            break
        end += 1
    if end >= state.posMax or state.src[end] != mark:
        return False
    if not silent:
        tag = MARKS[mark]
        state.push(f"{tag}_open", tag, 1).markup = mark
        text = state.push("text", "", 0)
        text.content = state.src[start:end].replace("\\ ", " ")
        state.push(f"{tag}_close", tag, -1).markup = mark
    state.pos = end + 1
    return True


def pandoc_scripts_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.after("emphasis", "pandoc_scripts", _script)
