"""pandoc's attributes on a reference definition: `[pairplot]: fig/pairplot.png "Pair Plot"`
with `{alt='…' width='…'}` after it, on the same line or the next. Every image that uses the
reference takes them (its alt text above all); the attribute line is no paragraph."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

from .attributes import parse_attributes

DEFINITION = re.compile(r"""^\[([^\]]+)\]:\s*<?([^\s>]+)>?"""
                        r"""(?:\s+("[^"]*"|'[^']*'|\([^)]*\)))?\s*(\{[^{}]*\})?\s*$""")
ATTRIBUTES = re.compile(r"^\s*(\{[^{}]*\})\s*$")


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]]


def reference_with_attributes(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    m = DEFINITION.match(_line(state, start))
    if not m:
        return False
    attrs, last = m.group(4), start
    if not attrs and start + 1 < end:
        nxt = ATTRIBUTES.match(_line(state, start + 1))
        attrs, last = (nxt.group(1), start + 1) if nxt else (None, start)
    if not attrs:
        return False
    if silent:
        return True
    label = normalizeReference(m.group(1))
    href = normalizeLink(m.group(2))
    title = (m.group(3) or "")[1:-1]
    references = state.env.setdefault("references", {})
    references.setdefault(label, {"title": title, "href": href})
    _, values = parse_attributes(attrs[1:-1])
    state.env.setdefault("reference_attributes", {}).setdefault(href, values)
    state.line = last + 1
    return True


def give_attributes(state: StateCore) -> None:
    """Images that came from such a reference (by its address) take its attributes."""
    kept = state.env.get("reference_attributes") if isinstance(state.env, dict) else None
    if not kept:
        return
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "image" and not (child.meta or {}).get("attrs"):
                values = kept.get(child.attrGet("src") or "")
                if values:
                    child.meta = dict(child.meta or {}, attrs=values)


def pandoc_reference_attributes_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "reference_attributes", reference_with_attributes)
    md.core.ruler.after("inline", "reference_attributes", give_attributes)
