"""knitr code chunks as R Markdown writes them: the header (```` ```{r name, opt=value} ````),
its options as R values, and which expressions `echo` shows.

slidegen has no R to ask, so option values are read as the R literals lessons write (`TRUE`,
`-1`, `c(1, 3)`, `2:3`, `"bash"`); anything else is kept as its text. knitr counts `echo=-1`
in expressions, not lines, so the code is split into top-level R expressions the way R's parser
would for the code lessons write (brackets, strings, comments, lines ending in an operator).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# knitr's own pattern for a chunk opener in Markdown (all_patterns$md$chunk.begin).
OPENER = re.compile(r"^(?P<indent>[\t >]*)(?P<fence>`{3,})\s*\{(?P<spec>[a-zA-Z0-9_]+.*?)\}\s*$")
# Inline code knitr evaluates: `r expr` (knitr's all_patterns$md$inline.code).
INLINE = re.compile(r"(?<!``)`r[ #]([^`]+?)\s*`")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
RANGE = re.compile(r"^(-?)(\()?\s*(-?\d+)\s*:\s*(-?\d+)\s*(?(2)\))$")
VECTOR = re.compile(r"^(-?)c\((.*)\)$", re.S)
# A line ending in one of these goes on to the next line (R reads the expression on).
CONTINUES = re.compile(r"(?:[-+*/^,=&|~<>!:$@]|%[^%]*%|\|>|<-|\bin)\s*$")


class RValue(str):
    """An option value that is not a literal slidegen understands: its R text."""


@dataclass(frozen=True)
class Header:
    engine: str                 # "r", "python", "bash", "embed" …
    label: str                  # "" when the chunk has none
    options: dict = field(default_factory=dict)     # name -> Python value (see parse_value)
    raw: dict = field(default_factory=dict)         # name -> the text the author wrote


def parse_header(spec: str) -> Header:
    """`r name, echo=FALSE` (the inside of the braces) to its engine, label and options."""
    spec = spec.strip()
    m = re.match(r"([a-zA-Z0-9_]+)\s*,?\s*(.*)$", spec, re.S)
    engine, rest = (m.group(1), m.group(2)) if m else (spec, "")
    label = ""
    options, raw = {}, {}
    for i, part in enumerate(split_args(rest)):
        name, eq, value = part.partition("=")
        if not eq or not re.fullmatch(r"\s*[\w.]+\s*", name) or value.startswith("="):
            if i == 0 and not label:
                label = part.strip().strip("'\"")
            continue
        name = name.strip()
        raw[name] = value.strip()
        options[name] = parse_value(value.strip())
    return Header(engine.lower(), label, options, raw)


def split_args(text: str) -> list[str]:
    """Top-level comma-separated parts of an argument list (commas in strings and brackets
    belong to their value)."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_value(text: str):
    """An R literal as Python: TRUE/FALSE -> bool, numbers and integer vectors (`-1`, `2:3`,
    `c(1, 3)`, `-c(1:2)`) -> int or list of ints, strings -> str, `c("a", "b")` -> list of
    str, NULL/NA -> None; anything else -> RValue (its text)."""
    raw = text.strip()
    if raw in ("TRUE", "T"):
        return True
    if raw in ("FALSE", "F"):
        return False
    if raw in ("NULL", "NA"):
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    if NUMBER.match(raw):
        return float(raw) if "." in raw else int(raw)
    numbers = _integers(raw)
    if numbers is not None:
        return numbers
    v = VECTOR.match(raw)
    if v and not v.group(1):
        items = [parse_value(x) for x in split_args(v.group(2))]
        if all(isinstance(x, str) and not isinstance(x, RValue) for x in items):
            return items
    return RValue(raw)


def _integers(t: str) -> list[int] | None:
    """`2:3`, `-(1:2)`, `c(1, 3:4)`, `-c(1, 2)` as R reads them (`-1:2` is `(-1):2`)."""
    r = RANGE.match(t)
    if r:
        negate = bool(r.group(1)) and bool(r.group(2))
        a = int(r.group(3)) * (-1 if r.group(1) and not negate else 1)
        b = int(r.group(4))
        seq = list(range(a, b + 1)) if a <= b else list(range(a, b - 1, -1))
        return [-x for x in seq] if negate else seq
    v = VECTOR.match(t)
    if not v:
        return None
    out: list[int] = []
    for item in split_args(v.group(2)):
        if NUMBER.match(item) and "." not in item:
            out.append(int(item))
            continue
        sub = _integers(item)
        if sub is None:
            return None
        out.extend(sub)
    return [-x for x in out] if v.group(1) else out


def truthy(value, default: bool = True) -> bool:
    """An option as a yes/no (a numeric selection counts as yes; an unknown R expression as the
    default)."""
    if isinstance(value, bool):
        return value
    if value is None or isinstance(value, RValue):
        return default
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, list):
        return bool(value)
    return default


def selected(value, count: int) -> list[int] | None:
    """The 0-based expressions a numeric `echo` (or `eval`) shows out of `count`; None when the
    option is not a numeric selection. Positive numbers pick, negative ones leave out (R's rule:
    they cannot be mixed; a mix picks nothing)."""
    if isinstance(value, bool) or not isinstance(value, (int, list)):
        return None
    picks = value if isinstance(value, list) else [value]
    if all(p > 0 for p in picks):
        return sorted({p - 1 for p in picks if p <= count})
    if all(p < 0 for p in picks):
        return [i for i in range(count) if -(i + 1) not in picks]
    return []


def expressions(lines: list[str], engine: str = "r") -> list[list[int]]:
    """The chunk's code split into expressions: lists of 0-based line indices. Comment and
    blank lines go with the expression after them (trailing ones with the last). Code that is
    not R counts one expression a line, as knitr's other engines show it."""
    groups: list[list[int]] = []
    pending: list[int] = []
    depth, quote = 0, None
    current: list[int] | None = None
    for i, line in enumerate(lines):
        if current is None and quote is None and depth == 0 and _blank_or_comment(line):
            pending.append(i)
            continue
        if current is None:
            current, pending = pending + [i], []
        else:
            current.append(i)
        if engine != "r":
            groups.append(current)
            current = None
            continue
        depth, quote, code = _scan(line, depth, quote)
        if depth <= 0 and quote is None and not CONTINUES.search(code):
            groups.append(current)
            current, depth = None, 0
    if current is not None:
        groups.append(current)
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    return groups


def _blank_or_comment(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def _scan(line: str, depth: int, quote: str | None) -> tuple[int, str | None, str]:
    """Bracket depth and open string after `line`, and the line's code without its comment."""
    code_end = len(line)
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "#":
            code_end = i
            break
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    return depth, quote, line[:code_end].rstrip()
