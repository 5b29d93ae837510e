"""`slidegen build` never loses what it made, never writes where it should not, and never hangs
or crashes on a mistake: one test per reproduced fault of issue 12 (the faults injected into a
running build are in test_faults.py)."""
from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib

import pytest
from buildkit import (
    EPOCH,
    build,
    command,
    environment,
    episode,
    measured_argv,
    pdf_pages,
    pdf_text,
    snapshot,
    tiny_lesson,
)
from click.testing import CliRunner
from PIL import Image as PILImage
from pptx import Presentation

from slidegen.cli import main
from slidegen.pipeline import jobs, manifest
from slidegen.pipeline import worker as worker_module
from slidegen.workshop import knit as knit_module


@pytest.fixture
def lesson(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return tiny_lesson(tmp_path / "lesson"), str(tmp_path / "out")


def _append(root, rel, text):
    with open(os.path.join(root, rel), "a") as f:
        f.write(text)


def _deck_text(path) -> str:
    """The deck's words, on its slides and in their speaker notes (a teaching deck puts the
    narrative prose in the notes)."""
    parts = []
    for slide in Presentation(path).slides:
        parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


# 1 -------------------------------------------------------------------------------------------

def test_building_one_episode_touches_no_other_output(lesson):
    root, out = lesson
    assert build(root, "-o", out).exit_code == 0
    before = snapshot(out)
    _append(root, "_episodes/02-beta.md", "\nA sentence added to beta.\n")
    one = build(os.path.join(root, "_episodes", "02-beta.md"), "-o", out)
    assert one.exit_code == 0, one.output
    assert ("built 1 deck, 1 handout; handout.pdf, exercises.md left as they were (one episode "
            "built)") in one.output
    after = snapshot(out)
    assert set(after) == set(before)
    assert {k for k in before if before[k] != after[k]} == {"slides/02-beta.pptx",
                                                             "handouts/02-beta.pdf"}
    assert "A sentence added to beta." in pdf_text(os.path.join(out, "handouts", "02-beta.pdf"))
    whole = build(root, "-o", out)                 # the lesson build then refreshes handout.pdf
    assert "built 0 decks, 0 handouts + handout.pdf, exercises.md; 3 up to date" in whole.output


def test_a_path_that_is_not_an_episode_is_a_usage_error(lesson):
    root, out = lesson
    assert build(root, "-o", out, "--only", "slides").exit_code == 0
    before = snapshot(out), manifest.load(out)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("# Tiny lesson\n")
    result = build(os.path.join(root, "README.md"), "-o", out)
    assert result.exit_code == 2
    assert "README.md is not an episode of the lesson" in result.output
    assert (snapshot(out), manifest.load(out)) == before


# 3 and 4 -------------------------------------------------------------------------------------

def test_a_failed_episode_keeps_its_pages_in_the_lesson_handout(lesson):
    root, out = lesson
    assert build(root, "-o", out, "-j", "1", "--answer-key").exit_code == 0
    pages = pdf_pages(os.path.join(out, "handout.pdf"))
    key = snapshot(out)["answer-key.pdf"]
    path = os.path.join(root, "_episodes", "01-alpha.md")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace('title: "Alpha"', 'title: [unclosed'))
    _append(root, "_episodes/03-gamma.md", "\nGamma grows.\n")
    result = build(root, "-o", out, "-j", "1", "--answer-key")
    assert result.exit_code == 1
    assert "handout.pdf has the last good pages of _episodes/01-alpha.md" in result.output
    assert "answer-key.pdf keeps its earlier version, as _episodes/01-alpha.md has errors" \
        in result.output
    assert snapshot(out)["answer-key.pdf"] == key
    handout = os.path.join(out, "handout.pdf")
    assert pdf_pages(handout) == pages
    assert "Paragraph 0 about Alpha" in pdf_text(handout) and "Gamma grows." in pdf_text(handout)


def test_a_missing_cache_is_rebuilt_silently(lesson, tmp_path):
    root, out = lesson
    assert build(root, "-o", out, "-j", "1").exit_code == 0
    shutil.rmtree(os.path.join(out, ".slidegen", "cache"))
    _append(root, "_episodes/02-beta.md", "\nBeta again.\n")
    result = build(root, "-o", out, "-j", "1")
    assert result.exit_code == 0 and "warning" not in result.output.replace("0 warnings", "")
    cold = str(tmp_path / "cold")
    assert build(root, "-o", cold, "-j", "1").exit_code == 0
    assert snapshot(out) == snapshot(cold)


def test_a_damaged_cache_is_rebuilt_silently(lesson, tmp_path):
    root, out = lesson
    assert build(root, "-o", out, "-j", "1").exit_code == 0
    for folder in ("cache", "layouts"):
        for name in os.listdir(os.path.join(out, ".slidegen", folder)):
            if name.endswith(".pdf"):
                open(os.path.join(out, ".slidegen", folder, name), "wb").close()   # 0 bytes
    _append(root, "_episodes/02-beta.md", "\nBeta again.\n")
    result = build(root, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    cold = str(tmp_path / "cold")
    assert build(root, "-o", cold, "-j", "1").exit_code == 0
    assert snapshot(out) == snapshot(cold)
    assert pdf_pages(os.path.join(out, "handout.pdf")) \
        == pdf_pages(os.path.join(cold, "handout.pdf"))


# 5 -------------------------------------------------------------------------------------------

def test_an_edit_made_while_its_episode_builds_is_built_next_time(lesson, monkeypatch):
    root, out = lesson
    assert build(root, "-o", out, "-j", "1", "--only", "slides").exit_code == 0
    _append(root, "_episodes/02-beta.md", "\nFirst save.\n")
    real = worker_module.read_one

    def read_then_save_again(path, source):
        result = real(path, source)
        if path.endswith("02-beta.md"):
            time.sleep(0.02)                   # the editor saves again while the deck is made
            _append(root, "_episodes/02-beta.md", "\nSecond save.\n")
        return result
    monkeypatch.setattr(worker_module, "read_one", read_then_save_again)
    assert "built 1 deck" in build(root, "-o", out, "-j", "1", "--only", "slides").output
    monkeypatch.setattr(worker_module, "read_one", real)
    deck = os.path.join(out, "slides", "02-beta.pptx")
    assert "Second save." not in _deck_text(deck)
    again = build(root, "-o", out, "-j", "1", "--only", "slides")
    assert "built 1 deck; 2 up to date" in again.output
    assert "Second save." in _deck_text(deck)


class CoarseTimes:
    """`os` as manifest.py sees it on a file system whose times are coarse (every one before
    Linux 6.13): a file's time is the tick of the kernel's coarse clock it was written in."""

    def __init__(self, tick_ns: int):
        self.tick_ns = tick_ns

    def __getattr__(self, name):
        return getattr(os, name)

    def stat(self, *args, **kwargs):
        return self._coarse(os.stat(*args, **kwargs))

    def fstat(self, fd):
        return self._coarse(os.fstat(fd))

    def _coarse(self, st):
        import types
        return types.SimpleNamespace(st_mode=st.st_mode,
                                     st_mtime_ns=st.st_mtime_ns - st.st_mtime_ns % self.tick_ns)


@pytest.mark.parametrize("tick_ms", [None, 4, 10])
def test_a_file_written_just_before_a_job_is_not_taken_for_an_edit_during_it(tmp_path,
                                                                              monkeypatch,
                                                                              tick_ms):
    """A knitted figure is written a moment before its episode's job begins: it must not count
    as edited during the job (the next build would build the episode again), whatever clock
    the file system stamps it with (fine, or in ticks of 4 or 10 ms), while a file written after
    the job began always counts."""
    if tick_ms:
        monkeypatch.setattr(manifest, "os", CoarseTimes(tick_ms * 1_000_000))
    out = str(tmp_path / "out")
    os.makedirs(os.path.join(out, ".slidegen"))
    root = str(tmp_path / "lesson")
    os.makedirs(root)
    for _ in range(20):
        with open(os.path.join(root, "before.png"), "wb") as f:
            f.write(b"figure")
        os.stat(os.path.join(root, "before.png"))     # a time once read is fine-grained next
        with open(os.path.join(root, "before.png"), "wb") as f:
            f.write(b"figure")
        began = manifest.job_clock(out)
        with open(os.path.join(root, "after.png"), "wb") as f:
            f.write(b"edit")
        used = manifest.hashes_as_used(root, ["before.png", "after.png"], {}, began)
        assert used["before.png"] == manifest.file_sha(os.path.join(root, "before.png"))
        assert used["after.png"] == manifest.CHANGED
    assert os.listdir(os.path.join(out, ".slidegen")) == []        # the probe is gone


# 6 -------------------------------------------------------------------------------------------

def test_source_date_epoch_is_an_input_of_every_output(lesson, monkeypatch):
    root, out = lesson
    assert build(root, "-o", out, "--only", "slides").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    result = build(root, "-o", out, "--only", "slides")
    assert "built 3 decks" in result.output
    core = Presentation(os.path.join(out, "slides", "01-alpha.pptx")).core_properties
    assert core.modified.year == 2027
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "garbage")
    before = snapshot(out)
    refused = build(root, "-o", out, "--only", "slides")
    assert refused.exit_code == 2
    assert "SOURCE_DATE_EPOCH='garbage' is not a whole number of seconds" in refused.output
    assert snapshot(out) == before


# 7 -------------------------------------------------------------------------------------------

def test_an_output_folder_holding_the_lesson_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tiny_lesson(tmp_path / "slides")                 # a lesson folder named "slides"
    (tmp_path / "handout.pdf").write_bytes(b"my own handout")
    result = build(root, "-o", str(tmp_path), "--only", "slides")
    assert result.exit_code == 2
    assert "contains the lesson" in result.output
    assert (tmp_path / "handout.pdf").read_bytes() == b"my own handout"
    assert sorted(os.listdir(root)) == ["_config.yml", "_episodes"]


def test_a_file_slidegen_did_not_write_is_never_overwritten(lesson, tmp_path):
    root, _ = lesson
    out = tmp_path / "desktop"
    out.mkdir()
    (out / "handout.pdf").write_bytes(b"my own handout")
    result = build(root, "-o", str(out))
    assert result.exit_code == 2
    assert "handout.pdf: already there and not written by slidegen" in result.output
    assert os.listdir(out) == ["handout.pdf"]
    assert (out / "handout.pdf").read_bytes() == b"my own handout"
    (out / "handout.pdf").unlink()
    assert build(root, "-o", str(out)).exit_code == 0
    shutil.rmtree(out / ".slidegen")                    # slidegen's own files stay its own
    assert build(root, "-o", str(out)).exit_code == 0


# 9 -------------------------------------------------------------------------------------------

EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n{} loop\nshowpage\n"


def test_eps_content_never_reaches_ghostscript(lesson, tmp_path):
    root, out = lesson
    marker = tmp_path / "ghostscript-ran"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "gs").write_text(f"#!/bin/sh\ntouch {marker}\nsleep 30\n")
    (fake / "gs").chmod(0o755)
    os.makedirs(os.path.join(root, "fig"))
    with open(os.path.join(root, "fig", "plot.png"), "wb") as f:
        f.write(EPS)
    _append(root, "_episodes/01-alpha.md", "\n![A plot](../fig/plot.png)\n")
    env = environment(PATH=f"{fake}:{os.environ['PATH']}")
    done = subprocess.run(command("build", root, "-o", out, "-j", "1"), env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert "image '../fig/plot.png' not shown on the slide: PostScript (EPS)" in done.stderr
    assert "image '../fig/plot.png' not shown in the handout: PostScript (EPS)" in done.stderr
    handout = pdf_text(os.path.join(out, "handouts", "01-alpha.pdf"))
    assert "A plot" in handout and "PostScript" not in handout   # described, not explained


# 12 ------------------------------------------------------------------------------------------

def test_a_very_long_title_builds(lesson):
    root, out = lesson
    title = "A title " + "that goes on " * 30
    path = os.path.join(root, "_episodes", "01-alpha.md")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace('title: "Alpha"', f'title: "{title}"'))
    result = build(root, "-o", out, "--only", "slides")
    assert result.exit_code == 0, result.output
    deck = os.path.join(out, "slides", "01-alpha.pptx")
    assert len(Presentation(deck).core_properties.title) == 255
    assert "that goes on that goes on" in _deck_text(deck)


def test_an_episode_listed_twice_is_an_error_and_built_once(make_lesson, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_lesson({"episodes/a.md": episode("Alpha"), "episodes/b.md": episode("Beta")},
                       fmt="workbench",
                       config="title: 'Twice'\nepisodes:\n- a.md\n- b.md\n- a.md\n")
    check = CliRunner().invoke(main, ["check", root])
    assert check.exit_code == 1
    assert "config.yaml: error: episode 'a.md' is listed twice in 'episodes'" in check.output
    out = str(tmp_path / "out")
    result = build(root, "-o", out, "-j", "1")
    assert result.exit_code == 1 and "built 2 decks, 2 handouts + handout.pdf" in result.output
    assert pdf_text(os.path.join(out, "handout.pdf")).count("Paragraph 0 about Alpha") == 1


def test_an_image_with_too_many_pixels_is_refused_before_decoding(lesson):
    root, out = lesson
    os.makedirs(os.path.join(root, "fig"))
    buf = io.BytesIO()
    PILImage.new("1", (10000, 10000)).save(buf, "PNG")      # 100 megapixels, a small file
    with open(os.path.join(root, "fig", "big.png"), "wb") as f:
        f.write(buf.getvalue())
    _append(root, "_episodes/01-alpha.md", "\n![Huge](../fig/big.png)\n")
    result = build(root, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "not shown on the slide: 10000 × 10000 pixels: more than the 60 million" in result.output
    assert "not shown in the handout: 10000 × 10000 pixels" in result.output
    assert os.path.getsize(os.path.join(out, "handouts", "01-alpha.pdf")) < 2_000_000


def test_a_huge_config_is_refused_before_it_is_read(lesson):
    root, out = lesson
    with open(os.path.join(root, "_config.yml"), "ab") as f:
        f.truncate(500_000_000)                              # sparse: no disk used
    started = time.monotonic()
    result = build(root, "-o", out)
    assert result.exit_code == 1
    assert "_config.yml: error: lesson config is 500.0 MB; slidegen reads lesson configs " \
           "up to 4 MB" in result.output
    assert time.monotonic() - started < 10


def test_workers_never_outnumber_the_cores(monkeypatch):
    monkeypatch.setattr(jobs, "available_mb", lambda: 64_000)
    assert jobs.workers(1000) == jobs.cores()
    assert jobs.workers(1) == 1 and jobs.workers(0) == jobs.cores()
    assert jobs.plan_workers(1000)[1] == f"-j 1000 runs {jobs.cores()} worker" + \
        ("s" if jobs.cores() > 1 else "") + f": the machine has {jobs.cores()} cores"


def test_workers_fit_in_the_free_memory(monkeypatch):
    monkeypatch.setattr(jobs, "cores", lambda: 8)
    monkeypatch.setattr(jobs, "available_mb", lambda: 3 * jobs.WORKER_MB + 10)
    assert jobs.plan_workers(8) == (3, f"-j 8 runs 3 workers: {3 * jobs.WORKER_MB + 10} MB of "
                                       "memory is free")
    assert jobs.plan_workers(0) == (3, None)          # nothing asked, nothing to explain
    monkeypatch.setattr(jobs, "available_mb", lambda: None)
    assert jobs.plan_workers(4) == (4, None)


def test_a_utf16_episode_is_read(lesson):
    root, out = lesson
    path = os.path.join(root, "_episodes", "02-beta.md")
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("Beta", "Béta ünïcode")
    with open(path, "wb") as f:
        f.write(text.encode("utf-16"))                       # with a byte-order mark
    result = build(root, "-o", out, "--only", "slides")
    assert result.exit_code == 0, result.output
    assert "Béta ünïcode" in _deck_text(os.path.join(out, "slides", "02-beta.pptx"))


def test_odd_files_named_like_images_say_what_they_are(lesson):
    root, out = lesson
    fig = os.path.join(root, "fig")
    os.makedirs(os.path.join(fig, "folder.png"))
    os.mkfifo(os.path.join(fig, "pipe.png"))
    os.symlink("loop.png", os.path.join(fig, "loop.png"))
    _append(root, "_episodes/01-alpha.md", "\n![A](../fig/folder.png)\n\n![B](../fig/pipe.png)\n\n"
                                           "![C](../fig/loop.png)\n")
    result = build(root, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "image '../fig/folder.png' is a folder, not a file" in result.output
    assert "image '../fig/pipe.png' is not a regular file (a FIFO, socket or device)" \
        in result.output
    assert "image '../fig/loop.png' is a symbolic link in a loop" in result.output


def test_an_edited_episode_is_split_over_the_workers_without_a_task_for_light_writers():
    """One edited episode: its deck and its handout are made side by side; the exercises
    sheet's share (no files of its own) rides with the first rather than wait for a worker."""
    from slidegen.pipeline.worker import Job
    job = Job("/l/_episodes/01-a.md", "_episodes/01-a.md", "01-a", (0, 1, 3), ())
    tasks = jobs.split([job], 2, light=frozenset({3}))
    assert [t.writers for t in tasks] == [(0, 3), (1,)]
    assert [t.writers for t in jobs.split([job, job], 2, light=frozenset({3}))] == [(0, 1, 3)] * 2


def test_an_episode_longer_than_a_workers_share_is_split_and_the_others_are_not(tmp_path):
    """A very long episode's deck and handout go to different workers (one worker would
    otherwise still be on it long after the rest of the lesson is done); ordinary episodes,
    and any episode when there is one worker, stay whole."""
    from slidegen.pipeline.worker import Job
    paths = []
    for name, size in (("01-a.md", 1000), ("02-b.md", 1000), ("03-huge.md", 50_000)):
        path = tmp_path / name
        path.write_text("x" * size)
        paths.append(str(path))
    work = [Job(p, os.path.basename(p), os.path.basename(p)[:-3], (0, 1, 3), ()) for p in paths]
    tasks = jobs.split(work, 2, light=frozenset({3}))
    assert [(t.stem, t.writers) for t in tasks] == [("01-a", (0, 1, 3)), ("02-b", (0, 1, 3)),
                                                    ("03-huge", (0, 3)), ("03-huge", (1,))]
    assert jobs.split(work[:2], 2, light=frozenset({3})) == work[:2]
    assert jobs.split(work, 1, light=frozenset({3})) == work
    # a writer that can share its work: every worker takes a share of the long episode, and
    # one more as its deck takes a worker for itself; the deck is handed out first
    shared = jobs.split(work, 2, light=frozenset({3}), share_above={1: 40_000})
    assert [(t.stem, t.writers, t.share) for t in shared[2:]] == [
        ("03-huge", (0, 3), None), ("03-huge", (1,), (0, 3)), ("03-huge", (1,), (1, 3)),
        ("03-huge", (1,), (2, 3))]
    assert jobs.split(work, 2, light=frozenset({3}), share_above={1: 60_000}) == tasks


# =============================================================================================
# Issue 31, items 8-13 and --knit's environment: what a lesson repository can plant in OUT's
# state, a theme as untrusted as a lesson, and Liquid bounded by the input's size.
# =============================================================================================

FAKE_RSCRIPT = """#!/bin/sh
# A stand-in for R's Rscript: `-e SCRIPT EPISODE OUTPUT STEM` knits by printing the environment.
[ "$4" = "" ] && exit 0                       # `Rscript --vanilla -e library(knitr)`
printf -- '---\\ntitle: "Knitted"\\nteaching: 5\\nexercises: 0\\n---\\n\\nWhat R saw:\\n\\n' > "$5"
printf '```output\\n' >> "$5"; env | sort >> "$5"; printf '```\\n' >> "$5"
"""


@pytest.fixture
def knit_lesson(tmp_path, monkeypatch, make_lesson):
    """A Workbench lesson with one R Markdown episode, a fake Rscript first on PATH, a folder
    outside OUT that must stay as it is, and the deck's text after a `build --knit`."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "Rscript").write_text(FAKE_RSCRIPT)
    (fake / "Rscript").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    root = make_lesson({"episodes/01-env.Rmd": "---\ntitle: Env\n---\n\n```{r}\nSys.getenv()\n"
                        "```\n"}, fmt="workbench")
    outside = tmp_path / "outside"
    outside.mkdir()
    state = os.path.join(root, "_slidegen", ".slidegen")
    os.makedirs(state)

    def knit():
        result = build(root, "--knit", "-j", "1", "--only", "slides")
        deck = os.path.join(root, "_slidegen", "slides", "01-env.pptx")
        return result, _deck_text(deck) if os.path.isfile(deck) else ""
    return state, str(outside), knit


# 8 (issue 31) --------------------------------------------------------------------------------

def test_a_planted_knit_cache_link_is_not_written_through(knit_lesson):
    state, outside, knit = knit_lesson
    os.symlink(outside, os.path.join(state, "knit"))
    result, text = knit()
    assert result.exit_code == 0, result.output
    assert "What R saw:" in text
    assert os.listdir(outside) == []                      # nothing knitted into the link's target
    assert not os.path.islink(os.path.join(state, "knit"))
    for name in os.listdir(os.path.join(state, "knit")):  # a link inside the cache: removed too
        os.symlink(outside, os.path.join(state, "knit", name + "x"))
    assert knit()[0].exit_code == 0 and os.listdir(outside) == []


# 9 (issue 31) --------------------------------------------------------------------------------

def test_a_planted_lock_link_or_knitted_link_is_replaced_and_a_lock_folder_refused(knit_lesson):
    state, outside, knit = knit_lesson
    os.symlink(os.path.join(outside, "lock"), os.path.join(state, "lock"))
    os.symlink(outside, os.path.join(state, "knitted"))
    result, text = knit()
    assert result.exit_code == 0, result.output
    assert "What R saw:" in text
    assert os.listdir(outside) == []
    assert os.path.isfile(os.path.join(state, "lock")) and \
        not os.path.islink(os.path.join(state, "lock"))
    os.unlink(os.path.join(state, "lock"))
    os.makedirs(os.path.join(state, "lock", "inside"))
    refused, _ = knit()
    assert refused.exit_code == 2
    assert f"{state}/lock is a folder; slidegen keeps its lock file there (remove the folder)" \
        in refused.output
    assert os.listdir(os.path.join(state, "lock")) == ["inside"]


# --knit's environment (issue 31) -------------------------------------------------------------

def test_knitting_runs_r_with_a_minimal_environment(knit_lesson, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2-secret")
    monkeypatch.setenv("R_LIBS_USER", "/opt/r-libs")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    _, _, knit = knit_lesson
    result, text = knit()
    assert result.exit_code == 0, result.output
    assert "hunter2" not in text and "SECRET_TOKEN" not in text
    assert "R_LIBS_USER=/opt/r-libs" in text and "LC_ALL=C.UTF-8" in text
    assert f"HOME={os.environ['HOME']}" in text and "PATH=" in text
    kept = {"PATH": "/bin", "LANG": "de_DE.UTF-8", "R_LIBS": "/r", "TMPDIR": "/t"}
    assert knit_module.r_environment(dict(kept, GITHUB_PAT="x", AWS_SECRET_ACCESS_KEY="y")) \
        == kept


def measured(*args) -> tuple:
    """`slidegen ARGS` under a 1 GiB memory cap and 30 s of CPU, measured in a process of its
    own: (exit code, stderr, CPU seconds, peak memory in MB) of the build alone."""
    return measured_argv(command(*args))


def measured_python(code: str) -> tuple:
    """Python `code` run as `measured` runs slidegen."""
    return measured_argv([sys.executable, "-c", code])


# 13 (issue 31) -------------------------------------------------------------------------------

def test_liquid_doubling_a_string_stops_with_a_message_in_bounded_memory(lesson):
    root, out = lesson
    _append(root, "_episodes/02-beta.md", '\n{% assign s = "ab" %}\n'
            + "{% assign s = s | append: s %}\n" * 30 + "\nThe end {{ s | size }}.\n")
    _append(root, "_episodes/03-gamma.md", '\n{{ (1..100000000) | join: "," | size }}\n')
    code, err, cpu, mb = measured("build", root, "-o", out, "-j", "1", "--only", "slides")
    assert code == 1, err
    assert "_episodes/02-beta.md:44: error: Liquid builds a value larger than 4 million " \
           "characters (a string doubled in a loop?); the rest of the file is left out" in err
    assert "_episodes/03-gamma.md:23: error: Liquid filter 'join' given a range of 100,000,000 " \
           "items (at most 1,000,000)" in err
    assert "Traceback" not in err
    assert cpu < 10 and mb < 500, (cpu, mb)
    assert os.listdir(os.path.join(out, "slides")) == ["01-alpha.pptx"]    # the other one built


# 10 and 11 (issue 31) ------------------------------------------------------------------------

IMPRESS = os.path.join(os.path.dirname(__file__), "fixtures", "template-impress.pptx")
RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
MASTER = "ppt/slideMasters/slideMaster1.xml"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (about 1 byte in 1000), made without deflating
    them all: after a full flush, every MiB of zeros deflates to the same bytes."""
    mib = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(mib, crc)
    return block * (size >> 20) + c.flush(), crc


def _as_deflated(path, name: str, size: int, crc: int) -> None:
    """Mark member `name` (stored) as deflated, `size` bytes unpacked, in both its headers."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    for sig, head, name_at in ((b"PK\x03\x04", 30, 26), (b"PK\x01\x02", 46, 28)):
        at = data.find(sig)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + name_at)[0]
            if data[at + head:at + head + length] == name.encode():
                method = at + (8 if head == 30 else 10)      # then time, date, crc, sizes
                struct.pack_into("<H", data, method, zipfile.ZIP_DEFLATED)
                struct.pack_into("<I", data, method + 6, crc)
                struct.pack_into("<I", data, method + 14, size)
            at = data.find(sig, at + 4)
    with open(path, "wb") as f:
        f.write(data)


def template_theme(tmp_path, rels="", master="", members=(), bomb=None) -> str:
    """A theme whose template is the Impress fixture with extra relationships (and XML) in its
    slide master, extra members, and `bomb` = (name, size): a member of `size` zero bytes."""
    theme = tmp_path / "theme"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('extends = "carpentries"\n[deck]\ntemplate = "t.pptx"\n')
    path = str(theme / "t.pptx")
    with zipfile.ZipFile(IMPRESS) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == RELS:
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            if info.filename == MASTER:
                data = data.replace(b"</p:grpSpPr>", b"</p:grpSpPr>" + master.encode(), 1)
            z.writestr(info.filename, data)
        for name, data in members:
            z.writestr(name, data)
        if bomb:
            stream, crc = _zeros_deflated(bomb[1])
            z.writestr(zipfile.ZipInfo(bomb[0]), stream, zipfile.ZIP_STORED)
    if bomb:
        _as_deflated(path, bomb[0], bomb[1], crc)
    return str(theme)


def _parts(deck) -> dict:
    with zipfile.ZipFile(deck) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_a_template_zip_bomb_is_refused_quickly_and_unused_parts_never_reach_a_deck(lesson,
                                                                                      tmp_path):
    root, out = lesson
    bomb = f'<Relationship Id="rId90" Type="{RT}image" Target="../media/image90.png"/>'
    theme = template_theme(tmp_path / "bomb", bomb, bomb=("ppt/media/image90.png", 1 << 30))
    assert os.path.getsize(os.path.join(theme, "t.pptx")) < 1_200_000      # 1 MB for 1 GiB
    code, err, cpu, mb = measured("build", root, "-o", out, "-j", "1", "--theme", theme)
    assert code == 2, err
    assert f"{theme}/t.pptx: error: the PowerPoint template unpacks to 1073.8 MB; slidegen " \
           "reads templates of at most 50 MB, 50 MB unpacked and 1000 parts (a zip bomb?)" in err
    assert cpu < 10 and mb < 500, (cpu, mb)
    assert not os.path.exists(os.path.join(out, "slides"))
    dense = template_theme(tmp_path / "dense", bomb, bomb=("ppt/media/image90.png", 40 << 20))
    refused = build(root, "-o", out, "--theme", dense)
    assert refused.exit_code == 2
    assert "part ppt/media/image90.png unpacks 41.9 MB from 0.0 MB" in refused.output
    # a picture the master never shows, and a part nothing relates to: left out of every deck
    unused = template_theme(tmp_path / "unused", f'<Relationship Id="rId91" Type="{RT}image" '
                            'Target="../media/unused.png"/>',
                            members=[("ppt/media/unused.png", os.urandom(2_000_000)),
                                     ("ppt/media/stray.bin", os.urandom(1_000_000))])
    result = build(root, "-o", out, "--theme", unused, "--only", "slides")
    assert result.exit_code == 0, result.output
    deck = os.path.join(out, "slides", "01-alpha.pptx")
    assert not [p for p in _parts(deck) if p.startswith("ppt/media/")]
    assert os.path.getsize(deck) < 100_000
    layouts = [lay.name for lay in Presentation(deck).slide_layouts]
    assert layouts == [lay.name for lay in Presentation(IMPRESS).slide_layouts]


def test_a_template_never_brings_an_external_relationship_into_a_deck(lesson, tmp_path):
    root, out = lesson
    rels = (f'<Relationship Id="rId92" Type="{RT}image" Target="http://tracker.invalid/p.png" '
            'TargetMode="External"/>'
            f'<Relationship Id="rId93" Type="{RT}hyperlink" Target="https://corp.invalid/" '
            'TargetMode="External"/>')
    master = ('<p:pic><p:nvPicPr><p:cNvPr id="90" name="Tracker"><a:hlinkClick r:id="rId93"/>'
              '</p:cNvPr><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:link="rId92"/>'
              '<a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="0" '
              'y="0"/><a:ext cx="9000" cy="9000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
              '</a:prstGeom></p:spPr></p:pic>')
    theme = template_theme(tmp_path, rels, master)
    result = build(root, "-o", out, "--theme", theme, "--only", "slides", "-j", "1")
    assert result.exit_code == 0, result.output
    warning = (f"{theme}/t.pptx: warning: the template links to http://tracker.invalid/p.png, "
               "https://corp.invalid/ outside it; the decks leave these links out (a deck "
               "opened would fetch them)")
    assert result.output.count(warning) == 1
    for name in ("01-alpha", "02-beta", "03-gamma"):
        deck = os.path.join(out, "slides", f"{name}.pptx")
        parts = _parts(deck)
        assert not [p for p, data in parts.items() if b".invalid" in data]
        assert b'name="Tracker"' in parts[MASTER]                 # the picture keeps its place
        assert len(Presentation(deck).slides) == 5


# 12 (issue 31) -------------------------------------------------------------------------------

def _handout_theme(tmp_path, body: str) -> str:
    """A theme whose episode template does `body` first; `body` alone is its probe.html.j2."""
    theme = tmp_path / "loops"
    (theme / "handout").mkdir(parents=True)
    (theme / "theme.toml").write_text('description = "a theme that works without end"\n')
    (theme / "handout" / "episode.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}' + body + "{{ super() }}{% endblock %}")
    (theme / "handout" / "probe.html.j2").write_text(body)
    return str(theme)


def test_a_theme_template_looping_without_end_stops_with_a_message(lesson, tmp_path):
    root, out = lesson
    theme = _handout_theme(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                     "{% endfor %}{% endfor %}")
    code, err, cpu, mb = measured("build", root, "-o", out, "-j", "1", "--theme", theme)
    assert code == 1, err
    assert "_episodes/01-alpha.md: error: theme 'loops': handout template episode.html.j2 " \
           "failed: the template does too much work: more than 1,000,000 loop steps" in err
    assert "Traceback" not in err
    assert cpu < 10 and mb < 500, (cpu, mb)


@pytest.mark.parametrize("body, said", [
    ("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "builds a value of 8,388,608 characters or items (at most 5,000,000)"),
    ("{{ ('x' * 100000) * 100000 }}", "builds a value of 10,000,000,000 characters"),
    ("{{ 'x'|center(1000000000) }}{{ 'x'.ljust(1000000000) }}", "given 1,000,000,000"),
    ("{{ '%999999999d' % 1 }}", "a width of more than 10,000 in '%999999999'"),
    ("{{ '{:{}}'.format(1, 999999999) }}", "a width given 999,999,999"),
    ("{% set s = 'x' * 100000 %}{{ s.replace('', s) }}", "builds a value of 10,000,200,000"),
    ("{{ 7 ** 100000000 }}", "raises a number to the power 100,000,000"),
    ("{% set big = range(10000)|list %}{% for a in [1] recursive %}{% if loop.depth < 5 %}"
     "{{ loop(big) }}{% endif %}{% endfor %}", "more than 1,000,000 loop steps"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls itself too deeply"),
])
def test_a_theme_template_cannot_build_without_bound(tmp_path, body, said):
    """Each way a few characters of template could take the machine's memory or time: refused
    before the work is done, in one process capped at 1 GiB and 30 s of CPU."""
    theme = _handout_theme(tmp_path, body)
    check = ("from slidegen.theme import load_theme\n"
             "from slidegen.handout.html import template\n"
             f"template(load_theme({theme!r}), 'probe.html.j2').render()\n")
    code, err, cpu, mb = measured_python(check)
    assert code == 1 and "theme 'loops': handout template probe.html.j2 failed: " in err, err
    assert said in err
    assert cpu < 10 and mb < 500, (cpu, mb)


# =============================================================================================
# Small faults found while resolving issue 31: a killed --knit leaves half-knitted folders.
# =============================================================================================

def test_half_knitted_folders_of_a_killed_build_are_removed(knit_lesson):
    state, outside, knit = knit_lesson
    assert knit()[0].exit_code == 0
    cache = os.path.join(state, "knit")
    kept = sorted(os.listdir(cache))                 # the knitted episode, by its hash
    for name in (".partial-a1b2c3", ".partial-zz"):  # what a kill -9 while knitting leaves
        os.makedirs(os.path.join(cache, name, "fig"))
        with open(os.path.join(cache, name, "01-env.md"), "w") as f:
            f.write("half")
    os.symlink(outside, os.path.join(cache, ".partial-zz", "link"))
    with open(os.path.join(outside, "mine.txt"), "w") as f:
        f.write("keep me")
    result, text = knit()
    assert result.exit_code == 0, result.output
    assert "What R saw:" in text
    assert sorted(os.listdir(cache)) == kept
    assert os.listdir(outside) == ["mine.txt"]


def test_an_error_in_a_theme_template_names_the_template_and_its_line(lesson, tmp_path):
    """`{{ 1/0 }}` in a theme's handout template is the theme's mistake, said at its line:
    never 'internal error … please report it'."""
    root, out = lesson
    theme = _handout_theme(tmp_path, "\n\n{{ 1 / 0 }}")
    code, err, _, _ = measured("build", root, "-o", out, "-j", "1", "--theme", theme)
    assert code == 1, err
    assert "handout template episode.html.j2 line " in err and "ZeroDivisionError" in err, err
    assert "internal error" not in err and "Traceback" not in err
