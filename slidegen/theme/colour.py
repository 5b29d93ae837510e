"""Colour arithmetic for readable text: WCAG contrast, and picking or adjusting colours so text
on an accent (an episode's `colour`, a box background) stays readable."""
from __future__ import annotations

AA = 4.5          # WCAG AA for normal text
VISIBLE = 1.6     # a rule or bar that is not text must still stand out from the background


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def hex_of(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in (r, g, b))


def luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """t=0 gives a, t=1 gives b."""
    ra, rb = rgb(a), rgb(b)
    return hex_of(*(x + (y - x) * t for x, y in zip(ra, rb, strict=True)))


def readable_on(fg: str, bg: str, alternatives=(), minimum: float = AA) -> str:
    """`fg` if it reads on `bg`; else the best alternative; else `fg` darkened or lightened
    until it does."""
    if contrast(fg, bg) >= minimum:
        return fg
    for alt in alternatives:
        if contrast(alt, bg) >= minimum:
            return alt
    target = "#000000" if luminance(bg) > 0.18 else "#ffffff"
    for i in range(1, 21):
        c = mix(fg, target, i / 20)
        if contrast(c, bg) >= minimum:
            return c
    return target


def visible_on(colour: str, bg: str) -> str:
    """A version of `colour` that stands out from `bg` (for bars and rules, not text)."""
    return readable_on(colour, bg, minimum=VISIBLE)
