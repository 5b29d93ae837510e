"""Smart punctuation in prose, as kramdown (styles) and pandoc (Workbench) print it: `---` an
em dash, `--` an en dash, `...` an ellipsis, straight quotes curly. Code, maths and web
addresses keep their characters."""
from __future__ import annotations

import re

from ..model import Span

# Each tried where a word starts only: tried at every character, the address's first part
# scanned the rest of a long word each time (a 100,000-character word took 22 s).
LITERAL = re.compile(r"(?<![\w.+/:-])"
                     r"(?:(?:https?|ftp|file)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)")
DASHES = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"))
OPENS_AFTER = set(" \t\n([{<\u2014\u2013-/\u201c\u2018")


def smarten(spans: list[Span]) -> list[Span]:
    """The spans with prose punctuation made typographic; the character before a span (from
    the span before it) decides whether its quotes open or close."""
    out: list[Span] = []
    before = " "
    for s in spans:
        if s.code or s.math or (s.href and s.href.rstrip("/") == s.text.rstrip("/")):
            out.append(s)
            before = "x"          # code and links count as a word: a quote after them closes
            continue
        text = _smart(s.text, before)
        out.append(s if text == s.text else Span(text, s.bold, s.italic, s.code, s.strike,
                                                 s.math, s.href))
        before = text[-1:] or before
    return out


def _smart(text: str, before: str) -> str:
    if not any(c in text for c in "-.\"'"):
        return text
    parts = []
    pos = 0
    for m in LITERAL.finditer(text):
        parts.append((text[pos:m.start()], True))
        parts.append((m.group(0), False))
        pos = m.end()
    parts.append((text[pos:], True))
    out = []
    for part, prose in parts:
        if prose:
            for plain, fancy in DASHES:
                part = part.replace(plain, fancy)
            part = _quotes(part, before)
        out.append(part)
        before = part[-1:] or before
    return "".join(out)


def _quotes(text: str, before: str) -> str:
    chars = list(text)
    for i, c in enumerate(chars):
        if c not in "\"'":
            continue
        prev = chars[i - 1] if i else before
        nxt = chars[i + 1] if i + 1 < len(chars) else " "
        opening = prev in OPENS_AFTER and not nxt.isspace()
        if c == '"':
            chars[i] = "\u201c" if opening else "\u201d"
        elif prev.isalnum() and nxt.isalnum():
            chars[i] = "\u2019"           # an apostrophe: don't, Python's
        else:
            chars[i] = "\u2018" if opening and not nxt.isdigit() else "\u2019"
    return "".join(chars)
