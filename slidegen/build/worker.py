"""One episode's work, run in a worker process: read it, write its deck, lay out its handout.

Inputs and outputs are plain picklable data. A fault in one episode becomes diagnostics in its
outcome; it never stops the other episodes.
"""
from __future__ import annotations

import io
import json
import os
import time
from dataclasses import dataclass, field

from ..errors import Diagnostic
from ..read import LessonSource, read_one
from ..model import Episode, Lesson
from . import outputs


@dataclass(frozen=True)
class Job:
    path: str                 # absolute episode path
    rel: str
    stem: str
    deck: bool
    handout: bool


@dataclass
class Settings:
    """What every job shares (picklable)."""
    source: LessonSource
    out: str
    theme: str | None
    allow_remote: bool


@dataclass
class Outcome:
    rel: str
    stem: str
    episode: Episode | None = None
    diagnostics: list = field(default_factory=list)
    deps: list = field(default_factory=list)
    written: dict = field(default_factory=dict)       # output rel -> sha256
    slides: int | None = None
    hidden: int | None = None
    pages: int | None = None
    note: str | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def run(job: Job, settings: Settings) -> Outcome:
    start = time.perf_counter()
    out = Outcome(job.rel, job.stem)
    try:
        _run(job, settings, out)
    except Exception as e:          # a bug must not take the other episodes down
        out.diagnostics.append(Diagnostic(job.rel, 0, "error",
                                          f"internal error while building ({type(e).__name__}: {e}); "
                                          "please report it"))
    out.seconds = time.perf_counter() - start
    return out


def _run(job: Job, settings: Settings, out: Outcome) -> None:
    from ..theme import load_theme
    episode, diags = read_one(job.path, settings.source)
    out.diagnostics.extend(diags)
    out.deps = settings.source.inputs(episode, job.rel)
    if episode is None or out.failed:
        return
    out.episode = episode
    if episode.skipped:
        out.note = "skipped: " + ("redirects elsewhere" if episode.meta.redirect_to else "hidden")
        return
    theme = load_theme(settings.theme)
    lesson = Lesson(settings.source.root, settings.source.lesson_config, (episode,))
    if job.deck:
        from ..pptx import Options, write_deck
        buf = io.BytesIO()
        result = write_deck(lesson, episode, theme, buf, Options(settings.allow_remote))
        out.diagnostics.extend(result.diagnostics)
        rel = outputs.deck_path(job.stem)
        out.written[rel] = outputs.write_atomic(settings.out, rel, buf.getvalue())
        out.slides, out.hidden = result.slides, result.hidden
    if job.handout and not episode.is_break:
        from ..handout import HandoutOptions, episode_pdf, render_episode
        opts = HandoutOptions(allow_remote=settings.allow_remote,
                              cache_dir=outputs.layout_cache(settings.out))
        rendered = render_episode(lesson, episode, theme, opts)
        out.diagnostics.extend(d for d in rendered.diagnostics if d not in out.diagnostics)
        pdf_rel, meta_rel = outputs.cache_paths(job.stem)
        out.written[pdf_rel] = outputs.write_atomic(settings.out, pdf_rel, rendered.pdf)
        meta = {"pages": rendered.pages, "outline": [list(o) for o in rendered.outline]}
        out.written[meta_rel] = outputs.write_atomic(settings.out, meta_rel,
                                                     json.dumps(meta, sort_keys=True).encode())
        rel = outputs.handout_path(job.stem)
        out.written[rel] = outputs.write_atomic(settings.out, rel,
                                                episode_pdf(rendered, lesson, episode, theme, opts))
        out.pages = rendered.pages


def cached_render(out_dir: str, stem: str):
    """The RenderedEpisode an earlier build cached for this episode, or None."""
    from ..handout import RenderedEpisode
    pdf_rel, meta_rel = outputs.cache_paths(stem)
    try:
        with open(os.path.join(out_dir, pdf_rel), "rb") as f:
            pdf = f.read()
        with open(os.path.join(out_dir, meta_rel), encoding="utf-8") as f:
            meta = json.load(f)
        outline = tuple((int(a), str(b), int(c)) for a, b, c in meta["outline"])
        return RenderedEpisode(pdf, int(meta["pages"]), outline, ())
    except (OSError, ValueError, KeyError, TypeError):
        return None
