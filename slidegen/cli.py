"""Command line: thin commands that parse options, call the library and print.

Exit codes: 0 success, 1 content errors (in the lesson), 2 usage errors (options, paths).
"""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import Diagnostic, LessonNotFound, SlidegenError
from .lesson import read_lesson


def _fail_usage(message: str):
    click.echo(f"slidegen: error: {message}", err=True)
    sys.exit(2)


def _print_diagnostics(diagnostics, fmt: str = "text") -> None:
    for d in diagnostics:
        if fmt == "github":
            kind = "error" if d.severity == "error" else "warning"
            loc = f"file={d.path}" + (f",line={d.line}" if d.line else "")
            msg = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{kind} {loc}::{msg}")
        else:
            click.echo(str(d), err=(fmt == "stderr"))


def _read(lesson: str):
    try:
        return read_lesson(lesson)
    except LessonNotFound as e:
        _fail_usage(e.message)
    except SlidegenError as e:
        click.echo(str(e), err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="slidegen")
def main():
    """Turn a Carpentries lesson (styles or Workbench format) into editable PowerPoint decks
    for the instructor and solution-free PDF handouts for learners."""


@main.command()
@click.argument("lesson", default=".", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON.")
def inspect(lesson, as_json):
    """Show how slidegen reads LESSON (a lesson directory or one episode file)."""
    from .serialize import lesson_json, outline
    reading = _read(lesson)
    if as_json:
        click.echo(json.dumps(lesson_json(reading.lesson, reading.diagnostics), indent=1,
                              ensure_ascii=False))
    else:
        click.echo(outline(reading.lesson))
        _print_diagnostics(reading.diagnostics, "stderr")
    sys.exit(1 if reading.has_errors else 0)


@main.command()
@click.argument("lesson", default=".", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="'github' prints GitHub Actions annotations.")
def check(lesson, fmt):
    """Report problems in LESSON as path:line: error|warning: message.

    Exits 1 when there is an error, else 0."""
    reading = _read(lesson)
    _print_diagnostics(reading.diagnostics, fmt)
    errors = sum(d.severity == "error" for d in reading.diagnostics)
    warnings = len(reading.diagnostics) - errors
    n = len(reading.lesson.episodes) + len([f for f in reading.failed
                                            if f not in {e.source for e in reading.lesson.episodes}])
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
               f"in {n} episode{'s' * (n != 1)}", err=True)
    sys.exit(1 if errors else 0)
