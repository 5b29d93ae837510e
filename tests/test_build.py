"""`slidegen build` as an instructor runs it: outputs, incremental rebuilds, failures, safety."""
from __future__ import annotations

import hashlib
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import REPO

from slidegen.cli import main


def sha(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(out) -> dict:
    result = {}
    for base, _, files in os.walk(out):
        for f in files:
            p = os.path.join(base, f)
            rel = os.path.relpath(p, out)
            if not rel.startswith(".slidegen"):
                result[rel] = sha(p)
    return result


@pytest.fixture
def sample(tmp_path):
    """A copy of the sample lesson with three episodes (one of them a break)."""
    root = tmp_path / "lesson"
    root.mkdir()
    for name in ("_config.yml", "_includes", "fig"):
        src = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, root / name)
    (root / "_episodes").mkdir()
    for ep in ("00-intro.md", "03-coffee.md", "04-automation-intro.md"):
        shutil.copy(os.path.join(REPO, "_episodes", ep), root / "_episodes" / ep)
    return str(root)


def run(*args):
    result = CliRunner().invoke(main, ["build", *args])
    assert "Traceback" not in result.output, result.output
    return result


def test_build_writes_every_output_and_then_is_up_to_date(sample, tmp_path):
    out = str(tmp_path / "out")
    first = run(sample, "-o", out, "-j", "1")
    assert first.exit_code == 0, first.output
    files = snapshot(out)
    assert set(files) == {"slides/00-intro.pptx", "slides/03-coffee.pptx",
                          "slides/04-automation-intro.pptx", "handouts/00-intro.pdf",
                          "handouts/04-automation-intro.pdf", "handout.pdf", "exercises.md"}
    assert ("built 3 decks, 2 handouts + handout.pdf, exercises.md; 0 up to date; 0 warnings; "
            "0 errors in") in first.output

    again = run(sample, "-o", out)
    assert again.exit_code == 0
    assert "built 0 decks, 0 handouts; 3 up to date" in again.output
    assert snapshot(out) == files

    with open(os.path.join(sample, "_episodes", "04-automation-intro.md"), "a") as f:
        f.write("\nOne more sentence for the learners.\n")
    edited = run(sample, "-o", out)
    assert "built 1 deck, 1 handout + handout.pdf, exercises.md; 2 up to date" in edited.output
    now = snapshot(out)
    changed = {k for k in files if files[k] != now[k]}
    assert changed == {"slides/04-automation-intro.pptx", "handouts/04-automation-intro.pdf",
                       "handout.pdf"}


def test_broken_episode_keeps_its_outputs_and_others_build(sample, tmp_path):
    out = str(tmp_path / "out")
    assert run(sample, "-o", out).exit_code == 0
    before = snapshot(out)
    intro = os.path.join(sample, "_episodes", "00-intro.md")
    with open(intro) as f:
        text = f.read()
    with open(intro, "w") as f:
        f.write(text.replace("teaching: ", "teaching: ten #", 1))
    with open(os.path.join(sample, "_episodes", "04-automation-intro.md"), "a") as f:
        f.write("\nAnother line.\n")
    result = run(sample, "-o", out)
    assert result.exit_code == 1
    assert "_episodes/00-intro.md:3: error: 'teaching' must be a number of minutes" in result.output
    after = snapshot(out)
    assert after["slides/00-intro.pptx"] == before["slides/00-intro.pptx"]
    assert after["handouts/00-intro.pdf"] == before["handouts/00-intro.pdf"]
    assert after["slides/04-automation-intro.pptx"] != before["slides/04-automation-intro.pptx"]
    assert "1 episode failed and kept its earlier outputs: _episodes/00-intro.md" in result.output


def test_removed_episode_outputs_go_but_nothing_else(sample, tmp_path):
    out = str(tmp_path / "out")
    assert run(sample, "-o", out, "--only", "slides").exit_code == 0
    mine = os.path.join(out, "slides", "my-notes.pptx")
    with open(mine, "wb") as f:
        f.write(b"not slidegen's")
    os.remove(os.path.join(sample, "_episodes", "03-coffee.md"))
    result = run(sample, "-o", out, "--only", "slides")
    assert result.exit_code == 0
    assert "removed slides/03-coffee.pptx" in result.output
    assert not os.path.exists(os.path.join(out, "slides", "03-coffee.pptx"))
    assert os.path.exists(mine)


def test_output_directory_equal_to_lesson_is_refused(sample):
    result = run(sample, "-o", sample)
    assert result.exit_code == 2
    assert "is the lesson itself" in result.output


def test_default_output_is_ignored_by_git(sample):
    result = run(sample, "--only", "slides")
    assert result.exit_code == 0
    out = os.path.join(sample, "_slidegen")
    with open(os.path.join(out, ".gitignore")) as f:
        assert "*" in f.read().split()
    assert os.path.exists(os.path.join(out, "slides", "00-intro.pptx"))


def test_jobs_do_not_change_a_single_byte(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    assert run(sample, "-o", one, "-j", "1").exit_code == 0
    assert run(sample, "-o", two, "-j", "2").exit_code == 0
    assert snapshot(one) == snapshot(two)


def test_incremental_rebuild_equals_a_cold_build(sample, tmp_path, monkeypatch):
    """CI compares outputs to see whether materials really changed: an edit-and-rebuild must
    give the same bytes as building from scratch."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    warm, cold = str(tmp_path / "warm"), str(tmp_path / "cold")
    assert run(sample, "-o", warm).exit_code == 0
    with open(os.path.join(sample, "_episodes", "00-intro.md"), "a") as f:
        f.write("\nA sentence added later.\n")
    assert "built 1 deck, 1 handout + handout.pdf" in run(sample, "-o", warm).output
    assert run(sample, "-o", cold).exit_code == 0
    assert snapshot(warm) == snapshot(cold)
