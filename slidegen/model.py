"""The lesson model: the one reading of a lesson that every writer consumes.

Plain frozen dataclasses with no I/O and no library types, so that writers and tests can build
and compare them by hand. Every block keeps the 1-based source line it came from.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .kinds import SECRET
from .media.remote import is_remote


@dataclass(frozen=True)
class Span:
    """A run of inline text with one set of formatting."""
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    math: bool = False          # text is TeX source
    href: str | None = None     # absolute URL or lesson-relative path
    display: bool = False       # display math ($$…$$) standing inside a paragraph
    script: str = ""            # "sup" or "sub": raised or lowered (pandoc's 2^10^, H~2~O)


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    """The text of some spans without formatting."""
    return "".join(s.text for s in spans)


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline
    line: int
    type = "heading"

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class Paragraph:
    spans: Inline
    line: int
    type = "paragraph"

    @property
    def text(self) -> str:
        return plain(self.spans)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    line: int
    type = "list"


@dataclass(frozen=True)
class Chunk:
    """The knitr chunk a code block comes from (R Markdown lessons): its engine, label and
    options as the author wrote them (with the defaults a setup chunk set), whether knitting
    runs it, and whether its page shows its code."""
    engine: str
    label: str
    options: tuple[tuple[str, str], ...]    # (name, R text)
    run: bool = True
    shown: bool = True


@dataclass(frozen=True)
class Code:
    text: str
    lang: str | None
    role: str            # "source" | "output" | "error"
    line: int
    chunk: Chunk | None = None
    type = "code"


@dataclass(frozen=True)
class Image:
    src: str                 # as written, after Liquid
    path: str | None         # file relative to the lesson root, None when remote or not found
    alt: str
    width: str | None
    line: int
    title: str = ""
    caption: Inline = ()     # the figure's caption as the lesson's site prints it under the picture
    type = "image"

    @property
    def remote(self) -> bool:
        return is_remote(self.src)


class Cell(tuple[Span, ...]):
    """A table cell holding blocks where a cell is usually a line of text (a grid table's
    heading or list, a picture): as a tuple it is that text's spans, for whatever reads cells
    as text; `blocks` is what the lesson's site shows in it."""
    blocks: tuple[Block, ...]

    def __new__(cls, spans: Iterable[Span], blocks: Iterable[Block] = ()) -> Cell:
        cell = super().__new__(cls, spans)
        cell.blocks = tuple(blocks)
        return cell

    def __getnewargs__(self) -> tuple[tuple[Span, ...], tuple[Block, ...]]:
        return tuple(self), self.blocks      # pickled for the build's worker processes


def cell_blocks(cell: Inline) -> tuple[Block, ...]:
    """The blocks a cell shows, or () when it is a line of text."""
    return getattr(cell, "blocks", ())


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]      # () for a table without a header row
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str | None, ...]
    line: int
    caption: Inline = ()            # pandoc's `Table: …` (or `: …`) line
    type = "table"


@dataclass(frozen=True)
class Math:
    tex: str
    line: int
    type = "math"


@dataclass(frozen=True)
class Special:
    """A titled block: challenge, solution, callout, instructor note, … (kind = its class; see
    kinds.py). An exercise's `minutes` is its time as the lesson states it; a paragraph that
    only stated it is not among the children."""
    kind: str
    title: str
    minutes: int | None
    children: tuple[Block, ...]
    line: int
    type = "special"

    @property
    def secret(self) -> bool:
        return self.kind in SECRET


Block = Heading | Paragraph | ListBlock | Code | Image | Table | Math | Special


@dataclass(frozen=True)
class EpisodeMeta:
    title: str
    teaching: int | None = None
    exercises: int | None = None
    questions: tuple[Inline, ...] = ()
    objectives: tuple[Inline, ...] = ()
    keypoints: tuple[Inline, ...] = ()
    layout: str | None = None
    break_minutes: int | None = None
    colour: str | None = None           # "#rrggbb"
    hidden: bool = False
    redirect_to: str | None = None
    extra: Mapping[str, object] = field(default_factory=dict)   # unknown keys, kept as read


@dataclass(frozen=True)
class Episode:
    source: str          # path relative to the lesson root, with "/"
    meta: EpisodeMeta
    blocks: tuple[Block, ...]
    includes: tuple[str, ...] = ()     # files its Liquid included (lesson-relative)
    # Where its text came from: "" (a Markdown episode), "source" (R Markdown read without
    # knitting: no results, no plots) or "knitted" (knitr's output, with results and plots).
    origin: str = ""

    @property
    def stem(self) -> str:
        name = self.source.rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def is_break(self) -> bool:
        return self.meta.layout == "break" or self.meta.break_minutes is not None

    @property
    def skipped(self) -> bool:
        """Redirect stubs and hidden pages are not taught."""
        return self.meta.hidden or bool(self.meta.redirect_to)


@dataclass(frozen=True)
class LessonConfig:
    title: str
    format: str                          # "styles" | "workbench" | "knitted"
    url: str | None = None
    lang: str = "en"                     # the lesson's language: its text's, in every output
    variables: Mapping[str, object] = field(default_factory=dict)   # the whole config file
    # What a reader of every output must know once (the handout's cover, each deck's title
    # notes): e.g. that results and plots are missing because the lesson was not knitted.
    notices: tuple[str, ...] = ()
    # The build's timetable of the whole lesson (schedule.Schedule), so that a writer given one
    # episode still knows its clock times; None: plan from the episodes at hand.
    timetable: object | None = None
    labels: str | None = None            # the words slidegen adds: --lang, else `lang`
    # TeX macros the lesson's MathJax defines: (name, number of arguments, body)
    math_macros: tuple[tuple[str, int, str], ...] = ()

    @property
    def speaks(self) -> str:
        """The language of the words slidegen adds (labels, titles, page numbers)."""
        return self.labels or self.lang


@dataclass(frozen=True)
class Lesson:
    root: str            # absolute path of the lesson directory
    config: LessonConfig
    episodes: tuple[Episode, ...]


def walk(blocks: Iterable[Block], depth: int = 0) -> Iterator[tuple[Block, int]]:
    """Yield (block, depth) for every block, descending into specials, list items and the
    cells of tables that hold blocks."""
    for b in blocks:
        yield b, depth
        if isinstance(b, Special):
            yield from walk(b.children, depth + 1)
        elif isinstance(b, ListBlock):
            for item in b.items:
                yield from walk(item, depth + 1)
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                for cell in row:
                    yield from walk(cell_blocks(cell), depth + 1)
