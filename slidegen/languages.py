"""Code languages: the names lessons give a code block (`~~~ {: .language-sh}`, ```` ```py ````)
mapped to the Pygments lexers that highlight it, the same on slides and in handouts."""
from __future__ import annotations

from functools import lru_cache

ALIASES = {"yml": "yaml", "sh": "bash", "shell": "bash", "console": "console", "py": "python",
           "python3": "python", "r": "r", "make": "make", "source": "text", "plain": "text"}


def lexer_name(lang: str) -> str:
    lang = lang.lower()
    return ALIASES.get(lang, lang)


@lru_cache(maxsize=256)
def lexer(lang: str | None):
    """The Pygments lexer for `lang`, or None when Pygments knows no such language."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    if not lang:
        return None
    try:
        return get_lexer_by_name(lexer_name(lang), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None
