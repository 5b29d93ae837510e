"""The markdown-it-py parser: CommonMark and the extensions every lesson may use, plus the rules a
lesson format (a dialect) lists for its own syntax."""
from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .pipetables import pipe_table_end_plugin


@cache
def make_parser(rules: tuple = ()) -> MarkdownIt:
    """CommonMark plus pipe tables (ended as pandoc ends them), strikethrough, `$`/`$$` math,
    definition lists and notes, then `rules` (markdown-it plugins) in order."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(pipe_table_end_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True,
           allow_labels=False)
    md.use(deflist_plugin)
    # Notes `text[^1]` with `[^1]: the note` anywhere: kramdown's and pandoc's alike, numbered in
    # order of reference and listed at the episode's end, as its page does. (Inline `^[…]` notes
    # are pandoc's only: syntax/notes.py.)
    md.use(footnote_plugin)
    md.disable("footnote_inline")
    for rule in rules:
        md.use(rule)
    # Nesting depth guards against stack exhaustion on hostile input (100-deep quotes); the
    # reader warns when a lesson goes deeper.
    md.options["maxNesting"] = 32
    return md
