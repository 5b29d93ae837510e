"""What every flow element is: a piece of slide content that knows its height at a width, how
to split across slides, and which shapes it becomes; and the spacing rules they share."""
from __future__ import annotations

SLACK = 0.35          # extra lines' worth of height under text, for renderer differences
MIN_LINES = 2         # a paragraph split between sentences keeps this many lines on each side
MIN_CODE_LINES = 4    # never fewer code lines than this alone on a slide


class Element:
    keep_with_next = False
    notes: tuple[str, ...] = ()
    visible = True            # draws something (NoteOnly does not)
    visual = False            # a picture or table: a slide showing one is never "nearly empty"

    def height(self, w: float) -> float:
        raise NotImplementedError

    def split(self, w: float, avail: float, forced: bool = False):
        """(head that fits in `avail`, rest) or (None, self) when no good split exists. `forced`:
        the element stands alone on an empty slide and must split, less gracefully if need be."""
        return None, self

    def place(self, x: float, y: float, w: float) -> list:
        raise NotImplementedError

    def words(self) -> int:
        """Words the room reads on it."""
        return 0


class NoteOnly(Element):
    """Speaker-notes text with no visible shape (narrative prose, instructor notes): its notes
    go to the slide that shows what follows it, or else to the slide before."""
    visible = False

    def __init__(self, text: str):
        self.notes = (text,)

    def height(self, w):
        return 0.0

    def place(self, x, y, w):
        return []
