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
from ..read import find_lesson, read_one
from ..model import Episode, EpisodeMeta, Lesson
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
    workers = _jobs(options.jobs)
    tasks = _split(jobs, workers)
    if len(tasks) > workers > 1:
        _warm_up(theme, options)
    progress = Progress(len(tasks), options.quiet, progress_stream)
    prepared = _Prepared()
    summaries = {rel: e.get("summary") for rel, e in old_episodes.items() if isinstance(e, dict)}

    def prepare():
        """While workers build, read the other episodes and put their cached pages together."""
        if jobs and (options.handouts or options.answer_key):
            prepared.start(source, out, theme, options, {j.rel for j in jobs}, summaries)
    outcomes = _merge(_run_jobs(tasks, settings, workers, progress, prepare))

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
        before = new_episodes.get(o.rel)
        before = before.get("outputs") if isinstance(before, dict) else None
        before = {k: v for k, v in before.items() if isinstance(k, str)} if isinstance(before, dict) else {}
        new_episodes[o.rel] = {
            "key": common,
            "deps": manifest.deps_hashes(source.root, o.deps),
            # outputs of an earlier build with other --only stay recorded, so that they are
            # removed with their episode; "wanted" says which ones are current
            "outputs": {**before, **o.written},
            "diagnostics": [[d.path, d.line, d.severity, d.message] for d in o.diagnostics],
            "wanted": sorted(_wanted(options, o.stem)),
            "summary": _summary(o.episode),
        }
        progress.line(_describe(o))
    progress.close()

    changed = bool(outcomes) or options.force
    lesson_state = state.get("lesson", {})
    if options.handouts or options.answer_key:
        try:
            lesson_state = _lesson_outputs(source, out, theme, options, outcomes, current,
                                           new_episodes, lesson_state, common, changed, report,
                                           prepared)
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


def _split(jobs: list[Job], workers: int) -> list[Job]:
    """With fewer episodes than workers (the usual edit-and-rebuild), a deck and a handout of
    the same episode can be made side by side."""
    if len(jobs) >= workers:
        return jobs
    out = []
    for j in jobs:
        if j.deck and j.handout:
            out.append(Job(j.path, j.rel, j.stem, True, False))
            out.append(Job(j.path, j.rel, j.stem, False, True))
        else:
            out.append(j)
    return out


def _merge(outcomes: list[Outcome]) -> list[Outcome]:
    """One outcome per episode, whether its deck and handout were made together or apart."""
    merged: dict[str, Outcome] = {}
    for o in outcomes:
        m = merged.get(o.rel)
        if m is None:
            merged[o.rel] = o
            continue
        m.diagnostics.extend(d for d in o.diagnostics if d not in m.diagnostics)
        m.written.update(o.written)
        m.deps = sorted(set(m.deps) | set(o.deps))
        for attr in ("slides", "hidden", "pages", "note", "episode"):
            if getattr(m, attr) is None:
                setattr(m, attr, getattr(o, attr))
        m.seconds = max(m.seconds, o.seconds)
    return list(merged.values())


def _jobs(requested: int) -> int:
    return requested if requested and requested > 0 else (os.cpu_count() or 1)


def _run_jobs(jobs: list[Job], settings: Settings, workers: int, progress: Progress,
              meanwhile=lambda: None) -> list[Outcome]:
    """Run the jobs (in worker processes when there are several); `meanwhile` runs in this
    process while they do."""
    if not jobs:
        meanwhile()
        return []
    # Biggest episodes first, so the last one to finish is a small one.
    order = sorted(range(len(jobs)), key=lambda i: -os.path.getsize(jobs[i].path))
    results: dict[int, Outcome] = {}
    if workers <= 1 or len(jobs) == 1:
        for i in order:
            results[i] = run(jobs[i], settings)
            progress.advance(jobs[i].rel)
        meanwhile()
    else:
        ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx,
                                 initializer=_quiet_worker) as pool:
            futures = {pool.submit(run, jobs[i], settings): i for i in order}
            try:
                meanwhile()
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
    """Import the writers (WeasyPrint alone takes half a second) and parse the theme's
    stylesheet once in the parent, so that many forked workers inherit them instead of each
    paying again. (With no more tasks than workers, the workers import in parallel instead.)"""
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
                    common, changed, report, prepared) -> dict:
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
    from ..handout import HandoutOptions, LessonAssembly, answer_key_pdf
    by_rel = {o.rel: o.episode for o in outcomes if o.episode is not None and not o.failed}
    episodes = []
    for path in source.episode_paths:
        rel = os.path.relpath(path, source.root).replace(os.sep, "/")
        ep = by_rel.get(rel)
        if ep is None:      # unchanged since the last build (or failed now)
            ep = prepared.episodes[rel] if rel in prepared.episodes else read_one(path, source)[0]
        if ep is not None:
            episodes.append(ep)
    lesson = Lesson(source.root, source.lesson_config, tuple(episodes))
    opts = HandoutOptions(allow_remote=options.allow_remote, cache_dir=outputs.layout_cache(out))
    written = {}
    if options.handouts:
        assembly = prepared.assembly or LessonAssembly(
            [os.path.relpath(p, source.root).replace(os.sep, "/") for p in source.episode_paths],
            theme, opts)
        for ep in episodes:
            if ep.skipped or ep.is_break or ep.source in assembly.rendered:
                continue              # breaks appear in the schedule, from the lesson model
            rendered = cached_render(out, ep.stem)
            if rendered is None:
                report.diagnostics.append(Diagnostic(ep.source, 0, "warning",
                                                     "left out of handout.pdf: it has never built"))
                continue
            assembly.add(ep.source, rendered)
        written["handout.pdf"] = outputs.write_atomic(out, "handout.pdf", assembly.pdf(lesson))
        report.lesson_outputs.append("handout.pdf")
    if options.answer_key:
        written["answer-key.pdf"] = outputs.write_atomic(out, "answer-key.pdf",
                                                         answer_key_pdf(lesson, theme, opts))
        report.lesson_outputs.append("answer-key.pdf")
    return {"key": lesson_key, "outputs": {**(old.get("outputs") or {}), **written}}


def _summary(episode) -> dict | None:
    """What the whole-lesson front pages need of an episode, so that an unchanged episode need
    not be read again for them."""
    if episode is None:
        return None
    m = episode.meta
    return {"title": m.title, "teaching": m.teaching, "exercises": m.exercises, "layout": m.layout,
            "break": m.break_minutes, "hidden": m.hidden, "redirect_to": m.redirect_to}


def _from_summary(rel: str, summary) -> Episode | None:
    """A body-less episode from a manifest summary (a damaged summary just means a re-read)."""
    if not isinstance(summary, dict) or not isinstance(summary.get("title"), str):
        return None
    def minutes(key):
        v = summary.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None
    redirect = summary.get("redirect_to")
    layout = summary.get("layout")
    meta = EpisodeMeta(title=summary["title"], teaching=minutes("teaching"),
                       exercises=minutes("exercises"), layout=layout if isinstance(layout, str) else None,
                       break_minutes=minutes("break"), hidden=summary.get("hidden") is True,
                       redirect_to=redirect if isinstance(redirect, str) else None)
    return Episode(rel, meta, ())


class _Prepared:
    """What the parent readies for the whole-lesson handout while workers build: the models of
    the episodes they are not rebuilding, and those episodes' cached pages, already joined."""

    def __init__(self):
        self.episodes: dict = {}
        self.assembly = None

    def start(self, source, out, theme, options, rebuilt: set[str], summaries: dict) -> None:
        from ..handout import HandoutOptions, LessonAssembly
        rels = [os.path.relpath(p, source.root).replace(os.sep, "/") for p in source.episode_paths]
        opts = HandoutOptions(allow_remote=options.allow_remote, cache_dir=outputs.layout_cache(out))
        self.assembly = LessonAssembly(rels, theme, opts) if options.handouts else None
        for path, rel in zip(source.episode_paths, rels):
            if rel in rebuilt:
                continue
            ep = None if options.answer_key else _from_summary(rel, summaries.get(rel))
            if ep is None:
                ep = read_one(path, source)[0]
            self.episodes[rel] = ep
            if self.assembly is not None and ep is not None and not (ep.is_break or ep.skipped):
                rendered = cached_render(out, ep.stem)
                if rendered is not None:
                    self.assembly.add(rel, rendered)


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
