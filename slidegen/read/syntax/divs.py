"""Pandoc fenced divs as Workbench lessons write them: `::::: challenge` … `:::::`.

Unlike markdown-it's container plugin, an opener takes any run of three or more colons and any
closing run of three or more colons closes the innermost open div, as in pandoc. Fenced code
inside a div is skipped while looking for the closer. An unclosed div runs to the end of its
container and is marked so the reader can report it.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .attributes import parse_attributes

OPEN = re.compile(r"^(:{3,})\s*(\{[^}]*\}|[A-Za-z][\w-]*)\s*(?:\{[^}]*\})?\s*:*\s*$")
CLOSE = re.compile(r"^:{3,}\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})")


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]]


def _opener(text: str):
    m = OPEN.match(text)
    if not m:
        return None
    spec = m.group(2)
    if spec.startswith("{"):
        classes, values = parse_attributes(spec[1:-1])
    else:
        classes, values = [spec], {}
    return classes, values


def fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    text = _line(state, start)
    if not text.startswith(":::"):
        return False
    opened = _opener(text)
    if opened is None:
        return False
    if silent:
        return True
    depth, fence, line, close = 1, None, start + 1, None
    while line < end:
        if state.sCount[line] < state.blkIndent and state.isEmpty(line) is False \
                and state.sCount[line] >= 0:
            break                           # the container (list item, quote) ended
        t = _line(state, line)
        f = FENCE.match(t)
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence) \
                    and not t[len(f.group(1)):].strip():
                fence = None
        elif f:
            fence = f.group(1)
        elif CLOSE.match(t):
            depth -= 1
            if depth == 0:
                close = line
                break
        elif t.startswith(":::") and _opener(t):
            depth += 1
        line += 1
    inner_end = close if close is not None else line
    classes, values = opened
    token = state.push("div_open", "div", 1)
    token.map = [start, (close + 1) if close is not None else inner_end]
    token.meta = {"classes": classes, "attrs": values, "unclosed": close is None}
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = inner_end
    state.md.block.tokenize(state, start + 1, inner_end)
    state.parentType, state.lineMax = old_parent, old_max
    token = state.push("div_close", "div", -1)
    state.line = (close + 1) if close is not None else inner_end
    return True


def fenced_div_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "fenced_div", fenced_div,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
