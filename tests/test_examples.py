"""The CI recipes in examples/: valid YAML with the structure each CI service expects, and every
`slidegen …` command line in them accepted by slidegen's real command-line parser (a renamed
option would otherwise break every lesson that copied a recipe)."""
from __future__ import annotations

import os
import re
import shlex
import tomllib

import click
import pytest
import yaml
from conftest import REPO
from recipekit import load, shell_scripts

from slidegen.cli import main

OUTPUTS = {"_slidegen/slides", "_slidegen/handouts", "_slidegen/handout.pdf"}
SYSTEM_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")


def slidegen_commands(script: str) -> list[list[str]]:
    """The argument lists of the `slidegen` commands in a script: one per line (after joining
    backslash continuations), split at `&&`, `||` and `;`."""
    commands = []
    for line in re.sub(r"\\\n", " ", script).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words, current = list(lexer), []
        for word in [*words, "&&"]:
            if word in ("&&", "||", ";"):
                if current[:1] == ["slidegen"]:
                    commands.append(current[1:])
                current = []
            else:
                current.append(word)
    return commands


def parse_only(args: list[str]) -> click.Context:
    """Parse `slidegen ARGS` as the CLI would, without running the command: a usage error
    (unknown command or option, bad choice, missing argument) raises click.UsageError."""
    ctx = main.make_context("slidegen", list(args))
    protected = getattr(ctx, "_protected_args", None)
    rest = [*(ctx.protected_args if protected is None else protected), *ctx.args]
    name, command, rest = main.resolve_command(ctx, rest)
    return command.make_context(name, rest, parent=ctx)


def commands_in(name: str) -> list[list[str]]:
    return [c for s in shell_scripts(load(name)) for c in slidegen_commands(s)]


def test_github_workflow_checks_on_push_and_builds_on_main():
    workflow = load("github-actions.yml")
    triggers = workflow.get("on", workflow.get(True))     # YAML 1.1 reads a bare `on` as True
    assert "push" in (triggers if isinstance(triggers, (dict, list)) else [triggers])
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    check = [s for s in steps if s.get("run", "").startswith("slidegen check")]
    assert len(check) == 1 and "if" not in check[0]
    assert "--format github" in check[0]["run"]
    build = [s for s in steps if s.get("run", "").startswith("slidegen build")]
    assert len(build) == 1 and build[0]["if"] == "github.ref == 'refs/heads/main'"
    assert steps.index(check[0]) < steps.index(build[0])
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert len(upload) == 1 and upload[0]["if"] == build[0]["if"]
    assert set(upload[0]["with"]["path"].split()) == OUTPUTS
    install = "\n".join(s.get("run", "") for s in steps)
    assert all(p in install for p in SYSTEM_PACKAGES) and "pip install" in install


def test_bitbucket_pipeline_checks_everywhere_and_builds_on_main():
    pipelines = load("bitbucket-pipelines.yml")["pipelines"]
    default = [c for s in shell_scripts(pipelines["default"]) for c in slidegen_commands(s)]
    assert default == [["check", "."]]
    main_steps = pipelines["branches"]["main"]
    main_commands = [c for s in shell_scripts(main_steps) for c in slidegen_commands(s)]
    assert main_commands == [["check", "."], ["build", ".", "-o", "_slidegen"]]
    artifacts = {a.rstrip("*").rstrip("/") for step in main_steps
                 for a in step["step"].get("artifacts", [])}
    assert artifacts == OUTPUTS
    for branch in ("default", "main"):
        steps = pipelines["default"] if branch == "default" else main_steps
        script = "\n".join(shell_scripts(steps))
        assert all(p in script for p in SYSTEM_PACKAGES) and "pip install" in script


@pytest.mark.parametrize("name", ["github-actions.yml", "bitbucket-pipelines.yml"])
def test_every_slidegen_command_parses(name):
    commands = commands_in(name)
    assert {c[0] for c in commands} == {"check", "build"}
    for args in commands:
        ctx = parse_only(args)
        assert ctx.command.name == args[0]
        assert ctx.params["lesson"] == "."


def test_parse_only_rejects_what_the_cli_rejects():
    with pytest.raises(click.UsageError):
        parse_only(["build", ".", "--output-dir", "x"])
    with pytest.raises(click.UsageError):
        parse_only(["check", ".", "--format", "junit"])
    with pytest.raises(click.UsageError):
        parse_only(["publish", "."])


def test_multiline_scripts_are_split_into_commands():
    script = "echo hi && slidegen check . \\\n  --format github\nslidegen build . -o out; ls\n"
    assert slidegen_commands(script) == [["check", ".", "--format", "github"],
                                         ["build", ".", "-o", "out"]]


def distribution_name() -> str:
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]["name"]


def test_recipes_install_our_distribution_and_nothing_says_pip_install_slidegen():
    """PyPI's "slidegen" is an unrelated program: every install line names our distribution."""
    name = distribution_name()
    assert name != "slidegen"
    for recipe in ("github-actions.yml", "bitbucket-pipelines.yml"):
        text = yaml.safe_dump(load(recipe))
        assert name in text
    texts = [os.path.join(REPO, "README.md")] + [
        os.path.join(dirpath, f) for top in ("examples", "docs", ".ci")
        for dirpath, _, files in os.walk(os.path.join(REPO, top)) for f in files
        if not f.endswith((".png", ".pptx", ".pdf"))]
    wrong = []
    for path in texts:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                for m in re.finditer(r"pip3? install\b([^\n`]*)", line):
                    words = re.split(r"[\s\"']+", m.group(1))
                    if any(re.match(r"slidegen(\b|$)(?!-)", w) for w in words):
                        wrong.append(f"{os.path.relpath(path, REPO)}:{n}: {line.strip()}")
    assert wrong == []
