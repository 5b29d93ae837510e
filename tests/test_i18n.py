"""The words slidegen adds, in the lesson's language: every message of the source (Python and
the themes' templates, found the way `pybabel extract` finds them) has a translation in every
shipped catalogue, and a built lesson speaks its `lang` (or `--lang`)."""
from __future__ import annotations

import os

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import REPO

from slidegen import i18n, kinds
from slidegen.media import diagrams
from slidegen.pptx import titles

SOURCES = [("slidegen", [("**.py", "python")]),        # (folder, what pybabel reads there)
           ("themes", [("**.j2", "jinja2.ext:babel_extract")])]


def source_messages() -> dict[str, list[str]]:
    """Every message slidegen translates -> where it is used. Calls of `t(...)` (Python) and
    `_(...)` (templates), the boxes' labels and the slide titles kept as constants."""
    found: dict[str, list[str]] = {}
    for folder, methods in SOURCES:
        for path, line, message, _, _ in extract_from_dir(os.path.join(REPO, folder), methods,
                                                          keywords={"t": None, "_": None}):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append(f"{folder}/{path}:{line}")
    constants = [m for m in kinds.LABELS.values() if m]
    constants += [titles.OVERVIEW, titles.KEY_POINTS, titles.CONTINUED]
    constants += [*diagrams.KINDS.values(), diagrams.UNKNOWN]
    for message in constants:
        found.setdefault(message, []).append("(a constant)")
    return found


def test_every_message_has_a_translation_in_every_shipped_catalogue():
    messages = source_messages()
    assert "page {n} of {total}" in messages and "Key Points" in messages     # found at all
    assert any(w.startswith("themes/") for where in messages.values() for w in where)
    shipped = [lang for lang in i18n.shipped() if lang != i18n.SOURCE]
    assert set(shipped) >= {"es", "fr", "de", "it", "ja"}
    for lang in shipped:
        with open(os.path.join(i18n.LOCALE_DIR, f"{lang}.po"), "rb") as f:
            catalog = read_po(f, locale=lang)
        missing = [f"{m!r} ({', '.join(where[:2])})" for m, where in messages.items()
                   if not (catalog.get(m) and catalog.get(m).string
                           and not catalog.get(m).fuzzy)]
        assert missing == [], f"{lang}.po lacks: " + "; ".join(missing)
        for m in messages:           # a placeholder lost in translation would break .format
            assert i18n.translations(lang).gettext(m).count("{") == m.count("{"), (lang, m)


@pytest.mark.parametrize("tag, code", [("es", "es"), ("es-ES", "es"), ("ja_JP", "ja"),
                                        ("pt-BR", "en"), ("", "en"), (None, "en")])
def test_a_lessons_lang_finds_its_catalogue(tag, code):
    assert i18n.language(tag) == code


def test_words_follow_the_language_being_spoken():
    assert i18n.t("page {n} of {total}", n=2, total=9) == "page 2 of 9"
    with i18n.speaking("es"):
        assert kinds.label("challenge") == "Desafío"
        assert i18n.t("page {n} of {total}", n=2, total=9) == "página 2 de 9"
        with i18n.speaking("ja"):
            assert kinds.label("keypoints") == "まとめ"
        assert kinds.label("solution") == "Solución"
    assert kinds.label("challenge") == "Exercise"


def test_no_message_hides_in_an_f_string():
    """pybabel does not read calls inside an f-string's braces: a message there is missing
    from the catalogue check (and from the pseudo-language test) without a word."""
    import re
    hidden = []
    for folder, _, files in os.walk(os.path.join(REPO, "slidegen")):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        if re.search(r"\{\s*t\(", line):
                            hidden.append(f"{name}:{n}")
    assert hidden == []
