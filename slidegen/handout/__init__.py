"""Learner handouts: the lesson model as solution-free PDFs (per episode and whole lesson),
plus an answer key for instructors.

The build lays out each episode once (`render_episode`, cached as PDF bytes), then writes the
per-episode files (`episode_pdf`) and assembles the whole-lesson file at the PDF level
(`lesson_pdf`), so one edited episode never costs a layout of the others.
"""
from .files import LessonAssembly, answer_key_pdf, episode_pdf, lesson_pdf
from .options import HandoutError, HandoutOptions, RenderedEpisode


def render_episode(lesson, episode, theme, options: HandoutOptions) -> RenderedEpisode:
    """Lay out one episode for learners (no solutions, no instructor notes); see render.py.
    Imported on first use: WeasyPrint takes half a second to import, and a rebuild that only
    reassembles the whole-lesson PDF from cached pages never needs it."""
    from .render import render_episode as render
    return render(lesson, episode, theme, options)

__all__ = ["HandoutOptions", "RenderedEpisode", "render_episode", "episode_pdf", "lesson_pdf",
           "answer_key_pdf", "HandoutError", "LessonAssembly"]
