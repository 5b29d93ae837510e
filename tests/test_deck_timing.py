"""The timing of an episode and of its exercises, as the room sees it: the title slide and the
handout heading print the same line, and a paragraph that only states an exercise's time (wherever
it stands in the exercise) becomes its time badge, never a line of text under it."""
from __future__ import annotations

import io
import re

from pptx import Presentation
from test_teaching_deck import body, title, visible

from slidegen.errors import Diagnostics
from slidegen.handout.html import episode_html
from slidegen.handout.options import HandoutOptions
from slidegen.pptx import Options, write_deck
from slidegen.read.lesson import read_lesson
from slidegen.theme import load_theme

EPISODE = """
---
title: "Continuous Delivery"
teaching: 10
exercises: 0
---

## Deploying

Deploying means shipping what you built.

> ## Exercise: Deploy the site
>
> Add a deploy step to the workflow and run it.
>
> Time: 5 mins
{: .challenge}
"""


def built(make_lesson):
    root = make_lesson({"_episodes/01-cd.md": EPISODE})
    lesson = read_lesson(root).lesson
    episode = lesson.episodes[0]
    theme = load_theme()
    buf = io.BytesIO()
    write_deck(lesson, episode, theme, buf, Options())
    html = episode_html(lesson, episode, theme, HandoutOptions(), Diagnostics(episode.source))
    return lesson, Presentation(io.BytesIO(buf.getvalue())), html


def test_title_slide_and_handout_heading_print_the_same_timing_line(make_lesson):
    _, prs, html = built(make_lesson)
    heading = re.search(r'<p class="timing">(.*?)</p>', html).group(1)
    assert heading == "Teaching 10 min"                       # no "Exercises 0 min"
    cover = list(prs.slides)[0]
    lines = [p.text for shp in cover.shapes if shp.has_text_frame
             for p in shp.text_frame.paragraphs]
    assert heading in lines


def test_a_time_statement_closing_an_exercise_is_its_badge_and_nowhere_else(make_lesson):
    lesson, prs, html = built(make_lesson)
    challenge = next(b for b in lesson.episodes[0].blocks
                     if getattr(b, "kind", None) == "challenge")
    assert challenge.minutes == 5
    ex = next(s for s in visible(prs) if title(s).startswith("Exercise"))
    assert title(ex) == "Exercise: Deploy the site"
    assert [shp.text_frame.text for shp in ex.shapes if shp.name.startswith("Time")] == ["5 min"]
    assert "Add a deploy step" in body(ex) and "Time: 5 mins" not in body(ex)
    assert "Time: 5 mins" not in html and "Add a deploy step" in html
