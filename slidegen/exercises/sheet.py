"""The exercises of a lesson as one Markdown document, in teaching order.

Solutions and instructor notes are removed from the model by `learner_blocks` — the same step
the learner handouts take — before any Markdown is written.
"""
from __future__ import annotations

from ..handout.learner import exercises, learner_blocks
from ..i18n import t
from ..kinds import label
from ..model import Lesson
from ..read.minutes import title_without_time
from .markdown import blocks, escape


def exercises_markdown(lesson: Lesson) -> str:
    """Every exercise with its episode, title, time and task; nothing a learner may not see."""
    return sheet(lesson.config.title, [(e.title, episode_exercises(e)) for e in lesson.episodes])


def episode_exercises(episode) -> str | None:
    """One episode's exercises in Markdown ("" when it has none; None when it is not taught),
    kept by the build so that an edit does not read every other episode again."""
    if episode.skipped or episode.is_break:
        return None
    parts = []
    for ex in exercises(episode.blocks):
        title = ex.title or label(ex.kind)
        time = ""
        if ex.minutes:                           # the time once: not in the title as well
            title = title_without_time(title) or label(ex.kind)
            time = " (" + t("{n} min", n=ex.minutes) + ")"
        parts.append(f"### {escape(title)}{time}")
        task = blocks(learner_blocks(ex.children))
        if task:
            parts.append(task)
    return "\n\n".join(parts)


def sheet(lesson_title: str, episodes: list[tuple[str, str | None]]) -> str:
    """The document from (episode title, its exercises' Markdown) in lesson order."""
    parts = ["# " + t("Exercises") + f": {escape(lesson_title)}",
             t("Every exercise of the lesson in teaching order, without solutions, to paste "
               "into the workshop's shared notes.")]
    number = 0
    for title, markdown in episodes:
        if markdown is None:
            continue
        number += 1
        if markdown:
            parts += [f"## {number}. {escape(title)}", markdown]
    return "\n\n".join(parts) + "\n"
