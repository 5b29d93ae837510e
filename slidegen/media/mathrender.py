"""TeX math typeset to SVG or PNG with matplotlib's mathtext, for slides and handouts.

mathtext covers the TeX that lessons use (fractions, sums with limits, Greek, sub- and
superscripts, \\left( \\right)) without a TeX installation. Output is cached per formula.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache, partial

from . import derived


class MathError(ValueError):
    """mathtext cannot typeset this TeX."""


@dataclass(frozen=True)
class Typeset:
    data: bytes          # SVG or PNG
    width_pt: float
    height_pt: float
    depth_pt: float      # below the baseline, for inline placement


def _prepare(tex: str) -> str:
    tex = tex.strip()
    # Display environments mathtext does not know; their content usually is plain math.
    tex = re.sub(r"\\begin\{(?:equation|align|aligned|gather)\*?\}"
                 r"|\\end\{(?:equation|align|aligned|gather)\*?\}", "", tex)
    tex = tex.replace("\\\\", " ").replace("&", " ")
    tex = re.sub(r"\\(?:displaystyle|textstyle|nonumber|label\{[^}]*\})", "", tex)
    tex = re.sub(r"\\text\{", r"\\mathrm{", tex)
    tex = tex.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    return " ".join(tex.split())


_PACKED = b"slidegen-math\n"
_UNSAFE_SVG = re.compile(rb"<script|href\s*=\s*[\"'](?!#)|<foreignObject", re.I)


@lru_cache(maxsize=512)
def typeset(tex: str, size_pt: float, colour: str = "#000000", fmt: str = "svg",
            dpi: int = 72) -> Typeset:
    """Typeset `tex` (without dollar signs) at `size_pt` points in `colour`, on a transparent
    background (light glyphs on a dark slide must not sit on a white patch). Raises MathError.
    Kept for other workers and later builds (derived.py), which then need not even import
    matplotlib."""
    made: list[Typeset] = []

    def packed() -> bytes:
        t = _typeset(tex, size_pt, colour, fmt, dpi)
        made.append(t)
        return _PACKED + json.dumps([t.width_pt, t.height_pt, t.depth_pt]).encode() + b"\n" + t.data

    name = derived.key("math", tex.encode(), repr((size_pt, colour, fmt, dpi)).encode())
    stored = derived.remember(name, packed, partial(_valid, fmt=fmt))
    if made:
        return made[0]
    head, _, data = stored[len(_PACKED):].partition(b"\n")
    w, h, d = json.loads(head)
    return Typeset(data, float(w), float(h), float(d))


def _valid(stored: bytes, fmt: str) -> bool:
    """Whether a kept formula is one (the store is in OUT, which anyone may have written)."""
    if not stored.startswith(_PACKED):
        return False
    head, _, data = stored[len(_PACKED):].partition(b"\n")
    try:
        sizes = json.loads(head)
        ok = len(sizes) == 3 and all(isinstance(x, (int, float)) and abs(x) < 10_000 for x in sizes)
    except (ValueError, TypeError):
        return False
    if fmt == "png":
        return ok and data.startswith(b"\x89PNG\r\n\x1a\n")
    return ok and data.lstrip().startswith(b"<?xml") and not _UNSAFE_SVG.search(data)


def _typeset(tex: str, size_pt: float, colour: str, fmt: str, dpi: int) -> Typeset:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import rc_context, rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser, math_to_image

    rcParams["svg.hashsalt"] = "slidegen"        # reproducible SVG ids
    rcParams["svg.fonttype"] = "path"
    rcParams["mathtext.fontset"] = "dejavusans"
    source = f"${_prepare(tex)}$"
    prop = FontProperties(size=size_pt)
    try:
        width, height, depth, _, _ = MathTextParser("path").parse(source, dpi=72, prop=prop)
        buf = io.BytesIO()
        with rc_context({"savefig.transparent": True}):
            math_to_image(source, buf, prop=prop, dpi=dpi, format=fmt, color=colour)
    except Exception as e:       # mathtext raises ValueError and assorted parse errors
        lines = [line.strip() for line in str(e).splitlines() if line.strip()]
        raise MathError(lines[-1] if lines else "mathtext cannot typeset this") from None
    data = buf.getvalue()
    if fmt == "svg":
        data = re.sub(rb"<dc:date>[^<]*</dc:date>", b"", data)
        data = re.sub(rb"<!--.*?-->", b"", data, flags=re.S)
    return Typeset(data, float(width), float(height), float(depth))
