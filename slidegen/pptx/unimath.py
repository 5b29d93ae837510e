"""Inline TeX as Unicode text for a slide's text runs (x², tᵢ, α ≤ β, (a + 1)/2, √x), which
cannot hold pictures: commands read by structure, so that a fraction never reads "frac11".
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from unicodeit.data import COMBININGMARKS, REPLACEMENTS, SUBSUPERSCRIPTS

from ..media.mathrender import shown_tex
from ..media.texprep import TexTooLong, expand

SYMBOLS = {k[1:]: v for k, v in REPLACEMENTS
           if k.startswith("\\") and re.fullmatch(r"\\[A-Za-z]+", k)}
SYMBOLS.update({"lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|", "<": "<", ">": " ",
                "lbrace": "{", "rbrace": "}", "{": "{", "}": "}", "|": "‖", "%": "%", "$": "$",
                "&": "&", "#": "#", "_": "_"})
# Letters in a font (\mathbb{R} → ℝ), by font and letter.
FONTS = {k[1:]: v for k, v in REPLACEMENTS
         if re.fullmatch(r"\\math(?:bb|cal|frak|scr)\{[A-Za-z]\}", k)}
# Matrix environments: their brackets; rows read "a b; c d".
BRACKETS = {"pmatrix": "()", "bmatrix": "[]", "Bmatrix": "{}", "vmatrix": "||", "Vmatrix": "‖‖"}
SUPER = {k[1:]: v for k, v in SUBSUPERSCRIPTS if k.startswith("^")}
SUB = {k[1:]: v for k, v in SUBSUPERSCRIPTS if k.startswith("_")}
ACCENTS = {k[1:]: v for k, v in COMBININGMARKS}
ACCENTS.update({"bar": "\u0304", "vec": "\u20d7", "hat": "\u0302", "dot": "\u0307",
                "ddot": "\u0308"})
TEXT = {"text", "textrm", "textit", "textbf", "mathrm", "mathit", "mathbf", "mathsf", "mathtt",
        "operatorname", "boldsymbol", "mbox"}
SPACES = {",": " ", ";": " ", ":": " ", "!": "", "quad": "  ", "qquad": "   ", " ": " "}
IGNORED = {"middle", "displaystyle", "textstyle", "limits", "nolimits", "nonumber",
           "notag", "hline"} | {size + side for size in ("big", "Big", "bigg", "Bigg")
                                for side in ("", "l", "r", "m")}
# The lesson's MathJax macros while one of its decks is planned (see `lesson_macros`).
MACROS: ContextVar[tuple] = ContextVar("MACROS", default=())
TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}^_])|(\s+)|(.)", re.S)


def tex_to_unicode(tex: str) -> str:
    """Readable Unicode for inline TeX (the start of its TeX when it is too long to typeset:
    the build has said so)."""
    try:
        tex = expand(tex, MACROS.get())
    except TexTooLong:
        return shown_tex(tex)
    tokens = [m for m in TOKEN.finditer(tex)]
    out, _ = _render(tokens, 0, stop=None)
    out = " ".join(out.split())
    return re.sub(r"\s+([);\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", out))


@contextmanager
def lesson_macros(macros: tuple) -> Iterator[None]:
    """Read math with a lesson's own macros (LessonConfig.math_macros) within this block."""
    token = MACROS.set(macros)
    try:
        yield
    finally:
        MACROS.reset(token)


def _render(tokens, i: int, stop) -> tuple[str, int]:
    out = []
    while i < len(tokens):
        cmd, special, space, char = tokens[i].groups()
        if special == "}" and stop == "}":
            return "".join(out), i + 1
        if special in ("^", "_"):
            arg, i = _argument(tokens, i + 1)
            out.append(_script(arg, SUPER if special == "^" else SUB, special))
            continue
        if special == "{":
            inner, i = _render(tokens, i + 1, "}")
            out.append(inner)
            continue
        i += 1
        if space or char == "&":
            out.append(" ")
        elif char is not None or special == "}":
            out.append(char or "")
        elif cmd is not None:
            if cmd == "right":              # "\\left( x \\right)" reads "(x)"
                out[-1:] = [out[-1].rstrip()] if out else []
            text, i = _command(cmd, tokens, i)
            out.append(text)
    return "".join(out), i


def _argument(tokens, i: int) -> tuple[str, int]:
    """One argument: a group, a command or a character (spaces before it skipped)."""
    while i < len(tokens) and tokens[i].group(3):
        i += 1
    if i >= len(tokens):
        return "", i
    cmd, special, _, char = tokens[i].groups()
    if special == "{":
        return _render(tokens, i + 1, "}")
    if cmd is not None:
        return _command(cmd, tokens, i + 1)
    return char or "", i + 1


def _command(cmd: str, tokens, i: int) -> tuple[str, int]:
    if cmd == "frac" or cmd in ("dfrac", "tfrac"):
        top, i = _argument(tokens, i)
        bottom, i = _argument(tokens, i)
        return f"{_atom(top)}/{_atom(bottom)}", i
    if cmd == "sqrt":
        index = ""
        if i < len(tokens) and tokens[i].group(4) == "[":
            j = i + 1
            while j < len(tokens) and tokens[j].group(4) != "]":
                index += tokens[j].group(0)
                j += 1
            i = j + 1
        arg, i = _argument(tokens, i)
        return _script(index, SUPER, "^") + "√" + _atom(arg), i
    if cmd in ("left", "right"):
        delimiter, i = _argument(tokens, i)
        while cmd == "left" and i < len(tokens) and tokens[i].group(3):
            i += 1
        return ("" if delimiter == "." else delimiter), i
    if cmd in TEXT:
        if i < len(tokens) and tokens[i].group(4) == "*":        # \operatorname*
            i += 1
        return _argument(tokens, i)
    if cmd in ("mathbb", "mathcal", "mathfrak", "mathscr"):
        arg, i = _argument(tokens, i)
        return "".join(FONTS.get(f"{cmd}{{{ch}}}", ch) for ch in arg), i
    if cmd == "unicode":
        arg, i = _argument(tokens, i)
        return _codepoint(arg), i
    if cmd in ("begin", "end"):
        name, i = _argument(tokens, i)
        if name == "array" and cmd == "begin":
            _, i = _argument(tokens, i)                         # its column spec
        pair = BRACKETS.get(name, "  ")
        return (pair[0] if cmd == "begin" else pair[1]).strip(), i
    if cmd == "\\":
        return "; ", i
    if cmd in ACCENTS:
        arg, i = _argument(tokens, i)
        return (arg + ACCENTS[cmd]) if len(arg) == 1 else arg, i
    if cmd in SPACES:
        return SPACES[cmd], i
    if cmd in IGNORED:
        return "", i
    if cmd in SYMBOLS:
        return SYMBOLS[cmd], i
    return cmd, i                     # \sin, \log, \{ … read as their names


def _codepoint(arg: str) -> str:
    """\\unicode{x212B} or \\unicode{8491}: the character."""
    try:
        n = int(arg[1:], 16) if arg[:1] in "xX" and arg[1:] else int(arg)
        return chr(n) if 0 < n < 0x110000 else ""
    except ValueError:
        return ""


def _atom(s: str) -> str:
    """`s` in brackets when it is more than one term."""
    s = s.strip()
    return f"({s})" if re.search(r"[\s+\-−*/=<>±·×]", s) and not re.fullmatch(r"\(.*\)", s) else s


def _script(s: str, table: dict, mark: str) -> str:
    s = s.strip()
    if not s:
        return ""
    if all(ch in table for ch in s):
        return "".join(table[ch] for ch in s)
    return f"{mark}{_atom(s)}" if len(s) > 1 else f"{mark}{s}"
