"""The markdown-it-py parser both lesson formats share."""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .divs import fenced_div_plugin
from .kramdown import kramdown_plugin


@lru_cache(maxsize=None)
def make_parser() -> MarkdownIt:
    """CommonMark plus tables, strikethrough, `$`/`$$` math, definition lists, kramdown
    attribute lines and pandoc fenced divs."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True,
           allow_labels=False)
    md.use(deflist_plugin)
    md.use(kramdown_plugin)
    md.use(fenced_div_plugin)
    # Nesting depth guards against stack exhaustion on hostile input (100-deep quotes); the
    # reader warns when a lesson goes deeper.
    md.options["maxNesting"] = 32
    return md
