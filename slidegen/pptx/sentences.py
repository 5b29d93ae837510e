"""Sentences in runs of formatted text, so that slides take whole sentences and never break
inside one: a lead sentence for the slide, a long paragraph split between sentences.

Works on any frozen dataclass with a `text` field (the model's spans, a slide paragraph's runs);
`locked(piece)` says which pieces never hold a boundary (code, math, links).
"""
from __future__ import annotations

import re
from dataclasses import replace

# A sentence ends at . ! ? (or …), perhaps closed by quotes or brackets, before white space.
END = re.compile(r"[.!?…]+[\"'”’)\]*_]*(\s+)")
# Words whose full stop ends no sentence.
ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "cf.", "fig.", "figs.", "eq.", "dr.",
                           "mr.", "mrs.", "ms.", "no.", "approx.", "al.", "resp.", "incl.", "ca.",
                           "p.", "pp.", "vol.", "ed.", "jr.", "sr.", "st."})
STARTS = "\"'“‘([`*_¿¡"


def boundaries(pieces, locked=lambda piece: False) -> list[int]:
    """Offsets in the pieces' joined text where a new sentence starts."""
    text = "".join(p.text for p in pieces)
    closed = []
    pos = 0
    for p in pieces:
        if locked(p):
            closed.append((pos, pos + len(p.text)))
        pos += len(p.text)
    out = []
    for m in END.finditer(text):
        start = m.end()
        if start >= len(text) or any(a <= m.start() < b for a, b in closed):
            continue
        following = text[start]
        if not (following.isupper() or following.isdigit() or following in STARTS):
            continue
        word = text[:m.start(1)].rsplit(None, 1)[-1].lower() if text[:m.start(1)].strip() else ""
        if word in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.){1,3}", word):    # "U.S.", "a."
            continue
        out.append(start)
    return out


def cut(pieces, offsets) -> list[tuple]:
    """The pieces cut at text offsets: one tuple of pieces per part, white space at a cut
    dropped."""
    parts: list[list] = [[]]
    pos = 0
    todo = list(offsets)
    for p in pieces:
        text, start = p.text, pos
        while todo and todo[0] <= start + len(text) and todo[0] > start:
            k = todo.pop(0) - start
            head = text[:k].rstrip()
            if head:
                parts[-1].append(replace(p, text=head))
            parts.append([])
            text, start = text[k:].lstrip(), start + k
        if text:
            parts[-1].append(replace(p, text=text if parts[-1] else text.lstrip()))
        pos += len(p.text)
        while todo and todo[0] <= start:
            todo.pop(0)
            parts.append([])
    return [tuple(x) for x in parts if x]


def sentences(pieces, locked=lambda piece: False) -> list[tuple]:
    """The pieces as sentences."""
    return cut(pieces, boundaries(pieces, locked))


def words(pieces) -> int:
    return len("".join(p.text for p in pieces).split())
