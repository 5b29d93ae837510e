"""Math as kramdown reads it, for styles lessons: `$$ … $$` inside a sentence is inline math
(only a paragraph of its own is display math), and a single `$ … $` is math only where the
lesson's MathJax reads it (mathjax.py), with spaces inside as MathJax allows; where no MathJax
configuration was found, as pandoc reads it (no space inside the dollars)."""
from __future__ import annotations

from mdit_py_plugins.dollarmath.index import math_inline_dollar

_DOUBLE = math_inline_dollar(allow_space=True, allow_digits=True, allow_double=True)
_SINGLE = {"mathjax": math_inline_dollar(allow_space=True, allow_digits=False, allow_double=True),
           "pandoc": math_inline_dollar(allow_space=False, allow_digits=False,
                                        allow_double=True)}


def _plugin(single: str):
    def kramdown_math_plugin(md) -> None:
        def kramdown_inline_math(state, silent: bool) -> bool:
            double = state.src.startswith("$$", state.pos)
            if not double and single == "text":
                return False
            before = len(state.tokens)
            if not (_DOUBLE if double else _SINGLE[single])(state, silent):
                return False
            for t in state.tokens[before:]:
                if t.type == "math_inline_double":
                    t.type = "math_inline"
            return True

        md.inline.ruler.at("math_inline", kramdown_inline_math)
    return kramdown_math_plugin


KRAMDOWN_MATH = _plugin("pandoc")             # no MathJax configuration found
KRAMDOWN_MATH_DOLLARS = _plugin("mathjax")    # the lesson's MathJax reads `$ … $`
KRAMDOWN_MATH_NO_DOLLARS = _plugin("text")    # its MathJax leaves dollars alone


def kramdown_math(dollars: bool | None):
    """The rule for a lesson whose MathJax reads single dollars (True), does not (False), or
    was not found (None)."""
    return {True: KRAMDOWN_MATH_DOLLARS, False: KRAMDOWN_MATH_NO_DOLLARS}.get(dollars,
                                                                            KRAMDOWN_MATH)
