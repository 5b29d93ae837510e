"""The words slidegen adds to a lesson ("Exercise", "Key points", "page 3 of 19" …) in the
lesson's own language.

Message catalogues are gettext `.po` files in `slidegen/locale/<lang>.po`, kept up to date
with Babel (see `tests/test_i18n.py`, which fails when a message is missing from one). They are
compiled in memory when first used, so the package ships no binary `.mo` files. The language is
`--lang`, else the lesson config's `lang` (both formats have one), else English; a language
without a catalogue falls back to English, and the build says so once.
"""
from __future__ import annotations

import io
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import NullTranslations

LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
DOMAIN = "slidegen"
SOURCE = "en"          # the language the messages are written in


def shipped() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    found = sorted(f[:-3] for f in os.listdir(LOCALE_DIR) if f.endswith(".po"))
    return (SOURCE,) + tuple(found)


def language(lang: str | None) -> str:
    """A lesson's `lang` ("es", "es-ES", "pt_BR", "ja-JP") as the catalogue that serves it:
    the whole tag when shipped, else its language part, else English."""
    tag = re.sub(r"[^A-Za-z_-]", "", str(lang or "")).replace("-", "_")
    if not tag:
        return SOURCE
    options = [tag, tag.split("_")[0].lower()]
    return next((o for o in options if o in shipped()), SOURCE)


def speaks(lang: str) -> bool:
    """Whether slidegen has words in `lang` (English, or a shipped catalogue serves it)."""
    tag = str(lang).strip().replace("_", "-").lower()
    return language(lang) != SOURCE or tag == SOURCE or tag.startswith(SOURCE + "-")


@cache
def translations(lang: str | None) -> NullTranslations:
    """gettext translations for a language (English: the messages as written). (Babel is
    imported here, not with the module: every command imports this one.)"""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations
    code = language(lang)
    if code == SOURCE:
        return NullTranslations()
    with open(os.path.join(LOCALE_DIR, f"{code}.po"), "rb") as f:
        catalog = read_po(f, locale=code, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


# The language of the output being made. Writers set it around their work (`speaking`), so
# that a label deep in the deck planner or a handout template needs no language passed down.
_CURRENT: ContextVar[str] = ContextVar("slidegen_language", default=SOURCE)


@contextmanager
def speaking(lang: str | None):
    """Make every `t()` inside the block speak `lang` (as `language` resolves it)."""
    token = _CURRENT.set(language(lang))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current() -> str:
    return _CURRENT.get()


def t(message: str, **values) -> str:
    """`message` in the current language, its {placeholders} filled from `values`."""
    if not message:                      # gettext("") is the catalogue's header
        return message
    text = translations(_CURRENT.get()).gettext(message)
    return text.format(**values) if values else text
