"""The handout files the build writes: one per episode, the whole lesson, the answer key.

Episodes come in already laid out (`RenderedEpisode`, cached by the build); these functions
only lay out what is new (front pages, page numbers) and put pages together with pikepdf. With
`render_episode` and `render_share`, which lay an episode out, this is everything the handout
writer (writer.py) asks of the engine, and the one module it loads for it.
"""
from __future__ import annotations

import io

import pikepdf

from ..errors import Diagnostics
from ..i18n import t
from .assemble import PART_KEY, Concatenation, finish, link_pages, set_outline
from .engine import install as correct_layout
from .front import front_data
from .html import answer_key_html, front_html, prepare_lesson_pages
from .layouts import cached_layout, layout_context, lesson_files
from .options import HandoutOptions, RenderedEpisode
from .pages import solutions_opening_pages
from .render import layout, outline, render_episode
from .shares import render_share
from .stamp import StampsAhead, number_pages, page_size, running_heads, unstamp
from .style import style

__all__ = ["LessonAssembly", "answer_key_pdf", "episode_pdf", "lesson_pdf", "part_of_handout",
           "prepare", "render_episode", "render_share", "warm_up"]

MAX_FRONT_PASSES = 4


def episode_pdf(rendered: RenderedEpisode, lesson, episode, theme,
                options: HandoutOptions, part: str = "") -> bytes:
    """One episode's handout: its pages numbered "page N of M", with title and language, and
    `part` (its summary, as the cache keeps it) for `part_of_handout`."""
    keep: list = []
    pdf = pikepdf.open(io.BytesIO(rendered.pdf))
    keep.append(pdf)
    heads = running_heads(lesson.config.title, [(0, episode.title)], rendered.pages)
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, cache_dir=options.cache_dir,
                 heads=heads)
    return finish(pdf, f"{episode.title} – {lesson.config.title}", lesson.config.lang,
                  options.date, part)


def part_of_handout(data: bytes) -> tuple[str, bytes] | None:
    """(the summary, the pages as laid out) of an episode's handout that `episode_pdf` made:
    its last good pages for the lesson's handout when the cache is gone. None when the file
    is not such a handout."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            part = str(pdf.docinfo.get(PART_KEY, ""))
            if not part or not unstamp(pdf):
                return None
            buf = io.BytesIO()
            pdf.save(buf, deterministic_id=True)
            return part, buf.getvalue()
    except Exception:            # pikepdf raises several kinds on damaged files
        return None


def lesson_pdf(lesson, parts: list[tuple], theme, options: HandoutOptions) -> bytes:
    """The whole lesson: cover, schedule and contents, then every episode's cached pages."""
    assembly = LessonAssembly([e.source for e, _ in parts], theme, options)
    for episode, rendered in parts:
        assembly.add(episode.source, rendered)
    return assembly.pdf(lesson)


def warm_up(theme) -> None:
    """The theme's stylesheet and fonts, and the corrected layout engine, made once in a
    process before it forks workers."""
    style(theme)
    correct_layout()


def prepare(theme) -> None:
    """What the whole-lesson handout's last steps need that does not depend on the episodes:
    its templates and the layout cache's key for this theme (the stylesheet's text), made
    while workers build episodes rather than after them."""
    prepare_lesson_pages(theme)
    layout_context(theme)


class LessonAssembly:
    """The whole-lesson handout, its episodes added as their pages become available, in any
    order; `pdf()` adds the front pages, bookmarks and page numbers."""

    def __init__(self, sources: list[str], theme, options: HandoutOptions):
        self.slot = {s: i + 1 for i, s in enumerate(sources)}     # slot 0: the front pages
        self.theme = theme
        self.options = options
        self.keep: list = []
        self.joined = Concatenation(len(sources) + 1, late=0)     # (joined as they come)
        self.rendered: dict = {}

    def add(self, source: str, rendered: RenderedEpisode) -> None:
        if source in self.rendered or source not in self.slot:
            raise ValueError(f"no place for {source} in this handout")
        self.joined.add(self.slot[source], rendered.pdf)
        self.rendered[source] = rendered

    def front_ahead(self, lesson, last) -> None:
        """Lay out the front pages before the lesson's `last` episode (in lesson order) is
        added: their contents give each episode's first page, which no page of the last one
        moves. They are kept in the layout cache, where `pdf` finds them when they are the
        same (an episode that failed since only means laying them out again)."""
        parts = self._parts(lesson, {last.source: RenderedEpisode(b"", 0, (), ())})
        _front(lesson, parts, self.theme, self.options, _front_guess(parts))

    def _parts(self, lesson, more: dict | None = None) -> list:
        """(episode, its pages) of every episode added (and of `more`), in lesson order."""
        rendered = {**self.rendered, **(more or {})}
        return sorted(((e, rendered[e.source]) for e in lesson.episodes if e.source in rendered),
                      key=lambda p: self.slot[p[0].source])

    def pdf(self, lesson) -> bytes:
        theme, options = self.theme, self.options
        parts = self._parts(lesson)
        guess = _front_guess(parts)
        # the page stamps, for the likely page count, laid out beside the front pages
        ahead = StampsAhead(theme, lesson.config.lang, options.epoch, page_size(parts[0][1].pdf),
                            options.cache_dir, _heads(lesson, parts, guess), number_first=False) \
            if parts else None
        front, front_pages = _front(lesson, parts, theme, options, guess)
        self.joined.add(0, front)
        pdf = self.joined.result()
        entries = []
        start = front_pages
        for episode, rendered in parts:
            entries.append((1, episode.title, start))
            entries.extend((level, title, start + page) for level, title, page in rendered.outline
                           if level > 1)
            start += rendered.pages
        set_outline(pdf, entries)
        link_pages(pdf)
        if ahead:                     # (joined meanwhile: the stamps take longer than the front)
            ahead.collect()
        number_pages(pdf, theme, lesson.config.lang, options.epoch, self.keep, number_first=False,
                     cache_dir=options.cache_dir,
                     heads=_heads(lesson, parts, front_pages, len(pdf.pages)))
        return finish(pdf, lesson.config.title, lesson.config.lang, options.date,
                      ids=self.joined.ids)


def _heads(lesson, parts, front_pages: int, total: int | None = None) -> list:
    """The running heads of the whole-lesson handout's `total` pages (by default, its front
    pages' and its parts'), after `front_pages` of front."""
    starts, start = [], front_pages
    for episode, rendered in parts:
        starts.append((start, episode.title))
        start += rendered.pages
    return running_heads(lesson.config.title, starts, start if total is None else total)


def _front_guess(parts) -> int:
    """The front pages' count before they are laid out: usually right, from the number of
    episodes the contents list."""
    return 2 + len(parts) // 13


def _front(lesson, parts, theme, options, pages: int) -> tuple[bytes, int]:
    """Front pages whose contents give each episode's real first page. The contents' own
    length moves every episode, so lay out again until the page count settles (starting from
    `pages`, a guess that usually saves the second layout)."""
    pdf = b""
    for _ in range(MAX_FRONT_PASSES):
        entries, start = [], pages + 1
        for episode, rendered in parts:
            entries.append((episode.title, start))
            start += rendered.pages
        html = front_html(lesson, theme, options, front_data(lesson, entries, theme))
        pdf = cached_layout("front", html, theme, options.cache_dir,
                            lambda html=html: _lay_out(html, theme, lesson.root, options))
        count = len(pikepdf.open(io.BytesIO(pdf)).pages)
        if count == pages:
            break
        pages = count
    return pdf, pages


def _lay_out(html: str, theme, root: str, options: HandoutOptions) -> bytes:
    return layout(html, theme, root, HandoutOptions(False, options.epoch), Diagnostics(""))[1]


def answer_key_pdf(lesson, theme, options: HandoutOptions) -> bytes:
    """Every exercise with its hints and solutions, episode by episode, for instructors.

    Its episodes flow on from one another, so it is laid out whole; but only when what it shows
    changed: kept on disk by its HTML and the pictures that names, an edit to an episode's
    narrative costs no layout of the key."""
    episodes = [e for e in lesson.episodes if not e.is_break and not e.skipped]
    html = answer_key_html(lesson, episodes, theme, options, {})
    if options.allow_remote:           # pictures on the web: no record of their content
        return _answer_key(lesson, episodes, theme, options, html)
    key = "\0".join((html, lesson_files(lesson.root, html), lesson.config.title,
                     lesson.config.lang, str(options.epoch), str(options.date)))
    return cached_layout("answer-key", key, theme, options.cache_dir,
                         lambda: _answer_key(lesson, episodes, theme, options, html))


def _answer_key(lesson, episodes, theme, options: HandoutOptions, html: str) -> bytes:
    document, data = layout(html, theme, lesson.root, options, Diagnostics(""))
    repeat = solutions_opening_pages(document)
    if repeat:       # those solutions name their exercise: lay the key out once more
        html = answer_key_html(lesson, episodes, theme, options, {}, repeat)
        document, data = layout(html, theme, lesson.root, options, Diagnostics(""))
    keep: list = []
    pdf = pikepdf.open(io.BytesIO(data))
    keep.append(pdf)
    starts = [(page, title) for level, title, page in outline(document) if level == 1]
    heads = running_heads(lesson.config.title, starts, len(pdf.pages), first_blank=False)
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, cache_dir=options.cache_dir,
                 heads=[("", "")] + heads[1:])
    return finish(pdf, t("Answer key") + f" – {lesson.config.title}", lesson.config.lang,
                  options.date)
