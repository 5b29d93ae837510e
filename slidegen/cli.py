"""Command line: thin commands that parse options, call the library and print.

Exit codes: 0 success, 1 content errors (in the lesson), 2 usage errors (options, paths).
"""
from __future__ import annotations

import json
import sys

import click

from . import __version__, i18n
from .errors import LessonNotFound, SlidegenError, ThemeError
from .pipeline import BuildOptions, Interrupted, Listener, OutputError
from .pipeline import build as run_build
from .read import read_lesson
from .serialize import lesson_json, outline
from .sourcedate import SourceDateError
from .theme import builtin_names, load_theme
from .workshop.scaffold import init_lesson, new_episode
from .workshop.schedule import ScheduleError, clock_minutes, day_window
from .writer import counted
from .writers import for_build


def _fail_usage(message: str):
    click.echo(f"slidegen: error: {message}", err=True)
    sys.exit(2)


def _usage_error(message: str, watching: bool) -> int:
    """A usage error ends the command, but not `--watch`: a `git checkout` can take the
    episodes away for a moment, and the next change may bring them back."""
    if not watching:
        _fail_usage(message)
    click.echo(f"slidegen: error: {message}; waiting for the lesson to change", err=True)
    return 2


def _print_diagnostics(diagnostics, fmt: str = "text") -> None:
    for d in diagnostics:
        if fmt == "github":
            kind = {"error": "error", "note": "notice"}.get(d.severity, "warning")
            loc = f"file={d.path}" + (f",line={d.line}" if d.line else "")
            msg = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{kind} {loc}::{msg}")
        else:
            click.echo(str(d), err=(fmt == "stderr"))


def _print_notes(notes) -> None:
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _read(lesson: str, each_untimed: bool = False):
    try:
        return read_lesson(lesson, each_untimed)
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
    reading = _read(lesson)
    if as_json:
        click.echo(json.dumps(lesson_json(reading.lesson, reading.diagnostics), indent=1,
                              ensure_ascii=False))
    else:
        click.echo(outline(reading.lesson))
        _print_notes(reading.notes)
        _print_diagnostics(reading.diagnostics, "stderr")
    sys.exit(1 if reading.has_errors else 0)


STRICT_HELP = ("Fail on warnings: exit 1 when there is any warning, as Sphinx's -W and "
               "MkDocs' --strict do (for CI).")


@main.command()
@click.argument("lesson", default=".", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="'github' prints GitHub Actions annotations.")
@click.option("-W", "--strict", is_flag=True, help=STRICT_HELP)
@click.option("-v", "--verbose", is_flag=True,
              help="Also note each exercise that states no time (by default, one line sums "
                   "them up).")
def check(lesson, fmt, strict, verbose):
    """Report problems in LESSON as path:line: error|warning: message.

    Exits 1 when there is an error (or, with --strict, a warning), else 0."""
    reading = _read(lesson, verbose)
    _print_notes(reading.notes)
    _print_diagnostics(reading.diagnostics, fmt)
    errors = sum(d.severity == "error" for d in reading.diagnostics)
    warnings = sum(d.severity == "warning" for d in reading.diagnostics)
    n = len(reading.lesson.episodes) + len([f for f in reading.failed if f not in
                                            {e.source for e in reading.lesson.episodes}])
    click.echo(f"{counted(errors, 'error')}, {counted(warnings, 'warning')} in "
               f"{counted(n, 'episode')}", err=True)
    if strict and warnings and not errors:
        _strict_failure(warnings)
    sys.exit(1 if errors or (strict and warnings) else 0)


def _strict_failure(warnings: int) -> None:
    click.echo(f"slidegen: {counted(warnings, 'warning')}, and --strict fails on warnings",
               err=True)


@main.command()
@click.argument("lesson", default=".", type=click.Path())
@click.option("-o", "--out", type=click.Path(), default=None,
              help="Output directory [default: LESSON/_slidegen, which git ignores].")
@click.option("--only", type=click.Choice(["slides", "handouts"]), default=None,
              help="Build only the decks or only the handouts.")
@click.option("--theme", default=None, metavar="NAME|PATH",
              help="A built-in theme (see 'slidegen themes') or a theme folder.")
@click.option("--answer-key", is_flag=True,
              help="Also write answer-key.pdf (exercises with solutions).")
@click.option("--allow-remote", is_flag=True, help="Fetch remote images (10 s timeout, 10 MB cap).")
@click.option("--slides", "slide_mode", type=click.Choice(["teaching", "full"]), default="teaching",
              show_default=True,
              help="Teaching decks (narrative in the notes) or every word on the slides.")
@click.option("--large-print", is_flag=True,
              help="Also write large-print learner handouts (OUT/large-print/): 16 pt text, "
                   "14 pt code.")
@click.option("--instructor", is_flag=True,
              help="Also write the instructor's script: OUT/instructor.pdf and one per episode "
                   "(OUT/instructor/).")
@click.option("--start", default=None, metavar="HH:MM", callback=lambda c, p, v: _clock(v),
              help="When the workshop starts: the schedule, title slides and script show clock "
                   "times [default: the config's slidegen: start].")
@click.option("--day", default=None, metavar="HH:MM-HH:MM", callback=lambda c, p, v: _day(v),
              help="A workshop day's hours: episodes that would run past its end go to the "
                   "next day.")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="How many days the workshop has (with --day): a lesson that needs more is "
                   "reported, with how much does not fit.")
@click.option("--lang", default=None, metavar="CODE", callback=lambda c, p, v: _lang(v),
              help="The language of the words slidegen adds (en, es, fr, de, it, ja) "
                   "[default: the lesson config's lang]; the lesson's text keeps its own.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers, at most the machine's cores [default: all of them].")
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings, errors and the summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also say why each episode is built again or is up to date.")
@click.option("-W", "--strict", is_flag=True, help=STRICT_HELP + " Warnings of episodes that "
              "were up to date count too.")
@click.option("--watch", is_flag=True, help="Rebuild whenever a lesson file changes, until Ctrl-C.")
@click.option("--knit", is_flag=True,
              help="Knit R Markdown episodes with R's knitr first (runs the lesson's code).")
def build(lesson, out, only, theme, answer_key, allow_remote, slide_mode, large_print, instructor,
          start, day, days, lang, jobs, force, quiet, verbose, strict, watch, knit):
    """Write an editable deck per episode (OUT/slides/), a solution-free handout per episode
    (OUT/handouts/) and for the whole lesson (OUT/handout.pdf).

    Exits 1 when any episode had errors (its earlier outputs are kept), 2 on usage errors."""
    writers = for_build(slides=only != "handouts", handouts=only != "slides", answer_key=answer_key,
                        theme=theme, allow_remote=allow_remote, slide_mode=slide_mode,
                        large_print=large_print, instructor=instructor)
    opts = BuildOptions(writers=writers, out=out, theme=theme, allow_remote=allow_remote,
                        jobs=jobs or 0, force=force, knit=knit, start=start, day=day, lang=lang,
                        days=days)

    def once(watching: bool = False) -> int:
        try:
            report = run_build(lesson, opts, _progress(quiet, verbose))
        except (LessonNotFound, OutputError, ThemeError, SourceDateError) as e:
            return _usage_error(str(e), watching)
        except SlidegenError as e:
            click.echo(str(e), err=True)
            return 1
        except KeyboardInterrupt as e:
            said = str(e) if isinstance(e, Interrupted) else \
                "interrupted before anything was written: every output keeps its earlier version"
            click.echo(f"slidegen: {said}", err=True)
            sys.exit(130)                  # 128 + SIGINT, as shells report an interrupted command
        _print_notes(report.reading)
        _print_diagnostics(report.diagnostics, "stderr")
        if not quiet:
            for s in report.skipped:
                click.echo(f"skipped {s}", err=True)
            for r in report.removed:
                click.echo(f"removed {r} (its episode is gone)", err=True)
        click.echo(report.summary(), err=True)
        if report.failed:
            click.echo(report.failure(), err=True)
        for note in report.notes:
            click.echo(note, err=True)
        if not quiet:
            click.echo(f"outputs in {report.out}", err=True)
        warnings = report.warnings + report.earlier_warnings
        if strict and warnings and not report.errors:
            _strict_failure(warnings)
        return 1 if report.errors or (strict and warnings) else 0

    code = once()
    if watch:
        from .pipeline.watch import watch_lesson

        def again() -> None:
            nonlocal code
            code = once(watching=True)
        watch_lesson(lesson, opts.out, again,
                     lambda root: click.echo(f"watching {root} (Ctrl-C to stop)", err=True),
                     theme=theme)
        click.echo("stopped watching", err=True)
    sys.exit(code)


def _clock(value):
    """--start checked as it is parsed (a usage error, exit 2)."""
    try:
        if value is not None:
            clock_minutes(value, "--start")
    except ScheduleError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _lang(value):
    """--lang: a language slidegen speaks (a usage error, exit 2, names those it has)."""
    if value is not None and not i18n.speaks(value):
        raise click.BadParameter(f"slidegen has no words in '{value}'; it speaks "
                                 + ", ".join(i18n.shipped()))
    return value


def _day(value):
    try:
        if value is not None:
            day_window(value)
    except ScheduleError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _progress(quiet: bool, verbose: bool = False):
    """Build feedback: a progress bar on a terminal, else a line per episode as it is done
    (piped, in CI); nothing with -q; why each episode is built or not with -v."""
    def waiting(out):
        click.echo(f"waiting for another slidegen build into {out} to finish", err=True)

    def reason(rel: str, why: str) -> None:
        click.echo(f"{rel}: up to date" if why == "up to date" else f"{rel}: building ({why})",
                   err=True)
    said = reason if verbose else Listener.reason
    if quiet:
        return Listener(waiting=waiting, reason=said)
    stream = sys.stderr
    if not stream.isatty():
        return Listener(built=lambda line: click.echo(line, err=True), waiting=waiting,
                        reason=said)
    bar = _ProgressBar(stream)
    return Listener(bar.started, bar.advanced, bar.built, bar.stopped, waiting, said)


class _ProgressBar:
    """A rich progress bar while episodes build, each episode's line staying above it."""

    def __init__(self, stream):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )
        self.bar = Progress(TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.description}"),
                            console=Console(file=stream), transient=True)
        self.task = None

    def started(self, total: int) -> None:
        if total:
            self.bar.start()
            self.task = self.bar.add_task("", total=total)

    def advanced(self, label: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=label)

    def built(self, line: str) -> None:
        if self.task is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=True)

    def stopped(self) -> None:
        if self.task is not None:
            self.bar.stop()
            self.task = None


def _scaffold(make):
    """Run a scaffold step: exit 2 when the path is not a lesson, 1 when it refuses to write."""
    try:
        return make()
    except LessonNotFound as e:
        _fail_usage(e.message)
    except SlidegenError as e:
        click.echo(f"slidegen: error: {e}", err=True)
        sys.exit(1)


def _shown(root: str, rel: str) -> str:
    import os
    path = os.path.relpath(os.path.join(root, rel))
    path = path if not path.startswith("..") else os.path.join(root, rel)
    return path + "/" if rel.endswith("/") else path


@main.command()
@click.argument("title")
@click.argument("lesson", default=".", type=click.Path())
def new(title, lesson):
    """Create the next numbered episode of LESSON, titled TITLE, in the lesson's format: front
    matter and an exercise with a solution to fill in. A Workbench episode is also appended to
    config.yaml's episode list. Never overwrites anything, nor makes a second episode of the same
    title (exit 1 if it would)."""
    if not title.strip():
        _fail_usage('the episode needs a title: slidegen new "Episode title"')
    created = _scaffold(lambda: new_episode(lesson, title))
    for rel in created.files:
        click.echo(f"created {_shown(created.root, rel)}")
    if created.listed_in:
        click.echo(f"listed it in {_shown(created.root, created.listed_in)}")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["styles", "workbench"]), default="workbench",
              show_default=True, help="The lesson format to create.")
@click.option("--title", default=None, help="The lesson title [default: from DIRECTORY's name].")
def init(directory, fmt, title):
    """Create a minimal lesson in DIRECTORY (new, or empty but for hidden files such as .git):
    its config with the title, a first episode and the figure folder."""
    created = _scaffold(lambda: init_lesson(directory, fmt, title))
    for rel in created.files:
        click.echo(f"created {_shown(created.root, rel)}")


@main.command()
def themes():
    """List the built-in themes, one a line with what it looks like.

    Use one with 'slidegen build --theme NAME', or give --theme a folder of your own whose
    theme.toml extends one of them."""
    try:
        names = builtin_names()
        found = [(n, load_theme(n).description) for n in names]
    except ThemeError as e:
        _fail_usage(str(e))
    width = max(len(n) for n, _ in found)
    for name, description in found:
        click.echo(f"{name:<{width}}  {description}")
