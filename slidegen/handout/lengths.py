"""CSS lengths from theme tokens ("22mm", "4cm", "10pt"), in points."""
from __future__ import annotations

import re

from ..units import PT_PER_INCH, PT_PER_PX

UNITS = {"pt": 1.0, "mm": PT_PER_INCH / 25.4, "cm": PT_PER_INCH / 2.54, "in": PT_PER_INCH,
         "px": PT_PER_PX, "pc": 12.0}


def length_pt(css: str) -> float:
    """A CSS length from a theme token, in points."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*(pt|mm|cm|in|px|pc)?\s*", str(css))
    if not m:
        raise ValueError(f"not a CSS length: {css!r}")
    return float(m.group(1)) * UNITS[m.group(2) or "pt"]
