"""The lesson's own MathJax configuration, as its site pages load it: whether `$ … $` is math
there, and the macros it defines. A styles lesson configures MathJax in its `_layouts` or
`_includes` (MathJax 2's `MathJax.Hub.Config({tex2jax: {inlineMath: …}, TeX: {Macros: …}})`
or MathJax 3's `MathJax = {tex: {inlineMath: …, macros: …}}`); `assets/` may hold it as a
script. What is not found is left to the reader's default rules.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

PLACES = ("_layouts", "_includes", os.path.join("assets", "js"))
SUFFIXES = (".html", ".js")
MAX_BYTES = 1_000_000            # a page template is far smaller; larger files are not read


@dataclass(frozen=True)
class MathSetup:
    # `$ … $` on the lesson's pages: True (its MathJax reads it, spaces and all), False (its
    # MathJax is loaded without it: the dollars are text), None (no MathJax found).
    dollars: bool | None = None
    macros: tuple[tuple[str, int, str], ...] = ()     # (name, arguments, body)
    files: tuple[str, ...] = ()      # where it was read (lesson-relative), for rebuilds


def find_mathjax(root: str) -> MathSetup:
    """The MathJax configuration in the lesson at `root`."""
    dollars: bool | None = None
    macros: dict[str, tuple[int, str]] = {}
    files = []
    for rel, text in _templates(root):
        if "mathjax" not in text.lower():
            continue
        files.append(rel)
        found = _dollars(text)
        dollars = bool(dollars) or found
        for name, nargs, body in _macros(text):
            macros[name] = (nargs, body)
    return MathSetup(dollars, tuple((n, a, b) for n, (a, b) in sorted(macros.items())),
                     tuple(files))


def _templates(root: str):
    for place in PLACES:
        folder = os.path.join(root, place)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if not name.endswith(SUFFIXES) or not os.path.isfile(path):
                continue
            try:
                if os.path.getsize(path) > MAX_BYTES:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    yield os.path.join(place, name).replace(os.sep, "/"), f.read()
            except OSError:
                continue


_INLINE = re.compile(r"inlineMath\s*:\s*\[(.*?\])\s*\]", re.S)
_DOLLAR = re.compile(r"""\[\s*(['"])\$\1\s*,""")


def _dollars(text: str) -> bool:
    """Whether a page's MathJax reads `$ … $`: only where `inlineMath` lists it (MathJax's own
    default leaves dollars alone)."""
    return any(_DOLLAR.search(m.group(1)) for m in _INLINE.finditer(text))


_MACROS = re.compile(r"""\b[Mm]acros['"]?\s*:\s*\{""")
_STRING = r"""(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")"""
_ENTRY = re.compile(r"""['"]?([A-Za-z]+)['"]?\s*:\s*(?:""" + _STRING
                    + r"""|\[\s*""" + _STRING + r"""\s*,\s*(\d)\s*(?:,[^\]]*)?\])""", re.S)


def _macros(text: str):
    """(name, arguments, body) of each macro a `Macros: {…}` / `macros: {…}` object defines."""
    for m in _MACROS.finditer(text):
        depth, end = 1, m.end()
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        for e in _ENTRY.finditer(text[m.end():end - 1]):
            body = next(g for g in (e.group(2), e.group(3), e.group(4), e.group(5))
                        if g is not None)
            yield e.group(1), int(e.group(6) or 0), _js_string(body)


def _js_string(s: str) -> str:
    """A JavaScript string literal's value (the escapes TeX in a config uses)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)
