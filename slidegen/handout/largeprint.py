"""Large-print handouts for low-vision learners: the same handout, the same promise of no
solutions, set in a plain sans at 16 pt or more with code at 14 pt or more and generous
leading (the Carpentries' workshop template promises them on request).

A large-print handout is the theme's handout with its type tokens raised, so every template
and colour of the theme still applies; the stylesheet sets its smaller text (labels, captions,
tables) at the body size when the body is this large.
"""
from __future__ import annotations

from dataclasses import replace

BODY_PT = 16.0
CODE_PT = 14.0
HEADER_PT = 12.0
LINE_HEIGHT = 1.6
CODE_LINE_HEIGHT = 1.45
SANS = "Liberation Sans"         # shipped with slidegen, so the handout looks the same anywhere
MONO = "Liberation Mono"
MARGIN_X = "15mm"                # a little more of the page for the larger type


def large_print(theme):
    """`theme` with its handout type made large."""
    h = theme.handout
    handout = replace(h, body_size=max(h.body_size, BODY_PT), code_size=max(h.code_size, CODE_PT),
                      header_size=max(h.header_size, HEADER_PT),
                      line_height=max(h.line_height, LINE_HEIGHT),
                      code_line_height=max(h.code_line_height, CODE_LINE_HEIGHT),
                      body_font=SANS, code_font=MONO, page_margin_x=MARGIN_X)
    return replace(theme, tokens=replace(theme.tokens, handout=handout))


def is_large(handout) -> bool:
    """Whether a handout's type is large print (its small text then stays at body size)."""
    return handout.body_size >= BODY_PT
