"""A rebuild makes again only what an input changed: a new option that only adds outputs leaves
the others alone, a changed episode length rebuilds only the files whose clock times move, and
an episode with errors keeps its outputs without making the others rebuild."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from buildkit import (
    EPOCH,
    build,
    command,
    environment,
    pdf_text,
    png,
    sha,
    snapshot,
    tiny_lesson,
    wait_for,
)
from pptx import Presentation

TITLES = ("Alpha", "Beta", "Gamma", "Delta")


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def stamps(out) -> dict:
    """Every output's inode and time: a file written again (even with the same bytes) shows."""
    found = {}
    for rel in snapshot(out):
        st = os.stat(os.path.join(out, rel))
        found[rel] = (st.st_ino, st.st_mtime_ns)
    return found


def rewritten(before: dict, after: dict) -> set[str]:
    return {rel for rel in after if before.get(rel) != after[rel]}


def title_slide(path) -> str:
    slide = Presentation(path).slides[0]
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def set_teaching(lesson, name: str, minutes: int) -> None:
    path = os.path.join(lesson, "_episodes", name)
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("teaching: 5", f"teaching: {minutes}", 1))


NEW_FILES = {
    "--instructor": ("3 scripts + instructor.pdf", {
        "instructor.pdf", "instructor/01-alpha.pdf", "instructor/02-beta.pdf",
        "instructor/03-gamma.pdf"}),
    "--answer-key": ("0 decks, 0 handouts + answer-key.pdf", {"answer-key.pdf"}),
    "--large-print": ("3 large-print handouts + large-print/handout.pdf", {
        "large-print/handout.pdf", "large-print/handouts/01-alpha.pdf",
        "large-print/handouts/02-beta.pdf", "large-print/handouts/03-gamma.pdf"}),
}


@pytest.mark.parametrize("option", sorted(NEW_FILES))
def test_an_option_that_adds_files_writes_only_those(tmp_path, option):
    lesson, out = tiny_lesson(tmp_path / "lesson", TITLES[:3]), str(tmp_path / "out")
    assert build(lesson, "-o", out).exit_code == 0
    before, files = stamps(out), snapshot(out)
    said, new = NEW_FILES[option]

    result = build(lesson, "-o", out, option)
    assert result.exit_code == 0, result.output
    assert "built 0 decks, 0 handouts" in result.output and said in result.output
    after = stamps(out)
    assert rewritten(before, after) == new
    assert {rel: sha for rel, sha in snapshot(out).items() if rel in files} == files

    again = build(lesson, "-o", out, option)
    assert "3 up to date" in again.output
    assert stamps(out) == after


def test_a_longer_episode_rebuilds_only_the_decks_whose_times_move(tmp_path):
    lesson, out = tiny_lesson(tmp_path / "lesson", TITLES), str(tmp_path / "out")
    assert build(lesson, "-o", out, "--start", "09:00").exit_code == 0
    assert "09:20–09:30" in title_slide(os.path.join(out, "slides", "03-gamma.pptx"))
    before = stamps(out)

    set_teaching(lesson, "02-beta.md", 15)
    result = build(lesson, "-o", out, "--start", "09:00")
    assert result.exit_code == 0, result.output
    assert "built 3 decks, 1 handout + handout.pdf, exercises.md; 1 up to date" in result.output
    # Alpha starts as before; the handouts of Gamma and Delta show no clock times
    assert rewritten(before, stamps(out)) == {
        "slides/02-beta.pptx", "handouts/02-beta.pdf", "slides/03-gamma.pptx",
        "slides/04-delta.pptx", "handout.pdf", "exercises.md"}
    assert "09:30–09:40" in title_slide(os.path.join(out, "slides", "03-gamma.pptx"))

    before = stamps(out)
    set_teaching(lesson, "04-delta.md", 15)        # the last one moves nobody else's times
    result = build(lesson, "-o", out, "--start", "09:00")
    assert "built 1 deck, 1 handout + handout.pdf, exercises.md; 3 up to date" in result.output
    assert rewritten(before, stamps(out)) == {"slides/04-delta.pptx", "handouts/04-delta.pdf",
                                              "handout.pdf", "exercises.md"}


def test_an_episode_with_errors_keeps_its_outputs_and_moves_no_others(tmp_path):
    lesson, out = tiny_lesson(tmp_path / "lesson", TITLES[:3]), str(tmp_path / "out")
    assert build(lesson, "-o", out, "--start", "09:00").exit_code == 0
    before, files = stamps(out), snapshot(out)
    alpha = os.path.join(lesson, "_episodes", "01-alpha.md")
    with open(alpha) as f:
        good = f.read()
    with open(alpha, "w") as f:
        f.write(good.replace('title: "Alpha"', 'title: ["Alpha"', 1))

    result = build(lesson, "-o", out, "--start", "09:00")
    assert result.exit_code == 1
    assert "_episodes/01-alpha.md:3: error: invalid YAML" in result.output
    assert "1 episode failed and kept its earlier outputs: _episodes/01-alpha.md" in result.output
    assert "built 0 decks, 0 handouts; 2 up to date" in result.output
    assert rewritten(before, stamps(out)) == set()
    assert snapshot(out) == files
    assert "09:10–09:20" in title_slide(os.path.join(out, "slides", "02-beta.pptx"))

    with open(alpha, "w") as f:
        f.write(good)
    fixed = build(lesson, "-o", out, "--start", "09:00")
    assert fixed.exit_code == 0
    assert "built 0 decks, 0 handouts; 3 up to date" in fixed.output
    assert stamps(out) == before


def test_under_watch_an_episode_with_errors_rebuilds_nothing_else(tmp_path):
    lesson, out = tiny_lesson(tmp_path / "lesson", TITLES[:3]), str(tmp_path / "out")
    manifest = os.path.join(out, ".slidegen", "manifest.json")
    proc = subprocess.Popen(command("build", lesson, "-o", out, "--watch", "--start", "09:00"),
                            env=environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: os.path.exists(os.path.join(out, "handout.pdf")))
        time.sleep(1)
        before, saved = stamps(out), os.stat(manifest).st_mtime_ns
        with open(os.path.join(lesson, "_episodes", "01-alpha.md"), "r+") as f:
            text = f.read().replace('title: "Alpha"', 'title: ["Alpha"', 1)
            f.seek(0)
            f.write(text)
        wait_for(lambda: os.stat(manifest).st_mtime_ns != saved)     # the rebuild is done
        assert rewritten(before, stamps(out)) == set()
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0]
    assert "_episodes/01-alpha.md:3: error: invalid YAML" in output
    assert "built 0 decks, 0 handouts; 2 up to date" in output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rebuilding_part_of_an_episode_gives_a_cold_builds_bytes(tmp_path, jobs):
    """Files made again by some writers only, next to others kept, are what a build from
    nothing makes, with one worker or two."""
    lesson, warm = tiny_lesson(tmp_path / "lesson", TITLES), str(tmp_path / "warm")
    assert build(lesson, "-o", warm, "-j", jobs, "--start", "09:00").exit_code == 0
    set_teaching(lesson, "02-beta.md", 15)
    args = ("-j", jobs, "--start", "09:00", "--instructor", "--answer-key")
    assert build(lesson, "-o", warm, *args).exit_code == 0
    cold = str(tmp_path / "cold")
    assert build(lesson, "-o", cold, *args).exit_code == 0
    assert snapshot(warm) == snapshot(cold)


# The answer key is laid out again only when what it shows changes (issue 30) ----------------

@pytest.fixture
def key_layouts(monkeypatch):
    """Each layout of the answer key in this process (`-j 1`, and the lesson files made here
    rather than in forked processes): cleared before a build, it says whether that build laid
    the key out."""
    from slidegen.handout import files
    from slidegen.pipeline import lesson
    monkeypatch.setattr(lesson, "Aside", lambda *args: None)
    made = []
    real = files.layout

    def counted(html, *args, **kwargs):
        if 'class="key-head"' in html:
            made.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(files, "layout", counted)
    return made


def test_an_edit_to_the_narrative_does_not_lay_the_answer_key_out_again(tmp_path, key_layouts):
    lesson = tiny_lesson(tmp_path / "lesson")
    beta = os.path.join(lesson, "_episodes", "02-beta.md")
    with open(beta) as f:
        text = f.read()
    os.makedirs(os.path.join(lesson, "fig"))
    with open(os.path.join(lesson, "fig", "answer.png"), "wb") as f:
        f.write(png("red"))
    with open(beta, "w") as f:       # a solution that shows a picture
        f.write(text.replace("> > SECRET-Beta", "> > SECRET-Beta\n> >\n"
                             "> > ![The expected plot](../fig/answer.png)"))
    out = str(tmp_path / "out")

    def rebuilt() -> bool:
        key_layouts.clear()
        result = build(lesson, "-o", out, "-j", "1", "--answer-key")
        assert result.exit_code == 0, result.output
        return bool(key_layouts)

    assert rebuilt()
    key = os.path.join(out, "answer-key.pdf")
    first = sha(key)

    with open(beta, "a") as f:
        f.write("\nA new paragraph of narrative, after the exercise.\n")
    assert not rebuilt(), "laid out again for a change it does not show"
    assert sha(key) == first

    with open(os.path.join(lesson, "fig", "answer.png"), "wb") as f:
        f.write(png("blue"))          # the picture a solution shows
    assert rebuilt()
    assert sha(key) != first

    with open(beta) as f:
        text = f.read()
    with open(beta, "w") as f:       # the solution itself
        f.write(text.replace("SECRET-Beta", "SECRET-Beta-revised"))
    assert rebuilt()
    assert "SECRET-Beta-revised" in pdf_text(key)
