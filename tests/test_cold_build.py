"""Work a cold build no longer repeats (issue 30): what it shares must be what it would have made
anew, page for page and slide for slide."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime

import pdfplumber
import pytest
from pptx import Presentation
from pptx.shapes.shapetree import SlideShapes
from pptx.slide import NotesSlide
from weasyprint import HTML

from slidegen.handout.engine import install
from slidegen.pptx.render import DeckWriter
from slidegen.pptx.shapes import SlidePlan
from slidegen.theme import load_theme

PAGES = "".join(f"<p style='break-after: page'>body {i}</p>" for i in range(1, 5))
MARGINS = ("@page { size: 300pt 200pt; margin: 40pt; @top-center { content: 'every' } }"
           "@page :first { @top-center { content: 'first' } }"
           "@page :left { @bottom-center { content: 'left' } }")


def _laid_out(css: str):
    install()
    document = HTML(string=f"<style>{css}</style>{PAGES}").render()
    with pdfplumber.open(io.BytesIO(document.write_pdf())) as pdf:
        texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    return document, texts


def test_pages_alike_share_their_styles_and_each_kind_keeps_its_own():
    document, texts = _laid_out(MARGINS)
    assert texts == ["first body 1", "every body 2 left", "every body 3", "every body 4 left"]
    styles = [page._page_box.style for page in document.pages]
    assert styles[1] is styles[3]                 # two left pages: computed once
    assert styles[0] is not styles[2]             # the first right page has its own


def test_a_rule_for_one_page_by_number_still_styles_only_that_page():
    document, texts = _laid_out(MARGINS + "@page :nth(4) { @top-center { content: 'fourth' } }")
    assert texts == ["first body 1", "every body 2 left", "every body 3", "fourth body 4 left"]


def test_pages_whose_margin_boxes_show_nothing_skip_them_and_look_the_same(monkeypatch):
    """WeasyPrint makes a page's sixteen margin boxes before it drops the empty ones; a page
    none of whose margin boxes has content skips them, with the same bytes."""
    import weasyprint.layout as layout
    from weasyprint.formatting_structure.boxes import MarginBox
    install()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")      # (the same dates in both)
    made = []
    real_init = MarginBox.__init__
    monkeypatch.setattr(MarginBox, "__init__",
                        lambda self, *a, **k: made.append(1) or real_init(self, *a, **k))
    html = "<style>@page { size: 300pt 200pt; margin: 40pt }</style>" + PAGES
    skipped = HTML(string=html).write_pdf()
    assert made == []
    monkeypatch.setattr(layout, "make_margin_boxes", layout.make_margin_boxes.__wrapped__)
    assert HTML(string=html).write_pdf() == skipped
    assert len(made) == 4 * 16                   # (WeasyPrint's own: every box of every page)


def test_every_slide_and_notes_page_gets_the_placeholders_python_pptx_would_clone(monkeypatch):
    clones = []
    for cls, name in [(SlideShapes, "clone_layout_placeholders"),
                      (NotesSlide, "clone_master_placeholders")]:
        real = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda self, *a, real=real, name=name: (
            clones.append(name), real(self, *a))[1])
    writer = DeckWriter(load_theme(None), 960, 540, "#0000ff")
    for kind, notes in [("title", "said first"), ("content", ""), ("content", "said third"),
                        ("content", "said fourth")]:
        writer.add(SlidePlan(kind, "A title", [], notes=notes))
    out = io.BytesIO()
    writer.save(out, {"title": "t"})
    # cloned once per layout and once for the notes pages, then copied
    assert sorted(clones) == ["clone_layout_placeholders"] * 2 + ["clone_master_placeholders"]
    monkeypatch.undo()
    slides = list(Presentation(out).slides)
    fresh = Presentation(io.BytesIO(out.getvalue()))
    assert [s.notes_slide.notes_text_frame.text if s.has_notes_slide else "" for s in slides] \
        == ["said first", "", "said third", "said fourth"]
    for slide in slides:
        new = fresh.slides.add_slide(slide.slide_layout)        # python-pptx's own clones
        expected = [(ph.shape_id, ph.name, ph.placeholder_format.type) for ph in new.placeholders]
        got = [(ph.shape_id, ph.name, ph.placeholder_format.type) for ph in slide.placeholders]
        assert set(got) <= set(expected)        # the writer keeps the title, drops the rest
        if slide.has_notes_slide:
            cloned = [(s.shape_id, s.name) for s in new.notes_slide.shapes]
            assert [(s.shape_id, s.name) for s in slide.notes_slide.shapes] == cloned


def test_lesson_files_take_the_episodes_built_before_their_work_began(tmp_path, monkeypatch):
    """The whole-lesson handout, script and exercise sheet begin while the workers build, and
    the handout takes each episode's cached pages as its worker ends it, instead of taking them
    all at the end of the build; the files are the same as when they take them at the end."""
    from buildkit import EPOCH, build, snapshot, tiny_lesson

    from slidegen.handout.files import LessonAssembly
    from slidegen.pipeline.lesson import LessonOutputs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lesson = tiny_lesson(tmp_path / "lesson", ("Alpha", "Beta", "Gamma", "Delta"))
    added, finishing = [], []
    real_add, real_finish = LessonAssembly.add, LessonOutputs.finish
    monkeypatch.setattr(LessonAssembly, "add",
                        lambda self, source, r: added.append((source, bool(finishing)))
                        or real_add(self, source, r))
    monkeypatch.setattr(LessonOutputs, "finish",
                        lambda self, *a: finishing.append(1) or real_finish(self, *a))
    every = [(f"_episodes/0{i}-{t}.md", False) for i, t in
             enumerate(("alpha", "beta", "gamma", "delta"), 1)]
    early = str(tmp_path / "early")
    assert build(lesson, "-o", early, "-j", "1", "--instructor", "-q").exit_code == 0
    assert sorted(added) == every
    added.clear()
    finishing.clear()
    side = str(tmp_path / "side")          # each episode taken as its worker ends it
    assert build(lesson, "-o", side, "-j", "2", "--instructor", "-q").exit_code == 0
    assert sorted(added) == every
    monkeypatch.setattr(LessonOutputs, "_take_built", lambda self: [])
    added.clear()
    finishing.clear()
    late = str(tmp_path / "late")
    assert build(lesson, "-o", late, "-j", "1", "--instructor", "-q").exit_code == 0
    assert {added_late for _, added_late in added} == {True}
    assert snapshot(early) == snapshot(late) == snapshot(side)


def test_lesson_files_made_side_by_side_are_the_files_made_one_after_another(tmp_path,
                                                                            monkeypatch):
    """The whole-lesson handout, its large print, the answer key, the script and the exercise
    sheet are made side by side, each lesson file but the first in a forked process of its
    own (a build of its own here: a test run's stray threads rightly keep it from forking):
    the files are those this process makes one after another."""
    from buildkit import EPOCH, build, run, snapshot, tiny_lesson

    from slidegen.pipeline import lesson as lesson_files
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lesson = tiny_lesson(tmp_path / "lesson", ("Alpha", "Beta", "Gamma"))
    wanted = ("--answer-key", "--instructor", "--large-print", "-q")
    side = str(tmp_path / "side")
    done = run("build", lesson, "-o", side, "-j", "2", *wanted, timeout=600)
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr(lesson_files, "Aside", lambda *args: None)
    one = str(tmp_path / "one")
    assert build(lesson, "-o", one, "-j", "1", *wanted).exit_code == 0
    made = snapshot(side)
    assert {"handout.pdf", "answer-key.pdf", "instructor.pdf", "exercises.md",
            "large-print/handout.pdf"} <= set(made)
    assert made == snapshot(one)


def test_a_files_page_stamps_are_one_layout_and_each_page_draws_only_its_own():
    """A file's running heads and page numbers are laid out once, on a single sheet with each
    distinct text once (90 pages: a lesson title, 3 part titles, 90 numbers), and cut apart:
    every page shows, and holds in its text layer, its own head and number and no other."""
    import pikepdf

    from slidegen.handout import stamp
    pdf = pikepdf.new()
    for _ in range(90):
        pdf.add_blank_page(page_size=(595, 842))
    heads = [("", "")] + [("Lesson", f"Part {n // 30}") for n in range(1, 90)]
    stamp._CACHE.clear()
    keep: list = []
    stamp.number_pages(pdf, load_theme(), "en", 1_700_000_000, keep, heads=heads)
    assert [len(sheet.pages) for sheet in map(pikepdf.open, map(io.BytesIO,
                                                                 stamp._CACHE.values()))] == [1]
    out = io.BytesIO()
    pdf.save(out)
    with pdfplumber.open(out) as doc:
        texts = [" ".join((page.extract_text() or "").split()) for page in doc.pages]
    assert texts == [("Lesson " + {0: "Part 0", 1: "Part 1", 2: "Part 2"}[n // 30] + " "
                      if n else "") + f"page {n + 1} of 90" for n in range(90)]


SEEN = """
import json, os, sys
from slidegen.pipeline import jobs
from slidegen.cli import main
real = jobs.run
def run(job, settings):
    with open(os.environ["SEEN"], "a") as f:
        f.write(json.dumps([os.getpid(), job.rel, [type(settings.writers[i]).__name__
                            for i in job.writers], job.read is not None,
                            "weasyprint" in sys.modules]) + "\\n")
    return real(job, settings)
jobs.run = run
sys.argv = ["slidegen", *sys.argv[1:]]
main()
"""


def test_decks_are_made_while_the_build_loads_weasyprint(tmp_path, monkeypatch):
    """A cold build with two workers forks one before it loads WeasyPrint (half a second on a
    core that would wait) and makes the decks there; each episode is read once, its handout
    taking what its deck's job read. The files are those a one-worker build makes. (A build
    of its own: this test run has loaded WeasyPrint long ago.)"""
    import json
    import subprocess
    import sys

    from buildkit import EPOCH, build, environment, snapshot, tiny_lesson
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lesson = tiny_lesson(tmp_path / "lesson", ("Alpha", "Beta", "Gamma", "Delta", "Epsilon"),
                         paragraphs=30)
    seen = tmp_path / "seen.jsonl"
    two = str(tmp_path / "two")
    done = subprocess.run([sys.executable, "-c", SEEN, "build", lesson, "-o", two, "-j", "2",
                           "-q"], capture_output=True, text=True, timeout=600,
                          env=environment(SEEN=str(seen)))
    assert done.returncode == 0, done.stderr
    jobs = [json.loads(line) for line in seen.read_text().splitlines()]
    decks = [j for j in jobs if "Decks" in j[2]]
    handouts = [j for j in jobs if "Handouts" in j[2]]
    assert len(decks) == len(handouts) == 5
    assert all(not j[4] and j[2] == ["Decks", "Exercises"] for j in decks)   # WeasyPrint-free
    assert all(j[4] and j[2] == ["Handouts"] for j in handouts)
    assert {j[0] for j in decks}.isdisjoint({j[0] for j in handouts})
    assert any(j[3] for j in handouts)      # (a first one may begin before its deck is made)
    one = str(tmp_path / "one")
    assert build(lesson, "-o", one, "-j", "1", "-q").exit_code == 0
    assert snapshot(two) == snapshot(one)
    with open(f"{two}/.slidegen/manifest.json") as a, open(f"{one}/.slidegen/manifest.json") as b:
        assert [e["deps"] for e in json.load(a)["episodes"].values()] == \
            [e["deps"] for e in json.load(b)["episodes"].values()]


LOADED = """
import sys
from slidegen.cli import main
sys.argv = ["slidegen", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(" ".join(m for m in ("markdown_it", "jinja2", "lxml", "weasyprint", "pptx", "cairocffi",
                           "multiprocessing", "concurrent.futures", "importlib.metadata")
                if m in sys.modules))
"""


def test_a_rebuild_with_nothing_to_do_loads_no_renderer_and_no_worker_pool(tmp_path, monkeypatch):
    """What a rebuild with nothing to do costs is mostly imports: it reads no episode, lays
    nothing out and forks no worker, so it loads none of what those need (nor looks the
    renderers' versions up again: their folders did not change)."""
    import subprocess
    import sys

    from buildkit import EPOCH, environment, tiny_lesson
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    lesson = tiny_lesson(tmp_path / "lesson", ("Alpha", "Beta", "Gamma"))
    out = str(tmp_path / "out")
    first, again = (subprocess.run([sys.executable, "-c", LOADED, "build", lesson, "-o", out],
                                   capture_output=True, text=True, timeout=300,
                                   env=environment()) for _ in range(2))
    assert "built 3 decks" in first.stderr, first.stderr
    assert "3 up to date" in again.stderr, again.stderr
    assert again.stdout.split() == []


def _part(text: str, pages: int) -> bytes:
    html = "".join(f"<p style='break-after: page'>{text} page {n}</p>" for n in range(pages))
    return HTML(string=f"<html lang='en'><title>{text}</title>{html}</html>").write_pdf(
        pdf_variant="pdf/ua-1")


def test_parts_are_joined_as_they_come_in_one_order_whatever_order_they_come_in():
    """A part is copied as soon as every slot before it is in (the whole-lesson handout's
    episodes, while workers lay out the others), the late slot (its front pages) last; pages
    and structure come out in slot order, and the bytes are the same whatever order the parts
    came in."""
    import pikepdf

    from slidegen.handout.assemble import Concatenation
    parts = [_part("front", 1), _part("one", 2), _part("two", 1), _part("three", 2)]

    def joined(order):
        join = Concatenation(len(parts), late=0)
        copied = []
        for slot in order:
            join.add(slot, parts[slot])
            copied.append(len(join.out.pages))
        buf = io.BytesIO()
        join.result().save(buf, deterministic_id=True)
        return buf.getvalue(), copied

    data, copied = joined([2, 1, 0, 3])
    assert copied == [0, 3, 3, 5]            # two waits for one; the front for the end
    assert joined([0, 3, 2, 1])[0] == joined([3, 2, 1, 0])[0] == data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert texts == ["front page 0", "one page 0", "one page 1", "two page 0", "three page 0",
                     "three page 1"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.StructTreeRoot
        kids = list(root.K[0].K)
        assert [str(k.S) for k in kids] == ["/Part"] * 4
        nums = list(root.ParentTree.Nums)[::2]
        assert nums == sorted(nums) and len(set(nums)) == len(nums)
        keys = [int(p.obj.StructParents) for p in pdf.pages]
        assert len(set(keys)) == len(keys) and set(keys) <= set(nums)


def test_c_array_types_are_made_without_parsing_and_are_the_types_cffi_makes():
    """WeasyPrint asks cffi for arrays of new lengths as it subsets fonts; those are made from
    their item type, the same type objects cffi's parser gives (engine.py, 4.)."""
    import cffi

    from slidegen.handout import engine
    ffi, plain = cffi.FFI(), cffi.FFI()
    for f in (ffi, plain):
        f.cdef("typedef uint32_t hb_codepoint_t;")
    engine._array_types(ffi)
    ffi.typeof("hb_codepoint_t")             # (the item type, parsed once)

    def refuse(*args):
        raise AssertionError("parsed")
    parse, ffi._parser.parse_type = ffi._parser.parse_type, refuse
    made = [ffi.typeof(f"hb_codepoint_t[{n}]") for n in (3, 77, 4096)]
    assert made == [plain.typeof(f"hb_codepoint_t[{n}]") for n in (3, 77, 4096)]
    assert list(ffi.new("hb_codepoint_t[3]", [7, 8, 9])) == [7, 8, 9]
    ffi._parser.parse_type = parse
    assert ffi.typeof("hb_codepoint_t *") == plain.typeof("hb_codepoint_t *")   # (parsed)


def test_a_joined_files_ids_come_from_its_parts_as_they_were_made_ready(monkeypatch):
    """A joined file's /IDTree and header-cell scopes are made from what its parts gave as they
    were joined: finished without a second walk over its elements, the same bytes."""
    from slidegen.handout import accessible
    from slidegen.handout.assemble import Concatenation, finish
    table = ("<table><thead><tr><th>Name</th><th>Age</th></tr></thead>"
             "<tbody><tr><td>Ada</td><td>36</td></tr></tbody></table>")
    parts = [HTML(string=f"<html lang='en'><title>t</title><h1>Part {n}</h1>{table}</html>")
             .write_pdf(pdf_variant="pdf/ua-1") for n in range(3)]
    date = datetime(2023, 11, 14, tzinfo=UTC)

    def joined():
        join = Concatenation(len(parts), late=0)
        for slot, data in enumerate(parts):
            join.add(slot, data)
        return join.result(), join.ids

    pdf, ids = joined()
    assert len(ids) >= 6 and all(key.startswith(("p0-", "p1-", "p2-")) for key in ids)
    walked = finish(joined()[0], "t", "en", date)
    monkeypatch.setattr(accessible, "_walked", lambda *args: pytest.fail("walked again"))
    assert finish(pdf, "t", "en", date, ids=ids) == walked


LIBRARIES = """
import ctypes.util, json, subprocess, sys
run = []
real = subprocess.Popen.__init__
subprocess.Popen.__init__ = lambda self, args, *a, **k: run.append(
    args if isinstance(args, str) else " ".join(map(str, args))) or real(self, args, *a, **k)
if sys.argv[1] == "missing":             # no library loads by the names ldconfig knows
    import cffi.api
    load = cffi.api._load_backend_lib
    def refused(backend, name, flags):
        if ctypes.util.find_library is ctypes.util._findSoname_ldconfig:
            raise OSError("not by that name")
        return load(backend, name, flags)
    cffi.api._load_backend_lib = refused
import slidegen.handout
from weasyprint.text import ffi
print(json.dumps([[c.split()[0].rsplit("/", 1)[-1] for c in run],
                  ffi.pango.pango_version() > 0, "print" in vars(ffi)]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig's cache is Linux's")
def test_weasyprints_libraries_load_without_running_a_compiler():
    """WeasyPrint looks its libraries up under Windows' and macOS' names first, and each name
    not found made ctypes run a compiler and a linker (0.2 s of every build): they are found
    in ldconfig's cache instead. Where the cache knows none of them, they still load, the
    thorough way, and WeasyPrint's advice about missing libraries is not printed."""
    from buildkit import environment
    found = {}
    for case in ("cached", "missing"):
        done = subprocess.run([sys.executable, "-c", LIBRARIES, case], capture_output=True,
                              text=True, timeout=120, env=environment())
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 1, done.stdout     # nothing else printed
        found[case] = json.loads(done.stdout)
    assert set(found["cached"][0]) <= {"ldconfig"}
    assert found["cached"][1:] == found["missing"][1:] == [True, False]


FIRST_LAYOUT = """
import json
import cffi.cparser
from slidegen.errors import Diagnostics
from slidegen.handout import files
from slidegen.handout.options import HandoutOptions
from slidegen.handout.render import layout
from slidegen.theme import load_theme
theme = load_theme()
files.warm_up(theme)                     # what the build's process does before it forks
parsed = []
real = cffi.cparser.Parser.parse_type_and_quals
cffi.cparser.Parser.parse_type_and_quals = lambda self, name: parsed.append(name) or real(
    self, name)
html = ("<html lang='en'><body><h1>A title</h1><table><tr><th>a</th><td>b c</td></tr></table>"
        "<p>Some <code>code</code> and <em>text</em>.</p></body></html>")
layout(html, theme, ".", HandoutOptions(), Diagnostics("x.md"))
print(json.dumps(parsed))
"""


def test_a_workers_first_layout_parses_no_c_type_names():
    """The C type names WeasyPrint asks cffi for in a process's first layout (pycparser, 2-5 ms
    each) are parsed when the build's process warms up, before it forks its workers, so no
    worker parses them again."""
    from buildkit import environment
    done = subprocess.run([sys.executable, "-c", FIRST_LAYOUT], capture_output=True, text=True,
                          timeout=120, env=environment())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_weasyprints_streams_are_deflated_at_zlibs_default_level():
    """pydyf deflates every stream at zlib's level 9, a tenth of the time WeasyPrint spends
    writing a handout, for files 2 % smaller: the layout engine has it use zlib's default
    level instead (each page's drawing is the default-level deflate of what it draws)."""
    import zlib

    import pikepdf
    install()
    text = " ".join(f"word{i % 97} and some more text, line {i}." for i in range(400))
    pdf = HTML(string=f"<p>{text}</p>").write_pdf()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        streams = [c for page in doc.pages for c in
                   (page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array)
                    else [page.obj.Contents])]
        assert streams
        for stream in streams:
            assert stream.read_raw_bytes() == zlib.compress(stream.read_bytes(), 6)
