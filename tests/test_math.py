"""Math as the lesson's site shows it (MathJax): every formula typeset in both outputs with its
TeX as its description, kramdown's rules for `$$` and `$` in styles lessons, the lesson's own
MathJax macros, math in titles, display math on its own line, a warning for `$\\\\beta$`, and
a size cap that refuses a huge formula quickly and in little memory."""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import textwrap
import time

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPO
from deckkit import body, visible
from pptx import Presentation

from slidegen.cli import main
from slidegen.errors import Diagnostics
from slidegen.handout import HandoutOptions
from slidegen.handout.html import episode_html
from slidegen.media.mathrender import typeset
from slidegen.model import Episode, EpisodeMeta, Lesson, LessonConfig, Paragraph, Span
from slidegen.read import read_lesson
from slidegen.theme import load_theme

# Formulas matplotlib's mathtext printed as raw TeX, as real lessons write them.
HARD = [
    r"\unicode{x212B}",
    r"\left\lVert \beta \right\rVert_2 = \sqrt{\sum_{j=1}^p \beta_j^2}",
    r"\left\lVert \beta \right\lVert_1",
    r"\sum_{i=1}^N \biggl( y_i - x'_i\beta \biggr)^2",
    r"p \< 0.05",
    r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}",
    r"\begin{align} a &= b \\ c &= d \end{align}",
    r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
    r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
    r"\left[\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}\right]",
]
RAW = ("lVert", "biggl", "biggr", "unicode", "begin{", "pmatrix", "\\")

MATHJAX = """\
{% if site.math %}
<script type="text/x-mathjax-config">
  MathJax.Hub.Config({
    tex2jax: { inlineMath: [ ['$','$'], ["\\\\(","\\\\)"] ], processEscapes: true },
    TeX: { Macros: { RR: '{\\\\mathbb R}', norm: ['\\\\left\\\\lVert #1 \\\\right\\\\rVert', 1] } }
  });
</script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.1/MathJax.js"></script>
{% endif %}
"""
NO_DOLLARS = MATHJAX.replace("['$','$'], ", "")


@pytest.mark.parametrize("tex", HARD)
def test_what_mathtext_could_not_set_is_typeset(tex):
    t = typeset(tex, 20.0, "#000000", "png", 150)
    assert t.data.startswith(b"\x89PNG") and t.width_pt > 5


@pytest.mark.parametrize("tex, rows", [(HARD[5], 2), (HARD[6], 2), (HARD[7], 2), (HARD[9], 2)])
def test_rows_stay_rows(tex, rows):
    one = typeset("a = b + c", 20.0).height_pt
    assert typeset(tex, 20.0).height_pt > 1.6 * one      # not flattened onto one line



def width(tex: str) -> float:
    return round(typeset(tex, 20.0).width_pt, 1)


def test_math_inside_text_is_math_as_mathjax_reads_it():
    # the dollar signs are not printed: the text is as wide as text and math side by side
    assert width(r"f(x) = \text{1 if $x > 0$ else 0}") == \
        width(r"f(x) = \text{1 if }x > 0\text{ else 0}")
    assert width(r"\mbox{a \(y\) b}") == width(r"\mbox{a }y\mbox{ b}")


def test_an_equation_tag_stands_apart_at_the_right():
    assert width(r"x = 1 \tag{1}") == width(r"x = 1 \qquad \text{(1)}")
    assert width(r"x = 1 \tag{1}") > width(r"x = 1 (1)") + 15
    assert width(r"x = 1 \tag*{A}") == width(r"x = 1 \qquad \text{A}")


@pytest.mark.parametrize("tex, rules", [
    (r"\begin{array}{cc} a & b \\ c & d \end{array}", 0),
    (r"\begin{array}{c|c} a & b \\ \hline c & d \end{array}", 2),
    (r"\left[\begin{array}{|c|c|} \hline a & b \\ \hline c & d \\ \hline \end{array}\right]", 6),
    (r"\begin{array}{l|rr} x & 1 & 2 \\ \hline y & \frac{1}{2} & 3 \end{array}", 3),  # + the bar
])
def test_the_rules_of_an_array_are_drawn(tex, rules):
    svg = typeset(tex, 20.0).data.decode()
    assert svg.count("<rect") == rules
    assert width(tex) >= width(r"\begin{array}{cc} a & b \\ c & d \end{array}")

def styles_lesson(make_lesson, episodes: dict, mathjax: str | None = MATHJAX) -> str:
    files = {f"_episodes/{k}": v for k, v in episodes.items()}
    if mathjax is not None:
        files["_includes/mathjax.html"] = mathjax
    return make_lesson(files, config='title: "Math Lesson"\nmath: true\n')


def build(root: str, out: str, *extra) -> str:
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-j", "1", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def alt_texts(pdf_path: str) -> list[str]:
    """The /Alt of every structure element of a tagged PDF."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/Alt" in node:
                found.append(str(node.Alt))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)
    with pikepdf.open(pdf_path) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return found


def test_every_formula_is_typeset_with_its_tex_as_its_description(make_lesson, tmp_path):
    text = "---\ntitle: Formulas\n---\n\n## Norms\n\n" + "".join(
        f"Formula {i}:\n\n$$\n{tex}\n$$\n\n" for i, tex in enumerate(HARD))
    root = styles_lesson(make_lesson, {"01-formulas.md": text})
    out = str(tmp_path / "out")
    log = build(root, out)
    assert "could not be typeset" not in log
    prs = Presentation(os.path.join(out, "slides", "01-formulas.pptx"))
    descriptions = [shp._element.nvPicPr.cNvPr.get("descr") for s in visible(prs)
                    for shp in s.shapes if shp.shape_type == 13]
    assert sorted(descriptions) == sorted(HARD)
    shown = "\n".join(body(s) for s in visible(prs))
    assert not [w for w in RAW if w in shown]
    alts = alt_texts(os.path.join(out, "handouts", "01-formulas.pdf"))
    assert all(tex in alts for tex in HARD)


def test_styles_math_follows_kramdown_and_the_lessons_mathjax(make_lesson):
    text = textwrap.dedent("""\
        ---
        title: Kramdown
        ---

        The square $$x^2$$ grows fast.

        A spaced $ y $ here, and the reals $\\RR$.
        """)
    root = styles_lesson(make_lesson, {"01-k.md": text})
    spans = [b.spans for b in read_lesson(root).lesson.episodes[0].blocks]
    assert [(s.text, s.display) for s in spans[0] if s.math] == [("x^2", False)]
    assert [s.text for s in spans[1] if s.math] == ["y", "\\RR"]


def test_dollars_are_text_where_the_lessons_mathjax_leaves_them(make_lesson):
    text = "---\ntitle: Money\n---\n\nIt costs $x$ and $$y$$ more.\n"
    root = styles_lesson(make_lesson, {"01-m.md": text}, mathjax=NO_DOLLARS)
    (p,) = read_lesson(root).lesson.episodes[0].blocks
    assert [s.text for s in p.spans if s.math] == ["y"] and "$x$" in p.text


def test_inline_double_dollars_and_macros_stay_in_the_sentence(make_lesson, tmp_path):
    text = ("---\ntitle: Inline\n---\n\n## Sizes\n\n"
            "The square $$x^2$$ grows, as $\\norm{v}$ in $\\RR$.\n")
    root = styles_lesson(make_lesson, {"01-i.md": text})
    out = str(tmp_path / "out")
    log = build(root, out, "--slides", "full")
    assert "could not be typeset" not in log
    prs = Presentation(os.path.join(out, "slides", "01-i.pptx"))
    shown = "\n".join(body(s) for s in visible(prs))
    assert "The square x² grows, as ‖v‖ in ℝ." in " ".join(shown.split())
    assert not [shp for s in visible(prs) for shp in s.shapes if shp.shape_type == 13]


def test_math_in_headings_is_math_in_titles(make_lesson, tmp_path):
    text = "---\ntitle: Lambda\n---\n\n## The best value of $\\lambda$\n\nWe choose it.\n"
    root = styles_lesson(make_lesson, {"01-l.md": text})
    out = str(tmp_path / "out")
    build(root, out, "--slides", "full")
    prs = Presentation(os.path.join(out, "slides", "01-l.pptx"))
    titles = [s.shapes.title.text for s in visible(prs) if s.shapes.title is not None]
    assert "The best value of λ" in titles and not [t for t in titles if "\\" in t]
    assert "\\lambda" in alt_texts(os.path.join(out, "handouts", "01-l.pdf"))


def test_display_math_in_a_sentence_stands_on_its_own_line_in_the_handout(tmp_path):
    p = Paragraph((Span("Energy is "), Span("E = mc^2", math=True, display=True)), 3)
    episode = Episode("episodes/01-e.md", EpisodeMeta("E"), (p,))
    lesson = Lesson(str(tmp_path), LessonConfig("L", "workbench"), (episode,))
    html = episode_html(lesson, episode, load_theme(), HandoutOptions(), Diagnostics("x"))
    m = re.search(r'<span class="math-display"><img class="math" alt="E = mc\^2" '
                  r'style="width:([\d.]+)pt"', html)
    assert m
    inline = typeset("E = mc^2", float(load_theme().handout.body_size), display=False)
    assert float(m.group(1)) > inline.width_pt * 1.1            # at display size


def test_check_warns_about_a_doubled_backslash(make_lesson):
    text = "---\ntitle: Beta\n---\n\nThe $\\\\beta$ values and $\\gamma$.\n"
    root = make_lesson({"episodes/01-b.md": text}, fmt="workbench")
    result = CliRunner().invoke(main, ["check", root])
    assert "episodes/01-b.md:5" in result.output and "doubled backslash" in result.output
    assert "'\\beta'" in result.output and "gamma" not in result.output


LIMIT_MB = 500
LIMIT_S = 10


def test_a_huge_formula_is_refused_quickly_and_in_little_memory(make_lesson, tmp_path):
    unit = r"\frac{a_{i}^{2}}{b_{j}} + "
    huge = unit * (54_000 // len(unit))
    text = f"---\ntitle: Huge\n---\n\n## Data\n\nBefore it.\n\n$${huge}$$\n\nAfter it.\n"
    root = styles_lesson(make_lesson, {"01-h.md": text})
    out = str(tmp_path / "out")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_MB * 2**20, LIMIT_MB * 2**20))
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "slidegen", "build", root, "-o", out, "-j", "1"],
                         preexec_fn=limit, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": REPO})
    assert time.monotonic() - start < LIMIT_S
    assert run.returncode == 0, run.stderr
    assert "internal error" not in run.stdout + run.stderr
    assert re.search(r"01-h\.md:9: warning: math .* could not be typeset \(it is 53,9\d\d "
                     r"characters long", run.stdout + run.stderr)
    assert "After it." in subprocess.run(["pdftotext", os.path.join(out, "handouts", "01-h.pdf"),
                                          "-"], capture_output=True, text=True).stdout


def test_a_doubled_backslash_before_a_formula_sets_it_on_its_line(make_lesson, tmp_path):
    r"""`$\\log\_2$` (an author escaping Markdown inside math): the typesetter measured the empty
    line before it as 20,000 pt tall, upwards, and the handout's box stood empty over pages."""
    box = ("> ## Measuring methylation\n>\n> Values are the $\\\\log\\_2$ ratio, written "
           "$\\\\beta$ or\n>\n> $$\n> \\beta_i = \\frac{m_i}{u_i + m_i}\n> $$\n>\n"
           "> for site $i$.\n{: .callout}\n")
    text = "---\ntitle: Methylation\n---\n\n## Values\n\nBefore the box.\n\n" + box
    root = styles_lesson(make_lesson, {"01-m.md": text})
    out = str(tmp_path / "out")
    log = build(root, out)
    assert "could not be typeset" not in log
    path = os.path.join(out, "handouts", "01-m.pdf")
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 1, log
    prs = Presentation(os.path.join(out, "slides", "01-m.pptx"))
    heights = [shp.height for s in visible(prs) for shp in s.shapes if shp.shape_type == 13]
    assert heights and all(0 < h < 3 * 914400 for h in heights)   # a formula, not a page
