"""The output formats a build can make, and which of them a build's options ask for.

An output format is a writer (the interface is writer.py): a new one is a class in its
own package, listed here, with an option in cli.py. The pipeline does not change.
"""
from __future__ import annotations

from .exercises.writer import Exercises
from .handout.writer import AnswerKey, Handouts, LargePrintHandouts
from .instructor.writer import Instructor
from .pptx.writer import Decks


def for_build(slides: bool = True, handouts: bool = True, answer_key: bool = False,
              theme: str | None = None, allow_remote: bool = False,
              slide_mode: str = "teaching", large_print: bool = False,
              instructor: bool = False) -> tuple:
    """Every writer, told whether it is wanted (the summary counts decks and handouts even when
    --only leaves one out; large-print handouts and the instructor's script only when asked
    for)."""
    writers = (Decks(slides, theme, allow_remote, slide_mode),
               Handouts(handouts, theme, allow_remote),
               AnswerKey(answer_key, theme, allow_remote), Exercises(handouts))
    if large_print:
        writers += (LargePrintHandouts(handouts, theme, allow_remote),)
    if instructor:
        writers += (Instructor(True, theme, allow_remote, slide_mode),)
    return writers
