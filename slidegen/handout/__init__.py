"""Learner handouts: the lesson model as solution-free PDFs (per episode and whole lesson),
plus an answer key for instructors.

The build lays out each episode once (`render_episode`, cached as PDF bytes), then writes the
per-episode files (`episode_pdf`) and assembles the whole-lesson file at the PDF level
(`lesson_pdf`), so one edited episode never costs a layout of the others. `Handouts` and
`AnswerKey` (writer.py) are what the build pipeline runs.

The names below are imported on first use: WeasyPrint takes half a second to import, and a
rebuild that only reassembles the whole-lesson PDF from cached pages never needs it.
"""
from importlib import import_module

from .libraries import install

install()           # (WeasyPrint's libraries found without a compiler: see libraries.py)

_EXPORTS = {
    "HandoutError": ".options", "HandoutOptions": ".options", "RenderedEpisode": ".options",
    "LessonAssembly": ".files", "answer_key_pdf": ".files", "episode_pdf": ".files",
    "lesson_pdf": ".files", "render_episode": ".render", "Handouts": ".writer",
    "AnswerKey": ".writer",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_EXPORTS)
