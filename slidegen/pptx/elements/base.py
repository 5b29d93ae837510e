"""What every flow element is: a piece of slide content that knows its height at a width, the
units it may be split into across slides (paragraphs, code lines, table rows, a box's children)
and what kind of split each place between them would be, and which shapes a part of it becomes;
and the spacing rules they share. The optimiser (breaking.py) chooses the splits."""
from __future__ import annotations

SLACK = 0.35          # extra lines' worth of height under text, for renderer differences
MIN_CODE_LINES = 4    # never fewer code lines than this alone on a slide


class Element:
    keep_with_next = False
    notes: tuple[str, ...] = ()
    visible = True            # draws something (NoteOnly does not)
    visual = False            # a picture or table
    heading = False           # a subheading: it never ends a slide
    solid = False             # code, a picture or a table: a slide showing one is never "empty"

    def height(self, w: float) -> float:
        raise NotImplementedError

    def place(self, x: float, y: float, w: float) -> list:
        raise NotImplementedError

    def words(self) -> int:
        """Words the room reads on it (code and tables too)."""
        return 0

    # -- parts, for slides ------------------------------------------------------------------
    def units(self) -> int:
        """How many pieces it may be split into (1: it moves whole)."""
        return 1

    def split_kind(self, k: int) -> str | None:
        """The kind of split before unit k (0 < k < units()), priced in costs.py; None where
        it is never split."""
        return None

    def piece(self, a: int, b: int) -> Element:
        """The part showing units a to b (exclusive); its notes only when a == 0."""
        return self

    def piece_height(self, a: int, b: int, w: float) -> float:
        """piece(a, b).height(w), quickly: the optimiser asks for many parts."""
        return self.height(w) if self.visible else 0.0

    def piece_words(self, a: int, b: int) -> int:
        return self.words()

    def shrinkable(self, w: float) -> float:
        """How much lower than its height it may be drawn (a picture, scaled down)."""
        return 0.0

    def piece_shrinkable(self, a: int, b: int, w: float) -> float:
        return self.shrinkable(w) if a == 0 and b == self.units() else 0.0

    def shrunk(self, h: float, w: float) -> Element:
        """It drawn within height h at width w (no lower than its height less what is
        shrinkable)."""
        return self

    def introduces(self, b: int) -> bool:
        """Whether the part ending before unit b ends with a sentence that introduces what
        follows it ("The steps are:"), which must not end a slide."""
        return False


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
