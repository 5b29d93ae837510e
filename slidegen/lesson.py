"""The readers' entry points under their earlier name (`slidegen.read` is where they live)."""
from .read import LessonSource, Reading, find_lesson, read_lesson, read_one

__all__ = ["LessonSource", "Reading", "find_lesson", "read_lesson", "read_one"]
