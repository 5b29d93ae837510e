"""Reading real lessons, third round (issue 27): kramdown fences in list items, block attribute
lines with classes slidegen does not know, `episode_order`, empty summaries, pandoc
superscripts and subscripts, and warnings worth reading (one per problem, at the line to fix)."""
from __future__ import annotations

import io
import re

import pikepdf
import pytest
from click.testing import CliRunner
from deckkit import body, title, visible
from PIL import Image as PILImage
from pptx import Presentation

from slidegen.cli import main
from slidegen.errors import Diagnostics
from slidegen.handout.accessible import elements
from slidegen.handout.html import episode_html
from slidegen.handout.options import HandoutOptions
from slidegen.model import Code, Heading, ListBlock, Paragraph, Special, walk
from slidegen.pptx import Options, write_deck
from slidegen.read import read_lesson
from slidegen.theme import load_theme


def blocks_of(root, stem=None):
    episodes = read_lesson(root).lesson.episodes
    return next(e for e in episodes if stem is None or e.stem == stem).blocks


def texts(blocks) -> str:
    return "\n".join(b.text for b, _ in walk(blocks)
                     if isinstance(b, (Paragraph, Heading, Code)))


def specials(blocks, kind):
    return [b for b, _ in walk(blocks) if isinstance(b, Special) and b.kind == kind]


def deck_of(root, stem=None):
    """The visible slides of an episode's deck, as (title, body) pairs."""
    lesson = read_lesson(root).lesson
    episode = next(e for e in lesson.episodes if stem is None or e.stem == stem)
    buf = io.BytesIO()
    write_deck(lesson, episode, load_theme(), buf, Options())
    return [(title(s), body(s)) for s in visible(Presentation(io.BytesIO(buf.getvalue())))]


def deck_xml(root, stem=None) -> str:
    """The slides' XML of an episode's deck with every word on the slides."""
    lesson = read_lesson(root).lesson
    episode = next(e for e in lesson.episodes if stem is None or e.stem == stem)
    buf = io.BytesIO()
    write_deck(lesson, episode, load_theme(), buf, Options(slides="full"))
    return "".join(s._element.xml for s in Presentation(io.BytesIO(buf.getvalue())).slides)


def handout_html(root, stem=None) -> str:
    lesson = read_lesson(root).lesson
    episode = next(e for e in lesson.episodes if stem is None or e.stem == stem)
    return episode_html(lesson, episode, load_theme(), HandoutOptions(),
                        Diagnostics(episode.source))


def check(root, *args):
    return CliRunner().invoke(main, ["check", root, *args])


EPISODE = "---\ntitle: {title}\nteaching: 5\nexercises: 5\n---\n"

# -- reading -------------------------------------------------------------------------------------

FENCE_IN_LAZY_ITEM = EPISODE.format(title="Threads") + """
> ## Set the threads
>
> 1. Set the number of threads by typing
       ~~~
       export OMP_NUM_THREADS=4
       ~~~
       {: .language-bash}
> 2. Run the program.
{: .challenge}

- Or set it in your job script
 before the run
     ~~~
     export OMP_NUM_THREADS=8
     ~~~
     {: .language-bash}
"""


def test_a_kramdown_fence_after_a_lazy_item_line_is_code(make_lesson):
    root = make_lesson({"_episodes/01-threads.md": FENCE_IN_LAZY_ITEM})
    blocks = blocks_of(root)
    challenge = specials(blocks, "challenge")[0]
    codes = [b for b, _ in walk(challenge.children) if isinstance(b, Code)]
    assert [(c.text, c.lang) for c in codes] == [("export OMP_NUM_THREADS=4", "bash")]
    assert "~~~" not in texts(blocks) and "{:" not in texts(blocks)
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    # the second command stays in its list item, as kramdown reads it
    assert any(isinstance(x, Code) and x.text == "export OMP_NUM_THREADS=8"
               for x in lists[-1].items[0])


SELF_STUDY = EPISODE.format(title="Two views") + """
## Why simulate

Molecules attract at long range and repel at short range, a long text for self-study.
{: .self_study_text :}

- Molecules interact
- Talking points for the instructor
{: .instructor_notes :}
----
{: .instructor_notes :}
#### A heading for the instructor view
{: .instructor_notes :}
The virion model is described at length here.
{: .self_study_text :}

A sentence the site hides with its own stylesheet.
{: .teacher-only}

Visible to all.
"""


def test_block_attribute_lines_with_unknown_classes_apply_to_the_block_before(make_lesson):
    root = make_lesson({"_episodes/01-views.md": SELF_STUDY,
                        "_episodes/02-again.md": SELF_STUDY.replace("Two views", "Again"),
                        "assets/css/lesson.css": "/* site */\n.teacher-only { display: none; }\n"
                                                 "@media print { .screen { display: none } }\n"})
    blocks = blocks_of(root, "01-views")
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["Why simulate"]           # no "{: .instructor_notes :}" heading
    hidden = specials(blocks, "instructor")
    hidden_text = texts(hidden)
    assert "Talking points" in hidden_text and "A heading for the instructor view" in \
        [s.title for s in hidden]
    assert "A sentence the site hides" in hidden_text
    shown = texts([b for b in blocks if not isinstance(b, Special)])
    assert shown.count("a long text for self-study") == 1
    assert "The virion model" in shown and "Visible to all." in shown
    assert "Talking points" not in shown and "{:" not in shown
    result = check(root)
    assert result.output.count("'.self_study_text'") == 1, result.output
    assert "teacher-only" not in result.output and "instructor_notes" not in result.output


def test_episode_order_in_a_styles_config_sets_the_order(make_lesson):
    config = ("title: Ordered\nepisode_order:\n  - 02-first\n  - 10-break\n  - 01-second\n"
              "  - 03-gone\n")
    break_episode = "---\ntitle: Coffee\nlayout: break\nbreak: 15\n---\n"
    root = make_lesson({"_episodes/01-second.md": EPISODE.format(title="Second") + "Text.\n",
                        "_episodes/02-first.md": EPISODE.format(title="First") + "Text.\n",
                        "_episodes/10-break.md": break_episode,
                        "_episodes/01-secnod.md": EPISODE.format(title="Typo") + "Text.\n"},
                       config=config)
    reading = read_lesson(root)
    assert [e.stem for e in reading.lesson.episodes] == ["02-first", "10-break", "01-second"]
    result = check(root)
    assert "_episodes/01-secnod.md: warning: not in _config.yml's 'episode_order'" in \
        result.output, result.output
    assert "'03-gone' is listed in 'episode_order' but not in _episodes/" in result.output


GLOSSARY = """---
title: Help
teaching: 5
exercises: 5
---

:::::::::::::::::::::::::::::::::::::::  checklist

## Palabras clave

Comando : Traducción

`help` : ayuda

`vignette` : viñeta

::::::::::::::::::::::::::::::::::::::::::::::::::

## Leer la ayuda

Cada función tiene una página de ayuda, que se abre con un signo de interrogación delante de su
nombre. Cada página se divide en secciones. La primera dice lo que hace la función, y las demás
explican sus argumentos, con ejemplos al final que se pueden copiar y ejecutar en la consola.

Otra frase larga que el instructor explica de palabra y que no cabe en la diapositiva.
"""


def test_a_part_opening_with_short_lines_keeps_them_all(make_lesson):
    """A box of glossary lines ("`help` : ayuda") shows its lines, not the first alone; a
    part of long prose still keeps only its opening sentences."""
    root = make_lesson({"episodes/help.md": GLOSSARY}, fmt="workbench")
    shown = {t: b for t, b in deck_of(root)}
    assert all(line in shown["Palabras clave"] for line in
               ("Comando : Traducción", "help : ayuda", "vignette : viñeta")), shown
    assert "Cada función tiene una página de ayuda" in shown["Leer la ayuda"]
    assert "Otra frase larga" not in shown["Leer la ayuda"]


def test_a_summary_list_holding_only_an_empty_string_makes_no_slide(make_lesson):
    front = "---\ntitle: Placeholders\nteaching: 5\nexercises: 0\nquestions:\n- \"\"\n" \
        "objectives:\n- \"\"\nkeypoints:\n- ''\n---\n"
    root = make_lesson({"_episodes/01-empty.md": front + "## Start\n\nSome text to show.\n"})
    meta = read_lesson(root).lesson.episodes[0].meta
    assert meta.questions == meta.objectives == meta.keypoints == ()
    slides = deck_of(root)
    assert [t for t, _ in slides if "Key points" in t or "Overview" in t] == []
    assert all(b.strip() for _, b in slides[1:]), slides


SCRIPTS = EPISODE.format(title="Scripts") + """
Water is H~2~O and a kibibyte is 2^10^ bytes; ~~old~~ text stays struck.
Files live in ~/data and ~/code, and a ~ b ~ c stays as written.

~~~python
print("a fence of tildes")
~~~
"""


def test_pandoc_superscript_and_subscript_render(make_lesson):
    root = make_lesson({"episodes/01-scripts.md": SCRIPTS}, fmt="workbench")
    para = [b for b in blocks_of(root) if isinstance(b, Paragraph)][0]
    scripts = [(s.text, s.script) for s in para.spans if s.script]
    assert scripts == [("2", "sub"), ("10", "sup")]
    assert [s.text for s in para.spans if s.strike] == ["old"]
    assert "~/data and ~/code, and a ~ b ~ c stays" in para.text
    codes = [b.text for b in blocks_of(root) if isinstance(b, Code)]
    assert codes == ['print("a fence of tildes")']
    xml = deck_xml(root)
    assert 'baseline="30000"' in xml and 'baseline="-25000"' in xml
    html = handout_html(root)
    assert "H<sub>2</sub>O" in html and "2<sup>10</sup> bytes" in html


# -- warnings worth reading ----------------------------------------------------------------------

SQUARE = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
          '<rect width="40" height="40" fill="#36c"/></svg>\n')


def test_a_missing_alt_text_is_reported_once(make_lesson, tmp_path):
    other = EPISODE.format(title="Other") + "Long text.\n{: .self_study_text}\n"
    root = make_lesson({"_episodes/01-pic.md": EPISODE.format(title="Picture")
                        + "A square:\n\n![](../fig/square.svg)\n",
                        "_episodes/02-other.md": other, "_episodes/03-more.md": other,
                        "fig/square.svg": SQUARE})
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "out"), "--only",
                                       "handouts", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("square.svg") == 1, result.output
    assert "_episodes/01-pic.md:8: warning: image '../fig/square.svg' has no alt text" in \
        result.output
    assert result.output.count("'.self_study_text'") == 1     # a build names it once too



def test_a_picture_file_without_alt_text_is_reported_once(make_lesson, tmp_path):
    """The PDF renderer's own note about the same picture (a lesson URL with a host) is an
    echo of slidegen's warning, not a second problem."""
    buf = io.BytesIO()
    PILImage.new("RGB", (60, 40), "#3366aa").save(buf, "PNG")
    root = make_lesson({"episodes/01-pic.md": EPISODE.format(title="Picture")
                        + "A dialog:\n\n![](fig/dialog.png)\n",
                        "episodes/fig/dialog.png": buf.getvalue()}, fmt="workbench",
                       config="title: 'Pic'\nepisodes:\n- 01-pic.md\n")
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "out"), "--only",
                                       "handouts", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("dialog.png") == 1, result.output
    assert "PDF renderer" not in result.output
    again = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "out"), "--only",
                                      "handouts", "-j", "1", "--answer-key"])
    assert "(1 more in episodes not rebuilt" in again.output, again.output      # counted once


def drawn_pictures(pdf) -> list[str]:
    """How each picture drawn on the pages is marked: /Figure (in the structure tree) or
    /Artifact (decoration, which screen readers skip)."""
    marks = []
    for page in pdf.pages:
        stack = []
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) in ("BMC", "BDC"):
                stack.append(str(operands[0]))
            elif str(op) == "EMC":
                stack.pop()
            elif str(op) == "Do" and str(operands[0]) in page.Resources.XObject \
                    and page.Resources.XObject[operands[0]].Subtype == "/Image":
                marks.append(stack[-1] if stack else "")
    return marks


def test_a_picture_with_neither_alt_text_nor_caption_is_an_artifact(make_lesson, tmp_path):
    buf = io.BytesIO()
    PILImage.new("RGB", (60, 40), "#3366aa").save(buf, "PNG")
    root = make_lesson({"episodes/01-pic.md": EPISODE.format(title="Picture")
                        + "A box:\n\n![](fig/box.png)\n\nThe same box:\n\n"
                        + "![A blue box](fig/box.png)\n",
                        "episodes/fig/box.png": buf.getvalue()}, fmt="workbench",
                       config="title: 'Pic'\nepisodes:\n- 01-pic.md\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", root, "-o", str(out), "--only", "handouts",
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    pdf = pikepdf.open(out / "handout.pdf")
    assert sorted(drawn_pictures(pdf)) == ["/Artifact", "/Figure"]
    figures = [e for e in elements(pdf.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
    assert [str(e.Alt) for e in figures] == ["A blue box"]      # no Figure without a description
    pdfua = pytest.importorskip("pdfua")                        # and the checker agrees
    report = pdfua.validate(str(out / "handout.pdf"))
    assert [f.rule_id for f in report.findings if f.severity.name in ("ERROR", "WARNING")] == []

RMD = EPISODE.format(title="Plots") + """
```{r cars}
summary(cars)
```

A plot of nothing yet:

![A plot](fig/never-made.png)
"""
KNITTED = EPISODE.format(title="Plots") + """
``` r
summary(cars)
```

``` output
     speed           dist
 Min.   : 4.0   Min.   :  2.00
 1st Qu.:12.0   1st Qu.: 26.00
```

![](fig/01-plots-rendered-cars-1.png)

A plot of nothing yet:

![A plot](fig/never-made.png)
"""


def test_warnings_of_a_knitted_episode_point_at_its_rmd_line(make_lesson):
    config = "title: 'Knit'\nepisodes:\n- 01-plots.Rmd\n"
    root = make_lesson({"episodes/01-plots.Rmd": RMD,
                        "site/built/config.yaml": config, "site/built/01-plots.md": KNITTED,
                        "site/built/md5sum.txt": '"file" "checksum" "built" "date"\n'},
                       fmt="workbench", config=config)
    assert read_lesson(root).lesson.config.format == "knitted"
    result = check(root)
    assert "episodes/01-plots.Rmd:13: warning: image 'fig/never-made.png'" in result.output, \
        result.output
    # what knitr added is reported at the chunk that made it, where fig.alt goes
    assert "episodes/01-plots.Rmd:7: warning: image 'fig/01-plots-rendered-cars-1.png' has no " \
        "alt text" in result.output
    assert "01-plots.md:" not in result.output


def test_liquid_in_a_workbench_lesson_is_printed_as_written_and_check_says_so(make_lesson):
    episode = EPISODE.format(title="Braces") + """
Welcome to {{ site.title }}, a lesson.

```bash
echo "{{ in code it is just text }}"
```
"""
    root = make_lesson({"episodes/01-braces.md": episode}, fmt="workbench")
    assert "Welcome to {{ site.title }}, a lesson." in texts(blocks_of(root))
    result = check(root)
    assert "episodes/01-braces.md:7: warning: '{{ site.title }}' is Liquid, which Workbench " \
        "lessons do not run" in result.output, result.output
    assert "in code" not in result.output
    html = handout_html(root)
    assert "Welcome to {{ site.title }}, a lesson." in html


TIMED = EPISODE.format(title="Timed") + """
## Profiles

::: challenge
## Learner profiles

Sketch a profile of someone who might attend your first workshop.

This exercise should take about 10 minutes.

::: solution
Any profile will do.
:::
:::

::: challenge
## Review a profile (30 min - optional)

Read a partner's profile and give feedback.
:::

::: challenge
## Run the job

Submit the job. The job should take about 2 minutes to run.
:::
"""


def test_a_time_stated_in_an_exercises_prose_is_its_time(make_lesson):
    root = make_lesson({"episodes/01-timed.md": TIMED}, fmt="workbench")
    exercises = specials(blocks_of(root), "challenge")
    assert [x.minutes for x in exercises] == [10, 30, None]
    assert "This exercise should take about 10 minutes." in texts(exercises[0].children)
    result = check(root)
    assert "1 of 3 exercises state no time" in result.output, result.output
    slides = deck_of(root)
    shown = {t: b for t, b in slides}
    assert "10 min" in shown["Learner profiles"]
    assert "30 min" in shown["Review a profile (optional)"]
    html = handout_html(root)
    assert "Review a profile (optional)" in html and html.count("30 min") == 1


def test_a_workbench_link_whose_destination_has_spaces_is_a_link_as_pandoc_reads_it(make_lesson):
    """pandoc takes `[open an issue]({{ site.github.repository_url }}/issues/new)` as a link;
    CommonMark printed the brackets, braces and parentheses in the handout."""
    episode = EPISODE.format(title="Issues") + """
If something is wrong, please [open an issue]({{ site.github.repository_url }}/issues/new)
describing what you see.

```markdown
A [link](in code stays as written)
```
"""
    root = make_lesson({"episodes/01-issues.md": episode}, fmt="workbench")
    shown = texts(blocks_of(root))
    assert "please open an issue describing" in " ".join(shown.split()), shown
    assert "](" not in shown.replace("[link](in code stays as written)", "")
    assert "A [link](in code stays as written)" in shown
    html = " ".join(handout_html(root).split())
    assert "please open an issue describing" in html and "({{" not in html


NOTES = EPISODE.format(title="Notes") + """
## Fitting

These show how well the model learns the data[^1], and how age is predicted[^2].

## Footnotes

[^1]: Model selection with $R^2$ is covered in a later episode.
[^2]: [Epigenetic Predictor of Age](https://example.org/age)
"""


@pytest.mark.parametrize("fmt", ["styles", "workbench"])
def test_notes_are_numbered_where_referred_to_and_listed_at_the_end(make_lesson, fmt):
    """kramdown's and pandoc's notes: `[^1]` printed raw on a slide and `[^1]: …` as a paragraph
    of its own; the page shows a raised number and lists the notes at its end."""
    folder = "_episodes" if fmt == "styles" else "episodes"
    root = make_lesson({f"{folder}/01-notes.md": NOTES}, fmt=fmt)
    shown = "\n".join(f"{t}\n{b}" for t, b in deck_of(root))
    assert "[^" not in shown and "the data1, and how age is predicted2." in shown, shown
    assert "Model selection with" in shown and "Epigenetic Predictor of Age" in shown
    xml = deck_xml(root)
    assert xml.count('baseline="30000"') >= 2                 # the two numbers, raised
    html = " ".join(handout_html(root).split())
    assert "[^" not in html and "<sup>1</sup>" in html
    assert re.search(r"<ol[^>]*>\s*<li>\s*<p>Model selection with", html), html[-800:]
