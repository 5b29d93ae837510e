"""kramdown block attribute lines (`{: .challenge}`) and inline attributes after images.

A block attribute line ends the paragraph or blockquote before it (kramdown never reads it as a
lazy continuation line), which is what makes sloppy quote markers in real lessons come out right.
The line becomes an `ial` token: boxes.py gives it to the quote it names, the reader to code.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from .attributes import parse_attributes

BLOCK_IAL = re.compile(r"^\{:\s*([^}]*)\}\s*$")
# An attribute line with a typo (`: .bash}`, `{.output}`): no renderer reads it, the site prints it.
STRAY_IAL = re.compile(r"^(?::\s*\.?[A-Za-z][\w-]*(?:\s[^{}]*)?\}|\{\s*\.[A-Za-z][\w-]*\s*\})\s*$")
# Over several lines too (pandoc reads `![](x.png){` … `alt='…'` … `}` as one attribute list).
INLINE_ATTRS = re.compile(r"""\{:?\s*((?:[^{}"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*)\}""")


def ial_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if pos >= state.eMarks[start] or state.src[pos] != "{":
        return False
    m = BLOCK_IAL.match(state.src[pos:state.eMarks[start]])
    if not m:
        return False
    if silent:
        return True
    token = state.push("ial", "", 0)
    token.map = [start, start + 1]
    token.content = m.group(1).strip()
    classes, values = parse_attributes(token.content)
    token.meta = {"classes": classes, "attrs": values}
    state.line = start + 1
    return True


def stray_ial(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A broken attribute line becomes a `stray_ial` token: the reader reports it, and it is
    never shown as a sentence (or read as a definition: `: .bash}` starts like one)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if pos >= state.eMarks[start] or state.src[pos] not in "{:":
        return False
    m = STRAY_IAL.match(state.src[pos:state.eMarks[start]])
    if not m:
        return False
    if silent:
        return True
    token = state.push("stray_ial", "", 0)
    token.map = [start, start + 1]
    token.content = m.group(0).strip()
    state.line = start + 1
    return True


def inline_attrs(state: StateInline, silent: bool) -> bool:
    """`{alt='…' width='…'}` or `{: .class width="600px"}` right after an image or link."""
    if state.src[state.pos] != "{" or not state.tokens:
        return False
    last = state.tokens[-1]
    if last.type not in ("image", "link_close"):
        return False
    m = INLINE_ATTRS.match(state.src, state.pos)
    if not m:
        return False
    if not silent:
        classes, values = parse_attributes(m.group(1))
        target = last
        if last.type == "link_close":
            # attach to the matching link_open
            for t in reversed(state.tokens):
                if t.type == "link_open":
                    target = t
                    break
        target.meta = dict(target.meta or {}, classes=classes, attrs=values)
    state.pos = m.end()
    return True


def kramdown_plugin(md: MarkdownIt) -> None:
    # before setext headings: `{: .x}` over `----` is an attribute line and a rule
    md.block.ruler.before("lheading", "ial", ial_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    rules = {r.name: r for r in md.block.ruler.__rules__}
    md.block.ruler.before("deflist" if "deflist" in rules else "paragraph", "stray_ial", stray_ial,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    if "deflist" in rules:
        md.block.ruler.at("deflist", _not_before_stray(rules["deflist"].fn),
                          {"alt": rules["deflist"].alt})
    md.inline.ruler.before("text", "inline_attrs", inline_attrs)


def _not_before_stray(deflist):
    """A term whose "definition" is a broken attribute line (`: .bash}`) is no definition list."""
    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        nxt = start + 1
        if nxt < end:
            text = state.src[state.bMarks[nxt] + state.tShift[nxt]:state.eMarks[nxt]]
            if STRAY_IAL.match(text):
                return False
        return deflist(state, start, end, silent)
    return rule
