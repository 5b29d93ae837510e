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


def lines_html(highlighted: str, line_pt: float) -> Markup:
    """HTML of code (highlighted or escaped, one source line per "\\n") as line blocks;
    `line_pt` is the code's line height, where the first continuation line begins."""
    out = []
    for line in highlighted.split("\n"):
        hang = min(_indent(line), MAX_HANG) + GUTTER
        style = (f"padding-left:{hang}ch;text-indent:-{hang}ch;"
                 f"background-position:{hang - GUTTER}ch {line_pt:.2f}pt")
        out.append(f'<span class="cl" style="{style}">{line or " "}</span>')
    return Markup("".join(out))


def _indent(html_line: str) -> int:
    """Columns of leading white space in a line of HTML (tabs to multiples of 8)."""
    text = html.unescape(TAG.sub("", html_line))
    stripped = text.lstrip(" \t")
    return len(text[:len(text) - len(stripped)].expandtabs(8))


def continuation_marks(colour: str, code_size: float, line_height: float) -> str:
    """An SVG data URL: a column of small return arrows, one per code line, for the gutter of
    continuation lines (the stylesheet places it below a line's first row)."""
    w = GUTTER * MONO_EM * code_size
    lh = code_size * line_height
    paths = []
    for k in range(MARKS):
        y = k * lh + lh * 0.5
        x0, x1 = w * 0.2, w * 0.8
        paths.append(f"M{x0:.2f} {y - lh * 0.28:.2f}V{y:.2f}H{x1:.2f}"
                     f"M{x1 - lh * 0.16:.2f} {y - lh * 0.14:.2f}L{x1:.2f} {y:.2f}"
                     f"L{x1 - lh * 0.16:.2f} {y + lh * 0.14:.2f}")
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{w:.2f}pt' height='{MARKS * lh:.2f}pt' "
           f"viewBox='0 0 {w:.2f} {MARKS * lh:.2f}'><path d='{''.join(paths)}' fill='none' "
           f"stroke='{colour}' stroke-width='{code_size * 0.07:.2f}' stroke-linecap='round' "
           "stroke-linejoin='round'/></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
