"""Learner handouts: the lesson model as solution-free PDFs (per episode and whole lesson),
plus an answer key for instructors.

The build lays out each episode once (`render_episode`, cached as PDF bytes), then writes the
per-episode files (`episode_pdf`) and assembles the whole-lesson file at the PDF level
(`lesson_pdf`), so one edited episode never costs a layout of the others.
"""
from .files import answer_key_pdf, episode_pdf, lesson_pdf
from .options import HandoutOptions, RenderedEpisode
from .render import HandoutError, render_episode

__all__ = ["HandoutOptions", "RenderedEpisode", "render_episode", "episode_pdf", "lesson_pdf",
           "answer_key_pdf", "HandoutError"]
