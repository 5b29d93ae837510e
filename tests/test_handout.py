"""Learner handouts, judged from what the PDFs say: the text pdfplumber extracts, the bookmarks,
the metadata. Solutions and instructor notes must be absent, exercises and summaries present."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys

import pypdf
import pytest
from click.testing import CliRunner
from conftest import REPO, corpus_path

from slidegen.cli import main
from slidegen.errors import Diagnostics
from slidegen.handout import HandoutOptions, answer_key_pdf, episode_pdf, lesson_pdf, render_episode
from slidegen.handout.fetcher import FetchRefused, LessonFetcher
from slidegen.handout.html import episode_html
from slidegen.model import (
    Code,
    Episode,
    EpisodeMeta,
    Heading,
    Image,
    Lesson,
    LessonConfig,
    ListBlock,
    Math,
    Paragraph,
    Span,
    Special,
    Table,
    plain,
    walk,
)
from slidegen.read import read_lesson
from slidegen.theme import load_theme
from slidegen.workshop.schedule import lesson_schedule as schedule

pdfplumber = pytest.importorskip("pdfplumber")
pikepdf = pytest.importorskip("pikepdf")

OPTIONS = HandoutOptions(source_date_epoch=1_700_000_000)


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def squash(text: str) -> str:
    """Text without whitespace and with typographic quotes made plain: line breaks fall
    anywhere in a PDF."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return re.sub(r"\s+", "", text.replace("\u201d", '"'))


def secret_lines(episode) -> list[str]:
    """Long lines of solutions and instructor notes that occur nowhere else in the episode."""
    visible, secret = [], []

    def collect(blocks, hidden):
        for b in blocks:
            if isinstance(b, Special):
                collect(b.children, hidden or b.secret)
                continue
            if isinstance(b, ListBlock):
                for item in b.items:
                    collect(item, hidden)
                continue
            if isinstance(b, Paragraph):
                lines = [b.text]
            elif isinstance(b, Code):
                lines = b.text.splitlines()
            else:
                continue
            (secret if hidden else visible).extend(squash(line) for line in lines)

    collect(episode.blocks, False)
    shown = "\n".join(visible)
    return [line for line in secret if len(line) >= 25 and line not in shown]


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.fixture(scope="module")
def sample(theme):
    """The sample lesson at the repository root, every episode rendered once."""
    lesson = read_lesson(REPO).lesson
    parts = [(e, render_episode(lesson, e, theme, OPTIONS)) for e in lesson.episodes
             if not e.is_break and not e.skipped]
    return lesson, parts


# -- HTML from a model built by hand ----------------------------------------------------------
def test_html_leaves_out_secrets_and_styles_the_rest(tmp_path, theme):
    item = (Paragraph((Span("step"),), 3),)
    blocks = (
        Heading(2, (Span("Section"),), 1),
        Paragraph((Span("See "), Span("the site", href="https://example.org/"),
                   Span(" and "), Span("a^2", math=True), Span(" and "),
                   Span("a local page", href="setup.html")), 2),
        ListBlock(True, 4, (item, item), 3),
        Code("print(1)", "python", "source", 4),
        Code("1", None, "output", 5),
        Code("Traceback", None, "error", 6),
        Math("\\frac{1}{2}", 7),
        Table(((Span("h"),),), (((Span("c"),),),), ("right",), 8),
        Image("https://example.org/x.png", None, "Remote thing", None, 9),
        Special("challenge", "Exercise: Sum", 10, (
            Paragraph((Span("Add them."),), 11),
            Special("hint", "Hint", None, (Paragraph((Span("Use sum."),), 12),), 12),
            Special("solution", "Solution", None, (Paragraph((Span("SOLVED-42"),), 13),), 13),
        ), 10),
        Special("instructor", "Note", None, (Paragraph((Span("TEACHER-ONLY"),), 14),), 14),
        Special("mystery", "Odd box", None, (Paragraph((Span("kept"),), 15),), 15),
    )
    episode = Episode("_episodes/01-x.md", EpisodeMeta("X", 10, 5), blocks)
    lesson = Lesson(str(tmp_path), LessonConfig("L", "styles", lang="de"), (episode,))
    diags = Diagnostics(episode.source)
    html = episode_html(lesson, episode, theme, OPTIONS, diags)
    assert "SOLVED-42" not in html and "TEACHER-ONLY" not in html
    assert '<html lang="de">' in html and "<title>X – L</title>" in html
    assert 'class="box box-challenge keep"' in html and "10 min</span>" in html   # short: whole
    assert "Use sum." in html and 'class="answer-space"' in html
    assert 'class="box box-mystery keep"' in html and "Odd box" in html
    assert '<a href="https://example.org/">the site</a>' in html
    assert 'href="setup.html"' not in html
    assert 'start="4" style="counter-reset: list-item 3"' in html
    assert 'alt="a^2"' in html and "vertical-align:-" in html and 'alt="\\frac{1}{2}"' in html
    assert ">Output</p>" in html and ">Error</p>" in html
    assert '<pre class="hl"><span class="cl h2">1</span></pre>' in html
    assert '<span class="nb">print</span>' in html
    assert 'class="align-right"' in html
    assert "Image not included" in html and "Remote thing" in html
    assert [d.line for d in diags.items] == [9]


# -- a real corpus episode with solutions ------------------------------------------------------
def test_corpus_episode_keeps_exercises_and_drops_solutions(theme):
    root = corpus_path("python-novice-inflammation-styles")
    lesson = read_lesson(os.path.join(root, "_episodes", "07-cond.md")).lesson
    (episode,) = lesson.episodes
    rendered = render_episode(lesson, episode, theme, OPTIONS)
    text = squash(text_of(episode_pdf(rendered, lesson, episode, theme, OPTIONS)))

    solutions = [b for b, _ in walk(episode.blocks) if isinstance(b, Special) and b.secret]
    assert solutions, "the episode was chosen for its solutions"
    hidden = secret_lines(episode)
    assert hidden
    assert [line for line in hidden if line in text] == []

    challenges = [b for b, _ in walk(episode.blocks)
                  if isinstance(b, Special) and b.kind == "challenge" and b.title]
    assert challenges
    for c in challenges:
        assert squash(c.title) in text
    for item in episode.meta.objectives + episode.meta.keypoints:
        assert squash(plain(item)) in text
    assert rendered.outline[0] == (1, episode.title, 0)
    assert f"page1of{rendered.pages}" in text


# -- the whole-lesson handout ----------------------------------------------------------------
def test_lesson_pdf_has_one_bookmark_per_taught_episode(sample, theme):
    lesson, parts = sample
    data = lesson_pdf(lesson, parts, theme, OPTIONS)
    pdf = pikepdf.open(io.BytesIO(data))
    with pdf.open_outline() as outline:
        top = [(item.title, len(item.children)) for item in outline.root]
    taught = [e for e in lesson.episodes if not e.is_break and not e.skipped]
    assert [t for t, _ in top] == [e.title for e in taught]
    assert any(children for _, children in top)            # sections nest under episodes
    assert str(pdf.docinfo.Title) == lesson.config.title
    assert str(pdf.Root.Lang) == lesson.config.lang
    assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked

    pages = len(pdf.pages)
    assert pages == sum(r.pages for _, r in parts) + 2     # cover + schedule/contents
    with pdfplumber.open(io.BytesIO(data)) as doc:
        page_texts = [p.extract_text() or "" for p in doc.pages]
    front = page_texts[0] + page_texts[1]
    assert lesson.config.title.split()[0] in page_texts[0]
    assert "Schedule" in front and "Contents" in front
    breaks = [e for e in lesson.episodes if e.is_break]
    assert breaks and all(b.title in front for b in breaks)
    # The contents give the page each episode starts on, and that page begins it.
    for episode in taught:
        m = re.search(re.escape(episode.title) + r"\s+(\d+)\s*$", page_texts[1], re.M)
        assert m, episode.title
        start = int(m.group(1))
        assert squash(episode.title) in squash(page_texts[start - 1])
        assert f"page {start} of {pages}" in page_texts[start - 1]
    assert f"page {pages} of {pages}" in page_texts[-1]


@pytest.mark.parametrize("guess", [2, 5])
def test_the_lesson_pages_stamps_laid_out_aside_are_the_ones_it_would_lay_out(
        sample, theme, monkeypatch, guess):
    """The whole-lesson handout's page stamps are laid out in a forked process beside its front
    pages, for a guessed front-page count (2 here is right, 5 wrong): the file is the same
    either way, and the same as when this process lays them out itself."""
    from slidegen.handout import files, stamp
    lesson, parts = sample
    stamp._CACHE.clear()
    monkeypatch.setattr(files, "_front_guess", lambda parts: guess)
    data = lesson_pdf(lesson, parts, theme, OPTIONS)
    stamp._CACHE.clear()
    monkeypatch.setattr(files, "StampsAhead", lambda *a, **k: None)    # laid out here, as before
    assert lesson_pdf(lesson, parts, theme, OPTIONS) == data
    with pdfplumber.open(io.BytesIO(data)) as doc:
        last = " ".join((doc.pages[-1].extract_text() or "").split())
    assert last.endswith(f"page {len(doc.pages)} of {len(doc.pages)}")


ASIDE = """
import sys
from slidegen.handout import stamp
from slidegen.theme import load_theme
from slidegen.writer import Aside
made_here = []
real = stamp._lay_out
stamp._lay_out = lambda *a: made_here.append(1) or real(*a)
theme, heads = load_theme(), [("Lesson", "Part one")] * 3
ahead = stamp.StampsAhead(theme, "en", 1700000000, (595.0, 842.0), None, heads)
ahead.collect()
aside = stamp._CACHE[ahead.key]
stamp._CACHE.clear()
here = stamp.stamp_sheet(theme, stamp.distinct(stamp.running_texts(heads, 3, True)), "en",
                         1700000000, (595.0, 842.0))
def broken():
    raise RuntimeError("no")
print(aside == here, len(made_here), Aside(lambda: b"made").result(), Aside(broken).result())
"""


def test_an_aside_is_laid_out_in_another_process_and_a_failed_one_is_left_to_the_caller():
    """In a process of its own (a test run's stray threads would rightly keep it from
    forking): stamps laid out aside are the bytes this process lays out (once, for the
    comparison), and an aside that fails gives nothing, so the caller does the work."""
    out = subprocess.run([sys.executable, "-c", ASIDE], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PYTHONPATH": REPO})
    assert out.stdout.split() == ["True", "1", "b'made'", "None"], out.stderr[-2000:]



def test_identical_input_gives_identical_bytes(sample, theme):
    lesson, parts = sample
    episode, first = parts[0]
    again = render_episode(lesson, episode, theme, OPTIONS)
    assert again.pdf == first.pdf
    assert episode_pdf(again, lesson, episode, theme, OPTIONS) == \
        episode_pdf(first, lesson, episode, theme, OPTIONS)
    assert lesson_pdf(lesson, parts, theme, OPTIONS) == lesson_pdf(lesson, parts, theme, OPTIONS)
    later = HandoutOptions(source_date_epoch=1_800_000_000)
    dates = []
    for o in (OPTIONS, later):
        with pikepdf.open(io.BytesIO(episode_pdf(first, lesson, episode, theme, o))) as pdf:
            dates.append(str(pdf.docinfo.CreationDate))
    assert dates == ["D:20231114221320Z", "D:20270115080000Z"]


def test_answer_key_has_the_solutions(sample, theme):
    lesson, _ = sample
    text = squash(text_of(answer_key_pdf(lesson, theme, OPTIONS)))
    episode = next(e for e in lesson.episodes if secret_lines(e))
    solution = next(b for b, _ in walk(episode.blocks) if isinstance(b, Special)
                    and b.kind == "solution")
    first = next(c for c in solution.children if isinstance(c, Paragraph))
    assert squash(first.text) in text
    assert "Answerkey" in text


# -- untrusted lessons ------------------------------------------------------------------------
EVIL = """
---
title: "Untrusted"
teaching: 5
exercises: 5
objectives:
- "See what a fork can sneak in."
keypoints:
- "Nothing outside the lesson reaches the handout."
---

![A remote picture](https://example.invalid/x.png)

<img src="file:///etc/passwd" alt="The password file">

![Through a link](../fig/link.png)

![A drawing](../fig/drawing.svg)

Inline $$x^2$$ math.

> ## Exercise: Try It (5 min)
>
> Do the thing.
>
> > ## Solution
> >
> > The answer nobody may print is forty-two.
> {: .solution}
{: .challenge}

> ## Instructor Note
>
> Only instructors may read this sentence about timing.
{: .instructor}
"""

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">
<rect width="120" height="60" fill="#ccc"/>
<image href="file:///etc/passwd" width="40" height="40"/>
<image href="https://example.invalid/y.png" x="60" width="40" height="40"/>
</svg>
"""


def test_untrusted_images_become_placeholders_without_network(make_lesson, theme):
    root = make_lesson({"_episodes/01-evil.md": EVIL, "fig/drawing.svg": SVG})
    os.symlink("/etc/passwd", os.path.join(root, "fig", "link.png"))
    lesson = read_lesson(root).lesson
    (episode,) = lesson.episodes
    rendered = render_episode(lesson, episode, theme, OPTIONS)   # must not hang on the network
    data = episode_pdf(rendered, lesson, episode, theme, OPTIONS)
    text = text_of(data)

    warnings = [d for d in rendered.diagnostics if d.severity == "warning"]
    assert any("example.invalid/x.png" in d.message and d.line for d in warnings)
    assert any("/etc/passwd" in d.message for d in warnings)
    assert text.count("Image not included") == 3
    assert "A remote picture" in text and "The password file" in text
    assert "root:" not in text
    pdf = pikepdf.open(io.BytesIO(data))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            assert b"root:x:" not in obj.read_bytes()
    assert "forty-two" not in text and "about timing" not in text
    assert "Exercise: Try It" in text and "5 min" in text


def test_fetcher_confines_reads(tmp_path):
    (tmp_path / "fig.png").write_bytes(b"\x89PNG")
    fetcher = LessonFetcher([str(tmp_path)])
    assert fetcher.fetch((tmp_path / "fig.png").as_uri()).read() == b"\x89PNG"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in ("file:///etc/passwd", (tmp_path / ".." / "x").as_uri(),
                "https://example.invalid/x.png", "ftp://example.invalid/x", "file://host/x"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert "file:///etc/passwd" in fetcher.refused


# -- schedule -----------------------------------------------------------------------------------
def test_schedule_offsets_and_clock_times(make_lesson):
    files = {
        "_episodes/01-a.md": '---\ntitle: "A"\nteaching: 30\nexercises: 15\n---\nText.\n',
        "_episodes/02-break.md": '---\ntitle: "Coffee"\nlayout: break\nbreak: 15\n---\n',
        "_episodes/03-gone.md": '---\ntitle: "Gone"\nredirect_to: "https://example.org"\n---\n',
        "_episodes/04-b.md": '---\ntitle: "B"\nteaching: 20\nexercises: 10\n---\nText.\n',
    }
    plan = schedule(read_lesson(make_lesson(files)).lesson)
    assert [(plan.time(s.start), s.title) for s in plan.slots] == [("0:00", "A"),
                                                                   ("0:45", "Coffee"),
                                                                   ("1:00", "B")]
    assert (plan.teaching, plan.exercises, plan.breaks, plan.time(plan.end)) == (50, 25, 15, "1:30")
    clocked = schedule(read_lesson(make_lesson(files,
                                               config='title: "T"\nstart_time: 540\n')).lesson)
    assert [clocked.time(s.start) for s in clocked.slots] == ["09:00", "09:45", "10:00"]
    assert clocked.time(clocked.end) == "10:30"


# -- typesetting: lines, page breaks, figures, math (issue 17) ----------------------------------
def words_per_line(pdf: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[ln["text"] for ln in page.extract_text_lines()] for page in doc.pages]


def test_a_paragraph_before_inline_code_has_no_stub_lines(sample, theme):
    """The sample's 'Each workflow / says / when it runs' paragraph: WeasyPrint kept one word per
    line when a code span with slashes did not fit at a line's end (handout/engine.py)."""
    lesson, parts = sample
    episode, rendered = next(p for p in parts if p[0].stem == "05-ci")
    lines = [ln for page in words_per_line(rendered.pdf) for ln in page]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("GitHub Actions runs"))
    para = lines[start:start + 3]
    assert all(len(ln.split()) > 3 for ln in para), para
    assert "workflow says when it runs" in " ".join(para)


def continued_mark_drawn(pdf: bytes, index: int) -> bool:
    """Whether page `index` draws something in the top right corner of its largest box (a
    listing's later part says "continued" there, in outlines: the mark is page furniture and
    not in the text layer)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[index]
        box = max(page.rects, key=lambda r: r["width"] * r["height"])
        scale = 144 / 72
    png = subprocess.run([exe, "-r", "144", "-f", str(index + 1), "-l", str(index + 1), "-png",
                          "-", ], input=pdf, capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    corner = image.crop((int((box["x1"] - 70) * scale), int(box["top"] * scale),
                         int((box["x1"] - 4) * scale), int((box["top"] + 14) * scale)))
    return corner.getextrema()[0] < 160                # ink, not the box's pale fill


def test_long_code_breaks_across_pages_and_wrapped_lines_hang(make_lesson, theme):
    yaml = "\n".join(f"  key_{i}:\n    value: {i}" for i in range(60))
    long_line = "    - run: " + "word " * 40
    md = ("---\ntitle: Breaks\n---\n\nSome text.\n\n~~~\nsteps:\n" + yaml + "\n" + long_line +
          "\n~~~\n{: .language-yaml}\n\nAfter the code.\n")
    root = make_lesson({"_episodes/01-b.md": md})
    lesson = read_lesson(root).lesson
    (episode,) = lesson.episodes
    rendered = render_episode(lesson, episode, theme, OPTIONS)
    pages = words_per_line(rendered.pdf)
    assert rendered.pages == 3                                   # 121 code lines
    assert "Some text." in pages[0] and "steps:" in pages[0]     # not pushed whole to page 2
    assert not any("continued" in line for page in pages for line in page)   # (furniture)
    assert [continued_mark_drawn(rendered.pdf, n) for n in range(3)] == [False, True, True]
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        chars = [w for p in doc.pages for w in p.extract_words()]
    run = next(w for w in chars if w["text"] == "run:")
    wrapped = [w for w in chars if w["text"] == "word" and w["top"] > run["top"] + 2]
    assert wrapped and min(w["x0"] for w in wrapped) > run["x0"] - 1   # hangs, not at column 0


def test_the_answer_key_flows_from_episode_to_episode(make_lesson, theme):
    ep = ("---\ntitle: {t}\nteaching: 5\nexercises: 5\n---\n\n> ## Exercise: {t} Task (5 min)\n>\n"
          "> Do it.\n>\n> > ## Solution\n> >\n> > Done.\n> {{: .solution}}\n{{: .challenge}}\n")
    lesson = read_lesson(make_lesson({"_episodes/01-a.md": ep.format(t="Alpha"),
                                      "_episodes/02-b.md": ep.format(t="Beta")})).lesson
    data = answer_key_pdf(lesson, theme, OPTIONS)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        assert len(doc.pages) == 1            # no page of its own for each episode
    assert "Alpha Task" in text_of(data) and "Beta Task" in text_of(data)


def test_a_solution_that_begins_a_page_names_its_exercise(make_lesson, theme):
    """A first layout of the key finds the solutions at the top of a page (here one is put there
    by a page break); the second names their exercise in their title."""
    from slidegen.handout.html import answer_key_html
    from slidegen.handout.pages import solutions_opening_pages
    from slidegen.handout.render import layout
    md = ("---\ntitle: Key\nteaching: 5\nexercises: 5\n---\n\n"
          "> ## Exercise: Find the Answer (5 min)"
          "\n>\n> Look for it.\n>\n> > ## Solution\n> >\n> > It is here.\n"
          "> {: .solution}\n{: .challenge}\n")
    lesson = read_lesson(make_lesson({"_episodes/01-k.md": md})).lesson
    html = answer_key_html(lesson, lesson.episodes, theme, OPTIONS, {})
    assert "·" not in html
    forced = html.replace("</head>", "<style>.box-solution { break-before: page; }</style></head>")
    document, _ = layout(forced, theme, lesson.root, OPTIONS, Diagnostics(""))
    repeat = solutions_opening_pages(document)
    assert len(repeat) == 1
    again = answer_key_html(lesson, lesson.episodes, theme, OPTIONS, {}, repeat)
    assert re.search(r'Solution <span class="box-of">Exercise: Find the Answer', again)


def test_figures_take_caption_and_alt_and_missing_pictures_are_words(make_lesson, theme):
    root = make_lesson({"_episodes/01-f.md": "---\ntitle: F\n---\n\nText.\n"})
    png = os.path.join(root, "fig", "dot.png")
    os.makedirs(os.path.dirname(png))
    from PIL import Image as PILImage
    PILImage.new("RGB", (40, 20), "#336699").save(png)
    blocks = (Image("../fig/dot.png", "fig/dot.png", "A blue dot on white", None, 3,
                    caption=(Span("Figure 1: "), Span("the dot", italic=True))),
              Image("../fig/gone.png", None, "A chart of attendance by week", None, 5),
              Code("flowchart LR\n  A[Lesson] --> B[Handout]\n", "mermaid", "source", 7),
              Paragraph((Span("E = mc^2", math=True),), 9))
    episode = Episode("_episodes/01-f.md", EpisodeMeta("F"), blocks)
    lesson = Lesson(root, LessonConfig("L", "styles"), (episode,))
    diags = Diagnostics(episode.source)
    html = episode_html(lesson, episode, theme, OPTIONS, diags)
    assert 'alt="A blue dot on white"' in html
    assert "<figcaption>Figure 1: <em>the dot</em></figcaption>" in html
    assert "A chart of attendance by week" in html and "not in the lesson" not in html
    assert "flowchart LR" not in html and "A[Lesson]" not in html       # never the source
    assert '<p class="math-display"><img class="math" alt="E = mc^2"' in html
    text = text_of(episode_pdf(render_episode(lesson, episode, theme, OPTIONS), lesson, episode,
                               theme, OPTIONS))
    assert "Figure 1: the dot" in text and "A chart of attendance by week" in text
    assert "not in the lesson" not in text and "-->" not in text


# -- PDF/UA-1 ----------------------------------------------------------------------------------
def structure_problems(data: bytes) -> list[str]:
    """Tagging faults a PDF/UA checker may not look for: marked content whose element is not in
    the structure tree, ids used twice or missing from the /IDTree, empty headings."""
    from slidegen.handout.accessible import elements
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root.StructTreeRoot
    reachable = {e.objgen for e in elements(root)}
    problems = []
    nums = root.ParentTree.get("/Nums", [])
    for i in range(1, len(nums), 2):
        value = nums[i]
        for e in (value if isinstance(value, pikepdf.Array) else [value]):
            if isinstance(e, pikepdf.Dictionary) and e.objgen not in reachable:
                problems.append(f"content of {e.get('/S')} is outside the structure tree")
    ids = [str(e.ID) for e in elements(root) if "/ID" in e]
    if len(ids) != len(set(ids)):
        problems.append("element ids repeat")
    if ids:
        tree = root.IDTree.Names
        if sorted(str(tree[i]) for i in range(0, len(tree), 2)) != sorted(ids):
            problems.append("the /IDTree does not list the ids")
    for e in elements(root):
        if str(e.get("/S", "")).startswith("/H") and not list(elements(e)) and "/K" not in e:
            problems.append(f"empty heading {e.S}")
    return problems


def test_handouts_and_answer_key_pass_the_pdfua_checker(sample, theme):
    pdfua = pytest.importorskip("pdfua")
    lesson, parts = sample
    episode, rendered = parts[1]
    files = {"handout.pdf": lesson_pdf(lesson, parts, theme, OPTIONS),
             "episode": episode_pdf(rendered, lesson, episode, theme, OPTIONS),
             "answer-key.pdf": answer_key_pdf(lesson, theme, OPTIONS)}
    for name, data in files.items():
        pdf = pikepdf.open(io.BytesIO(data))
        assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf.Root.Metadata.read_bytes(), name
        assert str(pdf.Root.Lang) == lesson.config.lang and pdf.Root.MarkInfo.Marked
        ths = [e for e in __import__("slidegen.handout.accessible", fromlist=["x"]).elements(
            pdf.Root.StructTreeRoot) if e.get("/S") == pikepdf.Name.TH]
        assert all("/Scope" in (e.A if isinstance(e.A, pikepdf.Dictionary) else e.A[0])
                   for e in ths)
        path = f"/tmp/slidegen-pdfua-{os.getpid()}.pdf"
        with open(path, "wb") as f:
            f.write(data)
        try:
            report = pdfua.validate(path)
        finally:
            os.unlink(path)
        failing = [(f.rule_id, f.message) for f in report.findings
                   if f.severity.name in ("ERROR", "WARNING")]
        assert failing == [], (name, failing)
        assert structure_problems(data) == [], name


# -- large print ---------------------------------------------------------------------------------
def test_large_print_handouts_are_large_and_still_without_solutions(make_lesson):
    from slidegen.handout.largeprint import large_print
    root = corpus_path("python-novice-inflammation-styles")
    lesson = read_lesson(os.path.join(root, "_episodes", "07-cond.md")).lesson
    (episode,) = lesson.episodes
    big = large_print(load_theme())
    rendered = render_episode(lesson, episode, big, OPTIONS)
    data = episode_pdf(rendered, lesson, episode, big, OPTIONS)
    text = squash(text_of(data))
    assert [line for line in secret_lines(episode) if line in text] == []
    for c in (b for b, _ in walk(episode.blocks)
              if isinstance(b, Special) and b.kind == "challenge"):
        assert squash(c.title) in text
    with pdfplumber.open(io.BytesIO(data)) as doc:
        chars = [ch for page in doc.pages for ch in page.chars if ch["text"].strip()]
    body = [round(ch["size"], 1) for ch in chars if "Mono" not in ch["fontname"]
            and ch["top"] > 70 and ch["bottom"] < doc.pages[0].height - 70]  # not running heads
    code = [round(ch["size"], 1) for ch in chars if "Mono" in ch["fontname"]]
    assert min(body) >= 16 and min(code) >= 14
    assert all("Sans" in ch["fontname"] or "Mono" in ch["fontname"] for ch in chars)


def test_only_lines_that_can_wrap_carry_the_continuation_arrows():
    """The arrows are a background WeasyPrint draws for every line that has one (a quarter of
    a lesson's layout time when every line had it): short lines, which never wrap, go without."""
    from slidegen.handout.codelines import lines_html, stylesheet
    html = lines_html("x = 1\n" + "    y = " + "long_name + " * 12 + "z", columns=66)
    short, long = html.split("</span>")[:2]
    assert 'class="cl h2"' in short                                # no wraps: no arrows
    assert 'class="cl h6 wraps w2"' in long                        # hangs under its own text,
    #                                                                an arrow for each extra row
    css = stylesheet("#777777", 10.0, 1.1)
    assert "pre .cl.h6 { padding-left: 6ch; text-indent: -6ch; " \
           "background-position: 4ch 11.00pt; }" in css
    assert css.count("pre .cl.w1 {") == 1 and "pre .cl.w60 {" in css


def test_a_very_long_episode_is_laid_out_in_parts_and_reads_as_one(make_lesson, monkeypatch,
                                                                    tmp_path):
    """A very long episode is laid out part by part (memory stays that of one part) and joined:
    one title, the key points once at the end, every section in order, bookmarks to the right
    pages, and the tags of a PDF/UA document. Laid out by two workers sharing its parts, it
    is the same file, byte for byte."""
    from slidegen.handout import parts
    from slidegen.handout.writer import Handouts
    from slidegen.pipeline import jobs
    monkeypatch.setattr(parts, "SPLIT_ABOVE", 2500)
    monkeypatch.setattr(parts, "PART_CHARS", 2500)
    monkeypatch.setattr(parts, "PIECE_CHARS", 1200)
    sections = "".join(f"\n## Section {k}\n\nText of section {k} goes here.\n\n"
                       f"~~~\n" + "\n".join(f"value_{k}_{i} = {i}" for i in range(12)) +
                       "\n~~~\n{: .language-python}\n" for k in range(1, 9))
    table = "| n | square |\n|---|---|\n" + "".join(f"| {i} | {i * i} |\n" for i in range(60))
    root = make_lesson({"_episodes/01-long.md": '---\ntitle: "Long One"\nkeypoints:\n'
                        '- "Parts join up."\n---\n\n## Squares\n\n' + table + sections})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", root, "-o", str(out), "--only", "handouts",
                                       "-j", "1"])
    assert result.exit_code == 0, result.output
    if jobs.cores() > 1:
        monkeypatch.setattr(Handouts, "share_above", 1000)
        split, tasks = jobs.split, []
        monkeypatch.setattr(jobs, "split", lambda *a: tasks.extend(split(*a)) or tasks)
        result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "shared"),
                                           "--only", "handouts", "-j", "2"])
        assert result.exit_code == 0, result.output
        assert [t.share for t in tasks] == [(0, 2), (1, 2)]
        for rel in ("handouts/01-long.pdf", "handout.pdf"):
            assert (tmp_path / "shared" / rel).read_bytes() == (out / rel).read_bytes()
    reader = pypdf.PdfReader(str(out / "handouts" / "01-long.pdf"))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:             # the title once, then only running heads
        assert page.extract_text().count("Long One") <= 1
    assert text.count("Parts join up.") == 1
    assert text.rindex("Parts join up.") > text.index("Section 8")
    assert [text.index(f"Section {k}") for k in range(1, 9)] == \
        sorted(text.index(f"Section {k}") for k in range(1, 9))
    assert "59" in text and "3481" in text and "value_8_11 = 11" in text
    assert [o.title for o in reader.outline if not isinstance(o, list)] == ["Long One"]
    marks = {o.title: reader.get_destination_page_number(o) for o in _flat(reader.outline)}
    for k in range(1, 9):
        page = marks[f"Section {k}"]
        assert f"Section {k}" in reader.pages[page].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_table_words_stay_whole_and_unbreakable_names_stay_on_the_page(make_lesson, theme):
    """Cells break inside a word only when the longest words could not fit the columns (and
    only such tables pay WeasyPrint's character-by-character measuring)."""
    names = " | ".join(f"identifier_without_any_break_opportunity_{k}" for k in range(5))
    md = ("---\ntitle: Tables\n---\n\n| Tool | What it does |\n|---|---|\n"
          + "".join(f"| tool{i} | reads the configuration and reports mistakes |\n"
                    for i in range(4))
          + f"\n\n| A | B | C | D | E |\n|---|---|---|---|---|\n| {names} |\n")
    root = make_lesson({"_episodes/01-t.md": md})
    lesson = read_lesson(root).lesson
    (episode,) = lesson.episodes
    html = episode_html(lesson, episode, theme, OPTIONS, Diagnostics(episode.source),
                        episode.blocks)
    assert html.count("wrap-anywhere") == 1                     # the names' table only
    rendered = render_episode(lesson, episode, theme, OPTIONS)
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as doc:
        page = doc.pages[0]
        words = [w["text"] for w in page.extract_words()]
        assert max(c["x1"] for c in page.chars) < page.width - 36   # inside the right margin
    assert words.count("configuration") == 4                    # never "configu- ration"


def test_the_front_pages_laid_out_before_the_last_episode_is_in_are_the_ones_used(
        sample, theme, tmp_path, monkeypatch):
    """The whole-lesson handout's front pages (whose contents give each episode's first page)
    are laid out while the lesson's last episode is still being made: no page of it moves
    another episode. The file is then made without laying them out again, and it is the file
    made without laying them out ahead."""
    from dataclasses import replace

    from slidegen.handout import files
    lesson, parts = sample
    options = replace(OPTIONS, cache_dir=str(tmp_path / "cache"))
    laid_out = []
    real = files._lay_out
    monkeypatch.setattr(files, "_lay_out", lambda *a: laid_out.append(1) or real(*a))
    ahead = files.LessonAssembly([e.source for e, _ in parts], theme, options)
    for episode, rendered in parts[:-1]:
        ahead.add(episode.source, rendered)
    ahead.front_ahead(lesson, parts[-1][0])
    assert laid_out == [1]
    ahead.add(parts[-1][0].source, parts[-1][1])
    made = ahead.pdf(lesson)
    assert laid_out == [1]                     # (found in the layout cache)
    assert made == lesson_pdf(lesson, parts, theme, OPTIONS)
