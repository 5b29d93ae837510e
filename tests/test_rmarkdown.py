"""R Markdown sources read as knitr shows them: chunk headers and options, inline R, the lesson's
one notice that results are missing, and solutions authors forgot to mark (every format)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import corpus_path

from slidegen.cli import main
from slidegen.model import Code, Paragraph, Special, walk
from slidegen.read import find_lesson, read_lesson

pdfplumber = pytest.importorskip("pdfplumber")

FRONT = "---\ntitle: Chunks\nteaching: 10\nexercises: 5\n---\n\n"


def codes(episode) -> list[Code]:
    return [b for b, _ in walk(episode.blocks) if isinstance(b, Code)]


def paragraphs(episode) -> str:
    return "\n".join(b.text for b, _ in walk(episode.blocks) if isinstance(b, Paragraph))


def read_rmd(make_lesson, body: str):
    root = make_lesson({"episodes/01-chunks.Rmd": FRONT + body}, fmt="workbench")
    reading = read_lesson(root)
    assert not reading.has_errors, reading.diagnostics
    return reading.lesson.episodes[0], reading


def pdf_text(path) -> str:
    with pdfplumber.open(path) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_every_chunk_header_form_gives_the_engine_language(make_lesson):
    ep, _ = read_rmd(make_lesson, "\n".join([
        "```{r}\nplain_r()\n```", "```{r named}\nnamed_r()\n```",
        "```{r, eval=TRUE}\ncomma_r()\n```", "```{r both, echo=TRUE}\nboth_r()\n```",
        "```{r eval=TRUE}\nno_comma_r()\n```", "```{python}\nprint('py')\n```",
        "```{bash}\necho bash\n```", "```{r, engine=\"sh\"}\necho sh\n```",
        "```{r, engine='bash', echo=TRUE}\necho engine_bash\n```"]) + "\n")
    got = {c.text: (c.lang, c.chunk.engine, c.chunk.label) for c in codes(ep)}
    assert got == {"plain_r()": ("r", "r", ""), "named_r()": ("r", "r", "named"),
                   "comma_r()": ("r", "r", ""), "both_r()": ("r", "r", "both"),
                   "no_comma_r()": ("r", "r", ""), "print('py')": ("python", "python", ""),
                   "echo bash": ("bash", "bash", ""), "echo sh": ("bash", "sh", ""),
                   "echo engine_bash": ("bash", "bash", "")}


def test_include_false_and_echo_false_show_no_code(make_lesson):
    ep, _ = read_rmd(make_lesson, "Before.\n\n```{r, include=FALSE}\nsecret_setup <- 1\n```\n\n"
                                  "```{r answer, echo=FALSE}\nsecret_answer <- 42\n```\n\n"
                                  "```{r, include=FALSE}\n```\n\nAfter.\n")
    assert codes(ep) == []                          # no empty grey box either
    assert "Before." in paragraphs(ep) and "After." in paragraphs(ep)


@pytest.mark.parametrize("echo, shown", [
    ("-1", ["b <- 2", "f <- function(x) {\n  x + 1\n}", "d <- 4"]),
    ("c(1, 3)", ["a <- 1", "f <- function(x) {\n  x + 1\n}"]),
    ("2:3", ["b <- 2", "f <- function(x) {\n  x + 1\n}"]),
    ("-c(1:2)", ["f <- function(x) {\n  x + 1\n}", "d <- 4"]),
])
def test_echo_selects_expressions_not_lines(make_lesson, echo, shown):
    code = "a <- 1\nb <- 2\nf <- function(x) {\n  x + 1\n}\nd <- 4"
    ep, _ = read_rmd(make_lesson, f"```{{r, echo={echo}}}\n{code}\n```\n")
    (block,) = codes(ep)
    assert block.text == "\n".join(shown)
    assert block.chunk.options == (("echo", echo),)


def test_eval_false_code_is_marked_not_run(make_lesson):
    ep, _ = read_rmd(make_lesson, "```{r, eval=FALSE}\ninstall.packages('x')\n```\n\n"
                                  "```{r}\nran()\n```\n")
    never, ran = codes(ep)
    assert never.text.splitlines() == ["# (not run)", "install.packages('x')"]
    assert not never.chunk.run and ran.chunk.run and ran.text == "ran()"


def test_output_and_figure_options_are_understood(make_lesson):
    ep, reading = read_rmd(make_lesson, "\n".join([
        '```{r, results="hide", message=FALSE, warning=FALSE, purl=FALSE}\nquiet()\n```',
        '```{r plot, fig.cap="Life expectancy over time", fig.alt="A line rising"}\nplot(x)\n```',
        '```{r alt-only, fig.alt="Bars by continent"}\nbarplot(y)\n```']) + "\n")
    quiet, plot, bars = codes(ep)
    assert dict(quiet.chunk.options) == {"results": '"hide"', "message": "FALSE",
                                         "warning": "FALSE", "purl": "FALSE"}
    assert plot.text == "plot(x)" and bars.text == "barplot(y)"
    text = paragraphs(ep)
    assert "drawn when the lesson is knitted: Life expectancy over time" in text
    assert "drawn when the lesson is knitted: Bars by continent" in text
    assert [d for d in reading.diagnostics if "option" in d.message] == []


def test_opts_chunk_set_in_a_setup_chunk_sets_the_defaults(make_lesson):
    ep, _ = read_rmd(make_lesson, "```{r setup, include=FALSE}\nknitr::opts_chunk$set(\n"
                                  "  echo = FALSE,\n  fig.width = 6\n)\n```\n\n"
                                  "```{r}\nhidden_by_default()\n```\n\n"
                                  "```{r, echo=TRUE}\nshown_anyway()\n```\n")
    (block,) = codes(ep)
    assert block.text == "shown_anyway()"
    assert dict(block.chunk.options)["fig.width"] == "6"


def test_inline_r_is_never_shown_as_code(make_lesson):
    ep, _ = read_rmd(make_lesson, "The data has `r nrow(dat)` rows and `r ncol(dat)` columns; "
                                  "a literal is `r \"just text\"` and `r 42`.\n\n"
                                  "Code spans stay: `x <- 1`.\n")
    (para, code_para) = [b for b in ep.blocks if isinstance(b, Paragraph)]
    assert para.text == ("The data has [value of nrow(dat)] rows and [value of ncol(dat)] "
                         "columns; a literal is just text and 42.")
    assert not any(s.code for s in para.spans)
    assert any(s.code and s.text == "x <- 1" for s in code_para.spans)


def test_chunks_inside_divs_and_quotes_keep_their_block(make_lesson):
    ep, _ = read_rmd(make_lesson, ":::::: challenge\n\n## Try it\n\n```{r}\nvisible()\n```\n\n"
                                  "::: solution\n\n```{r, echo=-1}\nhint_setup()\nanswer()\n```\n\n"
                                  ":::\n\n::::::\n")
    (challenge,) = [b for b in ep.blocks if isinstance(b, Special)]
    assert challenge.kind == "challenge"
    assert codes(ep)[0].text == "visible()"
    (solution,) = [b for b in challenge.children if isinstance(b, Special)]
    assert solution.kind == "solution" and solution.children[0].text == "answer()"


def test_embed_chunk_shows_the_lesson_file(make_lesson):
    root = make_lesson({"episodes/01-e.Rmd": FRONT + '```{embed, file="data/speeds.csv"}\n```\n',
                        "episodes/data/speeds.csv": "car,speed\na,10\n"}, fmt="workbench")
    (block,) = codes(read_lesson(root).lesson.episodes[0])
    assert block.text == "car,speed\na,10" and block.lang == "csv"


def test_source_lesson_says_once_that_results_are_missing(make_lesson, tmp_path):
    root = make_lesson({"episodes/01-a.Rmd": FRONT + "```{r}\nsummary(cars)\n```\n",
                        "episodes/02-b.Rmd": FRONT.replace("Chunks", "Second") + "Text.\n"},
                       fmt="workbench")
    source = find_lesson(root)
    assert len(source.lesson_config.notices) == 1
    assert "results and plots appear only once the episodes are knitted" in source.notices[0]
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert "note: R Markdown read from its sources" in result.output
    assert result.output.count("R Markdown read from its sources") == 1
    text = pdf_text(tmp_path / "out" / "handout.pdf")
    assert text.count("results and plots appear only once") == 1
    assert "results and plots" not in pdf_text(tmp_path / "out" / "handouts" / "01-a.pdf")
    from pptx import Presentation
    deck = Presentation(str(tmp_path / "out" / "slides" / "01-a.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert "results and plots appear only once" in notes[0]
    assert not any("results and plots" in n for n in notes[1:])


UNMARKED_STYLES = """---
title: Sloppy
teaching: 5
exercises: 5
---
> ## Challenge 1.2
>
> What type is it?
>
> > ### Solution to Challenge 1.2
> >
> > The answer is character_vector_here.
{: .challenge}
"""
UNMARKED_WORKBENCH = """---
title: Sloppy
teaching: 5
exercises: 5
---

:::::: challenge

## Challenge 2

What does it print?

> ### Solution to Challenge 2
>
> It prints forty_two_exactly.

### Solution, second form

A bare heading: unmarked_heading_answer.

::::::
"""


@pytest.mark.parametrize("fmt, files, line", [
    ("styles", {"_episodes/01-s.md": UNMARKED_STYLES}, 10),
    ("workbench", {"episodes/01-s.md": UNMARKED_WORKBENCH}, 13),
])
def test_unmarked_solutions_are_solutions_with_a_warning(make_lesson, tmp_path, fmt, files, line):
    root = make_lesson(files, fmt=fmt)
    check = CliRunner().invoke(main, ["check", root])
    rel = next(iter(files))
    assert f"{rel}:{line}: warning: 'Solution to Challenge" in check.output
    assert "not marked as a solution" in check.output
    episode = read_lesson(root).lesson.episodes[0]
    assert [s.title for s in walk_specials(episode, "solution")][0].startswith("Solution to")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", root, "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    handout = pdf_text(out / "handout.pdf") + pdf_text(next((out / "handouts").iterdir()))
    for answer in ("character_vector_here", "forty_two_exactly", "unmarked_heading_answer"):
        assert answer not in handout
    from pptx import Presentation
    deck = Presentation(str(next((out / "slides").iterdir())))
    visible = " ".join(sh.text_frame.text for s in deck.slides if s._element.get("show") != "0"
                       for sh in s.shapes if sh.has_text_frame)
    assert "character_vector_here" not in visible and "forty_two_exactly" not in visible


def learner_codes(blocks):
    """Code a learner sees: outside solutions and instructor notes."""
    for b in blocks:
        if isinstance(b, Code):
            yield b
        elif isinstance(b, Special) and not b.secret:
            yield from learner_codes(b.children)
        elif hasattr(b, "items"):
            for item in b.items:
                yield from learner_codes(item)


def walk_specials(episode, kind):
    return [b for b, _ in walk(episode.blocks) if isinstance(b, Special) and b.kind == kind]


# -- the corpus's R Markdown sources -------------------------------------------------------------

def test_corpus_sources_hide_what_knitr_hides():
    root = corpus_path("r-novice-gapminder")
    reading = read_lesson(root)
    assert not reading.has_errors
    public = "\n".join(c.text for e in reading.lesson.episodes for c in learner_codes(e.blocks))
    prose = paragraphs(reading.lesson.episodes[0])
    # echo=FALSE chunks: a comment for authors, and the answer printed right before its exercise
    assert "If `ls()` is left to run by itself" not in public
    assert "matrix(c(4, 1, 9, 5, 10, 7), ncol = 2, byrow = TRUE)" not in public
    assert "`r " not in prose and "r mass" not in prose
    assert "This will give a value of [value of mass] for the variable mass" in prose
    ep4 = next(e for e in reading.lesson.episodes
               if e.source.endswith("04-data-structures-part1.Rmd"))
    titles = [s.title for s in walk_specials(ep4, "solution")]
    assert "Solution to Challenge 1.2" in titles and "Solution to Challenge 1.5" in titles
    assert all(e.origin == "source" for e in reading.lesson.episodes)


def test_inspect_json_shows_chunk_options_and_origin(make_lesson):
    root = make_lesson({"episodes/01-a.Rmd": FRONT + "```{r fit, eval=FALSE, fig.alt='x'}\n"
                                                     "lm(y ~ x)\n```\n"},
                       fmt="workbench")
    result = CliRunner().invoke(main, ["inspect", root, "--json"])
    data = json.loads(result.output)
    episode = data["episodes"][0]
    assert episode["origin"] == "source"
    (code,) = [b for b in episode["blocks"] if b["type"] == "code"]
    assert code["from"] == "source"
    assert code["chunk"] == {"engine": "r", "label": "fit",
                             "options": {"eval": "FALSE", "fig.alt": "'x'"},
                             "run": False, "shown": True}
    assert data["lesson"]["notices"]


def test_verbatim_chunk_shows_chunk_syntax_and_closes_on_its_own_fence(make_lesson):
    ep, _ = read_rmd(make_lesson, '````{verbatim, lang = "markdown"}\n```{r chunk-name}\n'
                                  '"Here is where you place the R code"\n```\n````\n\n'
                                  '::: callout\n\n## Important\n\nStill a callout.\n\n:::\n')
    (block,) = codes(ep)
    assert block.lang == "markdown"
    assert block.text == '```{r chunk-name}\n"Here is where you place the R code"\n```'
    assert [b.kind for b in ep.blocks if isinstance(b, Special)] == ["callout"]


def test_inline_backticks_at_line_start_are_not_a_fence(make_lesson):
    ep, _ = read_rmd(make_lesson, "```` ``` ```` begins and ends the chunk.\n\n"
                                  "```{r, echo=FALSE}\nhidden_answer <- read_csv('x.csv')\n```\n\n"
                                  "Text after.\n")
    assert codes(ep) == []
    assert "begins and ends the chunk" in paragraphs(ep) and "Text after." in paragraphs(ep)
