"""Code blocks line by line, so that a line too long for the column wraps under itself.

A wrapped line that restarts at column 0 reads as a new line, and in YAML or Python it changes
the meaning. So each source line is its own block with a hanging indent: its continuation lines
start two characters to the right of where the line's own text starts, and a small arrow in
those two characters marks them (a background, so it is neither copied nor read aloud).
"""
from __future__ import annotations

import base64
import html
import re

from markupsafe import Markup

GUTTER = 2                 # characters between a line's indentation and its continuation lines
MAX_HANG = 24              # deeper indentation still hangs, but no deeper than this
MARKS = 60                 # continuation lines marked per source line
MONO_EM = 0.6              # advance of a monospaced character, in em
TAG = re.compile(r"<[^>]*>")


def lines_html(highlighted: str, columns: int = 0) -> Markup:
    """HTML of code (highlighted or escaped, one source line per "\\n") as line blocks. Only
    lines longer than `columns` characters (the fewest a code block's column holds; 0: any
    line) get arrows, as many as the line can need: a background WeasyPrint draws for every
    line that has one. Classes, not inline styles: WeasyPrint parses a style attribute per
    element, a class rule once (code lines are most of a long episode's elements). Even a
    block none of whose lines wraps is kept as line blocks: as one text its layout is slower,
    each line break measuring the rest of the block again. A line with a run of characters
    longer than the column without a space in it (`f(a=1,b=2,…)`) may break anywhere (class
    `ba`): WeasyPrint does not break a word that runs across highlighting spans with
    `overflow-wrap: anywhere`, so such a line would run off the page."""
    out = []
    for line in highlighted.split("\n"):
        indent, length, longest = _measure(line)
        hang = min(indent, MAX_HANG) + GUTTER
        cls = f"cl h{hang}"
        if length > columns:
            room = max(columns - hang, 1) if columns else 1
            rows = min(MARKS, -(-(length - columns) // room)) if columns else MARKS
            cls += f" wraps w{rows}"
            if columns and longest > room:
                cls += " ba"
        out.append(f'<span class="{cls}">{line or " "}</span>')
    return Markup("".join(out))


def stylesheet(colour: str, code_size: float, line_height: float) -> str:
    """The rules the line classes name: each hang's indent and where its arrows start (below
    the line's first row), and each count of arrows."""
    line_pt = code_size * line_height
    rules = [f"pre .cl.h{h} {{ padding-left: {h}ch; text-indent: -{h}ch; "
             f"background-position: {h - GUTTER}ch {line_pt:.2f}pt; }}"
             for h in range(GUTTER, MAX_HANG + GUTTER + 1)]
    rules.append("pre .cl.wraps { background-repeat: no-repeat; }")
    rules.append("pre .cl.ba { word-break: break-all; }")
    rules += [f"pre .cl.w{k} {{ background-image: "
              f"url('{continuation_marks(colour, code_size, line_height, k)}'); }}"
              for k in range(1, MARKS + 1)]
    return "\n".join(rules) + "\n"


def _measure(html_line: str) -> tuple[int, int, int]:
    """(columns of leading white space, columns in all, the longest run without a space) of a
    line of HTML (tabs to 8)."""
    text = html.unescape(TAG.sub("", html_line)).expandtabs(8)
    longest = max((len(w) for w in text.split()), default=0)
    return len(text) - len(text.lstrip(" ")), len(text), longest


def continuation_marks(colour: str, code_size: float, line_height: float,
                       marks: int = MARKS) -> str:
    """An SVG data URL: a column of `marks` small return arrows, one per continuation line,
    for their gutter (the stylesheet places it below a line's first row)."""
    w = GUTTER * MONO_EM * code_size
    lh = code_size * line_height
    paths = []
    for k in range(marks):
        y = k * lh + lh * 0.5
        x0, x1 = w * 0.2, w * 0.8
        paths.append(f"M{x0:.2f} {y - lh * 0.28:.2f}V{y:.2f}H{x1:.2f}"
                     f"M{x1 - lh * 0.16:.2f} {y - lh * 0.14:.2f}L{x1:.2f} {y:.2f}"
                     f"L{x1 - lh * 0.16:.2f} {y + lh * 0.14:.2f}")
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{w:.2f}pt' height='{marks * lh:.2f}pt' "
           f"viewBox='0 0 {w:.2f} {marks * lh:.2f}'><path d='{''.join(paths)}' fill='none' "
           f"stroke='{colour}' stroke-width='{code_size * 0.07:.2f}' stroke-linecap='round' "
           "stroke-linejoin='round'/></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
