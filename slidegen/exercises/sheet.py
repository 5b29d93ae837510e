"""The exercises of a lesson as one Markdown document, in teaching order.

Solutions and instructor notes are removed from the model by `learner_blocks` — the same step
the learner handouts take — before any Markdown is written.
"""
from __future__ import annotations

from ..handout.learner import exercises, learner_blocks
from ..i18n import t
from ..kinds import label
from ..model import Lesson
from .markdown import blocks, escape


def exercises_markdown(lesson: Lesson) -> str:
    """Every exercise with its episode, title, time and task; nothing a learner may not see."""
    parts = [f"# {t('Exercises')}: {escape(lesson.config.title)}",
             t("Every exercise of the lesson in teaching order, without solutions, to paste "
               "into the workshop's shared notes.")]
    number = 0
    for episode in lesson.episodes:
        if episode.skipped or episode.is_break:
            continue
        number += 1
        found = exercises(episode.blocks)
        if not found:
            continue
        parts.append(f"## {number}. {escape(episode.title)}")
        for ex in found:
            title = ex.title or label(ex.kind)
            time = f" ({t('{n} min', n=ex.minutes)})" if ex.minutes else ""
            parts.append(f"### {escape(title)}{time}")
            task = blocks(learner_blocks(ex.children))
            if task:
                parts.append(task)
    return "\n\n".join(parts) + "\n"
