"""A lesson in Spanish and one in Japanese (fixtures of our own, tests/fixtures/lessons/):
the words slidegen adds are in the lesson's language in decks, handouts and the script, and
Japanese is set in fonts that have its glyphs: every font embedded, no missing-glyph boxes."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata

import pytest
from click.testing import CliRunner
from conftest import HERE
from pptx import Presentation
from test_handout import squash, text_of

from slidegen.cli import main

pdfplumber = pytest.importorskip("pdfplumber")
LESSONS = os.path.join(HERE, "fixtures", "lessons")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each fixture lesson built once, with its script; {name: output folder}."""
    out = {}
    for name in ("bucles-es", "shell-ja"):
        target = str(tmp_path_factory.mktemp(name))
        result = CliRunner().invoke(main, ["build", os.path.join(LESSONS, name), "-o", target,
                                           "-q", "--instructor", "-j", "2"])
        assert result.exit_code == 0, result.output
        out[name] = target
    return out


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def slides_text(path: str) -> list[str]:
    return ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            for slide in Presentation(path).slides]


def slide_titles(path: str) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else ""
            for s in Presentation(path).slides]


def test_spanish_lesson_speaks_spanish(built):
    out = built["bucles-es"]
    handout = text_of(read(f"{out}/handout.pdf"))
    for words in ("MATERIAL PARA PARTICIPANTES", "Agenda", "Episodio", "Enseñanza", "Contenido",
                  "09:30–10:00", "Café", "descanso 15 min", "Fin · total 1 h 10 min",
                  "PREGUNTAS", "OBJETIVOS", "PUNTOS CLAVE", "Enseñanza 20 min · Ejercicios 10 min",
                  "página 2 de 4"):
        assert squash(words) in squash(handout), words
    for english in ("Schedule", "Questions", "Key points", "Teaching", "page 2 of"):
        assert english.casefold() not in handout.casefold(), english
    assert "SECRETA" not in handout
    deck = slides_text(f"{out}/slides/01-bucles.pptx")
    assert "Enseñanza 20 min · Ejercicios 10 min" in deck[0] and "09:30–10:00" in deck[0]
    titles = slide_titles(f"{out}/slides/01-bucles.pptx")
    assert "Hoja de ruta" in titles and "Puntos Clave" in titles
    script = squash(text_of(read(f"{out}/instructor.pdf")))
    for words in ("Guion del instructor", "Diapositiva 1", "09:30–10:00", "10:15–10:40",
                  "SOLUCION-SECRETA-UNO", "SOLUCION-SECRETA-DOS", "NOTA-INSTRUCTORA-SECRETA",
                  "Pista", "Notas de la instructora"):
        assert squash(words).casefold() in script.casefold(), words
    with open(f"{out}/exercises.md", encoding="utf-8") as f:
        sheet = f.read()
    assert sheet.startswith("# Ejercicios: Bucles en Python") and "SECRETA" not in sheet


def east_asian(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and not ch.isspace()


def glyph_fonts(pdf: bytes) -> dict[str, set[str]]:
    """Each Japanese character of a PDF -> the fonts it is set in."""
    found: dict[str, set[str]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for c in page.chars:
                if east_asian(c["text"]):
                    found.setdefault(c["text"], set()).add(c["fontname"])
    return found


def embedded(path: str) -> list[tuple[str, str]]:
    """(font, emb) for every font pdffonts lists."""
    exe = shutil.which("pdffonts")
    if exe is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    lines = subprocess.run([exe, path], capture_output=True, text=True, check=True).stdout
    return [(row.split()[0], row.split()[-5]) for row in lines.splitlines()[2:] if row.strip()]


def assert_glyphs_present(path: str, source_text: str) -> None:
    fonts = embedded(path)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    used = glyph_fonts(read(path))
    wanted = {ch for ch in source_text if east_asian(ch)}
    assert wanted <= set(used), sorted(wanted - set(used))[:10]
    # A font without the glyph would draw a missing-glyph box: every Japanese character is in
    # the CJK font fontconfig chose, never in the Latin fonts slidegen ships.
    wrong = {ch: f for ch, f in used.items() if not all("CJK" in name for name in f)}
    assert wrong == {}


def lesson_text(name: str, stem: str) -> str:
    with open(os.path.join(LESSONS, name, "episodes", stem + ".md"), encoding="utf-8") as f:
        return f.read().split("## ", 1)[1].split("::::")[0]      # the first section's prose


def test_japanese_handouts_and_script_have_every_glyph(built):
    out = built["shell-ja"]
    handout = text_of(read(f"{out}/handout.pdf"))
    for words in ("受講者用資料", "スケジュール", "エピソード", "目次", "質問", "目的", "まとめ",
                  "講義 25分 · 演習 10分", "2 / 4 ページ"):
        assert squash(words) in squash(handout), words
    assert "秘密の回答" not in handout and "講師だけが読むメモ" not in handout
    prose = lesson_text("shell-ja", "01-navigation")
    assert_glyphs_present(f"{out}/handout.pdf", prose + "受講者用資料スケジュールまとめ")
    assert_glyphs_present(f"{out}/handouts/01-navigation.pdf", prose)
    script = text_of(read(f"{out}/instructor.pdf"))
    assert "秘密の回答その一" in squash(script) and "講師だけが読むメモ" in squash(script)
    assert_glyphs_present(f"{out}/instructor.pdf", prose + "インストラクター用台本")


def test_japanese_deck_names_an_east_asian_font_and_is_translated(built):
    out = built["shell-ja"]
    deck = Presentation(f"{out}/slides/01-navigation.pptx")
    titles = slide_titles(f"{out}/slides/01-navigation.pptx")
    assert "概要" in titles and "まとめ" in titles
    runs = [r for s in deck.slides for shape in s.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs if any(map(east_asian, r.text))]
    assert runs
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    faces = {r._r.find(f"{ns}rPr/{ns}ea").get("typeface") for r in runs}
    assert len(faces) == 1 and "CJK" in faces.pop()


@pytest.mark.render
def test_japanese_deck_renders_with_every_glyph(built, soffice, tmp_path):
    out = built["shell-ja"]
    soffice([f"{out}/slides/01-navigation.pptx"], tmp_path)
    prose = lesson_text("shell-ja", "01-navigation")
    assert_glyphs_present(str(tmp_path / "01-navigation.pdf"), prose + "概要まとめ")


def test_lang_option_wins_over_the_lessons_lang(tmp_path):
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", os.path.join(LESSONS, "bucles-es"), "-o", out,
                                       "-q", "--only", "handouts", "--lang", "de"])
    assert result.exit_code == 0, result.output
    front = squash(text_of(read(f"{out}/handout.pdf")))
    assert "Zeitplan" in front and "Unterricht" in front and "Agenda" not in front


def pdf_lang(path: str) -> str:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.Lang)


def run_langs(path: str) -> set[str]:
    """The language tag of every text run, paragraph end and note run of a deck."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist()
                      if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", n))
    return set(re.findall(r"<a:(?:rPr|endParaRPr)\b[^>]*?\blang=\"([^\"]+)\"", xml))


def test_the_lessons_text_keeps_its_language_whatever_the_labels_speak(tmp_path):
    """--lang de on a Spanish lesson: German labels, and the PDF's /Lang and every deck run
    say Spanish, the language a screen reader must read the lesson's text in."""
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", os.path.join(LESSONS, "bucles-es"), "-o", out,
                                       "-q", "--instructor", "--lang", "de"])
    assert result.exit_code == 0, result.output
    for pdf in ("handout.pdf", "handouts/01-bucles.pdf", "instructor.pdf"):
        assert pdf_lang(f"{out}/{pdf}") == "es", pdf
    assert run_langs(f"{out}/slides/01-bucles.pptx") == {"es"}
    assert "Zeitplan" in squash(text_of(read(f"{out}/handout.pdf")))


def test_a_spanish_lessons_deck_runs_are_tagged_spanish(built):
    assert run_langs(f"{built['bucles-es']}/slides/01-bucles.pptx") == {"es"}
    assert pdf_lang(f"{built['bucles-es']}/handout.pdf") == "es"


def test_a_language_slidegen_does_not_speak_is_a_usage_error(tmp_path):
    for asked in ("xx", "español"):
        result = CliRunner().invoke(main, ["build", os.path.join(LESSONS, "bucles-es"),
                                           "-o", str(tmp_path / "o"), "--lang", asked])
        assert result.exit_code == 2
        assert f"slidegen has no words in '{asked}'; it speaks en, de, es, fr, it, ja" \
            in result.output
