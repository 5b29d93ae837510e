"""Decks as an instructor sees them: opened with python-pptx, and rendered by LibreOffice."""
from __future__ import annotations

import io

import pytest
from conftest import REPO, corpus_path
from pptx import Presentation
from pptx.util import Emu

from slidegen.pptx import write_deck
from slidegen.read import read_lesson
from slidegen.theme import load_theme


def deck_for(root: str, stem: str, theme=None):
    reading = read_lesson(root)
    episode = [e for e in reading.lesson.episodes if e.stem == stem][0]
    buf = io.BytesIO()
    result = write_deck(reading.lesson, episode, theme or load_theme(), buf)
    buf.seek(0)
    return Presentation(buf), result, buf.getvalue()


def slide_text(slide) -> str:
    parts = []
    for shp in slide.shapes:
        if shp.has_text_frame:
            parts.append(shp.text_frame.text)
        if getattr(shp, "has_table", False) and shp.has_table:
            parts.extend(c.text for r in shp.table.rows for c in r.cells)
    return "\n".join(parts)


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def hidden(slide) -> bool:
    return slide._element.get("show") == "0"


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


@pytest.fixture(scope="module")
def oop():
    return deck_for(corpus_path("python-intermediate-development-uva"),
                    "35-object-oriented-programming")


def test_title_overview_and_key_points(oop):
    prs, result, _ = oop
    slides = list(prs.slides)
    assert prs.slide_width == Emu(12192000) and prs.slide_height == Emu(6858000)   # 16:9
    first = slide_text(slides[0])
    assert title_of(slides[0]) == "Object Oriented Programming (optional)"
    assert "Intermediate Research Software Development" in first
    assert "Teaching 30 min · Exercises 20 min" in first
    assert title_of(slides[1]) == "Overview"
    assert "How can we use code to describe the structure of data?" in slide_text(slides[1])
    assert "Use classes to encapsulate data within a more complex program" in slide_text(slides[1])
    assert title_of(slides[-1]) == "Key Points"
    assert "Classes allow us to organise data into distinct concepts." in slide_text(slides[-1])
    assert result.slides == len(slides)


def test_exercises_and_hidden_solutions(oop):
    prs, result, _ = oop
    slides = list(prs.slides)
    # the task does not fit one slide at the smallest type: two, numbered, then its solution
    ex = [n for n, s in enumerate(slides) if title_of(s).startswith("Exercise: Structuring Data")]
    assert [title_of(slides[n]) for n in ex] == ["Exercise: Structuring Data (1/2)",
                                                 "Exercise: Structuring Data (2/2)"]
    assert not any(hidden(slides[n]) for n in ex)
    assert "attach_names" in "\n".join(slide_text(slides[n]) for n in ex)
    assert "One possible solution" in "\n".join(notes(slides[n]) for n in ex)   # in the notes
    after = slides[ex[-1] + 1]
    assert hidden(after) and title_of(after).startswith("Solution")
    assert "def attach_names(data, names):" in slide_text(after)
    visible = "\n".join(slide_text(s) for s in slides if not hidden(s))
    assert "A better solution would be to use the" not in visible
    assert "One possible solution, perhaps the most obvious" not in visible
    assert result.hidden == sum(hidden(s) for s in slides) >= 4


def test_every_run_respects_minimum_sizes(oop):
    prs, _, _ = oop
    theme = load_theme()
    floor = min(theme.deck["body_min"], theme.deck["code_min"])
    sizes = [r.font.size.pt for s in prs.slides for shp in s.shapes if shp.has_text_frame
             for p in shp.text_frame.paragraphs for r in p.runs if r.font.size is not None]
    assert sizes and min(sizes) >= floor


def test_instructor_notes_and_picture_alt_text():
    prs, _, _ = deck_for(corpus_path("python-novice-inflammation-workbench"), "07-cond")
    slides = list(prs.slides)
    visible = "\n".join(slide_text(s) for s in slides if not hidden(s))
    all_notes = "\n".join(notes(s) for s in slides)
    assert "IPython executes the example from a single prompt" in all_notes
    assert "IPython executes the example from a single prompt" not in visible
    descr = [p._element.nvPicPr.cNvPr.get("descr") for s in slides for p in s.shapes
             if p.shape_type == 13]
    assert "A flowchart diagram of the if-else construct that tests if variable num is greater " \
           "than 100" in descr


def test_table_cells_math_and_svg_on_sample_lesson():
    prs, _, _ = deck_for(REPO, "01-building")
    tables = [shp.table for s in prs.slides for shp in s.shapes
              if getattr(shp, "has_table", False) and shp.has_table]
    assert tables
    header = [c.text for c in tables[0].rows[0].cells]
    assert header[0] == "Part of an episode"
    cells = [c.text for t in tables for r in list(t.rows)[1:] for c in r.cells]
    assert "Hidden slides or speaker notes" in cells
    pics = [p for s in prs.slides for p in s.shapes if p.shape_type == 13]
    assert pics and all(p._element.nvPicPr.cNvPr.get("descr") for p in pics)
    # the SVG figure keeps its vector original beside the PNG fallback
    assert any(p._element.xpath(".//*[local-name()='svgBlip']") for p in pics)
    prs2, _, _ = deck_for(REPO, "02-schedule")
    math_pics = [p for s in prs2.slides for p in s.shapes if p.shape_type == 13
                 and "\\sum" in (p._element.nvPicPr.cNvPr.get("descr") or "")]
    assert math_pics, "display math is a typeset picture with its TeX as description"


def test_long_code_splits_at_line_boundaries(make_lesson):
    code = "\n".join(f"print('line {i:03d}')" for i in range(90))
    root = make_lesson({"_episodes/01-long.md": f"---\ntitle: Long\n---\n\n## Code\n\n"
                                                f"~~~\n{code}\n~~~\n"
                                                "{: .language-python}\n"})
    prs, _, _ = deck_for(root, "01-long")
    code_slides = [s for s in prs.slides if title_of(s).startswith("Code")]
    assert len(code_slides) >= 3
    assert [title_of(s) for s in code_slides[1:]] == ["Code (cont.)"] * (len(code_slides) - 1)
    lines = []
    for s in code_slides:
        for shp in s.shapes:
            if shp.name.startswith("Code"):
                lines.extend(para_text(p) for p in shp.text_frame.paragraphs)
    assert lines == [f"print('line {i:03d}')" for i in range(90)]


def para_text(p) -> str:
    return "".join(r.text for r in p.runs)


def test_break_and_skipped_episodes():
    root = corpus_path("lesson-example")
    prs, result, _ = deck_for(root, "08-coffee")
    assert result.slides == 1 and "15 min" in slide_text(prs.slides[0])


def test_same_input_gives_identical_bytes(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, _, a = deck_for(REPO, "00-intro")
    _, _, b = deck_for(REPO, "00-intro")
    assert a == b


# -- LibreOffice renders the deck: no text outside its box --------------------------------------

def words_outside_boxes(pptx_path: str, pdf_path: str) -> list[str]:
    import pdfplumber
    prs = Presentation(pptx_path)
    sw, sh = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    problems = []
    with pdfplumber.open(pdf_path) as doc:
        for n, (slide, page) in enumerate(zip(prs.slides, doc.pages, strict=False)):
            boxes = [(Emu(s.left).pt, Emu(s.top).pt,
                      Emu(s.left + s.width).pt, Emu(s.top + s.height).pt)
                     for s in slide.shapes]
            fx, fy = sw / float(page.width), sh / float(page.height)
            for w in page.extract_words():
                cx, cy = (w["x0"] + w["x1"]) / 2 * fx, (w["top"] + w["bottom"]) / 2 * fy
                if w["x1"] * fx > sw + 2 or w["bottom"] * fy > sh + 2 or not any(
                        x0 - 2 <= cx <= x1 + 2 and y0 - 2 <= cy <= y1 + 2
                        for x0, y0, x1, y1 in boxes):
                    problems.append(f"slide {n + 1}: {w['text']}")
    return problems


@pytest.mark.render
def test_libreoffice_renders_without_overflow(tmp_path, soffice):
    root = corpus_path("python-intermediate-development-uva")
    _, _, blob = deck_for(root, "15-coding-conventions")
    prs = Presentation(io.BytesIO(blob))
    for s in prs.slides:                      # render hidden slides too
        s._element.attrib.pop("show", None)
    deck = tmp_path / "deck.pptx"
    prs.save(deck)
    soffice([deck], tmp_path)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists()
    assert words_outside_boxes(str(deck), str(pdf)) == []
