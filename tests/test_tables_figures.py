"""Tables and figures as the lesson's site shows them (issue 27): kramdown separator rows and
headerless tables, pipe tables that end where pandoc ends them, grid-table cells holding blocks,
table captions, pictures in cells, pandoc reference attributes, knitr figure captions, SVG drawn
as a browser draws it, and pictures without alt text."""
from __future__ import annotations

import io
import os

import pypdf
import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image as PILImage
from pptx import Presentation

from slidegen.cli import main
from slidegen.media import svgraster
from slidegen.model import Heading, Image, ListBlock, Paragraph, Table, cell_blocks, plain, walk
from slidegen.read import read_lesson

STYLES = """---
title: K
---

| a | b |
|---|---|
| 1 | 2 |
|---|---|
| 3 | 4 |
|===|===|
| s | t |

Between the tables.

| x | y |
| 5 | 6 |

> ## Quoted
>
> | p | q |
> |:--|--:|
> | 7 | 8 |
> |---|---|
> | 9 | 0 |
{: .callout}
"""

WORKBENCH = """---
title: W
---

Table: Showing some syntax.

+---------------------+----------------------+
| Markdown code       | Rendered output      |
+=====================+======================+
| ```                 | <p></p>              |
| # A Level-1 Heading | ## A Level-1 Heading |
| ```                 |                      |
+---------------------+----------------------+
| ```                 | <p></p>              |
| *  Use one          | - Use one            |
| *  Use two          | - Use two            |
| ```                 |                      |
+---------------------+----------------------+

| x1 | x2 | y |
|----|----|---|
| 0  | 0  | 1 |
b. This solves the XOR problem.

| picture | name |
|---------|------|
| ![](fig/dot.png){alt='A red dot'} | dot |

: Pictures in cells.

![][pairplot]

[pairplot]: fig/pair.png "Pair Plot"
{alt='Grid of scatter plots'}

<div class="figure" style="text-align: center">
<img src="fig/knit.png" alt="A knitted plot"  />
<p class="caption">Scatter plot of the knitted data.</p>
</div>

After the knitted figure.

<div class="figure" style="text-align: center">
<img src="fig/bare.png"  />
<p class="caption">Histogram of the data.</p>
</div>

![](fig/plain.png)

Superscripts:

![](fig/super.svg){alt='x squared'}

![](fig/dashes.svg){alt='A dashed line'}
"""

SUPER_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
             '<text x="5" y="30" font-size="20" font-family="sans-serif">x'
             '<tspan style="font-size:65%;baseline-shift:super">2</tspan></text></svg>')
# cairosvg refused this ("could not convert string to float: 'null'"); browsers draw it
DASHES_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20">'
              '<path d="M0 10H100" stroke="black" stroke-dasharray="null"/></svg>')


def _png(colour) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (60, 40), colour).save(out, "PNG")
    return out.getvalue()


def _files() -> dict:
    files = {"episodes/01-w.md": WORKBENCH, "episodes/fig/super.svg": SUPER_SVG,
             "episodes/fig/dashes.svg": DASHES_SVG}
    for name, colour in (("dot", "red"), ("pair", "blue"), ("knit", "green"),
                         ("bare", "grey"), ("plain", "black")):
        files[f"episodes/fig/{name}.png"] = _png(colour)
    return files


def _blocks(root):
    return read_lesson(root).lesson.episodes[0].blocks


def _tables(blocks) -> list[Table]:
    return [b for b, _ in walk(blocks) if isinstance(b, Table)]


def _texts(table: Table) -> list[list[str]]:
    return [[plain(c) for c in r] for r in table.rows]


def test_kramdown_separators_split_the_body_and_headerless_tables_are_tables(make_lesson):
    blocks = _blocks(make_lesson({"_episodes/01-k.md": STYLES}))
    first, headerless, quoted = _tables(blocks)
    assert [plain(c) for c in first.header] == ["a", "b"]
    assert _texts(first) == [["1", "2"], ["3", "4"], ["s", "t"]]
    assert first.header and not headerless.header
    assert _texts(headerless) == [["x", "y"], ["5", "6"]]
    assert _texts(quoted) == [["7", "8"], ["9", "0"]] and quoted.align == ("left", "right")
    assert not any("|" in b.text for b, _ in walk(blocks) if isinstance(b, Paragraph))


@pytest.fixture
def workbench(make_lesson):
    return make_lesson(_files(), fmt="workbench",
                       config="title: 'W'\nepisodes:\n- 01-w.md\n")


def test_pipe_table_ends_at_a_line_without_a_pipe(workbench):
    blocks = _blocks(workbench)
    xor = next(t for t in _tables(blocks) if [plain(c) for c in t.header] == ["x1", "x2", "y"])
    assert _texts(xor) == [["0", "0", "1"]]
    assert any(isinstance(b, Paragraph) and b.text.startswith("b. This solves") for b in blocks)


def test_grid_table_cells_hold_blocks_and_tables_take_their_captions(workbench):
    blocks = _blocks(workbench)
    grid, _, pictures = _tables(blocks)
    held = [b for r in grid.rows for c in r for b in cell_blocks(c)]
    assert any(isinstance(b, Heading) and b.text == "A Level-1 Heading" for b in held)
    assert any(isinstance(b, ListBlock) for b in held)
    assert not any("##" in plain(c) for r in grid.rows for c in r)
    assert plain(grid.caption) == "Showing some syntax."
    assert plain(pictures.caption) == "Pictures in cells."
    assert not any(isinstance(b, Paragraph) and ("Table:" in b.text or b.text.startswith(":"))
                   for b in blocks)
    dot = [b for b in cell_blocks(pictures.rows[0][0]) if isinstance(b, Image)]
    assert dot and dot[0].alt == "A red dot" and dot[0].path == "episodes/fig/dot.png"


def test_reference_attributes_and_knitr_captions(workbench):
    blocks = _blocks(workbench)
    images = {b.path.rsplit("/", 1)[-1]: b for b, _ in walk(blocks) if isinstance(b, Image)}
    assert images["pair.png"].alt == "Grid of scatter plots"
    assert plain(images["knit.png"].caption) == "Scatter plot of the knitted data."
    assert plain(images["bare.png"].caption) == "Histogram of the data."
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert not any("{alt=" in t or "Scatter plot of" in t or "Histogram" in t
                   for t in paragraphs)


def test_svg_is_drawn_as_a_browser_draws_it():
    png, w, h = svgraster.rasterise(SUPER_SVG.encode())
    assert (w, h) == (120, 40)
    img = PILImage.open(io.BytesIO(png))
    ink = img.getchannel("A").point(lambda v: 255 if v > 128 else 0).getbbox()
    assert ink is not None and (ink[3] - ink[1]) < img.height * 0.6     # no giant "2"
    svgraster.rasterise(DASHES_SVG.encode())                         # not refused


@pytest.fixture
def built(workbench, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", workbench, "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out, result.output


def _deck(out):
    folder = out / "slides"
    return Presentation(str(folder / os.listdir(folder)[0]))


def _pictures(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:                          # a picture
                yield slide, shape


def test_decks_and_handouts_draw_cells_svg_and_describe_pictures(built):
    out, output = built
    assert "not a readable SVG" not in output
    prs = _deck(out)
    with_table = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    cell_pics = [p for s, p in _pictures(prs) if s in with_table and p.name != "Math"]
    assert cell_pics and any(p._element.nvPicPr.cNvPr.get("descr") == "A red dot"
                             for p in cell_pics)
    descrs = [p._element.nvPicPr.cNvPr.get("descr") for _, p in _pictures(prs)]
    assert not any("fig/" in d or ".png" in d for d in descrs)
    assert "Histogram of the data." in descrs                 # no alt: its caption
    decorative = [p for _, p in _pictures(prs) if p._element.nvPicPr.cNvPr.get("descr") == ""]
    assert decorative and all(b"decorative" in _xml(p) for p in decorative)
    assert len(descrs) >= 7                                   # both SVGs among them
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                    if sh.has_text_frame)
    assert "## A Level-1" not in text and "{alt=" not in text


def test_handout_draws_cell_pictures_and_captions(built):
    out, _ = built
    reader = pypdf.PdfReader(str(out / "handout.pdf"))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "A Level-1 Heading" in text and "## A Level-1" not in text
    assert "Showing some syntax." in text and "Table:" not in text
    assert "{alt=" not in text
    assert text.index("Scatter plot of the knitted data.") < text.index("After the knitted")
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 7           # the cell's dot, the reference, knitr's, both SVGs …


def _xml(shape) -> bytes:
    return etree.tostring(shape._element)


PLAIN_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
             '<rect width="200" height="60" fill="#cde"/>'
             '<text x="10" y="35" font-size="14">Pipes join commands</text></svg>')


def test_the_handout_keeps_an_svg_as_vectors_unless_weasyprint_would_draw_it_wrong(make_lesson):
    """A plain SVG stays a vector drawing in the handout (sharp, its words text, small); one
    with raised text is drawn by resvg, as a browser draws it."""
    from slidegen.handout import HandoutOptions, render_episode
    from slidegen.theme import load_theme
    root = make_lesson({"episodes/01-w.md": "---\ntitle: W\n---\n\n![Pipes](fig/plain.svg)\n\n"
                        "![x squared](fig/super.svg)\n", "episodes/fig/plain.svg": PLAIN_SVG,
                        "episodes/fig/super.svg": SUPER_SVG}, fmt="workbench")
    lesson = read_lesson(root).lesson
    pdf = render_episode(lesson, lesson.episodes[0], load_theme(None),
                         HandoutOptions(source_date_epoch=1_700_000_000)).pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Pipes join commands" in text                       # the SVG's words, as text
    assert sum(len(p.images) for p in reader.pages) == 1       # only the raised "2" as a picture
