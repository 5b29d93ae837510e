"""TeX math typeset to SVG or PNG for slides and handouts, with ziamath: latex2mathml reads the
TeX (the LaTeX and AMS math that MathJax reads: environments, matrices, \\left … \\right,
\\unicode) and ziamath lays the MathML out with the STIX Two Math font, in pure Python, with no
TeX installation. PNG is drawn from the SVG by CairoSVG. Output is cached per formula.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache, partial

from . import derived
from .texprep import Macro, TexTooLong, expand, prepare, rules_of, unknown_command

MARGIN_PT = 0.5          # around the ink, so that no stroke is clipped
MAX_SIDE_PT = 4000       # a formula wider or taller than this is not typeset …
MAX_PIXELS = 40_000_000  # … nor drawn to more pixels than this


class MathError(ValueError):
    """The TeX cannot be typeset (a syntax error, an unknown command, or too large)."""


@dataclass(frozen=True)
class Typeset:
    data: bytes          # SVG or PNG
    width_pt: float
    height_pt: float
    depth_pt: float      # below the baseline, for inline placement


_PACKED = b"slidegen-math\n"
_UNSAFE_SVG = re.compile(rb"<script|href\s*=\s*[\"'](?!#)|<foreignObject", re.I)


@lru_cache(maxsize=512)
def typeset(tex: str, size_pt: float, colour: str = "#000000", fmt: str = "svg",
            dpi: int = 72, display: bool = True, macros: tuple[Macro, ...] = ()) -> Typeset:
    """Typeset `tex` (without dollar signs) at `size_pt` points in `colour`, on a transparent
    background (light glyphs on a dark slide must not sit on a white patch); `display` in
    display style (large sums and fractions), else in text style. `macros` are the lesson's
    own. Raises MathError. Kept for other workers and later builds (derived.py)."""
    try:
        source = prepare(expand(tex, macros))
    except TexTooLong as e:
        raise MathError(str(e)) from None
    made: list[Typeset] = []

    def packed() -> bytes:
        t = _typeset(source, size_pt, colour, fmt, dpi, display)
        made.append(t)
        return _PACKED + json.dumps([t.width_pt, t.height_pt, t.depth_pt]).encode() + b"\n" + t.data

    name = derived.key("math", source.encode(), repr((size_pt, colour, fmt, dpi, display)).encode())
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


def _typeset(tex: str, size_pt: float, colour: str, fmt: str, dpi: int,
             display: bool) -> Typeset:
    # ziamath loads a font and its tables (an eighth of a second): only for lessons with math
    import ziamath
    from ziamath.tex import tex2mml

    ziamath.config.svg2 = False          # plain paths: every SVG reader draws them
    _draw_rules()
    try:
        mathml = tex2mml(tex, inline=not display)
        unknown = unknown_command(mathml)
        if unknown:
            raise MathError(f"unknown command {unknown}")
        mathml = mathml.replace("<math ", f'<math mathcolor="{colour}" ', 1)
        m = ziamath.Math(mathml, size=size_pt, margin=MARGIN_PT)
        width, height = (x + 2 * MARGIN_PT for x in m.getsize())
        depth = -m.getyofst() + MARGIN_PT
        _check_size(width, height, dpi if fmt == "png" else 72)
        svg = m.svg().encode("utf-8")
    except MathError:
        raise
    except Exception as e:      # latex2mathml and ziamath raise assorted errors on bad TeX
        raise MathError(_reason(e)) from None
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + svg
    if fmt == "png":
        data = _png(data, dpi)
    return Typeset(data, float(width), float(height), float(depth))



@lru_cache(maxsize=1)
def _draw_rules() -> None:
    """Have ziamath draw the rules of the arrays texprep marked (it draws no table lines;
    MathJax draws `|` and `\\hline`): a table node that adds them after its own layout."""
    from ziamath import drawable
    from ziamath.nodes.mtable import Mtable

    class RuledTable(Mtable, tag="mtable"):
        def _setup(self, **kwargs) -> None:
            super()._setup(**kwargs)
            marked = getattr(self.parent, "element", None)
            rules = rules_of(marked.get("class", "")) if marked is not None else None
            if rules and self.nodes:
                _add_rules(self, *rules, drawable)


def _add_rules(table, horizontal: list[int], vertical: list[int], drawable) -> None:
    """Rules between and around the rows and columns of a laid-out table, which grows by
    half a cell spacing on each ruled side."""
    cells, rows, k = list(zip(table.nodes, table.nodexy, strict=True)), [], 0
    for element in table.element:
        rows.append(cells[k:k + len(element)])
        k += len(element)
    rows = [r for r in rows if r]
    tops = [min(y - n.bbox.ymax for n, (_, y) in r) for r in rows]
    bottoms = [max(y - n.bbox.ymin for n, (_, y) in r) for r in rows]
    ncols = max(len(r) for r in rows)
    space = table.size_px(table.element.get("columnspacing", "0.3em").split()[0])
    starts = [min(x for n, (x, _) in ((r[c][0], r[c][1]) for r in rows if len(r) > c))
              for c in range(ncols)]
    left = space / 2 if 0 in vertical else 0
    right = space / 2 if ncols in vertical else 0
    table.nodexy = [(x + left, y) for x, y in table.nodexy]
    width = table.bbox.xmax + left + right
    pad = table.size_px("0.3em") / 2
    top, bottom = tops[0] - pad, bottoms[-1] + pad
    lw = table.units_to_points(table.font.math.consts.radicalRuleThickness)
    for n in horizontal:
        y = top if n == 0 else bottom if n >= len(rows) else (bottoms[n - 1] + tops[n]) / 2
        table.nodes.append(drawable.HLine(width, lw, style=table.style))
        table.nodexy.append((0, y - lw / 2))
    for c in vertical:
        x = 0 if c == 0 else width if c >= ncols else starts[c] + left - space / 2
        table.nodes.append(drawable.VLine(bottom - top, lw, style=table.style))
        table.nodexy.append((min(max(x, lw / 2), width - lw / 2), top))
    table.bbox = type(table.bbox)(0, width, min(table.bbox.ymin, -bottom - lw),
                                  max(table.bbox.ymax, -top + lw))

def _check_size(width: float, height: float, dpi: int) -> None:
    if not (0 < width < math.inf and 0 < height < math.inf):
        raise MathError(f"the typesetter measured it as {width:,.0f} × {height:,.0f} pt")
    pixels = width * height * (dpi / 72) ** 2
    if max(width, height) > MAX_SIDE_PT or pixels > MAX_PIXELS:
        raise MathError(f"it would be {width:,.0f} × {height:,.0f} pt, too large to show")


def _png(svg: bytes, dpi: int) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=svg, scale=dpi / 72)


# What latex2mathml's exceptions mean, for an author.
_REASONS = {"NoAvailableTokensError": "it ends too early: a '}' or an argument is missing",
            "MissingSuperScriptOrSubscriptError": "a '^' or '_' has nothing to apply to",
            "DoubleSuperscriptsError": "two '^' in a row (use braces)",
            "DoubleSubscriptsError": "two '_' in a row (use braces)",
            "MissingEndError": "an \\end or a '}' is missing",
            "ExtraLeftOrMissingRightError": "a \\left has no \\right",
            "DenominatorNotFoundError": "a fraction has no denominator",
            "RecursionError": "it is nested too deeply"}


def _reason(e: Exception) -> str:
    name = type(e).__name__
    if name in _REASONS:
        return _REASONS[name]
    text = " ".join(str(e).split())
    return f"{name}: {text}"[:120] if text else f"the TeX cannot be read ({name})"


SHOWN_TEX = 300          # characters of a formula shown as TeX when it cannot be typeset


def not_typeset(tex: str, error: MathError) -> str:
    """The warning for a formula that could not be typeset: one message for every output, so
    that a build reports it once."""
    short = " ".join(tex.split())
    short = short if len(short) <= 60 else short[:59] + "…"
    return f"math '{short}' could not be typeset ({error}); shown as TeX"


def shown_tex(tex: str) -> str:
    """A formula's TeX as an output shows it in its place: its start, when it is long."""
    tex = tex.strip()
    return tex if len(tex) <= SHOWN_TEX else tex[:SHOWN_TEX - 1] + "…"
