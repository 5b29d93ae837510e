"""Pipe tables end where pandoc and kramdown end them: at the first line with no `|`.

GitHub's rule, which markdown-it follows, runs a table on to the next blank line, so a sentence
written right under a table ("b. This solves …") becomes one more row; pandoc and kramdown read
a line without a pipe as the end of the table and the start of a paragraph.
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock


def _has_pipe(state: StateBlock, line: int) -> bool:
    text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
    return "|" in text.replace("\\|", "")


def _ending_at_pipeless(table):
    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        stop = start + 2
        while stop < end and _has_pipe(state, stop):
            stop += 1
        return table(state, start, stop, silent)
    return rule


def pipe_table_end_plugin(md: MarkdownIt) -> None:
    rules = {r.name: r for r in md.block.ruler.__rules__}
    if "table" in rules:
        md.block.ruler.at("table", _ending_at_pipeless(rules["table"].fn),
                          {"alt": rules["table"].alt})
