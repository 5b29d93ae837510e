"""The script as a PDF: HTML from the theme's `instructor.html.j2`, laid out by the handout
engine, with bookmarks (episodes, exercises), running heads and page numbers.

Each episode's script starts on a new page, so it is laid out on its own (`script_part`, which
the build caches) and the whole lesson's script joins those parts at the PDF level, as the
lesson's handout does: an edit to one episode lays out that episode's script, not the lesson's.
"""
from __future__ import annotations

import io

import pikepdf

from ..errors import Diagnostics
from ..handout.assemble import Concatenation, finish, set_outline
from ..handout.fragments import Fragments
from ..handout.html import iso_date, template
from ..handout.options import HandoutOptions, RenderedEpisode
from ..handout.render import layout, outline
from ..handout.stamp import StampsAhead, number_pages, page_size, running_heads
from ..i18n import t
from ..pptx.options import Options
from ..workshop.schedule import clock_line, lesson_schedule
from ..workshop.timing import timing_line
from .outline import script_slides


def episode_part(lesson, episode, theme, options: HandoutOptions, diags: Diagnostics,
                 deck: Options | None = None) -> dict:
    """What the template needs of one episode (`deck`: the options its deck is built with)."""
    slides, found = script_slides(lesson, episode, theme, deck or Options(options.allow_remote))
    for d in found:
        diags.add(d.severity, d.message, d.line)
    return {"episode": episode, "slides": slides,
            "timing": timing_line(episode.meta),
            "clock": clock_line(lesson_schedule(lesson), episode.source),
            "f": Fragments(lesson.root, episode.source, theme, options.allow_remote, diags,
                           macros=lesson.config.math_macros)}


def _laid_out(lesson, episodes, theme, options: HandoutOptions, title: str,
              diags: Diagnostics, deck: Options | None) -> RenderedEpisode:
    """`episodes`' script laid out in one piece, without running heads or page numbers."""
    parts = [episode_part(lesson, e, theme, options, diags, deck) for e in episodes]
    html = template(theme, "instructor.html.j2").render(
        lesson=lesson, parts=parts, learner=False, created=iso_date(options),
        lang=lesson.config.lang, title=title)
    document, data = layout(html, theme, lesson.root, options, diags)
    return RenderedEpisode(data, len(document.pages), outline(document), tuple(diags.items))


def script_part(lesson, episode, theme, options: HandoutOptions, diags: Diagnostics,
                deck: Options | None = None) -> RenderedEpisode:
    """One taught episode's script pages, unnumbered: what the build caches and joins."""
    return _laid_out(lesson, [episode], theme, options, "", diags, deck)


def script_file(lesson, parts: list[RenderedEpisode], theme, options: HandoutOptions,
                title: str) -> bytes:
    """The script from laid-out `parts` in order: their pages joined, bookmarks moved to their
    pages, then running heads and "page N of M" over the whole, as one layout would have them."""
    entries, start = [], 0
    for part in parts:
        entries.extend((level, name, start + page) for level, name, page in part.outline)
        start += part.pages
    starts = [(page, name) for level, name, page in entries if level == 1]
    heads = running_heads(t("Instructor's script") + " · " + lesson.config.title, starts, start)
    keep: list = []
    if len(parts) == 1:          # one episode's script: its own bookmarks, as laid out
        pdf = pikepdf.open(io.BytesIO(parts[0].pdf))
        keep.append(pdf)
        ids = None
    else:                        # its page stamps laid out aside while the parts are joined
        ahead = StampsAhead(theme, lesson.config.lang, options.epoch, page_size(parts[0].pdf),
                            options.cache_dir, heads)
        joined = Concatenation(len(parts), lazy=True)
        for slot, part in enumerate(parts):
            joined.add(slot, part.pdf)
        pdf, ids = joined.result(), joined.ids
        set_outline(pdf, entries)
        ahead.collect()
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, cache_dir=options.cache_dir,
                 heads=heads)
    return finish(pdf, title, lesson.config.lang, options.date, ids=ids)


def script_pdf(lesson, episodes, theme, options: HandoutOptions, title: str,
               diags: Diagnostics, deck: Options | None = None) -> bytes:
    """The script of `episodes` (breaks and untaught pages left out) as one PDF, slide for slide
    the decks built with `deck` options: each episode laid out on its own, then joined."""
    taught = [e for e in episodes if not (e.is_break or e.skipped)]
    if not taught:         # a page that says there is nothing to teach
        return script_file(lesson, [_laid_out(lesson, [], theme, options, title, diags, deck)],
                           theme, options, title)
    parts = [script_part(lesson, e, theme, options, diags, deck) for e in taught]
    return script_file(lesson, parts, theme, options, title)
