"""Raw HTML blocks as each renderer reads them.

kramdown (styles): a block-level element runs to its matching closing tag, blank lines and
indented lines included, and what is inside is HTML (unless an element in it says
`markdown="1"`: then its blocks are Markdown, as CommonMark reads them too). CommonMark
ends an HTML block at the first blank line, so `<figure>` with a blank line inside (a Liquid
`{% if %}` left one) would turn its indented `<img …>` into a code block.

pandoc (Workbench): Markdown inside HTML blocks is Markdown.

CommonMark's HTML block runs from a tag to the next blank line, so `<figure>` directly followed
by a code chunk or an image swallows it as raw HTML (the lesson's page shows the code or the
picture; the reader would show the source). Pandoc (`markdown_in_html_blocks`) reads the tags
as raw HTML and what is between them as Markdown. Here a line made only of HTML tags is an HTML
block of its own; `<pre>`, `<script>`, `<style>` and `<textarea>` keep their content as it is.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.html_blocks import block_names
from markdown_it.rules_block import StateBlock

TAG = r"</?[A-Za-z][\w-]*(?:\s+[^<>]*?)?/?>"
TAGS_ONLY = re.compile(rf"^(?:{TAG}\s*)+$")
RAW_CONTENT = re.compile(r"<(pre|script|style|textarea)\b", re.I)


def html_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    text = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    if not text.startswith("<") or not TAGS_ONLY.match(text) or RAW_CONTENT.match(text):
        return False
    if silent:
        # only block-level tags end a paragraph; `<br>` or `<kbd>` on a line of their own stay in it
        names = re.findall(r"</?([A-Za-z][\w-]*)", text)
        return all(n.lower() in block_names for n in names)
    token = state.push("html_block", "", 0)
    token.map = [start, start + 1]
    token.content = text + "\n"
    state.line = start + 1
    return True


OPENING = re.compile(r"^<([A-Za-z][\w-]*)(?:\s[^>]*)?>", re.S)


def html_element(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's HTML block: from a block-level opening tag to its matching closing tag."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    m = OPENING.match(first)
    if not m or m.group(1).lower() not in block_names or re.search(r"\smarkdown=", m.group(0)):
        return False
    name = m.group(1).lower()
    opened = re.compile(rf"<{name}\b", re.I)
    closed = re.compile(rf"</{name}\s*>", re.I)
    depth, line = 0, start
    while line < end:
        text = state.src[state.bMarks[line]:state.eMarks[line]]
        depth += len(opened.findall(text)) - len(closed.findall(text))
        if depth <= 0:
            break
        line += 1
    if line >= end or line == start:
        return False          # closed on its first line, or never: CommonMark's rules serve
    if re.search(r"\smarkdown=", state.getLines(start, line + 1, 0, False)):
        return False          # an element inside holds Markdown: read it as Markdown
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map = [start, line + 1]
    token.content = state.getLines(start, line + 1, state.blkIndent, True)
    state.line = line + 1
    return True


def kramdown_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "kramdown_html_element", html_element,
                          {"alt": ["paragraph", "reference", "blockquote"]})


def pandoc_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "pandoc_html_line", html_line,
                          {"alt": ["paragraph", "reference", "blockquote"]})
