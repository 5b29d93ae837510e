"""Liquid's values: the filters styles lessons apply, and how a value becomes text."""
from __future__ import annotations

SIMPLE_FILTERS = {
    "downcase": lambda v: str(v).lower(),
    "upcase": lambda v: str(v).upper(),
    "strip": lambda v: str(v).strip(),
    "relative_url": lambda v: v,
    "absolute_url": lambda v: v,
    "escape": lambda v: v,
    "markdownify": lambda v: v,
    "size": lambda v: len(v) if v is not None else 0,
    "first": lambda v: v[0] if v else None,
    "last": lambda v: v[-1] if v else None,
}
ARG_FILTERS = {
    "slice": lambda v, start, length=1: str(v)[int(start):][:int(length)],
    "split": lambda v, sep: _ruby_split(str(v or ""), str(sep)),
    "minus": lambda v, x: (v or 0) - (x or 0),
    "plus": lambda v, x: (v or 0) + (x or 0),
    "append": lambda v, x: f"{v or ''}{x or ''}",
    "prepend": lambda v, x: f"{x or ''}{v or ''}",
    "remove": lambda v, x: str(v or "").replace(str(x), ""),
    "replace": lambda v, a, b="": str(v or "").replace(str(a), str(b or "")),
    "join": lambda v, sep=" ": str(sep).join(str(i) for i in (v or [])),
}


def _ruby_split(text: str, sep: str) -> list[str]:
    """Liquid's split is Ruby's: no separator splits into characters, trailing empties go."""
    parts = text.split(sep) if sep else list(text)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def split_filters(text: str) -> list[str]:
    """Split 'x | f: a | g' on pipes outside quotes."""
    parts, cur, quote = [], [], None
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            cur.append(ch)
        elif ch == "|":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "".join(to_text(v) for v in value)
    return str(value)
