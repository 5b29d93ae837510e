"""What the lesson's own site shows, the model holds, and nothing of its source syntax: pandoc
attributes and captions, raw HTML blocks, kramdown's lenient fences, smart punctuation, and the
warnings `check` and `build` give about them."""
from __future__ import annotations

from click.testing import CliRunner

from slidegen.cli import main
from slidegen.model import Code, Heading, Image, ListBlock, Paragraph, Special, plain, walk
from slidegen.read import read_lesson


def blocks(episode, kind):
    return [b for b, _ in walk(episode.blocks) if isinstance(b, kind)]


def workbench(make_lesson, body: str):
    root = make_lesson({"episodes/01-a.md": "---\ntitle: A\n---\n\n" + body,
                        "episodes/fig/a.svg": "<svg/>"}, fmt="workbench")
    reading = read_lesson(root)
    return reading, reading.lesson.episodes[0]


def styles(make_lesson, body: str, **files):
    root = make_lesson({"_episodes/01-a.md": "---\ntitle: A\n---\n\n" + body,
                        "fig/a.svg": "<svg/>", **files})
    reading = read_lesson(root)
    return reading, reading.lesson.episodes[0]


def check(root, *args):
    return CliRunner().invoke(main, ["check", root, *args])


# -- pandoc attributes and captions -----------------------------------------------------------

def test_attributes_over_several_lines_and_escaped_quotes(make_lesson):
    _, e = workbench(make_lesson, "![](fig/a.svg){\nalt='Two tables side by side,\n"
                                  "the first highlighted'\nwidth=\"50%\"\n}\n\n"
                                  "![](fig/a.svg){alt=\"The \\\"items\\\" column\"}\n")
    first, second = blocks(e, Image)
    assert first.alt == "Two tables side by side, the first highlighted" and first.width == "50%"
    assert second.alt == 'The "items" column'
    assert not [p for p in blocks(e, Paragraph) if "alt" in p.text or "{" in p.text]


def test_pandoc_caption_is_the_bracket_text_of_an_image_alone(make_lesson):
    _, e = workbench(make_lesson, "![A *blurred* picture after\nblurring](fig/a.svg)"
                                  "{alt='Blurred cat'}\n\n"
                                  "Text and ![inline](fig/a.svg) image.\n")
    figure, inline = blocks(e, Image)
    assert plain(figure.caption) == "A blurred picture after blurring"
    assert figure.alt == "Blurred cat"
    assert [s.italic for s in figure.caption] == [False, True, False]
    assert inline.caption == () and inline.alt == "inline"


def test_kramdown_bracket_text_is_alt_text_without_a_caption(make_lesson):
    _, e = styles(make_lesson, "![A picture written over\ntwo lines](../fig/a.svg)\n")
    image = blocks(e, Image)[0]
    assert image.alt == "A picture written over two lines" and image.caption == ()


# -- raw HTML blocks ---------------------------------------------------------------------------

def test_figure_pre_and_details_as_the_site_shows_them(make_lesson):
    _, e = styles(make_lesson,
                  '<figure>\n  <img src="../fig/a.svg" alt="A cluster"/>\n'
                  '  <figcaption>The login node</figcaption>\n</figure>\n\n'
                  "<pre>\n&#96;&#96;&#96;{r}\nsummary(cars)\n&#96;&#96;&#96;\n</pre>\n\n"
                  "<details><summary>More about it</summary>Hidden until clicked.</details>\n")
    image = blocks(e, Image)[0]
    assert image.alt == "A cluster" and plain(image.caption) == "The login node"
    code = blocks(e, Code)[0]
    assert code.text == "```{r}\nsummary(cars)\n```"
    details = blocks(e, Special)[0]
    assert details.kind == "spoiler" and details.title == "More about it"
    assert details.children[0].text == "Hidden until clicked."
    assert not [p for p in blocks(e, Paragraph) if "login node" in p.text or "```" in p.text]


def test_markdown_between_html_tags_in_workbench(make_lesson):
    _, e = workbench(make_lesson, "<figure>\n![](fig/a.svg){alt='Here and not here'}\n"
                                  "<figcaption>Image credit: Allison</figcaption>\n</figure>\n\n"
                                  "<details>\n<summary>Show the answer</summary>\n\n"
                                  "It is **42**.\n\n```python\nprint(42)\n```\n\n"
                                  "</details>\n\nAfter.\n")
    image = blocks(e, Image)[0]
    assert image.alt == "Here and not here" and plain(image.caption) == "Image credit: Allison"
    details = blocks(e, Special)[0]
    assert details.kind == "spoiler" and details.title == "Show the answer"
    assert [type(c) for c in details.children] == [Paragraph, Code]
    assert e.blocks[-1].text == "After."


# -- kramdown's fences -------------------------------------------------------------------------

def test_fence_indented_after_a_line_of_text_is_code(make_lesson):
    _, e = styles(make_lesson,
                  "> ## Steps\n>\n> 1. Go into the folder:\n"
                  ">     ~~~\n>     $ cd project\n>     ~~~\n"
                  ">     {: .language-bash}\n> Or, if you cloned over HTTPS, fix it with:\n"
                  ">     ~~~\n>     $ git remote set-url origin URL\n>     ~~~\n"
                  ">     {: .language-bash}\n"
                  "{: .callout}\n\nSet the threads:\n"
                  "    ~~~\n    export OMP_NUM_THREADS=4\n    ~~~\n"
                  "    {: .language-bash}\n")
    codes = blocks(e, Code)
    assert [(c.text, c.lang) for c in codes] == [("$ cd project", "bash"),
                                                ("$ git remote set-url origin URL", "bash"),
                                                ("export OMP_NUM_THREADS=4", "bash")]
    prose = " ".join(p.text for p in blocks(e, Paragraph))
    assert "~~~" not in prose and "{:" not in prose and "OMP" not in prose
    assert blocks(e, ListBlock)


# -- smart punctuation -------------------------------------------------------------------------

def test_smart_punctuation_in_prose_not_in_code_or_addresses(make_lesson):
    body = ("It's \"quoted\" -- an en dash --- an em dash... See https://x.org/a--b.\n\n"
            "Run `ls --all \"x\"` now.\n\n~~~\necho \"--\" ...\n~~~\n")
    for read in (styles, workbench):
        _, e = read(make_lesson, body)
        para = blocks(e, Paragraph)
        assert para[0].text == ("It\u2019s \u201cquoted\u201d \u2013 an en dash "
                                "\u2014 an em dash\u2026 See https://x.org/a--b.")
        assert [s.text for s in para[1].spans if s.code] == ['ls --all "x"']
        assert blocks(e, Code)[0].text == 'echo "--" ...'
        assert blocks(e, Heading) == []


# -- warnings worth reading --------------------------------------------------------------------

UNTIMED = "> ## Exercise {n}\n> Do it.\n{{: .challenge}}\n\n"


def test_check_sums_up_untimed_exercises_unless_verbose(make_lesson):
    root = make_lesson({"_episodes/01-a.md": "---\ntitle: A\n---\n\n" + UNTIMED.format(n=1)
                        + UNTIMED.format(n=2) + "> ## Timed (5 min)\n> Go.\n{: .challenge}\n"})
    plain_check = check(root)
    assert plain_check.exit_code == 0
    assert "has no time" not in plain_check.output
    assert "_config.yml: note: 2 of 3 exercises state no time" in plain_check.output
    assert "0 errors, 0 warnings in 1 episode" in plain_check.output
    each = check(root, "--verbose")
    assert "_episodes/01-a.md:5: note: challenge 'Exercise 1' has no time" in each.output
    assert "_episodes/01-a.md:9: note: challenge 'Exercise 2' has no time" in each.output
    assert "0 errors, 0 warnings in 1 episode" in each.output
    # notes are not warnings: --strict does not fail on them
    assert check(root, "--verbose", "--strict").exit_code == 0


def test_check_warns_of_stray_attribute_text(make_lesson):
    root = make_lesson({"_episodes/01-a.md": "---\ntitle: A\n---\n\n~~~\nls\n~~~\n: .bash}\n\n"
                        "Some text\n{.output}\n"})
    result = check(root)
    assert ("_episodes/01-a.md:8: warning: ': .bash}' is printed as text on the lesson's site "
            "(a broken attribute line? kramdown reads '{: .bash}'); left out") in result.output
    assert "_episodes/01-a.md:11: warning: '{.output}' is printed as text" in result.output
    e = read_lesson(root).lesson.episodes[0]
    assert [p.text for p in blocks(e, Paragraph)] == ["Some text"]


def test_check_warns_of_kramdown_attributes_in_a_workbench_lesson(make_lesson):
    root = make_lesson({"episodes/01-a.md": "---\ntitle: A\n---\n\n"
                                            "```\nls\n```\n{: .language-bash}\n"},
                       fmt="workbench")
    result = check(root)
    assert ("episodes/01-a.md:8: warning: '{: .language-bash}' is printed as text on the lesson's "
            "site (pandoc reads no kramdown attribute lines)") in result.output


def test_build_repeats_no_warning_of_episodes_it_did_not_rebuild(make_lesson, tmp_path):
    root = make_lesson({"_episodes/01-a.md": "---\ntitle: A\n---\n\n![](../fig/none.png)\n",
                        "_episodes/02-b.md": "---\ntitle: B\n---\n\nText.\n"})
    out = str(tmp_path / "out")
    first = CliRunner().invoke(main, ["build", root, "-o", out, "--only", "slides", "-q"])
    assert "image '../fig/none.png' is not in the lesson" in first.output
    with open(f"{root}/_episodes/02-b.md", "a") as f:
        f.write("\nMore text.\n")
    again = CliRunner().invoke(main, ["build", root, "-o", out, "--only", "slides", "-q"])
    assert again.exit_code == 0
    assert "none.png" not in again.output
    assert "0 warnings (2 more in episodes not rebuilt: 'slidegen check' lists them)" \
        in again.output


def test_pandoc_inline_note_stays_where_it_is_written(make_lesson):
    _, e = workbench(make_lesson, "Split the data.^[Adapted from [a lesson](https://x.org/dplyr/).]\n")
    para = blocks(e, Paragraph)[0]
    assert para.text == "Split the data. (Adapted from a lesson.)"
    assert [s.href for s in para.spans if s.href] == ["https://x.org/dplyr/"]


def test_kramdown_html_block_runs_to_its_closing_tag(make_lesson):
    _, e = styles(make_lesson, "<figure>\n\n"
                               "    <img src=\"../fig/a.svg\" style=\"max-width: 50%;\"\n"
                               "       alt=\"Connect to the cluster\"/>\n\n"
                               "  <figcaption>\n    <small>How you connect</small>\n"
                               "  </figcaption>\n"
                               "</figure>\n\n<div class=\"row\">\n  <div markdown=\"1\">\n\n"
                               "> ## A box\n> In it.\n{: .callout}\n\n  </div>\n</div>\n")
    image = blocks(e, Image)[0]
    assert image.alt == "Connect to the cluster" and plain(image.caption) == "How you connect"
    assert blocks(e, Code) == [] and blocks(e, Special)[0].kind == "callout"


def test_pandoc_grid_table_is_a_table(make_lesson):
    _, e = workbench(make_lesson, "+-----------------+-----------------+\n"
                                  "| Markdown code   | Rendered output |\n"
                                  "+=================+=================+\n"
                                  "| ```             | <p></p>         |\n"
                                  "| *   Use         | -   Use         |\n"
                                  "| *   asterisks   | -   asterisks   |\n"
                                  "| ```             |                 |\n"
                                  "+-----------------+-----------------+\n"
                                  "| `# A Heading`   | ## A Heading -- |\n"
                                  "+-----------------+-----------------+\n")
    from slidegen.model import Table, cell_blocks
    table = blocks(e, Table)[0]
    assert [plain(c) for c in table.header] == ["Markdown code", "Rendered output"]
    (code,) = cell_blocks(table.rows[0][0])
    assert isinstance(code, Code) and code.text.strip() == "*   Use\n*   asterisks"
    # a cell holding blocks shows them as blocks, as pandoc renders them (issue 27)
    (items,) = cell_blocks(table.rows[0][1])
    assert isinstance(items, ListBlock) and [plain(i[0].spans) for i in items.items] == \
        ["Use", "asterisks"]
    assert plain(table.rows[1][0]) == "# A Heading"
    (heading,) = cell_blocks(table.rows[1][1])
    assert isinstance(heading, Heading) and plain(heading.spans) == "A Heading \u2013"
    assert [type(b) for b in e.blocks] == [Table]          # nothing of it outside the table


def test_handout_prints_the_caption_under_the_figure(make_lesson, tmp_path):
    import pdfplumber
    root = make_lesson({"episodes/01-a.md": "---\ntitle: A\n---\n\n"
                        "![The login node after\nsetup](fig/a.svg){alt='A cluster'}\n",
                        "episodes/fig/a.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="20" '
                                              'height="10"><rect width="20" height="10"/></svg>'},
                       fmt="workbench", config="title: T\nepisodes:\n- 01-a.md\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", root, "-o", str(out), "--only", "handouts", "-q"])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out / "handouts" / "01-a.pdf") as pdf:
        text = " ".join((p.extract_text() or "").replace("\n", " ") for p in pdf.pages)
    assert "The login node after setup" in text
