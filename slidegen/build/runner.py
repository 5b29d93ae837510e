"""`slidegen build`: every episode's deck and handout, the whole-lesson handout and, on request,
the answer key; incremental (a manifest of inputs), parallel (one process per core) and safe
(atomic writes; a failed episode keeps its earlier outputs and never stops the others)."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from ..errors import Diagnostic, SlidegenError
from ..lesson import find_lesson, read_one
from ..model import Lesson
from ..theme import load_theme
from . import manifest, outputs
from .progress import Progress
from .worker import Job, Outcome, Settings, cached_render, run


@dataclass
class BuildOptions:
    out: str | None = None
    slides: bool = True
    handouts: bool = True
    theme: str | None = None
    answer_key: bool = False
    allow_remote: bool = False
    jobs: int = 0                  # 0: the machine's cores
    force: bool = False
    quiet: bool = False


@dataclass
class BuildReport:
    out: str
    decks: int = 0
    handouts: int = 0
    up_to_date: int = 0
    lesson_outputs: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)

    def summary(self) -> str:
        def n(count, word):
            return f"{count} {word}{'' if count == 1 else 's'}"
        parts = [f"built {n(self.decks, 'deck')}, {n(self.handouts, 'handout')}"]
        if self.lesson_outputs:
            parts[0] += " + " + ", ".join(self.lesson_outputs)
        parts.append(f"{self.up_to_date} up to date")
        parts.append(n(self.warnings, "warning"))
        parts.append(n(self.errors, "error"))
        return "; ".join(parts[:-1]) + f"; {parts[-1]} in {self.seconds:.1f} s"


def build(lesson_path: str, options: BuildOptions, progress_stream=None) -> BuildReport:
    started = time.perf_counter()
    source = find_lesson(lesson_path)
    out, default = outputs.resolve_out(source.root, options.out)
    theme = load_theme(options.theme)
    outputs.prepare(out, default)
    report = BuildReport(out)
    report.diagnostics.extend(source.diagnostics)
    state = manifest.load(out)
    old_episodes = state.get("episodes", {}) if not options.force else {}
    common = manifest.key(manifest.code_fingerprint(), manifest.theme_fingerprint(theme),
                          options.allow_remote, source.format)

    jobs, current = [], {}
    for path in source.episode_paths:
        rel = os.path.relpath(path, source.root).replace(os.sep, "/")
        stem = os.path.splitext(os.path.basename(path))[0]
        current[rel] = stem
        entry = old_episodes.get(rel)
        wanted = _wanted(options, stem)
        if entry and _fresh(source.root, out, entry, common, wanted):
            report.up_to_date += 1
            report.diagnostics.extend(_stored_diagnostics(entry))
            continue
        jobs.append(Job(path, rel, stem, options.slides, options.handouts))

    settings = Settings(source, out, options.theme, options.allow_remote)
    if len(jobs) > 1 and _jobs(options.jobs) > 1:
        _warm_up(theme, options)
    progress = Progress(len(jobs), options.quiet, progress_stream)
    outcomes = _run_jobs(jobs, settings, _jobs(options.jobs), progress)

    new_episodes = {rel: e for rel, e in state.get("episodes", {}).items() if rel in current}
    for o in outcomes:
        report.diagnostics.extend(o.diagnostics)
        if o.failed:
            report.failed.append(o.rel)
            continue                     # earlier outputs and manifest entry stay as they were
        if o.note:
            report.skipped.append(f"{o.rel} ({o.note})")
        report.decks += o.slides is not None
        report.handouts += o.pages is not None
        new_episodes[o.rel] = {
            "key": common,
            "deps": manifest.deps_hashes(source.root, o.deps),
            "outputs": o.written,
            "diagnostics": [[d.path, d.line, d.severity, d.message] for d in o.diagnostics],
            "wanted": sorted(_wanted(options, o.stem)),
        }
        progress.line(_describe(o))
    progress.close()

    changed = bool(outcomes) or options.force
    lesson_state = state.get("lesson", {})
    if options.handouts or options.answer_key:
        try:
            lesson_state = _lesson_outputs(source, out, theme, options, outcomes, current,
                                           new_episodes, lesson_state, common, changed, report)
        except SlidegenError as e:
            report.diagnostics.append(Diagnostic(e.path or "handout.pdf", e.line, "error",
                                                 f"whole-lesson outputs not written: {e.message}"))
        except Exception as e:      # a bug must not cost the per-episode outputs already written
            report.diagnostics.append(Diagnostic("handout.pdf", 0, "error",
                                                 f"whole-lesson outputs not written: internal error "
                                                 f"({type(e).__name__}: {e}); please report it"))
    report.removed = _remove_stale(out, state.get("episodes", {}), current)
    manifest.save(out, {"format": manifest.FORMAT, "episodes": new_episodes, "lesson": lesson_state})
    report.diagnostics = _unique(report.diagnostics)
    report.seconds = time.perf_counter() - started
    return report


def _wanted(options: BuildOptions, stem: str) -> set[str]:
    w = set()
    if options.slides:
        w.add(outputs.deck_path(stem))
    if options.handouts:
        w.add(outputs.handout_path(stem))
    return w


def _fresh(root: str, out: str, entry: dict, common: str, wanted: set[str]) -> bool:
    """An episode is up to date when nothing it was built from changed and the outputs wanted
    now were written then and are still there, unmodified."""
    if not isinstance(entry, dict) or entry.get("key") != common:
        return False
    deps = entry.get("deps")
    written = entry.get("outputs")
    if not isinstance(deps, dict) or not isinstance(written, dict) or not deps:
        return False
    if manifest.deps_hashes(root, deps.keys()) != deps:
        return False
    produced = set(entry.get("wanted") or [])
    for rel in wanted:
        if rel not in produced:
            return False
        if rel in written and outputs.file_sha(os.path.join(out, rel)) != written[rel]:
            return False
    return True


def _stored_diagnostics(entry: dict) -> list[Diagnostic]:
    out = []
    for d in entry.get("diagnostics") or []:
        try:
            out.append(Diagnostic(str(d[0]), int(d[1]), str(d[2]), str(d[3])))
        except (TypeError, ValueError, IndexError):
            continue
    return out


def _jobs(requested: int) -> int:
    return requested if requested and requested > 0 else (os.cpu_count() or 1)


def _run_jobs(jobs: list[Job], settings: Settings, workers: int, progress: Progress) -> list[Outcome]:
    if not jobs:
        return []
    # Biggest episodes first, so the last one to finish is a small one.
    order = sorted(range(len(jobs)), key=lambda i: -os.path.getsize(jobs[i].path))
    results: dict[int, Outcome] = {}
    if workers <= 1 or len(jobs) == 1:
        for i in order:
            results[i] = run(jobs[i], settings)
            progress.advance(jobs[i].rel)
    else:
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx,
                                 initializer=_quiet_worker) as pool:
            futures = {pool.submit(run, jobs[i], settings): i for i in order}
            try:
                for f in as_completed(futures):
                    i = futures[f]
                    results[i] = f.result()
                    progress.advance(jobs[i].rel)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                progress.close()
                raise
    return [results[i] for i in range(len(jobs))]


def _warm_up(theme, options: BuildOptions) -> None:
    """Import the writers (WeasyPrint alone takes a second) and parse the theme's stylesheet
    once in the parent: forked workers inherit them instead of each paying again."""
    if options.slides:
        from .. import pptx  # noqa: F401
    if options.handouts or options.answer_key:
        from ..handout.style import style
        style(theme)


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle: workers just stop when it shuts the pool down."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _describe(o: Outcome) -> str:
    parts = []
    if o.slides is not None:
        parts.append(f"deck {o.slides} slides ({o.hidden} hidden)")
    if o.pages is not None:
        parts.append(f"handout {o.pages} pages")
    if o.note:
        parts.append(o.note)
    return f"{o.rel}: {', '.join(parts) or 'nothing to write'} ({o.seconds:.1f} s)"


def _lesson_outputs(source, out, theme, options, outcomes, current, episodes_state, old,
                    common, changed, report) -> dict:
    """The whole-lesson handout and the answer key, from every episode's latest good reading;
    returns the manifest's lesson entry."""
    deps = {rel: (episodes_state.get(rel) or {}).get("deps") for rel in current}
    lesson_key = manifest.key(common, deps, options.answer_key)
    old = old if isinstance(old, dict) else {}
    wanted = []
    if options.handouts:
        wanted.append("handout.pdf")
    if options.answer_key:
        wanted.append("answer-key.pdf")
    fresh = (old.get("key") == lesson_key and not changed and all(
        rel in (old.get("outputs") or {}) and
        outputs.file_sha(os.path.join(out, rel)) == old["outputs"][rel] for rel in wanted))
    if fresh:
        return old
    from ..handout import HandoutOptions, answer_key_pdf, lesson_pdf   # only when needed: slow import
    by_rel = {o.rel: o.episode for o in outcomes if o.episode is not None and not o.failed}
    episodes = []
    for path in source.episode_paths:
        rel = os.path.relpath(path, source.root).replace(os.sep, "/")
        ep = by_rel.get(rel)
        if ep is None:      # unchanged since the last build (or failed now): read it here
            ep, _ = read_one(path, source)
        if ep is not None:
            episodes.append(ep)
    lesson = Lesson(source.root, source.lesson_config, tuple(episodes))
    opts = HandoutOptions(allow_remote=options.allow_remote)
    written = {}
    if options.handouts:
        parts = []
        for ep in episodes:
            if ep.skipped or ep.is_break:
                continue              # breaks appear in the schedule, from the lesson model
            rendered = cached_render(out, ep.stem)
            if rendered is None:
                report.diagnostics.append(Diagnostic(ep.source, 0, "warning",
                                                     "left out of handout.pdf: it has never built"))
                continue
            parts.append((ep, rendered))
        written["handout.pdf"] = outputs.write_atomic(out, "handout.pdf",
                                                      lesson_pdf(lesson, parts, theme, opts))
        report.lesson_outputs.append("handout.pdf")
    if options.answer_key:
        written["answer-key.pdf"] = outputs.write_atomic(out, "answer-key.pdf",
                                                         answer_key_pdf(lesson, theme, opts))
        report.lesson_outputs.append("answer-key.pdf")
    return {"key": lesson_key, "outputs": {**(old.get("outputs") or {}), **written}}


def _remove_stale(out: str, old_episodes: dict, current: dict) -> list[str]:
    """Outputs of episodes that no longer exist; only files slidegen wrote and nobody changed."""
    removed = []
    for rel, entry in old_episodes.items():
        if rel in current or not isinstance(entry, dict):
            continue
        for path, sha in (entry.get("outputs") or {}).items():
            if isinstance(path, str) and outputs.remove_owned(out, path, sha):
                removed.append(path)
    return sorted(removed)


def _unique(diags):
    seen, out = set(), []
    for d in diags:
        k = (d.path, d.line, d.severity, d.message)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out
