"""`slidegen init` and `slidegen new`: the files an author gets, in the lesson's own format, that
pass `slidegen check`, never overwrite anything and leave config.yaml's comments alone."""
from __future__ import annotations

import os
import shutil

import frontmatter
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, corpus_path

from slidegen.cli import main
from slidegen.model import Special
from slidegen.read import read_lesson
from slidegen.workshop.scaffold import add_to_episode_list, next_number, slugify

SAMPLE = ("_config.yml", "_includes", "fig", "_episodes")


def cli(*args):
    return CliRunner().invoke(main, list(args))


def checks_clean(lesson: str) -> None:
    result = cli("check", lesson)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def only_challenge(episode) -> Special:
    challenges = [b for b in episode.blocks if isinstance(b, Special) and b.kind == "challenge"]
    assert len(challenges) == 1
    return challenges[0]


def sample_copy(tmp_path) -> str:
    root = tmp_path / "lesson"
    root.mkdir()
    for name in SAMPLE:
        src = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, root / name)
    return str(root)


def test_new_styles_episode_follows_the_highest_number(tmp_path):
    lesson = sample_copy(tmp_path)
    result = cli("new", "Publishing Handouts", lesson)
    assert result.exit_code == 0, result.output
    path = os.path.join(lesson, "_episodes", "06-publishing-handouts.md")
    assert "06-publishing-handouts.md" in result.output
    post = frontmatter.load(path)
    assert post["title"] == "Publishing Handouts"
    assert post["teaching"] > 0 and post["exercises"] > 0
    for key in ("questions", "objectives", "keypoints"):
        assert isinstance(post[key], list) and post[key]
    assert "{: .challenge}" in post.content and "{: .solution}" in post.content
    assert post.content.rstrip().endswith("{% include links.md %}")
    checks_clean(lesson)
    episode = read_lesson(lesson).lesson.episodes[-1]
    challenge = only_challenge(episode)
    assert challenge.minutes == 10
    assert any(isinstance(c, Special) and c.kind == "solution" for c in challenge.children)


def test_new_workbench_episode_is_listed_and_comments_survive(tmp_path):
    src = corpus_path("python-novice-inflammation-workbench")
    lesson = tmp_path / "wb"
    shutil.copytree(src, lesson)
    before = (lesson / "config.yaml").read_text()
    result = cli("new", "Making Choices, Again", str(lesson))
    assert result.exit_code == 0, result.output
    path = lesson / "episodes" / "13-making-choices-again.md"
    post = frontmatter.load(path)
    assert post["title"] == "Making Choices, Again"
    assert {"teaching", "exercises"} <= set(post.keys())
    for div in ("questions", "objectives", "keypoints", "challenge", "solution"):
        assert f": {div}\n" in post.content
    after = (lesson / "config.yaml").read_text()
    # Exactly one line added, right after the last listed episode; comments untouched.
    assert after.splitlines() == before.replace("- 12-cmdline.md\n",
                                                "- 12-cmdline.md\n- 13-making-choices-again.md\n"
                                                ).splitlines()
    assert yaml.safe_load(after)["episodes"][-1] == "13-making-choices-again.md"
    reading = read_lesson(str(lesson))
    episode = reading.lesson.episodes[-1]
    assert episode.meta.questions and episode.meta.objectives and episode.meta.keypoints
    assert only_challenge(episode).minutes == 10
    result = cli("check", str(lesson))
    assert "13-making-choices-again" not in result.output


@pytest.mark.parametrize("names, expected", [
    (["00-intro.md", "05-ci.md", "03-coffee.md"], "06"),
    (["001-a.md", "002-b.md"], "003"),
    (["09-a.md"], "10"),
    (["9-a.md", "10-b.md"], "11"),
    (["introduction.md"], "01"),
    ([], "01"),
])
def test_next_number_keeps_the_padding(names, expected):
    assert next_number(names) == expected


def test_slug_is_a_safe_file_name():
    assert slugify("Héllo, Wörld: Loops & Lists!") == "hello-world-loops-lists"
    assert len(slugify("word " * 40)) <= 40


@pytest.mark.parametrize("config, expected", [
    ("title: t\nepisodes:\n  - 'a.md'  # first\n# later\nlearners:\n",
     "title: t\nepisodes:\n  - 'a.md'  # first\n  - 'b.md'\n# later\nlearners:\n"),
    ("title: t\nepisodes: [a.md]  # order\n", "title: t\nepisodes: [a.md, b.md]  # order\n"),
    # An empty list means "every file in name order": it becomes explicit, nobody drops out.
    ("title: t\nepisodes:\n\nlearners:\n", "title: t\nepisodes:\n- a.md\n- b.md\n\nlearners:\n"),
    ("title: t\r\nepisodes:\r\n- a.md\r\n", "title: t\r\nepisodes:\r\n- a.md\r\n- b.md\r\n"),
])
def test_episode_list_edited_as_text(config, expected):
    assert add_to_episode_list(config, "b.md", ["a.md"]) == expected


def test_new_refuses_an_episode_list_it_cannot_edit(tmp_path):
    lesson = tmp_path / "wb"
    (lesson / "episodes").mkdir(parents=True)
    (lesson / "episodes" / "01-a.md").write_text("---\ntitle: A\n---\n\nText.\n")
    config = "title: T\nepisodes: [01-a.md,\n  02-b.md]\n"
    (lesson / "config.yaml").write_text(config)
    result = cli("new", "Next", str(lesson))
    assert result.exit_code == 1
    assert "cannot add '03-next.md'" in result.output and "nothing was written" in result.output
    assert (lesson / "config.yaml").read_text() == config
    assert sorted(os.listdir(lesson / "episodes")) == ["01-a.md"]


def test_new_outside_a_lesson_is_a_usage_error(tmp_path):
    result = cli("new", "Title", str(tmp_path))
    assert result.exit_code == 2
    assert "is not a lesson" in result.output


def test_new_needs_a_title_with_letters(tmp_path):
    lesson = sample_copy(tmp_path)
    result = cli("new", "???", lesson)
    assert result.exit_code == 1
    assert "cannot make a file name" in result.output


@pytest.mark.parametrize("fmt", ["styles", "workbench"])
def test_init_makes_a_lesson_that_checks_and_builds(tmp_path, fmt):
    lesson = tmp_path / "new-lesson"
    result = cli("init", str(lesson), "--format", fmt, "--title", "Data: Cleaning")
    assert result.exit_code == 0, result.output
    if fmt == "styles":
        config = yaml.safe_load((lesson / "_config.yml").read_text())
        assert (lesson / "fig").is_dir() and (lesson / "_includes" / "links.md").is_file()
        first = lesson / "_episodes" / "01-introduction.md"
    else:
        config = yaml.safe_load((lesson / "config.yaml").read_text())
        assert config["episodes"] == ["01-introduction.md"]
        assert (lesson / "episodes" / "fig").is_dir()
        first = lesson / "episodes" / "01-introduction.md"
    assert config["title"] == "Data: Cleaning"
    assert frontmatter.load(first)["title"] == "Introduction"
    checks_clean(str(lesson))

    assert cli("new", "Second Steps", str(lesson)).exit_code == 0
    checks_clean(str(lesson))
    titles = [e.meta.title for e in read_lesson(str(lesson)).lesson.episodes]
    assert titles == ["Introduction", "Second Steps"]

    out = tmp_path / "out"
    result = cli("build", str(lesson), "-o", str(out), "--only", "slides", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out / "slides")) == ["01-introduction.pptx", "02-second-steps.pptx"]


def test_init_title_defaults_to_the_directory_name(tmp_path):
    assert cli("init", str(tmp_path / "shell-basics"), "--format", "styles").exit_code == 0
    assert yaml.safe_load((tmp_path / "shell-basics" / "_config.yml").read_text())["title"] \
        == "Shell basics"


def test_init_accepts_a_fresh_git_repository(tmp_path):
    (tmp_path / ".git").mkdir()
    assert cli("init", str(tmp_path)).exit_code == 0
    assert (tmp_path / "config.yaml").is_file()


def test_init_refuses_a_non_empty_directory(tmp_path):
    lesson = sample_copy(tmp_path)
    before = {n: os.listdir(os.path.join(lesson, n)) for n in ("_episodes", "fig")}
    with open(os.path.join(lesson, "_config.yml")) as f:
        config = f.read()
    result = cli("init", lesson, "--format", "styles")
    assert result.exit_code == 1
    assert "is not empty" in result.output and "slidegen new" in result.output
    with open(os.path.join(lesson, "_config.yml")) as f:
        assert f.read() == config
    assert {n: os.listdir(os.path.join(lesson, n)) for n in ("_episodes", "fig")} == before
