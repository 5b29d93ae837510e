"""The handout files the build writes: one per episode, the whole lesson, the answer key.

Episodes come in already laid out (`RenderedEpisode`, cached by the build); these functions
only lay out what is new (front pages, page numbers) and put pages together with pikepdf.
"""
from __future__ import annotations

import io

import pikepdf

from ..errors import Diagnostics
from .assemble import concatenate, finish, link_pages, set_outline
from .front import front_data
from .html import answer_key_html, front_html
from .options import HandoutOptions, RenderedEpisode
from .render import layout
from .stamp import number_pages

MAX_FRONT_PASSES = 4


def episode_pdf(rendered: RenderedEpisode, lesson, episode, theme, options: HandoutOptions) -> bytes:
    """One episode's handout: its pages numbered "page N of M", with title and language."""
    keep: list = []
    pdf = pikepdf.open(io.BytesIO(rendered.pdf))
    keep.append(pdf)
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep)
    return finish(pdf, f"{episode.title} – {lesson.config.title}", lesson.config.lang,
                  options.date)


def lesson_pdf(lesson, parts: list[tuple], theme, options: HandoutOptions) -> bytes:
    """The whole lesson: cover, schedule and contents, then every episode's cached pages."""
    front, front_pages = _front(lesson, parts, theme, options)
    keep: list = []
    pdf = concatenate([front] + [r.pdf for _, r in parts], keep)
    entries = []
    start = front_pages
    for episode, rendered in parts:
        entries.append((1, episode.title, start))
        entries.extend((level, title, start + page) for level, title, page in rendered.outline
                       if level > 1)
        start += rendered.pages
    set_outline(pdf, entries)
    link_pages(pdf)
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, number_first=False)
    return finish(pdf, lesson.config.title, lesson.config.lang, options.date)


def _front(lesson, parts, theme, options) -> tuple[bytes, int]:
    """Front pages whose contents give each episode's real first page. The contents' own
    length moves every episode, so lay out again until the page count settles."""
    pages = 2
    pdf = b""
    for _ in range(MAX_FRONT_PASSES):
        entries, start = [], pages + 1
        for episode, rendered in parts:
            entries.append((episode.title, start))
            start += rendered.pages
        html = front_html(lesson, theme, options, front_data(lesson, entries, theme))
        document, pdf = layout(html, theme, lesson.root, HandoutOptions(False, options.epoch),
                               Diagnostics(""))
        if len(document.pages) == pages:
            break
        pages = len(document.pages)
    return pdf, pages


def answer_key_pdf(lesson, theme, options: HandoutOptions) -> bytes:
    """Every exercise with its hints and solutions, episode by episode, for instructors."""
    episodes = [e for e in lesson.episodes if not e.is_break and not e.skipped]
    diags: dict = {}
    html = answer_key_html(lesson, episodes, theme, options, diags)
    _document, data = layout(html, theme, lesson.root, options, Diagnostics(""))
    keep: list = []
    pdf = pikepdf.open(io.BytesIO(data))
    keep.append(pdf)
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep)
    return finish(pdf, f"Answer key – {lesson.config.title}", lesson.config.lang, options.date)
