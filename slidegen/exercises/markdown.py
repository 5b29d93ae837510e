"""Model blocks as plain Markdown that pastes cleanly into a collaborative document.

CommonMark only (no kramdown attribute lines, no pandoc divs): boxes become quoted blocks with a
bold label, code keeps its fences and language, math keeps its dollars. Text from the lesson is
escaped so that it means in the notes what it meant on the lesson's page.
"""
from __future__ import annotations

import re

from ..i18n import t
from ..kinds import label
from ..model import (
    Code,
    Heading,
    Image,
    Inline,
    ListBlock,
    Math,
    Paragraph,
    Special,
    Table,
)

# Characters that would start Markdown syntax inside running text.
SCRIPT_MARKS = {"sup": "^", "sub": "~"}          # pandoc's and HackMD's 2^10^ and H~2~O
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# A line start that Markdown would read as a heading, list item, quote or rule.
LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s|$)")


def escape(text: str) -> str:
    return INLINE_SPECIAL.sub(r"\\\1", text)


def inline(spans: Inline) -> str:
    """Spans with their formatting; a link keeps its target, math its dollars."""
    out = []
    for s in spans:
        if s.math:
            text = f"${s.text}$"
        elif s.code:
            ticks = "`" * (max(map(len, re.findall(r"`+", s.text)), default=0) + 1)
            pad = " " if s.text.startswith("`") or s.text.endswith("`") else ""
            text = f"{ticks}{pad}{s.text}{pad}{ticks}"
        else:
            text = escape(s.text)
            if s.bold and s.text.strip():
                text = f"**{text}**"
            if s.italic and s.text.strip():
                text = f"*{text}*"
            if s.strike and s.text.strip():
                text = f"~~{text}~~"
            if s.script and s.text.strip():
                text = f"{SCRIPT_MARKS[s.script]}{text}{SCRIPT_MARKS[s.script]}"
        if s.href and not s.math:
            text = f"[{text}]({s.href.replace(' ', '%20').replace(')', '%29')})"
        out.append(text)
    return "".join(out)


def _paragraph(spans: Inline) -> str:
    text = inline(spans).replace("\r", "")
    return "\n".join(LINE_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def blocks(items, *, heading_level: int = 4) -> str:
    """Blocks as Markdown paragraphs separated by blank lines."""
    return "\n\n".join(p for p in (block(b, heading_level) for b in items) if p)


def block(b, heading_level: int = 4) -> str:
    if isinstance(b, Paragraph):
        return _paragraph(b.spans)
    if isinstance(b, Heading):
        return "#" * min(6, heading_level) + " " + inline(b.spans)
    if isinstance(b, ListBlock):
        return _list(b, heading_level)
    if isinstance(b, Code):
        return code(b.text, b.lang if b.role == "source" else b.role)
    if isinstance(b, Math):
        return f"$$\n{b.tex}\n$$"
    if isinstance(b, Image):
        return _image(b)
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Special):
        return _box(b, heading_level)
    return ""


def code(text: str, lang: str | None) -> str:
    fence = "`" * max(3, max(map(len, re.findall(r"`{3,}", text)), default=0) + 1)
    return f"{fence}{lang or ''}\n{text}\n{fence}"


def _list(b: ListBlock, heading_level: int) -> str:
    lines = []
    for n, item in enumerate(b.items, b.start):
        marker = f"{n}. " if b.ordered else "- "
        body = blocks(item, heading_level=heading_level) or ""
        pad = " " * len(marker)
        first, *rest = body.split("\n") if body else [""]
        lines.append(marker + first)
        lines.extend((pad + line) if line else "" for line in rest)
    return "\n".join(lines)


def _image(b: Image) -> str:
    words = inline(b.caption) if b.caption else escape(b.alt)
    if b.remote:
        return f"![{escape(b.alt)}]({b.src})" + (f"\n*{words}*" if b.caption else "")
    figure = t("Figure")                  # (pybabel reads no f-string's calls)
    return f"*{figure}: {words}*" if words else ""


def _table(b: Table) -> str:
    def row(cells) -> str:
        return "| " + " | ".join(inline(c).replace("\n", " ") or " " for c in cells) + " |"
    width = max([len(b.header)] + [len(r) for r in b.rows])
    header = tuple(b.header) + ((),) * (width - len(b.header))
    align = {"left": ":---", "right": "---:", "center": ":---:"}
    rule = "| " + " | ".join(align.get(a or "", "---")
                             for a in (tuple(b.align) + (None,) * width)[:width]) + " |"
    return "\n".join([row(header), rule] + [row(r) for r in b.rows])


def _box(b: Special, heading_level: int) -> str:
    """A hint, callout or nested exercise as a quoted block under its bold title."""
    title = b.title or label(b.kind)
    head = f"**{escape(title)}**" if title else ""
    body = blocks(b.children, heading_level=heading_level + 1)
    text = "\n\n".join(p for p in (head, body) if p)
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))
