"""Figures, formulae, diagrams, wide tables and theme colours on slides, from hand-made models (no
LibreOffice), checked in the .pptx as an instructor (or PowerPoint) reads it."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile

import pytest
from conftest import CORPUS
from PIL import Image as PILImage
from test_teaching_deck import body, content, deck, notes, para, visible

from slidegen.model import Code, Heading, Image, Math, Paragraph, Span, Table
from slidegen.theme import load_theme

SCHEMAS = os.path.join(os.path.dirname(CORPUS), "tools", "ooxml-rnc")


def pictures(prs):
    return [shp for s in visible(prs) for shp in s.shapes if shp.shape_type == 13]


def descr(pic) -> str:
    return pic._element.nvPicPr.cNvPr.get("descr") or ""


def write(root, rel: str, data: bytes) -> None:
    path = os.path.join(str(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (w, h), "#3366aa").save(buf, "PNG")
    return buf.getvalue()


SMALL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" '
             b'viewBox="0 0 120 60">'
             b'<rect x="5" y="5" width="110" height="50" fill="#e8710a"/>'
             b'<text x="60" y="36" font-size="14" text-anchor="middle">A to B</text></svg>')


# -- figures ---------------------------------------------------------------------------------------

def test_a_small_vector_figure_is_scaled_up_to_the_room_it_has(tmp_path):
    write(tmp_path, "fig/flow.svg", SMALL_SVG)
    prs, _ = deck([Heading(2, (Span("Flow"),), 1),
                   Image("../fig/flow.svg", "fig/flow.svg", "Step A leads to step B", None, 1)],
                  root=str(tmp_path))
    (pic,) = pictures(prs)
    assert pic.width > prs.slide_width * 0.5          # not its 120 px web size (about 1.25 in)
    assert descr(pic) == "Step A leads to step B"


def test_caption_and_credit_under_the_figure_and_alt_text_as_its_description(tmp_path):
    write(tmp_path, "fig/photo.png", png(400, 300))
    caption = (Span("The study's pipeline. Image credit: "), Span("Allison Horst", href="https://example.org/ah"))
    prs, _ = deck([Heading(2, (Span("Pipeline"),), 1),
                   Image("../fig/photo.png", "fig/photo.png", "Boxes joined by arrows", None, 1,
                         caption=caption)], root=str(tmp_path))
    slide = content(prs)[0]
    (pic,) = pictures(prs)
    assert descr(pic) == "Boxes joined by arrows"
    cap = [shp for shp in slide.shapes if shp.name.startswith("Caption")]
    assert cap and cap[0].text_frame.text == "The study's pipeline. Image credit: Allison Horst"
    assert cap[0].top >= pic.top + pic.height                 # under the picture
    # alt text describes, it is not a caption
    assert "Boxes joined by arrows" not in body(slide)


def test_a_missing_picture_is_its_alt_text_in_a_box_and_the_reason_is_in_the_notes(tmp_path):
    prs, result = deck([Heading(2, (Span("Data"),), 1),
                        Image("../fig/gone.png", None, "A table of patients by day", None, 7)],
                       root=str(tmp_path))
    slide = content(prs)[0]
    shown = body(slide)
    assert "A table of patients by day" in shown
    assert "gone.png" not in shown and "not in the lesson" not in shown
    assert "../fig/gone.png" in notes(slide)
    assert not pictures(prs)


# -- math ------------------------------------------------------------------------------------------

def test_display_math_inside_a_paragraph_is_a_centred_picture_on_its_own_line():
    p = Paragraph((Span("The mean is "),
                   Span(r"\bar{x} = \frac{1}{n}\sum_{i=1}^n x_i", math=True, display=True),
                   Span(" where "), Span("n", math=True), Span(" counts the values.")), 1)
    prs, _ = deck([Heading(2, (Span("Mean"),), 1), p], slides="full")
    slide = content(prs)[0]
    (pic,) = pictures(prs)
    assert r"\frac{1}{n}" in descr(pic)
    centre = pic.left + pic.width / 2
    assert abs(centre - prs.slide_width / 2) < prs.slide_width * 0.02
    texts = [shp for shp in slide.shapes
             if shp.has_text_frame and "The mean is" in shp.text_frame.text]
    after = [shp for shp in slide.shapes
             if shp.has_text_frame and "counts the values" in shp.text_frame.text]
    assert texts and after and texts[0].top < pic.top < after[0].top
    assert "frac" not in body(slide) and "\\" not in body(slide)


@pytest.mark.parametrize("tex, shown", [(r"\frac{\frac{1}{1}}{2}", "(1/1)/2"), (r"x^{2}", "x²"),
                                        (r"t_{i}", "tᵢ"), (r"\alpha \le \beta", "α ≤ β"),
                                        (r"\sqrt{x+1}", "√(x+1)")])
def test_inline_math_reads_as_unicode(tex, shown):
    prs, _ = deck([Heading(2, (Span("Inline"),), 1),
                   Paragraph((Span("So "), Span(tex, math=True), Span(" holds.")), 1)],
                  slides="full")
    assert f"So {shown} holds." in body(content(prs)[0])


def test_math_is_typeset_in_the_themes_text_colour_on_nothing():
    dark = load_theme("dark")
    prs, _ = deck([Heading(2, (Span("E"),), 1), Math("E = mc^2", 1)], theme=dark)
    (pic,) = pictures(prs)
    img = PILImage.open(io.BytesIO(pic.image.blob)).convert("RGBA")
    assert img.getpixel((0, 0))[3] == 0                          # transparent, not a white box
    data = img.tobytes()
    inked = [tuple(data[i:i + 4]) for i in range(0, len(data), 4) if data[i + 3] > 200]
    r, g, b, _ = max(inked, key=lambda px: px[3])
    text = dark.deck_palette.colour("text").lstrip("#")
    assert (r, g, b) == tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


# -- diagrams --------------------------------------------------------------------------------------

FLOW = "flowchart LR\n  A[Lesson] --> B(Decks)\n  A --> C{Handouts}\n"


def test_a_mermaid_diagram_without_a_renderer_is_described_never_shown_as_source(monkeypatch):
    monkeypatch.setenv("SLIDEGEN_MMDC", "")
    prs, result = deck([Heading(2, (Span("How"),), 1),
                        Code(FLOW + "%% words\n", "mermaid", "source", 1)])
    slide = content(prs)[0]
    assert "Flowchart: Lesson, Decks, Handouts" in body(slide)
    assert "-->" not in body(slide) and "flowchart LR" not in body(slide)
    assert "flowchart LR" in notes(slide)                        # the source is in the notes
    assert any("Mermaid" in d.message for d in result.diagnostics)


def test_a_mermaid_diagram_is_a_picture_when_it_can_be_drawn(mermaid_renderer):
    prs, _ = deck([Heading(2, (Span("How"),), 1), Code(FLOW, "mermaid", "source", 1)])
    (pic,) = pictures(prs)
    assert descr(pic) == "Flowchart: Lesson, Decks, Handouts"
    assert "-->" not in body(content(prs)[0]) and "-->" in notes(content(prs)[0])


# -- tables ----------------------------------------------------------------------------------------

def test_a_wide_table_breaks_no_word_inside_a_cell():
    header = tuple((Span(f"Measurement{j:02d}"),) for j in range(15))
    rows = tuple(tuple((Span(f"value{i}{j:02d}"),) for j in range(15)) for i in range(4))
    prs, _ = deck([Heading(2, (Span("Wide"),), 1), Table(header, rows, (None,) * 15, 1)])
    tables = [shp.table for s in content(prs) for shp in s.shapes
              if getattr(shp, "has_table", False) and shp.has_table]
    assert len(tables) > 1                                       # set as tables of fewer columns
    seen = set()
    for t in tables:
        seen.update(c.text for c in t.rows[0].cells)
        assert t.rows[0].cells[0].text == "Measurement00"         # each led by the first column
        for r in t.rows:
            for c in r.cells:
                size = c.text_frame.paragraphs[0].runs[0].font.size.pt
                assert size >= 18
    assert seen == {f"Measurement{j:02d}" for j in range(15)}
    from slidegen.pptx.measure import metrics
    for t in tables:
        for j, col in enumerate(t.columns):
            for r in t.rows:
                run = r.cells[j].text_frame.paragraphs[0].runs[0]
                width = metrics("Arial", bool(run.font.bold)).width(r.cells[j].text,
                                                                    run.font.size.pt)
                assert width <= col.width.pt - 10, r.cells[j].text     # the longest word fits


def test_a_short_table_stays_whole_and_keeps_its_caption():
    rows = tuple(((Span(f"r{i}"),), (Span(str(i)),)) for i in range(6))
    table = Table(((Span("Name"),), (Span("Value"),)), rows, (None, None), 1)
    filler = [Paragraph((Span(f"Line {i} of text that fills the slide up to its bottom edge "
                              "nicely."),), 1)
              for i in range(9)]
    prs, _ = deck([Heading(2, (Span("Data"),), 1), *filler, table,
                   para("Table 1: values by name.")],
                  slides="full")
    holders = [s for s in content(prs) for shp in s.shapes
               if getattr(shp, "has_table", False) and shp.has_table]
    assert len(holders) == 1
    assert "Table 1: values by name." in body(holders[0])


# -- themes: links and the deck's colour scheme ----------------------------------------------------

def scheme_colour(blob: bytes, name: str) -> str:
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        theme = next(n for n in z.namelist() if n.startswith("ppt/theme/theme"))
        root = etree.fromstring(z.read(theme))
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    return root.find(f".//a:clrScheme/a:{name}/a:srgbClr", ns).get("val").lower()


@pytest.mark.parametrize("name", ["carpentries", "dark", "high-contrast"])
def test_links_take_the_themes_link_colour_in_the_runs_and_the_colour_scheme(name):
    theme = load_theme(name)
    prs, _ = deck([Heading(2, (Span("Links"),), 1),
                   Paragraph((Span("See "), Span("the docs", href="https://example.org")), 1)],
                  theme=theme, slides="full")
    buf = io.BytesIO()
    prs.save(buf)
    link = theme.deck_palette.colour("link").lstrip("#").lower()
    assert scheme_colour(buf.getvalue(), "hlink") == link
    assert scheme_colour(buf.getvalue(), "folHlink") == link
    run = next(r for s in content(prs) for shp in s.shapes if shp.has_text_frame
               for p in shp.text_frame.paragraphs for r in p.runs if r.text == "the docs")
    assert str(run.font.color.rgb).lower() == link and run.hyperlink.address == "https://example.org"


# -- what PowerPoint reads: the OOXML schemas ------------------------------------------------------

def test_a_deck_with_every_kind_of_shape_is_valid_ooxml(tmp_path, monkeypatch):
    if shutil.which("jing") is None or not os.path.isdir(SCHEMAS):
        if os.environ.get("CI") and shutil.which("jing") is None:
            pytest.fail("jing is not installed; .ci/setup installs it")
        pytest.skip("jing or the OOXML schemas (../shared/tools/ooxml-rnc) are not available")
    monkeypatch.setenv("SLIDEGEN_MMDC", "")
    write(tmp_path, "fig/flow.svg", SMALL_SVG)
    from test_teaching_deck import code, exercise, h, items
    blocks = [h(2, "All"), para("Lead:"), code("x = 1"), code("1", role="output"), items("a", "b"),
              Image("../fig/flow.svg", "fig/flow.svg", "A flow", None, 1,
                    caption=(Span("Caption"),)),
              Math("E = mc^2", 1), Table(((Span("A"),),), (((Span("1"),),),), (None,), 1),
              Paragraph((Span("link", href="https://example.org"),), 1), exercise(para("Do it."))]
    prs, _ = deck(blocks, root=str(tmp_path), keypoints=((Span("Done"),),))
    path = tmp_path / "deck.pptx"
    prs.save(path)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(path) as z:
            z.extractall(tmp)
        for folder, schema in (("slides", "PresentationML_Slide.rnc"),
                               ("notesSlides", "PresentationML_Notes_Slide.rnc"),
                               ("theme", "DrawingML_Theme.rnc")):
            parts = [os.path.join(tmp, "ppt", folder, n)
                     for n in os.listdir(os.path.join(tmp, "ppt", folder)) if n.endswith(".xml")]
            done = subprocess.run(["jing", "-c", os.path.join(SCHEMAS, schema), *parts],
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stdout[:2000]


@pytest.mark.parametrize("slides", ["teaching", "full"])
def test_a_figure_stays_with_the_question_about_it(tmp_path, slides):
    write(tmp_path, "fig/plot.png", png(800, 500))
    filler = [Paragraph((Span(f"Line {i} of text that fills the slide up to its bottom edge "
                              "nicely."),), 1)
              for i in range(5)]
    prs, _ = deck([Heading(2, (Span("Reading a plot"),), 1), *filler,
                   Image("../fig/plot.png", "fig/plot.png", "A rising line", None, 1),
                   para("Which year had the most rainfall?"),
                   para("The next part goes on from here.")],
                  root=str(tmp_path), slides=slides)
    (holder,) = [s for s in content(prs) for shp in s.shapes if shp.shape_type == 13]
    assert "Which year had the most rainfall?" in body(holder)
