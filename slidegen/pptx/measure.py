"""Text measurement with real font metrics, so that planned slides never overflow.

Decks name common fonts (Arial, Courier New); slidegen ships metric-compatible fonts (Liberation
Sans, Liberation Mono) and reads their advance widths, so the same measurement holds in
PowerPoint with the real fonts and in LibreOffice on Linux. Wrapping breaks only at spaces (and
inside words too long for a line): renderers break at least as often, so the line count here is
an upper bound.

Characters the shipped fonts lack (Japanese, Chinese, Korean) are measured in the font
fontconfig chooses for them on this machine (Noto Sans CJK where installed), the font LibreOffice
renders them in; the deck's runs name it as their East Asian font (`east_asian_family`).
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from fontTools.ttLib import TTFont

from ..theme import FONT_DIR
from ..theme.fonts import east_asian_font

# Fonts a deck may name -> the shipped file family with the same metrics.
METRIC_FAMILIES = {
    "arial": "LiberationSans", "liberation sans": "LiberationSans", "helvetica": "LiberationSans",
    "arimo": "LiberationSans",
    "courier new": "LiberationMono", "liberation mono": "LiberationMono",
    "courier": "LiberationMono", "cousine": "LiberationMono",
}
STYLES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
          (True, True): "BoldItalic"}
# Width safety: kerning and shaping differ a little between renderers.
WIDTH_SAFETY = 0.965


class FontMetrics:
    """Advance widths of one font file, in em units."""

    def __init__(self, path: str, index: int = 0):
        font = TTFont(path, lazy=True, fontNumber=index)
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        self.widths = {cp: hmtx[g][0] / upm for cp, g in font.getBestCmap().items()}
        self.space = self.widths.get(32, 0.278)
        self.fallback = max(self.widths.get(ord("M"), 0.83), 0.6)
        self._words: dict[str, float] = {}
        font.close()

    def char(self, ch: str) -> float:
        w = self.widths.get(ord(ch))
        if w is not None:
            return w
        # Not in the font: the renderer falls back to another font.
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            other = east_asian_metrics()
            w = other.widths.get(ord(ch)) if other is not None else None
            return 1.0 if w is None else w
        if unicodedata.combining(ch):
            return 0.0
        return self.fallback

    def width(self, text: str, size: float) -> float:
        """Width in points of `text` at `size` points."""
        return sum(self.char(c) for c in text) * size

    def word(self, text: str) -> float:
        """Width in em of a word, cached: lessons repeat their words a lot."""
        w = self._words.get(text)
        if w is None:
            w = self._words[text] = sum(self.char(c) for c in text)
        return w


@cache
def metrics(family: str, bold: bool = False, italic: bool = False) -> FontMetrics:
    base = METRIC_FAMILIES.get(family.lower())
    if base is None:
        # A theme font slidegen has no metrics for: measure as the sans font with a margin,
        # as most UI fonts are narrower than Arial/Liberation Sans.
        base = "LiberationMono" if "mono" in family.lower() or "code" in family.lower() \
            else "LiberationSans"
    return FontMetrics(os.path.join(FONT_DIR, f"{base}-{STYLES[(bold, italic)]}.ttf"))


@cache
def east_asian_metrics() -> FontMetrics | None:
    """The widths of the East Asian font, when it has the glyphs (CJK fonts are all but
    monospaced, so one weight serves both)."""
    found = east_asian_font()
    if found is None:
        return None
    try:
        m = FontMetrics(found[0], found[1])
    except Exception:            # fontTools raises several kinds on a damaged file
        return None
    return m if ord("\u3042") in m.widths else None      # あ: a font with Japanese glyphs


def east_asian_family() -> str | None:
    """The family a run with East Asian text names (a:ea), if this machine has one."""
    return east_asian_font()[2] if east_asian_metrics() is not None else None


def has_east_asian(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


@dataclass(frozen=True)
class Piece:
    """A run of text in one font and size."""
    text: str
    family: str
    size: float
    bold: bool = False
    italic: bool = False
    atomic: bool = False     # LibreOffice draws a hyperlink as one field: no breaks inside

    def width(self, text: str | None = None) -> float:
        return metrics(self.family, self.bold, self.italic).width(
            self.text if text is None else text, self.size)


def wrap_lines(pieces: list[Piece], width: float) -> list[list[tuple[Piece, str]]]:
    """Greedy word wrap; returns lines of (piece, text) fragments. Hard newlines break lines.
    A word may span pieces ("**bold**text" is one word): lines break only at spaces."""
    width *= WIDTH_SAFETY
    lines: list[list[tuple[Piece, str]]] = [[]]
    x = 0.0
    spaces: list[tuple[Piece, str]] = []
    sw = 0.0
    for kind, frags, w in _words(pieces):
        if kind == "newline":
            lines.append([])
            x, spaces, sw = 0.0, [], 0.0
            continue
        if kind == "space":
            spaces.extend(frags)
            sw += w
            continue
        if lines[-1] and x + sw + w > width:
            lines.append([])
            x, spaces, sw = 0.0, [], 0.0
        if not lines[-1] and w > width:
            x = _break_word(frags, width, lines)
            spaces, sw = [], 0.0
            continue
        lines[-1].extend(spaces)
        lines[-1].extend(frags)
        x += sw + w
        spaces, sw = [], 0.0
    return lines


def _break_word(frags, width: float, lines: list) -> float:
    """A word longer than the line, broken between characters as the renderer breaks it: its
    pieces go onto `lines` a line's run at a time (one fragment per character made a word of
    400,000 characters take gigabytes). Returns where the last line ends."""
    x = 0.0
    for p, t in frags:
        m = metrics(p.family, p.bold, p.italic)
        start = 0
        for k, cw in enumerate(map(m.char, t)):
            cw *= p.size
            if (lines[-1] or k > start) and x + cw > width:
                if k > start:
                    lines[-1].append((p, t[start:k]))
                lines.append([])
                x, start = 0.0, k
            x += cw
        if start < len(t):
            lines[-1].append((p, t[start:]))
    return x


_TOKEN = re.compile(r" |\n|[^ \n]+")


def _words(pieces: list[Piece]):
    """("word"|"space"|"newline", [(piece, text), …], width) in order; words may span pieces."""
    word: list[tuple[Piece, str]] = []
    ww = 0.0
    for p in pieces:
        m = metrics(p.family, p.bold, p.italic)
        if p.atomic:
            word.append((p, p.text))
            ww += m.word(p.text) * p.size
            continue
        for tok in _TOKEN.findall(p.text):
            if tok == " " or tok == "\n":
                if word:
                    yield "word", word, ww
                    word, ww = [], 0.0
                if tok == " ":
                    yield "space", [(p, " ")], m.space * p.size
                else:
                    yield "newline", [], 0.0
            else:
                word.append((p, tok))
                ww += m.word(tok) * p.size
    if word:
        yield "word", word, ww
