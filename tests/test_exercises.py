"""exercises.md: every exercise in plain Markdown for the workshop's shared notes, and — the
promise of the learner handouts — not one line of a solution or an instructor note."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import LESSONS, corpus_path
from markdown_it import MarkdownIt
from test_handout import secret_lines, squash

from slidegen.cli import main
from slidegen.exercises.markdown import blocks
from slidegen.exercises.sheet import exercises_markdown
from slidegen.handout.learner import exercises
from slidegen.model import Code, Image, ListBlock, Paragraph, Span, Special, Table
from slidegen.read import read_lesson


@pytest.mark.parametrize("name", LESSONS + ["r-novice-gapminder"])
def test_corpus_sheet_has_every_exercise_and_no_secret(name):
    lesson = read_lesson(corpus_path(name)).lesson
    sheet = exercises_markdown(lesson)
    flat = squash(sheet.replace("\\", ""))
    titled = [ex for ep in lesson.episodes if not (ep.skipped or ep.is_break)
              for ex in exercises(ep.blocks)]
    assert titled, name
    headings = re.findall(r"^### (.*)$", sheet, re.M)
    assert len(headings) == len(titled)
    for ex in titled:
        assert squash(ex.title) in flat
    leaked = [line for ep in lesson.episodes for line in secret_lines(ep) if line in flat]
    assert leaked == []


def test_sheet_reads_as_the_lesson_wrote_it(make_lesson):
    root = make_lesson({"episodes/01-loops.md": """
        ---
        title: "Loops *and* lists"
        teaching: 10
        exercises: 10
        ---

        ## Loops

        ::: challenge
        ## Sum a list (5 min)

        Write a loop that adds up `[1, 2, 3]`; *don't* use `sum`.

        1. Start from `total = 0`
        2. Add each item

        ```python
        total = 0
        ```

        ::: hint
        Use `+=` inside the loop.
        :::

        ::: solution
        ```python
        for n in [1, 2, 3]:
            total += n   # SECRET-ANSWER
        ```
        :::

        ::: instructor
        Learners often forget to reset SECRET-NOTE.
        :::
        :::
        """}, fmt="workbench")
    result = CliRunner().invoke(main, ["build", root, "-o", root + "/out", "-q"])
    assert result.exit_code == 0, result.output
    with open(root + "/out/exercises.md", encoding="utf-8") as f:
        sheet = f.read()
    assert "SECRET" not in sheet
    assert "## 1. Loops \\*and\\* lists" in sheet
    assert "### Sum a list (5 min)" in sheet
    # The Markdown means what the lesson meant: parse it back.
    html = MarkdownIt("commonmark").render(sheet)
    # the reader sets typographic quotes, as the lesson's site does (issue 15)
    assert "<code>[1, 2, 3]</code>" in html and "<em>don’t</em>" in html
    assert '<ol>\n<li>Start from <code>total = 0</code></li>' in html
    assert '<code class="language-python">total = 0\n</code>' in html
    assert "<blockquote>\n<p><strong>Hint</strong></p>\n" \
           "<p>Use <code>+=</code> inside the loop.</p>" in html


def test_markdown_escapes_lesson_text_and_keeps_code_fences_apart():
    text = blocks([
        Paragraph((Span("# not a heading and 2 * 3 _x_ [y]"),), 1),
        Code("```\ninner\n```", "markdown", "source", 2),
        ListBlock(False, 1, ((Paragraph((Span("item"),), 3),),), 3),
        Image("fig/a.png", "fig/a.png", "A graph", None, 4, caption=(Span("Figure 1"),)),
        Image("https://example.org/b.png", None, "Remote", None, 5),
        Table(((Span("a|b"),), (Span("c"),)), (((Span("1"),), (Span("2"),)),), (None, "right"), 6),
        Special("callout", "", None, (Paragraph((Span("Note."),), 7),), 7),
    ])
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<p># not a heading and 2 * 3 _x_ [y]</p>" in html
    assert "<code class=\"language-markdown\">```\ninner\n```\n</code>" in html
    assert "<em>Figure: Figure 1</em>" in html
    assert '<img src="https://example.org/b.png" alt="Remote"' in html
    assert "<th>a|b</th>" in html and '<td style="text-align:right">2</td>' in html
    assert "<strong>Callout</strong>" in html


def test_an_edit_rebuilds_the_sheet_from_what_earlier_builds_kept(make_lesson, tmp_path,
                                                                    monkeypatch):
    """After editing one episode, exercises.md is whole again, made from the edited episode and
    the exercises earlier builds kept, without reading the other episodes again; a failed
    episode keeps its last good exercises."""
    from slidegen.exercises import writer

    def episode(n):
        return (f'---\ntitle: "Part {n}"\n---\n\n> ## Task {n} (5 min)\n>\n> Do thing {n}.\n'
                f'>\n> > ## Solution\n> >\n> > SECRET-{n}\n> {{: .solution}}\n{{: .challenge}}\n')
    root = make_lesson({f"_episodes/0{n}-part.md": episode(n) for n in (1, 2, 3)})
    out = str(tmp_path / "out")
    assert CliRunner().invoke(main, ["build", root, "-o", out, "--only", "handouts"]).exit_code == 0
    read = []
    original = writer._of
    monkeypatch.setattr(writer, "_of", lambda ep: read.append(ep.source) or original(ep))
    with open(f"{root}/_episodes/02-part.md", "a") as f:
        f.write("\n> ## Task 2b (5 min)\n>\n> Do more.\n{: .challenge}\n")
    assert CliRunner().invoke(main, ["build", root, "-o", out, "--only", "handouts"]).exit_code == 0
    assert read == ["_episodes/02-part.md"]
    with open(f"{out}/exercises.md", encoding="utf-8") as f:
        sheet = f.read()
    assert [t for t in ("Task 1", "Task 2", "Task 2b", "Task 3") if t in sheet] == \
        ["Task 1", "Task 2", "Task 2b", "Task 3"]
    assert "SECRET" not in sheet
    with open(f"{root}/_episodes/03-part.md", "w") as f:
        f.write("---\ntitle: [broken\n---\n")
    assert CliRunner().invoke(main, ["build", root, "-o", out, "--only", "handouts"]).exit_code == 1
    with open(f"{out}/exercises.md", encoding="utf-8") as f:
        assert "Task 3" in f.read()
