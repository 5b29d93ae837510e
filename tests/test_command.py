"""The command as instructors use it beside git, Sphinx and Quarto: progress as it happens
(piped too), Ctrl-C that says what it kept, a lesson found from a subfolder, an empty lesson
refused, another lesson's outputs never touched, warnings that can fail a CI run, --verbose,
counts in good English, and `new` that refuses what would make no sense."""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time

import pytest
from buildkit import build, command, environment, run, snapshot, tiny_lesson
from click.testing import CliRunner

from slidegen.cli import main

MISSING_PICTURE = "\n![A chart of the results](../fig/nowhere.png)\n"


def _start(*args) -> subprocess.Popen:
    """`slidegen ARGS` as a process whose output lines a thread collects as they come."""
    proc = subprocess.Popen(command(*args), env=environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    proc.lines = queue.Queue()

    def read():
        for line in proc.stdout:
            proc.lines.put(line)
        proc.lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return proc


def _lines_until(proc, wanted: str, timeout: float = 120) -> list[str]:
    """Lines of `proc`'s output as they come, until one containing `wanted` (or its end)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = proc.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if wanted in line:
            break
    return seen


def _rest(proc, timeout: float = 300) -> str:
    proc.wait(timeout=timeout)
    return "".join(_lines_until(proc, "\0", 10))


def _slow_lesson(root, count: int = 4) -> str:
    """Episodes that take a second or so each to lay out, one worker after another."""
    return tiny_lesson(root, [f"Topic{n}" for n in range(count)], paragraphs=150)


def test_progress_is_a_line_per_episode_as_it_is_done_when_piped(tmp_path):
    lesson = _slow_lesson(tmp_path / "lesson")
    proc = _start("build", lesson, "-o", str(tmp_path / "out"), "-j", "1")
    first = _lines_until(proc, "deck ")
    still_running = proc.poll() is None
    rest = _rest(proc)
    assert first and "_episodes/" in first[-1] and "handout " in first[-1], first
    assert still_running, "the first episode's line came only when the build was over"
    assert proc.returncode == 0, rest
    assert sum("deck " in line for line in first + rest.splitlines()) == 4


def test_ctrl_c_exits_130_and_says_what_it_kept(tmp_path):
    lesson = _slow_lesson(tmp_path / "lesson", 6)
    out = str(tmp_path / "out")
    proc = _start("build", lesson, "-o", out, "-j", "1", "--only", "slides", "--slides", "full")
    first = _lines_until(proc, "deck ")
    proc.send_signal(signal.SIGINT)
    output = "".join(first) + _rest(proc)
    assert proc.returncode == 130, output
    assert "Traceback" not in output and "Aborted!" not in output
    assert "slidegen: interrupted: the new outputs of" in output
    assert "not built keep their earlier outputs" in output
    # What it finished is recorded: the next build does not make it again, nor refuses it
    # as a file slidegen did not write.
    again = run("build", lesson, "-o", out, "--only", "slides", "--slides", "full")
    assert again.returncode == 0, again.stderr
    kept = int(again.stderr.split(" up to date")[0].rsplit("; ", 1)[-1])
    assert kept >= 1, again.stderr


def test_ctrl_c_during_a_watched_rebuild_says_it_was_cut_short(tmp_path):
    lesson = _slow_lesson(tmp_path / "lesson", 3)
    proc = _start("build", lesson, "-o", str(tmp_path / "out"), "-j", "1", "--only", "slides",
                  "--slides", "full", "--watch", "-v")
    seen = _lines_until(proc, "(Ctrl-C to stop)")
    episode = os.path.join(lesson, "_episodes", "01-topic0.md")
    for _ in range(20):             # (the watcher may start a moment after it says so)
        with open(episode, "a") as f:
            f.write("".join(f"\nOne more paragraph, number {n}.\n" for n in range(300)))
        seen += _lines_until(proc, "01-topic0.md: building", timeout=2)
        if "01-topic0.md: building" in seen[-1]:
            break
    proc.send_signal(signal.SIGINT)
    output = "".join(seen) + _rest(proc)
    assert "_episodes/01-topic0.md: building (_episodes/01-topic0.md changed)" in output
    assert proc.returncode == 130, output
    assert "slidegen: interrupted" in output and "Traceback" not in output


def test_the_lesson_is_found_from_a_subfolder(tmp_path):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha"])
    inside = os.path.join(lesson, "_episodes")
    found = subprocess.run(command("build", "--only", "slides"), cwd=inside, env=environment(),
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert f"note: the lesson at {lesson} (above {inside})" in found.stderr
    assert os.path.isfile(os.path.join(lesson, "_slidegen", "slides", "01-alpha.pptx"))
    assert not os.path.exists(os.path.join(inside, "_slidegen"))
    checked = subprocess.run(command("check"), cwd=inside, env=environment(),
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "in 1 episode" in checked.stderr


def test_a_folder_in_no_lesson_is_still_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a lesson" in result.output and "no folder above it has" in result.output


@pytest.mark.parametrize("fmt", ["styles", "workbench"])
def test_an_empty_lesson_is_an_error_that_writes_nothing(tmp_path, fmt):
    folder, config = ("_episodes", "_config.yml") if fmt == "styles" else \
        ("episodes", "config.yaml")
    (tmp_path / folder).mkdir()
    (tmp_path / config).write_text('title: "Nothing Yet"\n')
    result = build(str(tmp_path))
    assert result.exit_code == 1
    assert f"{folder}/: error: the lesson has no episodes: '{folder}/' holds no .md or .Rmd " \
        "file" in result.output
    assert not (tmp_path / "_slidegen").exists()
    checked = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert checked.exit_code == 1 and "the lesson has no episodes" in checked.output


def test_another_lessons_outputs_are_never_removed(tmp_path):
    first = tiny_lesson(tmp_path / "first", ["Alpha", "Beta"])
    second = tiny_lesson(tmp_path / "second", ["Gamma"])
    with open(os.path.join(second, "_config.yml"), "w") as f:
        f.write('title: "Second Lesson"\n')
    out = str(tmp_path / "shared-out")
    assert build(first, "-o", out, "--only", "slides").exit_code == 0
    before = snapshot(out)
    refused = build(second, "-o", out, "--only", "slides")
    assert refused.exit_code == 2, refused.output
    assert f"{out} holds the outputs of another lesson, 'Tiny Lesson' (at {first})" \
        in refused.output
    assert snapshot(out) == before
    # The same lesson moved elsewhere is not another lesson: it builds, and replaces its own.
    moved = str(tmp_path / "moved")
    shutil.move(first, moved)
    again = build(moved, "-o", out, "--only", "slides")
    assert again.exit_code == 0, again.output


def test_an_output_folder_inside_the_lesson_ignores_itself(tmp_path):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha"])
    assert build(lesson, "-o", os.path.join(lesson, "build", "decks"),
                 "--only", "slides").exit_code == 0
    with open(os.path.join(lesson, "build", "decks", ".gitignore")) as f:
        assert f.read().splitlines()[-1] == "*"
    outside = str(tmp_path / "elsewhere")
    assert build(lesson, "-o", outside, "--only", "slides").exit_code == 0
    assert not os.path.exists(os.path.join(outside, ".gitignore"))


@pytest.mark.parametrize("flag", ["--strict", "-W"])
def test_strict_fails_check_and_build_on_warnings(tmp_path, flag):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha"])
    with open(os.path.join(lesson, "_episodes", "01-alpha.md"), "a") as f:
        f.write(MISSING_PICTURE)
    plain = CliRunner().invoke(main, ["check", lesson])
    assert plain.exit_code == 0 and "0 errors, 1 warning in 1 episode" in plain.output
    strict = CliRunner().invoke(main, ["check", lesson, flag])
    assert strict.exit_code == 1
    assert "slidegen: 1 warning, and --strict fails on warnings" in strict.output
    out = str(tmp_path / "out")
    assert build(lesson, "-o", out, "--only", "slides").exit_code == 0
    # an up-to-date episode's warnings count too: a CI build with a cache must fail as well
    again = build(lesson, "-o", out, "--only", "slides", flag)
    assert again.exit_code == 1, again.output
    assert "1 up to date" in again.output
    assert "and --strict fails on warnings" in again.output


def test_verbose_says_why_each_episode_is_built_or_not(tmp_path):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha", "Beta"])
    out = str(tmp_path / "out")
    first = build(lesson, "-o", out, "--only", "slides", "-v")
    assert "_episodes/01-alpha.md: building (not built before)" in first.output
    with open(os.path.join(lesson, "_episodes", "02-beta.md"), "a") as f:
        f.write("\nOne more line.\n")
    second = build(lesson, "-o", out, "--only", "slides", "-v")
    assert "_episodes/01-alpha.md: up to date" in second.output
    assert "_episodes/02-beta.md: building (_episodes/02-beta.md changed)" in second.output
    third = build(lesson, "-o", out, "--only", "slides", "-v", "--theme", "high-contrast")
    assert "_episodes/01-alpha.md: building (the theme changed)" in third.output
    quiet = build(lesson, "-o", out, "--only", "slides", "--theme", "high-contrast")
    assert "up to date\n" not in quiet.output and "building (" not in quiet.output


def test_counts_are_in_good_english(tmp_path):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha"])
    with open(os.path.join(lesson, "_episodes", "02-pause.md"), "w") as f:
        f.write("---\ntitle: Pause\nlayout: break\nbreak: 10\n---\n")
    result = build(lesson, "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "_episodes/02-pause.md: deck 1 slide (" in result.output
    assert "(0 hidden)" not in result.output and "1 slides" not in result.output
    assert "built 2 decks, 1 handout + handout.pdf" in result.output
    one = build(os.path.join(lesson, "_episodes", "01-alpha.md"), "-o", str(tmp_path / "out"))
    assert "left as they were (one episode built)" in one.output


def test_new_needs_a_title_and_never_makes_a_second_episode_of_one(tmp_path):
    lesson = tiny_lesson(tmp_path / "lesson", ["Alpha"])
    empty = CliRunner().invoke(main, ["new", "  ", lesson])
    assert empty.exit_code == 2
    assert 'the episode needs a title: slidegen new "Episode title"' in empty.output
    before = sorted(os.listdir(os.path.join(lesson, "_episodes")))
    for title in ("Alpha", "alpha"):
        again = CliRunner().invoke(main, ["new", title, lesson])
        assert again.exit_code == 1, again.output
        assert "already has an episode titled" in again.output
        assert "_episodes/01-alpha.md" in again.output
    assert sorted(os.listdir(os.path.join(lesson, "_episodes"))) == before
    made = run("new", "Omega", lesson)
    assert made.returncode == 0 and "02-omega.md" in made.stdout
