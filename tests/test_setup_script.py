""".ci/setup: a light set-up by default (what building decks and handouts needs), the groups the
tests and some lessons need (knit, diagrams, cjk, tests) on request, everything with --all, which
is what CI (.ci/run) and the README's first command use. Only what exits before installing
anything runs here: --help, --list and wrong options."""
from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest
from conftest import REPO

SETUP = os.path.join(REPO, ".ci", "setup")
GROUPS = ("knit", "diagrams", "cjk", "tests")
# Per group, packages without which a test fails in CI (CI=true) or the group means nothing.
GROUP_PACKAGES = {
    "knit": {"r-base-core", "r-cran-knitr"},
    "diagrams": {"chromium", "nodejs", "npm"},
    "cjk": {"fonts-noto-cjk"},
    "tests": {"libreoffice-impress", "poppler-utils", "jing", "pandoc"},
}
LIGHT = {"python3-venv", "python3-pip", "libcairo2", "libpango-1.0-0", "libpangoft2-1.0-0",
         "libharfbuzz-subset0", "fonts-dejavu-core"}


def setup(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", SETUP, *args], capture_output=True, text=True, timeout=60)


def listed(*args: str) -> set[str]:
    result = setup(*args, "--list")
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_help_names_every_group_and_option():
    result = setup("--help")
    assert result.returncode == 0 and result.stderr == ""
    for word in (*GROUPS, "--with", "--all", "--fresh", "--list"):
        assert re.search(rf"(^|\s){re.escape(word)}\s", result.stdout), word
    assert setup("-h").stdout == result.stdout


def test_the_default_installs_only_what_a_build_needs():
    light = listed()
    assert light >= LIGHT
    for group, packages in GROUP_PACKAGES.items():
        assert not packages & light, group


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_adds_its_packages(group):
    assert listed() | GROUP_PACKAGES[group] <= listed("--with", group)
    assert listed(f"--with={group}") == listed("--with", group)
    others = set().union(*(p for g, p in GROUP_PACKAGES.items() if g != group))
    assert not others & listed("--with", group)


def test_all_is_every_group():
    every = listed("--all")
    assert every == listed("--with", ",".join(GROUPS))
    assert every == listed(*[a for g in GROUPS for a in ("--with", g)])
    assert LIGHT | set().union(*GROUP_PACKAGES.values()) <= every


@pytest.mark.parametrize("args, message", [
    (["--bogus"], "unknown option '--bogus'"),
    (["--fresh", "--minimal"], "unknown option '--minimal'"),
    (["--with", "knit,fonts"], "unknown group 'fonts'"),
    (["--with=latex"], "unknown group 'latex'"),
    (["--with"], "--with needs a group"),
    (["--with", "--all"], "--with needs a group"),
    (["--with="], "--with needs a group"),
])
def test_a_wrong_option_is_a_usage_error_before_anything_is_done(args, message, tmp_path):
    result = setup(*args)
    assert result.returncode == 2
    assert message in result.stderr and result.stdout == ""
    assert ".ci/setup:" in result.stderr


def script_lines(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [shlex.split(line) for line in f
                if line.strip() and not line.lstrip().startswith("#")]


def test_ci_installs_everything_the_tests_need_into_a_fresh_environment():
    calls = [words for words in script_lines(os.path.join(REPO, ".ci", "run"))
             if words[:2] == ["bash", ".ci/setup"]]
    assert len(calls) == 1
    assert {"--fresh", "--all"} <= set(calls[0][2:])


def quick_start() -> str:
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    return text[text.index("## Quick start"):text.index("\n## ", text.index("## Quick start") + 1)]


def test_the_readme_first_command_installs_what_its_second_needs():
    """The README promises two commands, one building the sample lesson, one running the tests:
    the first must set up the tests too."""
    section = quick_start()
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    first, second = lines
    assert first.startswith("bash .ci/setup --all ") and "slidegen build" in first
    assert "pytest" in second


def test_the_readme_says_what_each_group_installs():
    section = quick_start()
    for group in GROUP_PACKAGES:
        row = re.search(rf"^\|\s*`{group}`\s*\|.*$", section, re.M)
        assert row, f"no row for the group {group}"
        assert re.search(r"\d+(\.\d+)?\s*[MG]B", row.group(0)), f"{group}: no size"
