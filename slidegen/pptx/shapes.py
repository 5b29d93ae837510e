"""What a planned slide holds: plain descriptions of shapes in points, made by the planner and
drawn by the renderer. Nothing here knows python-pptx."""
from __future__ import annotations

from dataclasses import dataclass, field

# A text box's insets, PowerPoint's defaults: 0.1 in at the sides, 0.05 in above and below.
INSET_X = 7.2
INSET_Y = 3.6
INSETS_WIDTH = 2 * INSET_X      # both sides: what a box's text is narrower than the box
INSETS_HEIGHT = 2 * INSET_Y     # above and below: what a box is taller than its text


@dataclass(frozen=True)
class Run:
    text: str
    family: str
    size: float
    colour: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    href: str | None = None
    script: str = ""             # "sup" or "sub"


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    size: float                  # size of an empty paragraph's line (endParaRPr)
    family: str
    colour: str
    pitch: float                 # exact line pitch in points
    space_before: float = 0.0
    bullet: str | None = None    # None, a bullet character, or "1." style for numbered lists
    number: int | None = None    # start number for numbered items
    level: int = 0               # list nesting
    margin: float = 0.0          # left margin of the text (points)
    hang: float = 0.0            # how far the bullet hangs left of the text
    align: str = "l"             # l | ctr | r

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Insets:
    left: float = INSET_X
    top: float = INSET_Y
    right: float = INSET_X
    bottom: float = INSET_Y


@dataclass
class TextShape:
    x: float
    y: float
    w: float
    h: float
    paras: list[Para]
    fill: str | None = None
    border: str | None = None
    insets: Insets = field(default_factory=Insets)
    anchor: str = "t"            # t | ctr | b
    rounded: bool = False
    name: str = "Text"
    title: bool = False          # goes into the layout's title placeholder
    source: object = None        # the lesson's block it shows (code: for the instructor's script)


@dataclass
class RectShape:
    x: float
    y: float
    w: float
    h: float
    fill: str
    border: str | None = None
    name: str = "Rectangle"


@dataclass
class PictureShape:
    x: float
    y: float
    w: float
    h: float
    blob: bytes
    ext: str                     # png | jpeg | gif
    alt: str
    svg: bytes | None = None     # vector original, for renderers that show SVG
    name: str = "Picture"


@dataclass
class TableCell:
    paras: list[Para]
    fill: str


@dataclass
class TableShape:
    x: float
    y: float
    w: float
    h: float
    col_widths: list[float]
    row_heights: list[float]
    rows: list[list[TableCell]]
    border: str
    insets: Insets = field(default_factory=Insets)
    name: str = "Table"


@dataclass
class SlidePlan:
    """One slide: its kind, title, shapes in drawing order, speaker notes and hidden flag. The
    planner's public result (`plan_deck`): other writers (an instructor's script) read `kind`,
    `title`, `section`, `notes`, `hidden`, `subject` and, of the shapes, only the lesson's
    blocks they show (`source`)."""
    # title | overview | content | exercise | solution | keypoints | break
    kind: str
    title: str
    shapes: list = field(default_factory=list)
    notes: str = ""
    hidden: bool = False
    background: str | None = None
    problems: list = field(default_factory=list)    # for the author: what may not look right
    section: str = ""            # the episode's section (## heading) the slide belongs to
    subject: object = None       # the exercise (model block) its exercise or solution slide shows
