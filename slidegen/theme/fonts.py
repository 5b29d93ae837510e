"""Fonts the writers share beyond the shipped Liberation files: the East Asian font this machine
has (fontconfig's choice for Japanese), and text drawn as outlines, for marks that are page
furniture and must not be read as text (a screen reader, a search or a copy skips them)."""
from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import suppress
from functools import cache

from . import FONT_DIR


@cache
def east_asian_font() -> tuple[str, int, str] | None:
    """(file, index in a collection, family) of the sans-serif font fontconfig gives Japanese
    text (its choice for Chinese and Korean is the same family on most systems), or None."""
    fc = shutil.which("fc-match")
    if fc is None:
        return None
    try:
        found = subprocess.run([fc, "-f", "%{file}\t%{index}\t%{family[0]}", "sans-serif:lang=ja"],
                               capture_output=True, text=True, timeout=10).stdout.split("\t")
        path, index, family = found[0], int(found[1] or 0), found[2]
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None
    if not os.path.isfile(path):
        return None
    return path, index, family


def _font(path: str, index: int = 0):
    """The font, read as it is used. Each process opens its own: a forked process shares the
    open file's position with the process it came from, so the two reading one file at once
    read each other's places (a Japanese build's workers, forked after the build's process
    had used the font, read damaged tables)."""
    return _opened(path, index, os.getpid())


@cache
def _opened(path: str, index: int, pid: int):
    from fontTools.ttLib import TTFont
    return TTFont(path, fontNumber=index, lazy=True)


def _fonts(italic: bool) -> list:
    """Liberation Sans, then the East Asian font for what it lacks."""
    out = [_font(os.path.join(FONT_DIR, f"LiberationSans-{'Italic' if italic else 'Regular'}.ttf"))]
    found = east_asian_font()
    if found is not None:
        with suppress(Exception):        # fontTools raises several kinds on a damaged file
            out.append(_font(found[0], found[1]))
    return out


def outline(text: str, size: float, italic: bool = False) -> tuple[str, float]:
    """(SVG path data, advance width) of `text` set at `size` with its baseline at y = size
    (y down); a character no font has is left out."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    parts, x = [], 0.0
    fonts = _fonts(italic)
    for ch in text:
        font = next((f for f in fonts if ord(ch) in f.getBestCmap()), None)
        if font is None:
            continue
        name = font.getBestCmap()[ord(ch)]
        scale = size / font["head"].unitsPerEm
        glyphs = font.getGlyphSet()
        pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, size)))
        parts.append(pen.getCommands())
        x += font["hmtx"][name][0] * scale
    return " ".join(p for p in parts if p), x
