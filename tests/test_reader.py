"""Reading lessons of both formats into the model: real corpus lessons and small fixtures."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from conftest import LESSONS, corpus_path, marked_counts

from slidegen.cli import main
from slidegen.model import Code, Heading, Image, Math, Paragraph, Special, Table, walk
from slidegen.read import read_lesson


def specials(blocks, kind=None):
    return [b for b, _ in walk(blocks)
            if isinstance(b, Special) and (kind is None or b.kind == kind)]


def text_of(blocks) -> str:
    out = []
    for b, _ in walk(blocks):
        if isinstance(b, (Paragraph, Heading, Code)):
            out.append(b.text)
    return "\n".join(out)


# -- the real lessons ------------------------------------------------------------------------

@pytest.mark.parametrize("name", LESSONS)
def test_corpus_lesson_checks_clean(name):
    result = CliRunner().invoke(main, ["check", corpus_path(name)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", LESSONS)
def test_corpus_counts_equal_what_authors_marked(name):
    root = corpus_path(name)
    reading = read_lesson(root)
    assert not reading.failed
    for e in reading.lesson.episodes:
        marked = marked_counts(os.path.join(root, e.source))
        for kind in ("challenge", "solution"):
            assert len(specials(e.blocks, kind)) == marked.get(kind, 0), (e.source, kind)


@pytest.mark.parametrize("name", LESSONS)
def test_corpus_objectives_and_keypoints_reach_the_model(name):
    root = corpus_path(name)
    for e in read_lesson(root).lesson.episodes:
        with open(os.path.join(root, e.source), encoding="utf-8") as f:
            src = f.read()
        for key in ("objectives", "keypoints"):
            if (f"\n{key}:" in src.split("\n---", 2)[0] + "\n" or f": {key}" in src
                    or f":: {key}" in src):
                if e.skipped:
                    continue
                assert getattr(e.meta, key), (e.source, key)


def test_same_lesson_in_both_formats_reads_the_same():
    styles = read_lesson(corpus_path("python-novice-inflammation-styles")).lesson
    workbench = read_lesson(corpus_path("python-novice-inflammation-workbench")).lesson
    def titles(lesson):
        return [c.title for e in lesson.episodes for c in specials(e.blocks, "challenge")]

    def solutions(lesson):
        return len([s for e in lesson.episodes for s in specials(e.blocks, "solution")])
    assert titles(styles) == titles(workbench)
    assert len(titles(styles)) == 53
    assert solutions(styles) == solutions(workbench) == 58
    assert [e.title for e in styles.episodes] == [e.title for e in workbench.episodes]


def test_sloppy_quote_markers_keep_solutions_inside_their_block():
    root = corpus_path("python-intermediate-development-uva")
    lesson = read_lesson(root).lesson
    by_stem = {e.stem: e for e in lesson.episodes}
    review = by_stem["41-code-review"]
    sol = specials(review.blocks, "solution")
    assert sol and "The purposes of code review include" in text_of(sol[0].children)
    # the lazy lines after the list belong to the solution, not to the visible challenge
    challenge = specials(review.blocks, "challenge")[0]
    visible = [c for c in challenge.children
               if not (isinstance(c, Special) and c.kind == "solution")]
    assert "bus factor" not in text_of(visible)
    assert "bus factor" in text_of(sol[0].children)
    functional = by_stem["34-functional-programming"]
    sols = specials(functional.blocks, "solution")
    assert any("count_above_threshold" in text_of(s.children) for s in sols)
    # data lines without '>' inside a fenced block stay in the solution's code
    project = by_stem["11-software-project"]
    peek = [c for c in specials(project.blocks, "challenge") if "Peek" in c.title][0]
    inner = specials(peek.children, "solution")
    assert len(inner) == 1 and inner[0].title == "Solution"
    codes = [b for b, _ in walk(inner[0].children) if isinstance(b, Code)]
    assert codes and codes[-1].role == "output" and codes[-1].text.count("\n") >= 4


def test_triple_nested_solution_is_found():
    lesson = read_lesson(corpus_path("python-intermediate-development-uva")).lesson
    oop = [e for e in lesson.episodes if e.stem == "35-object-oriented-programming"][0]
    first = specials(oop.blocks, "challenge")[0]
    outer = specials(first.children, "solution")
    assert [s.title for s in outer] == ["Solution", "A Better Solution"]


def test_workbench_divs_and_fences():
    lesson = read_lesson(corpus_path("python-novice-inflammation-workbench")).lesson
    cond = [e for e in lesson.episodes if e.stem == "07-cond"][0]
    assert cond.meta.objectives and cond.meta.questions and cond.meta.keypoints
    assert not specials(cond.blocks, "objectives")          # moved into the metadata
    assert specials(cond.blocks, "instructor")
    roles = {(b.lang, b.role) for b, _ in walk(cond.blocks) if isinstance(b, Code)}
    assert ("python", "source") in roles and (None, "output") in roles
    img = [b for b, _ in walk(cond.blocks) if isinstance(b, Image)][0]
    assert img.path == "episodes/fig/python-flowchart-conditional.png"
    assert img.alt.startswith("A flowchart diagram")


def test_special_episodes():
    lesson = read_lesson(corpus_path("lesson-example")).lesson
    by_stem = {e.stem: e for e in lesson.episodes}
    assert by_stem["01-design"].skipped
    coffee = by_stem["08-coffee"]
    assert coffee.is_break and coffee.meta.break_minutes == 15
    uva = read_lesson(corpus_path("python-intermediate-development-uva")).lesson
    intro = [e for e in uva.episodes if e.stem == "60-section6-intro"][0]
    assert intro.meta.colour == "#fbed65" or intro.meta.colour == "#fafac8"
    assert "start" in intro.meta.extra


# -- fixtures: every syntax variant ----------------------------------------------------------

STYLES_EPISODE = """
---
title: "Variants"
teaching: 10
exercises: 5
questions:
- "Why?"
objectives:
- "Do *this*."
keypoints:
- "Kept `code`."
colour: "#FAFAC8"
start: true
---

## Section

Intro with a [link]({{ page.root }}/reference.html) and {{ site.extra }}.

> ## Exercise: Loops (10 min)
> Text.
>
> > ## Hint
> > Think.
> {: .hint}
>
> > ## Solution
> > ~~~
> > print(1)
> > ~~~
> > {: .language-python }
> {: .solution }
{: .challenge}

> ## Lazy
> first line
continued lazily
{: .callout}

~~~
$ ls
~~~
{: language-bash}

~~~
boom
~~~
{: .error}

| a | b |
|---|:-:|
| 1 | 2 |

$$
x^2
$$

<img src="../fig/pic.png" alt="A picture">

{% comment %}
hidden
{% endcomment %}
{% raw %}{{ not.liquid }}{% endraw %}
{% unknown %}

> ## Instructor
> Only for you.
{: .instructor}
"""


def test_styles_fixture(make_lesson):
    root = make_lesson({"_episodes/01-variants.md": STYLES_EPISODE, "fig/pic.png": b"\x89PNG\r\n"},
                       config='title: "T"\nextra: "EXTRA"\n')
    reading = read_lesson(root)
    e = reading.lesson.episodes[0]
    assert e.meta.teaching == 10 and e.meta.colour == "#fafac8" and e.meta.extra["start"] is True
    assert [s.text for s in e.meta.objectives[0]] == ["Do ", "this", "."]
    ch = specials(e.blocks, "challenge")[0]
    assert ch.title == "Exercise: Loops (10 min)" and ch.minutes == 10 and ch.line == 19
    assert [c.kind for c in ch.children if isinstance(c, Special)] == ["hint", "solution"]
    sol = specials(ch.children, "solution")[0]
    assert sol.children[0].lang == "python" and sol.children[0].line == 27
    lazy = specials(e.blocks, "callout")[0]
    assert "continued lazily" in text_of(lazy.children)
    codes = [b for b in e.blocks if isinstance(b, Code)]
    assert [(c.lang, c.role) for c in codes] == [("bash", "source"), (None, "error")]
    table = [b for b in e.blocks if isinstance(b, Table)][0]
    assert [s[0].text for s in table.header] == ["a", "b"] and table.align[1] == "center"
    assert [b.tex for b in e.blocks if isinstance(b, Math)] == ["x^2"]
    img = [b for b in e.blocks if isinstance(b, Image)][0]
    assert img.path == "fig/pic.png" and img.alt == "A picture"
    para = [b for b in e.blocks if isinstance(b, Paragraph)]
    assert "EXTRA" in para[0].text
    assert "{{ not.liquid }}" in " ".join(p.text for p in para)
    assert "hidden" not in " ".join(p.text for p in para)
    msgs = [d.message for d in reading.diagnostics]
    assert any("unknown" in m and "Liquid" in m for m in msgs)
    assert specials(e.blocks, "instructor")


WORKBENCH_EPISODE = """
---
title: "Divs"
teaching: 5
exercises: 5
---

:::::::::::::::::: questions
- A question?
::::::::::::::::::::::::::::::

::: objectives
- An objective.
:::

## Part

:::::::::::: {.challenge}
## Challenge: Divs

Time: 7 min

```python
x = 1
```

::::::::: solution
```output
1
```
:::::::::::::::::::::::::
:::::::::::::::::::::::::::::::::

![](fig/a.svg){alt='An SVG' width='50%'}

::::: keypoints
- A key point.
:::::
"""


def test_workbench_fixture(make_lesson):
    root = make_lesson({"episodes/01-divs.md": WORKBENCH_EPISODE, "episodes/fig/a.svg": "<svg/>"},
                       fmt="workbench")
    reading = read_lesson(root)
    assert reading.lesson.config.format == "workbench"
    e = reading.lesson.episodes[0]
    assert [s.text for s in e.meta.questions[0]] == ["A question?"]
    assert e.meta.keypoints and e.meta.objectives
    ch = specials(e.blocks, "challenge")[0]
    assert ch.title == "Challenge: Divs" and ch.minutes == 7
    assert specials(ch.children, "solution")[0].children[0].role == "output"
    img = [b for b in e.blocks if isinstance(b, Image)][0]
    assert img.alt == "An SVG" and img.width == "50%" and img.path == "episodes/fig/a.svg"


def test_unclosed_div_and_solution_outside_challenge(make_lesson):
    root = make_lesson({"episodes/01-bad.md": """
        ---
        title: Bad
        ---

        ::: solution
        Alone.
        :::

        ::::: challenge
        ## Never closed
        text
        """}, fmt="workbench")
    reading = read_lesson(root)
    msgs = [str(d) for d in reading.diagnostics]
    assert any("episodes/01-bad.md:5: warning: solution outside a challenge" in m for m in msgs)
    assert any("episodes/01-bad.md:9: error: '::: challenge' is never closed" in m for m in msgs)


def test_check_warns_of_an_opener_swallowed_by_a_fence_left_open(make_lesson):
    """A fence closed only much later turns a solution into code (as the lesson's site shows it
    too): the author hears of it at the opener's line. A longer fence shows such lines on
    purpose."""
    root = make_lesson({"episodes/01-x.md": """
        ---
        title: Swallowed
        ---

        ```

        ::: solution

        The answer.

        ```python
        print(1)
        ```

        ````
        ```
        ::: challenge
        ```
        ````
        """}, fmt="workbench")
    result = CliRunner().invoke(main, ["check", root])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if "inside a code block" in ln]
    assert lines == ["episodes/01-x.md:7: warning: '::: solution' is inside a code block, so it is "
                     "shown as code; is a code fence above it left open?"]


def test_check_warns_of_an_attribute_line_inside_code(make_lesson):
    root = make_lesson({"_episodes/01-y.md": """
        ---
        title: Attribute line
        ---

        ~~~
        > ## A challenge
        {: .challenge}
        """})
    messages = [str(d) for d in read_lesson(root).diagnostics]
    assert "_episodes/01-y.md:7: warning: '{: .challenge}' is inside a code block, so it is " \
           "shown as code; is a code fence above it left open?" in messages


@pytest.mark.parametrize("front, message", [
    ("title: [unclosed\n", "invalid YAML"),
    ("title: T\nteaching: ten\n", "'teaching' must be a number of minutes"),
    ("title: T\nobjectives: just one\n", "'objectives' must be a list"),
])
def test_front_matter_errors_name_file_and_line(make_lesson, front, message):
    root = make_lesson({"_episodes/01-x.md": f"---\n{front}---\n\nBody.\n"})
    result = CliRunner().invoke(main, ["check", root])
    assert result.exit_code == 1
    line = [ln for ln in result.output.splitlines() if message in ln]
    assert line and line[0].startswith("_episodes/01-x.md:"), result.output


def test_check_github_format_and_warnings_only_exit_zero(make_lesson):
    root = make_lesson({"_episodes/01-x.md": "---\ntitle: T\n---\n\n![](../fig/missing.png)\n"})
    result = CliRunner().invoke(main, ["check", root, "--format", "github"])
    assert result.exit_code == 0
    assert "::warning file=_episodes/01-x.md,line=5::image '../fig/missing.png' is not in " \
           "the lesson" in result.output


def test_inspect_json_shape():
    result = CliRunner().invoke(main, ["inspect", corpus_path("python-novice-inflammation-styles"),
                                       "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["lesson"] == {"title": "Programming with Python", "format": "styles",
                              "url": None, "lang": "en"}
    ep = data["episodes"][0]
    for key in ("source", "title", "teaching", "exercises", "questions", "objectives", "keypoints",
                "blocks"):
        assert key in ep
    assert ep["source"] == "_episodes/01-intro.md"
    found = [b for e in data["episodes"] for b in e["blocks"]
             if b["type"] == "special" and b["kind"] == "challenge"]
    assert found and {"type", "kind", "title", "minutes", "line", "children"} <= set(found[0])
    nested = [c for b in found for c in b["children"] if c.get("type") == "special"]
    assert any(c["kind"] == "solution" for c in nested)


def test_single_episode_file_and_outline():
    path = os.path.join(corpus_path("python-novice-inflammation-workbench"), "episodes",
                        "07-cond.md")
    result = CliRunner().invoke(main, ["inspect", path])
    assert result.exit_code == 0
    assert "Making Choices" in result.output and "[challenge]" in result.output


def test_not_a_lesson_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "is not a lesson" in result.output


def test_kramdown_table_with_separator_lines(make_lesson):
    root = make_lesson({"_episodes/01-t.md": """
        ---
        title: T
        ---

        Before.

        |-------+----------:|
        |  Key  |  Meaning  |
        |-------+----------:|
        |  A    |  first    |
        |-------+----------:|
        |  B    |  second   |
        |-------+----------:|

        After, on line 15.
        """})
    e = read_lesson(root).lesson.episodes[0]
    table = [b for b in e.blocks if isinstance(b, Table)][0]
    assert [c[0].text for c in table.header] == ["Key", "Meaning"]
    assert [[c[0].text for c in r] for r in table.rows] == [["A", "first"], ["B", "second"]]
    assert table.align == (None, "right") and table.line == 8
    assert [b.line for b in e.blocks if isinstance(b, Paragraph)] == [5, 15]


def test_corpus_kramdown_table_is_a_table():
    lesson = read_lesson(corpus_path("lesson-example")).lesson
    guide = [e for e in lesson.episodes if e.stem == "06-style-guide"][0]
    table = [b for b, _ in walk(guide.blocks) if isinstance(b, Table)][0]
    assert [c[0].text for c in table.header] == ["Keyboard key", "Style Note", "Example"]
    assert len(table.rows) == 24


def test_workbench_links_go_to_the_pages_sandpaper_publishes(make_lesson):
    """sandpaper publishes every page and episode file at the site's top level, so an episode's
    link to `../learners/reference.md#x` must open `<url>/reference.html#x` on the slide."""
    root = make_lesson({"episodes/01-intro.md": """
        ---
        title: Intro
        ---
        See the [glossary](../learners/reference.md#slice), the [next episode](02-next.md),
        the [setup](../learners/setup.md) and the [data](data/counts.csv).
        """}, fmt="workbench",
        config="title: 'T'\nurl: 'https://example.org/lesson/'\nepisodes:\n- 01-intro.md\n")
    lesson = read_lesson(root).lesson
    hrefs = [s.href for b, _ in walk(lesson.episodes[0].blocks) if isinstance(b, Paragraph)
             for s in b.spans if s.href]
    assert hrefs == ["https://example.org/lesson/reference.html#slice",
                     "https://example.org/lesson/02-next.html",
                     "https://example.org/lesson/setup.html",
                     "https://example.org/lesson/data/counts.csv"]


def test_front_matter_reads_the_same_with_libyaml_as_with_the_checked_loader(monkeypatch):
    """Front matter without anchors is read by libyaml (five times as fast): the data and the
    line of every key are what the checked loader (which counts aliases) gives, in every
    corpus lesson's episodes and configs."""
    import glob

    from slidegen.read import metadata
    if metadata._CLoader is None:
        pytest.skip("this PyYAML has no libyaml")
    texts = []
    for lesson in LESSONS:
        root = corpus_path(lesson)
        for path in sorted(glob.glob(os.path.join(root, "**", "*.*md"), recursive=True))[:40] + \
                glob.glob(os.path.join(root, "*.y*ml")):
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            front = metadata.split_front_matter(text)[0] if not path.endswith("ml") else text
            if front and "&" not in front:
                texts.append((path, front))
    assert len(texts) > 50
    fast = [metadata.load_yaml(t, p, 3) for p, t in texts]
    assert all(metadata._fast(t) is not None for _, t in texts)
    monkeypatch.setattr(metadata, "_CLoader", None)
    assert fast == [metadata.load_yaml(t, p, 3) for p, t in texts]
