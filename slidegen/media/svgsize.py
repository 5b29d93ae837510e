"""The size an SVG declares, read before anything draws it.

A rasteriser allocates the whole surface an SVG declares before it draws a thing or can refuse:
125 bytes declaring 20000 × 20000 pixels cost 1.6 GB and 16 s before "too many pixels". A
vector drawing loses nothing when drawn smaller, so one too big for a slide is drawn at the size
the slide uses. This module only reads the root element's width, height and viewBox (with their
units, as CSS and cairosvg resolve them at 96 px per inch), so it serves whichever rasteriser
draws the picture: ask `drawing_scale` first.
"""
from __future__ import annotations

import contextlib
import re
import xml.parsers.expat

# CSS px per unit (cairosvg's em is its 12 pt font size, its ex half of that).
UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
         "mm": 96 / 25.4, "q": 96 / 101.6, "em": 16.0, "ex": 8.0}
LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*|%)\s*")


class _Root(Exception):
    """Stops the parser at the root element (or at an entity, which no SVG we draw has)."""


def declared_size(data: bytes) -> tuple[float, float] | None:
    """(width, height) in CSS px that the root <svg> declares: its width and height with
    their units, else its viewBox's; None when it does not say or is not readable."""
    attrs: dict[str, str] = {}

    def root(name, found):
        if name.rsplit(":", 1)[-1] == "svg":
            attrs.update(found)
        raise _Root

    def entity(*_):
        raise _Root

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = root
    parser.EntityDeclHandler = entity
    with contextlib.suppress(_Root, xml.parsers.expat.ExpatError, ValueError):
        parser.Parse(data, True)
    box = _view_box(attrs.get("viewBox", ""))
    width, height = _length(attrs.get("width")), _length(attrs.get("height"))
    width = width if width is not None else box and box[0]
    height = height if height is not None else box and box[1]
    return (width, height) if width and height else None


def drawing_scale(data: bytes, max_side: float) -> float:
    """The scale to draw the SVG at so that its longer side is at most `max_side` px (1 when
    it already is, or does not say)."""
    size = declared_size(data)
    return min(1.0, max_side / max(size)) if size else 1.0


def oversize_note(data: bytes, max_pixels: int, drawn_side: float) -> str | None:
    """What to tell the author of an SVG that declares more than `max_pixels` pixels (the
    most slidegen opens in a raster image), or None."""
    size = declared_size(data)
    if not size or size[0] * size[1] <= max_pixels:
        return None
    return (f"declares {size[0]:.0f} × {size[1]:.0f} pixels, more than the "
            f"{max_pixels // 1_000_000} million slidegen draws; drawn {drawn_side:.0f} pixels "
            "on its longer side")


def _length(value: str | None) -> float | None:
    """A width or height in CSS px; None for a percentage, nothing, or what is not a length."""
    m = LENGTH.fullmatch(value or "")
    if not m or m.group(2).lower() not in UNITS:
        return None
    return max(float(m.group(1)), 0.0) * UNITS[m.group(2).lower()]


def _view_box(value: str) -> tuple[float, float] | None:
    parts = re.split(r"[\s,]+", value.strip())
    try:
        w, h = float(parts[2]), float(parts[3])
    except (IndexError, ValueError):
        return None
    return (w, h) if w > 0 and h > 0 else None
