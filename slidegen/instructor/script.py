"""The script as a PDF: HTML from the theme's `instructor.html.j2`, laid out by the handout
engine, with bookmarks (episodes, exercises), running heads and page numbers."""
from __future__ import annotations

import io

import pikepdf

from ..errors import Diagnostics
from ..handout.assemble import finish
from ..handout.fragments import Fragments
from ..handout.html import iso_date, template
from ..handout.options import HandoutOptions
from ..handout.render import layout, outline
from ..handout.stamp import number_pages, running_heads
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


def script_pdf(lesson, episodes, theme, options: HandoutOptions, title: str,
               diags: Diagnostics, deck: Options | None = None) -> bytes:
    """The script of `episodes` (breaks and untaught pages left out) as one PDF, slide for slide
    the decks built with `deck` options."""
    taught = [e for e in episodes if not (e.is_break or e.skipped)]
    parts = [episode_part(lesson, e, theme, options, diags, deck) for e in taught]
    html = template(theme, "instructor.html.j2").render(
        lesson=lesson, parts=parts, learner=False, created=iso_date(options),
        lang=lesson.config.lang, title=title)
    document, data = layout(html, theme, lesson.root, options, diags)
    keep: list = []
    pdf = pikepdf.open(io.BytesIO(data))
    keep.append(pdf)
    starts = [(page, name) for level, name, page in outline(document) if level == 1]
    heads = running_heads(t("Instructor's script") + " · " + lesson.config.title, starts,
                          len(pdf.pages))
    number_pages(pdf, theme, lesson.config.lang, options.epoch, keep, cache_dir=options.cache_dir,
                 heads=heads)
    return finish(pdf, title, lesson.config.lang, options.date)
