"""Everything a deck shows that is not text, made once per deck before planning: pictures read
and decoded, Mermaid diagrams drawn (or described), formulae typeset. Planning then measures
slides at several trial sizes from these without reading, decoding or typesetting again.

`resolve` is the one step that touches files and renderers; a cache across builds would wrap it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..media.diagrams import SCALE, Diagram, is_diagram, read_diagram
from ..media.mathrender import MathError, not_typeset, typeset
from ..media.remote import remote_image_note
from ..model import Code, Image, Math, Paragraph, walk
from ..units import PT_PER_PX
from . import pictures

MATH_SCALE = 1.15        # display math a little larger than the text around it
MATH_DPI = 300


@dataclass(frozen=True)
class Figure:
    """A picture for a slide, or why there is none (for the notes and the console, never the
    slide)."""
    picture: pictures.Picture | None
    problem: str = ""
    scalable: bool = False        # a vector drawing or one drawn large: may fill its room


@dataclass(frozen=True)
class Formula:
    picture: pictures.Picture | None
    width_pt: float = 0.0         # at `size`
    size: float = 0.0             # the text size it was typeset for
    problem: str = ""


@dataclass
class Assets:
    figures: dict = field(default_factory=dict)      # (src, path) -> Figure
    diagrams: dict = field(default_factory=dict)     # Mermaid source -> (Diagram, Figure)
    formulae: dict = field(default_factory=dict)     # TeX -> Formula

    def figure(self, image: Image) -> Figure:
        return self.figures[(image.src, image.path)]

    def diagram(self, source: str) -> tuple[Diagram, Figure]:
        return self.diagrams[source]

    def formula(self, tex: str) -> Formula:
        return self.formulae[tex]


def resolve(lesson, episode, look, allow_remote: bool, warn) -> Assets:
    """Read, draw and typeset what `episode` shows. `warn(message, line)` reports a problem."""
    assets = Assets()
    macros = lesson.config.math_macros
    for b, _ in walk(episode.blocks):
        if isinstance(b, Image) and (b.src, b.path) not in assets.figures:
            assets.figures[(b.src, b.path)] = _figure(lesson.root, b, allow_remote, warn)
        elif isinstance(b, Code) and is_diagram(b.lang) and b.text not in assets.diagrams:
            assets.diagrams[b.text] = _diagram(b, warn)
        elif isinstance(b, Math):
            _formula(assets, b.tex, look, b.line, warn, macros)
        elif isinstance(b, Paragraph):
            for s in b.spans:
                if s.math and s.display:
                    _formula(assets, s.text, look, b.line, warn, macros)
    return assets


def _figure(root: str, b: Image, allow_remote: bool, warn) -> Figure:
    try:
        pic = pictures.load(root, b.path, b.src, allow_remote)
    except pictures.PictureError as e:
        if b.remote and not allow_remote:
            warn(remote_image_note(b.src), b.line)
        elif b.path is not None or b.remote:      # the reader already reported missing files
            warn(f"image '{b.src}' not shown on the slide: {e}", b.line)
        return Figure(None, f"{b.src}: {e}")
    if pic.note:
        warn(f"image '{b.src}' {pic.note}", b.line)
    return Figure(pic, scalable=pic.svg is not None or b.src.lower().endswith(".svg"))


def _diagram(b: Code, warn) -> tuple[Diagram, Figure]:
    d = read_diagram(b.text)
    if d.png is None:
        warn(f"Mermaid diagram shown as words on the slide: {d.error}", b.line)
        return d, Figure(None, d.error)
    pic = pictures.decode(d.png, "diagram.png")
    # Drawn at SCALE pixels per CSS pixel: its web size is that much smaller, and it stays sharp
    # when it fills the room it has.
    pic = pictures.Picture(pic.blob, pic.ext, round(pic.width_px / SCALE) or 1,
                           round(pic.height_px / SCALE) or 1)
    return d, Figure(pic, scalable=True)


def _formula(assets: Assets, tex: str, look, line: int, warn, macros=()) -> None:
    if tex in assets.formulae:
        return
    size = look.body.size * MATH_SCALE
    try:
        t = typeset(tex, size, look.body.colour, fmt="png", dpi=MATH_DPI, macros=macros)
    except MathError as e:
        warn(not_typeset(tex, e), line)
        assets.formulae[tex] = Formula(None, problem=str(e))
        return
    pic = pictures.Picture(t.data, "png", round(t.width_pt / PT_PER_PX),
                           round(t.height_pt / PT_PER_PX))
    assets.formulae[tex] = Formula(pic, t.width_pt, size)
