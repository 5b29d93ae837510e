"""Code as coloured text runs, highlighted by Pygments in the theme's style.

A style's colours are made for its own background, not the theme's code background: any token
colour that would not read there (WCAG AA) is darkened or lightened until it does."""
from __future__ import annotations

from functools import lru_cache

from pygments import lex
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from ..languages import lexer
from ..theme.colour import readable_on


def _lexer(lang: str | None):
    return lexer(lang) or TextLexer(stripnl=False, ensurenl=False)


@lru_cache(maxsize=16)
def _style(name: str):
    try:
        return get_style_by_name(name)
    except ClassNotFound:
        return get_style_by_name("default")


@lru_cache(maxsize=4096)
def _readable(colour: str, background: str | None) -> str:
    return readable_on(colour, background) if background else colour


def tokens(text: str, lang: str | None, style_name: str, default_colour: str,
           background: str | None = None):
    """Lines of (text, colour, bold, italic); neighbouring tokens of one style are merged.
    With `background`, every colour reads on it. (Lexed once per listing: the deck planner
    builds a section at every type size.)"""
    return [list(line) for line in _tokens(text, lang, style_name, default_colour, background)]


@lru_cache(maxsize=512)
def _tokens(text: str, lang: str | None, style_name: str, default_colour: str,
            background: str | None) -> tuple:
    style = _style(style_name)
    lines: list[list[tuple[str, str, bool, bool]]] = [[]]
    for ttype, value in lex(text, _lexer(lang)):
        while not style.styles_token(ttype) and ttype.parent is not None:
            ttype = ttype.parent        # lexers emit token types a style may not list
        s = style.style_for_token(ttype)
        colour = _readable(f"#{s['color']}" if s.get("color") else default_colour, background)
        fmt = (colour, bool(s.get("bold")), bool(s.get("italic")))
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if not part:
                continue
            line = lines[-1]
            if line and line[-1][1:] == fmt:
                line[-1] = (line[-1][0] + part, *fmt)
            else:
                line.append((part, *fmt))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(tuple(line) for line in lines)
