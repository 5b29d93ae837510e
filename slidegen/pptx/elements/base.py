"""What every flow element is: a piece of slide content that knows its height at a width, how
to split across slides, and which shapes it becomes; and the spacing rules they share."""
from __future__ import annotations

SLACK = 0.35          # extra lines' worth of height under text, for renderer differences
MIN_LINES = 2         # lines kept together at a split (orphans/widows)
MIN_CODE_LINES = 3
SPLIT_LINES = 6       # paragraphs shorter than this are never split across slides


class Element:
    keep_with_next = False
    notes: tuple[str, ...] = ()

    def height(self, w: float) -> float:
        raise NotImplementedError

    def split(self, w: float, avail: float):
        """(head that fits in `avail`, rest) or (None, self) when no useful split exists."""
        return None, self

    def place(self, x: float, y: float, w: float) -> list:
        raise NotImplementedError


class NoteOnly(Element):
    """Speaker-notes text with no visible shape (instructor notes)."""

    def __init__(self, text: str):
        self.notes = (text,)

    def height(self, w):
        return 0.0

    def place(self, x, y, w):
        return []
