"""`slidegen build`: every episode's outputs and the lesson-level ones, for the writers asked for
(or one episode's, when its path is given); incremental (a manifest of inputs), parallel (a
process per core) and safe: one build at a time per OUT, atomic writes that never follow a link
or replace a file slidegen did not write, and a failed episode keeps its earlier outputs and
never stops the others."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial

from ..errors import Diagnostic, SlidegenError, without_echoes
from ..read import find_lesson, is_lesson
from ..read.lesson import reported
from ..sourcedate import checked_epoch, reproducible
from ..theme import load_theme
from ..workshop.schedule import ScheduleError, plan, with_settings, workshop
from . import depends, entries, manifest, outputs
from . import jobs as runs
from .derivedstore import kept_in
from .lesson import LessonOutputs
from .outdir import DiskError, OutputError
from .report import BuildReport, Interrupted, Listener
from .worker import Job, Outcome, Settings, settle


@dataclass
class BuildOptions:
    writers: tuple = ()            # the output formats (see slidegen/writers.py)
    out: str | None = None
    theme: str | None = None
    allow_remote: bool = False
    jobs: int = 0                  # 0: the machine's cores
    force: bool = False
    knit: bool = False             # knit R Markdown episodes with knitr first (workshop/knit.py)
    start: str | None = None       # the workshop's --start, --day, --days, --lang (schedule.py)
    day: str | None = None
    lang: str | None = None
    days: int | None = None


def build(lesson_path: str, options: BuildOptions, listener: Listener | None = None) -> BuildReport:
    started = time.perf_counter()
    listener = listener or Listener()
    epoch = checked_epoch()
    source = find_lesson(lesson_path, prefer_knitted=not options.knit)
    out, default = outputs.resolve_out(source.home, options.out) if source.episode_paths else \
        (None, True)
    found = manifest.load(out) if out else manifest.empty()
    source = _with_settings(source, options, found)
    if not source.episode_paths:
        raise _nothing_to_build(source)
    theme = load_theme(options.theme)
    # as loaded (this process keeps it): an edit from now on is an edit after this build
    theme_key = manifest.theme_fingerprint(theme)
    writers = tuple(options.writers)
    folders = _output_folders(writers)
    _refuse_another_lesson(out, source, found)
    _refuse_conflicts(out, source, writers, manifest.claimed(found))
    outputs.prepare(out, outputs.inside_lesson(source.home, out), folders)
    lock = outputs.Lock(out)
    lock.acquire(lambda: listener.waiting(out))
    try:
        if options.knit:
            from ..workshop.knit import knit_lesson
            source = knit_lesson(source, outputs.knit_work(out), runs.workers(options.jobs))
        with reproducible(epoch), kept_in(out):
            report = _build(source, out, theme_key, writers, folders, epoch, options,
                            listener)
    finally:
        lock.release()
    report.diagnostics = reported(without_echoes(_unique(report.diagnostics)), source)
    report.seconds = time.perf_counter() - started
    return report


def _build(source, out, theme_key, writers, folders, epoch, options, listener) -> BuildReport:
    outputs.clean_stale(out, folders)
    report = BuildReport(out, built={w.noun: 0 for w in writers if w.noun and w.active},
                         reading=list(source.notes))
    report.diagnostics.extend(source.diagnostics)
    state = manifest.load(out)
    claimed = manifest.claimed(state)
    # What every output is made from (the writers' own settings and the clock times an
    # episode's files show are recorded per writer: depends.py)
    parts = manifest.keys(
        code=manifest.code_fingerprint(), theme=theme_key,
        renderers=manifest.renderer_versions(out),
        options=[options.allow_remote, source.format, epoch, options.lang])
    plan = entries.Plan(manifest.key(parts), parts)
    todo, current = _plan(source, out, state, plan, options, report, listener)
    single = bool(source.selected)
    lesson = LessonOutputs(source, out, () if single else writers, {j.rel for j in todo}, claimed,
                           manifest.recorded(state))
    schedule = [options.start, options.day, options.days, _times(source.timetable)]

    def lesson_keys(episodes, failed=()):
        return depends.lesson_keys(lesson.writers, plan.common, schedule, lesson.parts.sources,
                                   episodes, failed)
    lesson.expect(lesson_keys(state.get("episodes", {})), state.get("lesson"),
                  _changing(writers, todo, plan))
    owner = manifest.owner(source.home, source.lesson_config.title)
    outcomes = _episodes_built(source, out, writers, todo, options, listener, lesson, claimed,
                               report, (state, current, plan, owner))
    episodes = entries.record(state, outcomes, current, plan, writers, report)
    disk = [o.disk_error for o in outcomes if o.disk_error]
    lesson_state = state.get("lesson", {})
    try:
        if lesson.writers and not disk:     # (with a full disk they could not be written)
            lesson_state = lesson.finish(outcomes, episodes, lesson_state,
                                         lambda failed: lesson_keys(episodes, failed),
                                         options.force, report)
        elif single:
            report.left_alone = [rel for w in writers if w.active for rel in w.lesson_outputs()]
        if not single:
            report.removed = entries.remove_stale(out, state.get("episodes", {}), episodes,
                                                  writers)
        manifest.save(out, episodes, lesson_state, owner)
    except DiskError as e:
        disk.append(e.reason)
    except KeyboardInterrupt:
        manifest.save(out, episodes, state.get("lesson", {}), owner)
        raise Interrupted([o.rel for o in outcomes if not o.failed], 0, True) from None
    if disk:
        report.diagnostics.append(Diagnostic(out, 0, "error", (
            f"cannot write to the output folder: {disk[0]}; what could not be written keeps its "
            "earlier version, and the next build makes it (free some space, or make the folder "
            "writable)")))
    return report


def _episodes_built(source, out, writers, todo, options, listener, lesson, claimed, report,
                    recording) -> list[Outcome]:
    """Every episode's outcome, each episode's line told as soon as it is done. On Ctrl-C what
    finished is on disk: it is recorded, so that the next build neither redoes it nor takes it
    for a file slidegen did not write, and `Interrupted` says what was kept."""
    state, current, key, owner = recording
    finished: list[Outcome] = []

    def episode_done(o: Outcome) -> None:
        finished.append(o)
        lesson.built(o)
        listener.built(_describe(o))
    try:
        outcomes = _run(source, out, writers, todo, options, listener, lesson, claimed, report,
                        episode_done)
    except KeyboardInterrupt:
        listener.stopped()
        episodes = entries.record(state, finished, current, key, writers, report)
        manifest.save(out, episodes, state.get("lesson", {}), owner)
        raise Interrupted([o.rel for o in finished if not o.failed],
                          len(todo) - len(finished), bool(lesson.writers)) from None
    listener.stopped()
    return outcomes


def _changing(writers, todo, plan) -> set[str]:
    """The writers whose lesson files this build will likely make again: all of them when an
    episode's own files changed, else those whose episode work is redone (an edit begins the
    lesson files while the workers build, instead of after them)."""
    if any(job.rel not in plan.partial for job in todo):
        return {depends.name(w) for w in writers}
    return {depends.name(writers[i]) for job in todo for i in job.writers}


def _nothing_to_build(source) -> SlidegenError:
    """A lesson without episodes builds nothing at all (not a handout of a cover alone): the
    error that says why, where the reading said it."""
    errors = [d for d in source.diagnostics if d.severity == "error"]
    first = errors[0]
    more = f" (and {len(errors) - 1} more such errors)" if len(errors) > 1 else ""
    prefix = "" if first.message.startswith("the lesson has no episodes") else \
        "the lesson has no episodes to build: "
    return SlidegenError(prefix + first.message + more, first.path, first.line)


def _with_settings(source, options: BuildOptions, state: dict):
    """The lesson with the build's workshop settings in its config and its timetable (where an
    episode with errors keeps its last good place: `state`, the manifest); a start, day or
    language that is not one is an error naming where it was written."""
    try:
        config = with_settings(source.config, options.start, options.day, options.lang,
                               options.days)
        timetable = plan(depends.timetable_episodes(source.episode_paths, source.root, state),
                         workshop(config))
    except ScheduleError as e:
        asked = any(v is not None for v in (options.start, options.day, options.days))
        raise SlidegenError(str(e), "" if asked else source.dialect.config_file) from None
    where = source.dialect.config_file
    late = [Diagnostic(where, 0, "warning", f"the schedule does not fit: {what}")
            for what in timetable.overruns()]
    return replace(source, config=config, timetable=timetable,
                   diagnostics=[*source.diagnostics, *late])


def _times(timetable) -> list:
    """What of the timetable an episode's outputs show (its times, not other episodes' titles):
    a change to one episode's minutes rebuilds the outputs whose clock times it moves."""
    return [(s.source, s.day, s.start, s.end) for s in timetable.slots] if timetable else []


def _output_folders(writers) -> list[str]:
    """The folders in OUT that writers put episode outputs in ("slides", "handouts")."""
    found = {os.path.dirname(rel) for w in writers for rel in w.outputs("x")}
    return sorted(f for f in found if f)


def _refuse_another_lesson(out: str, source, found: dict) -> None:
    """An OUT given with -o that holds another lesson's outputs: building there would remove
    them as outputs of episodes that are gone, so nothing is done. (A lesson that moved is
    not another one: the folder it was built from is no longer a lesson.)"""
    owner = found.get("owner")
    if not owner or outputs.inside_lesson(source.home, out) or not manifest.claimed(found):
        return
    root = owner.get("root", "")
    if root == os.path.realpath(source.home) or not is_lesson(root):
        return
    title = owner.get("title")
    raise OutputError(f"{out} holds the outputs of another lesson"
                      + (f", '{title}'" if title else "") + f" (at {root}); nothing was built, "
                      "so that none of them is removed (choose another output folder with -o)")


def _refuse_conflicts(out, source, writers, claimed) -> None:
    """Before anything is touched: outputs this build may write over a file that slidegen did
    not write (a handout.pdf of the user's own in the folder given with -o)."""
    stems = [os.path.splitext(os.path.basename(p))[0] for p in source.chosen_paths]
    planned = [rel for w in writers if w.active for s in stems for rel in w.outputs(s)]
    if not source.selected:
        planned += [rel for w in writers if w.active for rel in w.lesson_outputs()]
    found = outputs.conflicts(out, planned, claimed)
    if found:
        names = ", ".join(os.path.join(out, rel) for rel in found[:3]) + \
            (f" and {len(found) - 3} more" if len(found) > 3 else "")
        raise OutputError(f"{names}: already there and not written by slidegen; nothing was "
                          "built, so that nothing is overwritten (move it away, or choose "
                          "another output folder with -o)")


def _plan(source, out, state, plan, options, report, listener) -> tuple[list[Job], dict[str, str]]:
    """The episodes to build (those not up to date, of those asked for), each with the writers
    to run (all of them, or those whose own inputs changed), and every current episode's stem;
    `listener.reason` hears why each is built or not. `plan` gets the writers' keys."""
    old_episodes = state.get("episodes", {}) if not options.force else {}
    chosen = set(source.chosen_paths)
    todo, current = [], {}
    for path in source.episode_paths:
        rel = os.path.relpath(path, source.root).replace(os.sep, "/")
        stem = os.path.splitext(os.path.basename(path))[0]
        current[rel] = stem
        if path not in chosen:
            continue
        entry = old_episodes.get(rel)
        keys = depends.writer_keys(options.writers, source.timetable, rel, stem)
        run = depends.episode_writers(options.writers, stem)
        why = "--force" if options.force else entries.stale(source.root, entry, plan)
        if why is None:
            behind = entries.stale_writers(out, entry, keys, options.writers, stem)
            run = tuple(sorted(behind))
            why = "; ".join(dict.fromkeys(behind[i] for i in run)) or None
            plan.partial.add(rel)
        listener.reason(rel, why or "up to date")
        if why is None:
            report.up_to_date += 1
            # said when it was built; counted, not repeated (`slidegen check` lists them)
            report.earlier_warnings += sum(
                d.severity == "warning"
                for d in without_echoes(entries.stored_diagnostics(entry)))
            continue
        plan.writers[rel] = {depends.name(options.writers[i]): keys[depends.name(
            options.writers[i])] for i in run}
        before = state["episodes"].get(rel, {}).get("deps", {})
        todo.append(Job(path, rel, stem, run, tuple(sorted(before))))
    return todo, current


def _run(source, out, writers, todo, options, listener, lesson, claimed, report,
         episode_done) -> list[Outcome]:
    count, why = runs.plan_workers(options.jobs)
    if why and len(todo) > count:
        report.notes.append(why)
    light = frozenset(i for i, w in enumerate(writers) if getattr(w, "keeps_episodes", False))
    share_above = {i: w.share_above for i, w in enumerate(writers)
                   if getattr(w, "share_above", None)}
    tasks = runs.split(todo, count, light, share_above)
    with _shares_folder(any(t.share for t in tasks)) as shares:
        settings = Settings(source, out, writers, claimed, shares)
        return _run_tasks(tasks, writers, settings, count, todo, lesson, listener, episode_done)


def _run_tasks(tasks, writers, settings, count, todo, lesson, listener,
               episode_done) -> list[Outcome]:
    warm = None
    if len(tasks) > count > 1:
        # Import and prepare the writers once here, so that many forked workers inherit them
        # instead of each paying again (with no more tasks than workers, they do it in parallel).
        warm = partial(_warm_up, writers)
        quick = frozenset(i for i, w in enumerate(writers) if getattr(w, "quick_start", False))
        slow = [w for i, w in enumerate(writers) if i not in quick]
        if quick and not _warm(slow):
            # While the slow ones warm up, an early worker makes the decks (warming up their
            # own writer: this process does not need it)
            tasks = runs.quick_apart(tasks, quick)
            warm = partial(_warm_up, slow)
    listener.started(len(tasks))
    # While workers build, the lesson files start from the episodes they are not rebuilding.
    meanwhile = lesson.begin if todo and lesson.writers else (lambda: None)
    return runs.merge(runs.run_jobs(tasks, settings, count, listener, meanwhile, episode_done,
                                    warm, lesson.read_ahead))


_WARMED: set = set()        # the writers warmed up in this process (by kind and settings)


def _warm(writers) -> bool:
    """Whether this process has warmed these writers up before (under --watch): then doing it
    again costs next to nothing, and the decks need no early worker."""
    return all(repr(w) in _WARMED for w in writers if w.active)


def _warm_up(writers) -> None:
    for w in writers:
        if w.active:
            w.warm_up()             # (again under --watch: a theme edited since is loaded)
            _WARMED.add(repr(w))
    settle()


@contextmanager
def _shares_folder(wanted: bool):
    """A private temporary folder where the jobs sharing a long episode meet (or "")."""
    if not wanted:
        yield ""
        return
    folder = tempfile.mkdtemp(prefix="slidegen-shares-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _describe(o: Outcome) -> str:
    """An episode's progress line, printed as soon as its outputs are made."""
    parts = [o.made[i] for i in sorted(o.made)]
    if o.failed and parts:
        return (f"{o.rel}: failed after writing {', '.join(parts)}; its other outputs keep "
                f"their earlier versions ({o.seconds:.1f} s)")
    if o.failed:
        return f"{o.rel}: failed, its earlier outputs are kept ({o.seconds:.1f} s)"
    if o.note:
        parts.append(o.note)
    return f"{o.rel}: {', '.join(parts) or 'nothing to write'} ({o.seconds:.1f} s)"


def _unique(diags):
    seen, out = set(), []
    for d in diags:
        k = (d.path, d.line, d.severity, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out
