"""SVG drawn as a browser draws it, for slides and handouts alike: resvg (a complete SVG renderer,
through the resvg-py binding). cairosvg drew a `baseline-shift:super` tspan as a giant glyph
and refused files Chromium draws (`stroke-dasharray: null`); WeasyPrint drops such tspans.

cairosvg stays as the fallback for a file resvg refuses. This is the one place an SVG is
rasterised, so that every check before drawing applies to both
outputs. External files are never read: an `<image>` naming anything but a data: URL is drawn
empty, as cairosvg's safe mode did.
"""
from __future__ import annotations

import io
import re

import resvg_py
from PIL import Image as PILImage

from . import derived, svgsize

SHARP_SIDE = 1600            # px: a small SVG is drawn at least this big on its long side
MAX_SIDE = 2400              # px: and one declared bigger at most this big (svgsize.py)
CSS_DPI = 96.0               # SVG units (pt, mm, in) convert at the browser's 96 px per inch
EXTERNAL_HREF = re.compile(
    rb"""(<image\b[^>]*?\s)(?:xlink:)?href\s*=\s*(?:"(?!data:)[^"]*"|'(?!data:)[^']*')""",
    re.I | re.S)


def external_references(data: bytes) -> list[str]:
    """The files and addresses an SVG's pictures name, which are not drawn."""
    return [re.sub(rb"^.*?=\s*[\"']|[\"']$", b"", m.group(0)[len(m.group(1)):]).decode(
        "utf-8", "replace") for m in EXTERNAL_HREF.finditer(data)]


# What WeasyPrint's own SVG drawing gets wrong, where the handout takes resvg's picture instead
# of the vector file: raised or lowered text (drawn on the line, "(n2" for "(n²)"), text on a
# path, filters, masks, foreign objects, and a dash pattern that is not numbers (browsers
# ignore it; renderers refuse the file).
BROWSER_ONLY = re.compile(
    rb"baseline-shift|dominant-baseline|alignment-baseline|<textPath|<filter|<mask|mask="
    rb"|<foreignObject|<switch|stroke-dasharray\s*[:=]\s*[\"']?\s*[a-z]", re.I)


def needs_browser(data: bytes) -> bool:
    """Whether an SVG uses what only a complete renderer draws right (a handout keeps every
    other SVG as vectors: sharp at any size, its words text, the file small)."""
    return bool(BROWSER_ONLY.search(data))


class SvgError(Exception):
    """An SVG that cannot be drawn; the message says why."""


def rasterise(data: bytes, max_side: int = MAX_SIDE) -> tuple[bytes, int, int]:
    """(PNG, width, height in CSS px) of an SVG, drawn sharp enough for a slide or a page; one
    that declares a longer side than `max_side` is drawn at that (its size as drawn)."""
    safe = EXTERNAL_HREF.sub(rb"\1", data)
    kept = derived.remember(derived.key("svg-resvg", safe, f"{SHARP_SIDE} {max_side}".encode()),
                            lambda: _draw(safe, max_side), _valid)
    head, _, png = kept.partition(b"\n")
    w, h = (int(v) for v in head.decode().split("x"))
    return png, w, h


def _render(svg: bytes, zoom: float | None = None) -> bytes:
    try:
        text = svg.decode("utf-8")
    except UnicodeDecodeError:
        text = svg.decode("latin-1")
    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=text, dpi=CSS_DPI, zoom=zoom))
    except (ValueError, RuntimeError) as e:
        return _fallback(svg, zoom, e)


def _fallback(svg: bytes, zoom: float | None, why: Exception) -> bytes:
    """cairosvg, for a file resvg refuses (none of 107 lesson SVGs tried, 2026-12-07); imported
    here, as cairo's bindings take a sixth of a second to load in every build that makes decks."""
    import cairosvg
    try:
        # unsafe=False: no XML entities, and external files are never fetched
        return cairosvg.svg2png(bytestring=svg, scale=zoom or 1.0, unsafe=False)
    except Exception:                 # cairosvg raises many kinds on malformed SVG
        raise SvgError(str(why).splitlines()[0][:80] if str(why) else type(why).__name__) \
            from None


def _dimensions(png: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(png), formats=["PNG"]) as img:
        return img.size


def _draw(svg: bytes, max_side: int) -> bytes:
    """"WxH" (its own size) on a line, then the PNG: drawn again bigger when it is small. The
    declared size is read first: a rasteriser allocates every pixel an SVG declares."""
    fit = svgsize.drawing_scale(svg, max_side)
    png = _render(svg, fit if fit < 1.0 else None)
    w, h = _dimensions(png)
    if fit == 1.0 and max(w, h) < SHARP_SIDE:
        png = _render(svg, SHARP_SIDE / max(w, h, 1))
    return f"{w}x{h}\n".encode() + png


def _valid(kept: bytes) -> bool:
    """Whether a kept drawing is one (the store is in OUT, which anyone may have written)."""
    head, _, png = kept.partition(b"\n")
    return bool(re.fullmatch(rb"[1-9]\d{0,5}x[1-9]\d{0,5}", head)) and \
        png.startswith(b"\x89PNG\r\n\x1a\n")
