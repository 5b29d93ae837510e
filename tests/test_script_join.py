"""instructor.pdf is joined from each episode's script pages, laid out once and kept (issue 30):
it reads page for page as the script laid out whole did, and an edit to one episode lays out
that episode's script only."""
from __future__ import annotations

import io
import json

import pdfplumber
import pytest
from click.testing import CliRunner

from slidegen.cli import main
from slidegen.errors import Diagnostics
from slidegen.handout import HandoutOptions
from slidegen.handout.assemble import finish
from slidegen.handout.html import iso_date, template
from slidegen.handout.render import layout, outline
from slidegen.handout.stamp import number_pages, running_heads
from slidegen.i18n import t
from slidegen.instructor import script
from slidegen.read import read_lesson
from slidegen.theme import load_theme

pikepdf = pytest.importorskip("pikepdf")

EXERCISE = """
> ## Exercise {n} (5 min)
>
> {text}
>
> > ## Solution
> >
> > The answer to exercise {n} is in this line.
> {{: .solution}}
{{: .challenge}}
"""


def _episode(title: str, exercises: int) -> str:
    body = "".join(EXERCISE.format(n=n, text=f"Question {n} of {title}. " + "Words go on. " * 60)
                   for n in range(1, exercises + 1))
    return f"---\ntitle: \"{title}\"\nteaching: 20\nexercises: 10\n---\n\n## Start\n\n" \
           f"Some text for {title}.\n\n~~~\nprint('{title}')\n~~~\n{{: .language-python}}\n" + body


LESSON = {
    "_episodes/01-first.md": _episode("First steps", 1),
    "_episodes/02-long.md": _episode("A long episode", 6),       # several pages
    "_episodes/03-coffee.md": '---\ntitle: "Coffee"\nlayout: break\nbreak: 15\n---\n',
    "_episodes/04-last.md": _episode("Last words", 2),
}


def _whole(root: str) -> bytes:
    """The script as the build made it before issue 30: every episode in one layout."""
    lesson = read_lesson(root).lesson
    theme, options, diags = load_theme(), HandoutOptions(), Diagnostics("")
    parts = [script.episode_part(lesson, e, theme, options, diags) for e in lesson.episodes
             if not (e.is_break or e.skipped)]
    title = t("Instructor's script") + f" – {lesson.config.title}"
    html = template(theme, "instructor.html.j2").render(
        lesson=lesson, parts=parts, learner=False, created=iso_date(options),
        lang=lesson.config.lang, title=title)
    document, data = layout(html, theme, lesson.root, options, diags)
    pdf, keep = pikepdf.open(io.BytesIO(data)), []
    starts = [(page, name) for level, name, page in outline(document) if level == 1]
    heads = running_heads(t("Instructor's script") + " · " + lesson.config.title, starts,
                          len(pdf.pages))
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, heads=heads)
    return finish(pdf, title, lesson.config.lang, options.date)


def _bookmarks(data: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(items, depth):
            for item in items:
                dest = item.destination
                if dest is None and item.action is not None:
                    dest = item.action.get("/D")
                out.append((depth, item.title, pages[dest[0].objgen]))
                walk(item.children, depth + 1)
        with pdf.open_outline() as tree:
            walk(tree.root, 1)
    return out


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def _build(root: str, out: str) -> None:
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--instructor"])
    assert result.exit_code == 0, result.output


def test_the_joined_script_reads_page_for_page_as_the_whole_layout(make_lesson, tmp_path):
    root = make_lesson(LESSON)
    out = str(tmp_path / "out")
    _build(root, out)
    with open(f"{out}/instructor.pdf", "rb") as f:
        joined = f.read()
    whole = _whole(root)
    assert len(_pages(joined)) == len(_pages(whole)) >= 5
    assert _bookmarks(joined) == _bookmarks(whole)
    assert [b[1] for b in _bookmarks(joined) if b[0] == 1] == [
        "First steps", "A long episode", "Last words"]
    assert _pages(joined) == _pages(whole)
    pages = _pages(joined)
    assert pages[0].endswith(f"page 1 of {len(pages)}")
    assert pages[-1].endswith(f"page {len(pages)} of {len(pages)}")
    with pikepdf.open(io.BytesIO(joined)) as pdf:
        assert str(pdf.docinfo.Title) == "Instructor's script – Test Lesson"
        assert "/StructTreeRoot" in pdf.Root


def test_an_edit_lays_out_the_script_of_that_episode_only(make_lesson, tmp_path, monkeypatch):
    """Layouts are counted in every process (workers are forked from this one)."""
    log = tmp_path / "layouts.txt"
    real = script.layout

    def counted(html, *args, **kwargs):
        if 'class="script-episode"' in html:
            with open(log, "a") as f:
                f.write(json.dumps(html.count('class="script-episode"')) + "\n")
        return real(html, *args, **kwargs)
    monkeypatch.setattr(script, "layout", counted)
    root = make_lesson(LESSON)
    out = str(tmp_path / "out")
    _build(root, out)
    assert log.read_text().split() == ["1", "1", "1"]          # three taught episodes, once
    log.write_text("")
    path = tmp_path / "lesson" / "_episodes" / "04-last.md"
    path.write_text(path.read_text() + "\nAn EDITED-LINE of the last episode.\n")
    _build(root, out)
    assert log.read_text().split() == ["1"]       # that episode's part, nothing laid out whole
    with open(f"{out}/instructor.pdf", "rb") as f:
        pages = _pages(f.read())
    text = "".join(pages)
    assert "EDITED-LINE" in text and "First steps" in text and "A long episode" in text
    assert pages == _pages(_whole(root))
    for kept in (tmp_path / "out" / ".slidegen" / "cache").glob("script-02-long.*"):
        kept.write_bytes(b"damaged")       # a kept part that cannot be used is laid out again
    log.write_text("")
    path.write_text(path.read_text() + "\nA SECOND-EDIT.\n")
    _build(root, out)
    assert sorted(log.read_text().split()) == ["1", "1"]
    with open(f"{out}/instructor.pdf", "rb") as f:
        assert _pages(f.read()) == _pages(_whole(root))
