"""The readers: a lesson directory (styles or Workbench) into the model, with diagnostics.

`find_lesson` locates a lesson's config and episodes, `read_one` reads one episode, and
`read_lesson` reads them all. Everything a lesson format changes is in `dialects.py`.
"""
from .lesson import LessonSource, Reading, find_lesson, is_lesson, read_lesson, read_one

__all__ = ["LessonSource", "Reading", "find_lesson", "is_lesson", "read_lesson", "read_one"]
