"""Raw HTML lines as pandoc reads them: Markdown inside HTML blocks is Markdown.

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


def pandoc_html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "pandoc_html_line", html_line,
                          {"alt": ["paragraph", "reference", "blockquote"]})
