"""TeX as lessons write it for MathJax, made ready for the typesetter (latex2mathml, then
ziamath): the lesson's own macros expanded, and the few MathJax habits latex2mathml reads
otherwise rewritten. Also the size cap: a formula is refused before any work is done on it
when it is longer than anyone would typeset (a pasted data dump, a hostile file), because
typesetting time and memory grow with its length.
"""
from __future__ import annotations

import re

MAX_TEX = 5000           # characters of TeX (after macros): about 2 s to typeset, 50 MB
MAX_PASSES = 20          # rounds of macro expansion (a macro using itself stops here)

# (name without backslash, number of arguments, body with #1 … #9)
Macro = tuple[str, int, str]


class TexTooLong(ValueError):
    """The formula is longer than MAX_TEX characters, before or after its macros."""


def too_long(tex: str) -> str:
    return (f"it is {len(tex):,} characters long, more than the {MAX_TEX:,} slidegen "
            "typesets")


def expand(tex: str, macros: tuple[Macro, ...]) -> str:
    """`tex` with the lesson's macros (its MathJax configuration's) replaced by their bodies."""
    if len(tex) > MAX_TEX:
        raise TexTooLong(too_long(tex))
    if not macros:
        return tex
    table = {name: (nargs, body) for name, nargs, body in macros}
    pattern = re.compile(r"\\(" + "|".join(re.escape(n) for n in sorted(table, key=len,
                                                                          reverse=True))
                         + r")(?![A-Za-z])")
    for _ in range(MAX_PASSES):
        out = _expand_once(tex, pattern, table)
        if out == tex:
            break
        if len(out) > MAX_TEX:
            raise TexTooLong(too_long(out) + " once its macros are expanded")
        tex = out
    return tex


def _expand_once(tex: str, pattern: re.Pattern, table: dict) -> str:
    out, i = [], 0
    for m in pattern.finditer(tex):
        if m.start() < i:
            continue
        nargs, body = table[m.group(1)]
        j, args = m.end(), []
        for _ in range(nargs):
            arg, j = _argument(tex, j)
            args.append(arg)
        text = _fill(body, args)
        out += [tex[i:m.start()], "{" + text + "}" if nargs else text + " "]
        i = j
    return "".join(out) + tex[i:]


def _fill(body: str, args: list[str]) -> str:
    """A macro's body with #1 … #9 replaced by its arguments."""
    return re.sub(r"#([1-9])", lambda a: args[int(a.group(1)) - 1]
                  if int(a.group(1)) <= len(args) else "", body)


def _argument(tex: str, j: int) -> tuple[str, int]:
    """One macro argument at `j`: a braced group or a single token."""
    while j < len(tex) and tex[j].isspace():
        j += 1
    if j >= len(tex):
        return "", j
    if tex[j] != "{":
        m = re.match(r"\\[A-Za-z]+|\\.|.", tex[j:], re.S)
        return m.group(0), j + len(m.group(0))
    depth = 0
    for k in range(j, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[k], 0) if tex[k - 1:k] != "\\" else 0
        if depth == 0:
            return tex[j + 1:k], k + 1
    return tex[j + 1:], len(tex)


# MathJax habits latex2mathml reads otherwise, as (pattern, replacement).
_REWRITES = (
    # A Markdown escape left inside math (`p \< 0.05`): the author means the sign.
    (re.compile(r"\\<"), "<"),
    # MathJax numbers no equation unless configured to: the starred forms, and no labels.
    (re.compile(r"\\(begin|end)\{(align|equation)\}"), r"\\\1{\2*}"),
    (re.compile(r"\\(?:label\{[^}]*\}|nonumber|notag)"), ""),
    (re.compile(r"\\(begin|end)\{equation\*\}"), ""),
    (re.compile(r"\\begin\{alignat\*?\}\{\d+\}"), r"\\begin{align*}"),
    (re.compile(r"\\end\{alignat\*?\}"), r"\\end{align*}"),
    (re.compile(r"\\begin\{eqnarray\*?\}"), r"\\begin{array}{rcl}"),
    (re.compile(r"\\end\{eqnarray\*?\}"), r"\\end{array}"),
    (re.compile(r"\\AA(?![A-Za-z])"), "\u212b"),
    (re.compile(r"\\P(?![A-Za-z])"), "\u00b6"),
    # A sized delimiter before an angle bracket: the bracket itself.
    (re.compile(r"(\\[bB]igg?[lrm]?)\s*\\langle(?![A-Za-z])"), "\\1\u27e8"),
    (re.compile(r"(\\[bB]igg?[lrm]?)\s*\\rangle(?![A-Za-z])"), "\\1\u27e9"),
    (re.compile(r"\\hline(?![A-Za-z])"), ""),
    # A line break with nothing before or after it (`$\\beta$`, a backslash doubled by an
    # author escaping Markdown): MathJax shows no empty line; the typesetter measured one as
    # 20,000 pt tall, upwards.
    (re.compile(r"^(?:\s*\\\\)+\s*|(?:\s*\\\\)+\s*$"), ""),
)


def prepare(tex: str) -> str:
    """TeX the typesetter reads as MathJax would."""
    tex = _ARRAY.sub(_ruled_array, _TAG.sub(_tag, tex.strip()))
    for pattern, replacement in _REWRITES:
        tex = pattern.sub(replacement, tex)
    return _math_in_text(tex)


# An equation's tag: MathJax sets it apart at the right of the line, in text mode, in
# parentheses unless starred; latex2mathml would print it against the formula ("x = 1(1)").
_TAG = re.compile(r"\\tag(\*?)\s*\{([^{}]*)\}")


def _tag(m: re.Match) -> str:
    return r"\qquad\text{" + (m.group(2) if m.group(1) else f"({m.group(2)})") + "}"


# Text-mode commands, and math inside their text, which MathJax typesets as math (latex2mathml
# would print the dollar signs).
_TEXT_MODE = re.compile(r"\\(?:text|textrm|textit|textbf|textsf|texttt|mbox|hbox)\s*(?=\{)")
_INNER_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)", re.S)


def _math_in_text(tex: str) -> str:
    """`\\text{if $x > 0$}` as `\\text{if }{x > 0}`: the text around the math stays text."""
    out, i = [], 0
    for m in _TEXT_MODE.finditer(tex):
        if m.start() < i:
            continue
        body, j = _argument(tex, m.end())
        if not _INNER_MATH.search(body):
            continue
        out.append(tex[i:m.start()])
        at = 0
        for inner in _INNER_MATH.finditer(body):
            if inner.start() > at:
                out.append(m.group(0).rstrip() + "{" + body[at:inner.start()] + "}")
            out.append("{" + (inner.group(1) or inner.group(2)) + "}")
            at = inner.end()
        if at < len(body):
            out.append(m.group(0).rstrip() + "{" + body[at:] + "}")
        i = j
    return "".join(out) + tex[i:]


_UNKNOWN = re.compile(r">\s*(\\[A-Za-z]+)\s*<")


def unknown_command(mathml: str) -> str | None:
    """A command the typesetter did not know (it leaves it as text in the MathML), which MathJax
    would show in red: the author has a typo or a macro we were not told of."""
    m = _UNKNOWN.search(mathml)
    return m.group(1) if m else None


# An array with rules (`|` in its columns, `\\hline` between rows). Neither latex2mathml
# (whose `rowlines` lose the frame) nor ziamath (which draws no table lines) shows them, so
# the array is marked with where its rules go, for the typesetter to draw (mathrender.py).
_ARRAY = re.compile(r"\\begin\{array\}\{([^{}]*)\}((?:(?!\\begin\{array\}).)*?)\\end\{array\}",
                    re.S)
_ROW_OR_RULE = re.compile(r"\\\\(?:\[[^\]]*\])?|\\hline(?![A-Za-z])")
RULES_CLASS = "sgrules"


def _ruled_array(m: re.Match) -> str:
    spec, body = m.group(1), m.group(2)
    if not re.fullmatch(r"[lcr|\s]*", spec) or ("|" not in spec and "\\hline" not in body):
        return m.group(0)                     # p{…}, @{…}: left as latex2mathml reads them
    columns, vertical = 0, []
    for ch in spec.replace(" ", ""):
        if ch == "|":
            vertical.append(columns)
        else:
            columns += 1
    rows, horizontal, at = 0, [], 0
    for token in _ROW_OR_RULE.finditer(body):
        if token.group(0).startswith("\\hline"):
            rows += bool(body[at:token.start()].strip())
            horizontal.append(rows)
        else:
            rows += 1
        at = token.end()
    marks = "-".join(["h", *map(str, horizontal), "v", *map(str, vertical)])
    bare = re.sub(r"\\hline(?![A-Za-z])", "", body)
    return (rf"\class{{{RULES_CLASS}-{marks}}}{{\begin{{array}}{{{spec.replace('|', '')}}}"
            rf"{bare}\end{{array}}}}")


def rules_of(mark: str) -> tuple[list[int], list[int]] | None:
    """Where an array's horizontal rules go (before row n; n = rows for the bottom) and its
    vertical ones (before column n), from the mark `_ruled_array` gave it."""
    parts = mark.split("-")
    if parts[:2] != [RULES_CLASS, "h"] or "v" not in parts:
        return None
    v = parts.index("v")
    return [int(n) for n in parts[2:v]], [int(n) for n in parts[v + 1:]]
