"""An R Markdown source (`.Rmd`) read as knitr would show it, without running anything.

knitr chunk options decide what a lesson's pages show, and authors use them to hide setup code
and answers: `include=FALSE` shows nothing, `echo=FALSE` hides the code, `echo=-1` or `echo=2:3`
hides some expressions. This pass rewrites each chunk into the plain fenced code the page would
show (the language taken from the engine), drops what the page would not show, marks code that
is never run, and replaces inline `r expr` (which the page shows as its value) with a mark
saying so. Results and plots exist only once an episode is knitted; the lesson says that once
(see knitted.py). Every line keeps the file and line it came from.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from ..model import Chunk, Code, ListBlock, Special
from ..paths import inside
from . import chunks as knitr
from .metadata import split_front_matter
from .syntax.fences import fence_after
from .text import Expanded, read_text

# Engines and the language their code is highlighted as.
ENGINE_LANGS = {"r": "r", "rscript": "r", "python": "python", "bash": "bash", "sh": "bash",
                "zsh": "bash", "sql": "sql", "rcpp": "cpp", "cpp": "cpp", "c": "c",
                "js": "javascript", "css": "css", "stan": "stan", "julia": "julia",
                "asis": "markdown", "yaml": "yaml"}
COMMENT = {"sql": "--", "cpp": "//", "c": "//", "javascript": "//", "css": None, "markdown": None}
NOT_RUN = "(not run)"
VERBATIM = ("verbatim", "embed_verbatim", "cat", "text")
EMBED_MAX = 100_000           # bytes of a file an `embed` chunk shows
OPTS_SET = re.compile(r"(?:knitr::)?opts_chunk\$set\s*\(", re.S)
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@dataclass
class _Chunk:
    start: int                     # index of the opener line
    end: int                       # index of the closing fence (or the last line)
    indent: str
    header: knitr.Header
    line: int                      # the opener's line in the author's file


def read_rmd(text: Expanded, root: str, episode_dir: str, chunks_out: dict,
             code_out: dict | None = None) -> Expanded:
    """The pass: `chunks_out` receives a `model.Chunk` per chunk, by its opener's line, and
    `code_out` (when given) the code its page shows."""
    lines, origins = text.text.split("\n"), text.origins
    out_lines: list[str] = []
    out_origins: list = []
    defaults: dict = {}
    raw_defaults: dict = {}
    i, fence = 0, None
    while i < len(lines):
        m = knitr.OPENER.match(lines[i]) if fence is None else None
        if m is None:
            fence = fence_after(lines[i], fence)
            out_lines.append(inline_values(lines[i], in_code=fence is not None))
            out_origins.append(origins[i])
            i += 1
            continue
        chunk = _Chunk(i, _closing(lines, i, m.group("fence")), m.group("indent"),
                       knitr.parse_header(m.group("spec")), origins[i][1])
        code = lines[i + 1:chunk.end]
        options = {**defaults, **chunk.header.options}
        raw = {**raw_defaults, **chunk.header.raw}
        if chunk.header.engine == "r":
            new, new_raw = chunk_defaults("\n".join(code))
            defaults.update(new)
            raw_defaults.update(new_raw)
        shown, lang, run = _shown(chunk, code, options, root, episode_dir)
        chunks_out[chunk.line] = Chunk(_engine(chunk.header, options), chunk.header.label,
                                       tuple(raw.items()), run, bool(shown))
        if code_out is not None:
            code_out[chunk.line] = "\n".join(t for t, _ in shown)
        for text_line, k in _render(chunk, shown, lang, run, options) or [("", 0)]:
            out_lines.append(text_line)
            out_origins.append(origins[min(i + k, len(origins) - 1)])
        i = chunk.end + 1
    return Expanded("\n".join(out_lines), out_origins)


def _closing(lines: list[str], start: int, fence: str) -> int:
    """The chunk's closing fence: the next line of as many backticks or more, alone (a chunk
    opened with four backticks may show three-backtick lines, as `verbatim` chunks do)."""
    for j in range(start + 1, len(lines)):
        bare = lines[j].lstrip("\t >").rstrip()
        if len(bare) >= len(fence) and not bare.strip("`"):
            return j
    return len(lines) - 1


def _engine(header: knitr.Header, options: dict) -> str:
    engine = options.get("engine")
    return str(engine).lower() if isinstance(engine, str) else header.engine


def _shown(chunk: _Chunk, code: list[str], options: dict, root: str,
           episode_dir: str) -> tuple[list[tuple[str, int]], str | None, bool]:
    """The code lines a knitted page shows (each with its offset from the opener), their
    language, and whether the code is run."""
    engine = _engine(chunk.header, options)
    lang = ENGINE_LANGS.get(engine, engine)
    run = knitr.truthy(options.get("eval"), True)
    if not knitr.truthy(options.get("include"), True):
        return [], lang, run
    if engine == "embed":
        return _embedded(options.get("file"), root, episode_dir)
    if engine in VERBATIM:          # shown as it is, never run
        language = options.get("lang")
        lang = language if isinstance(language, str) and language else None
        return [(_unindent(line, chunk.indent), k + 1) for k, line in enumerate(code)], lang, True
    echo = options.get("echo", True)
    text = [_unindent(line, chunk.indent) for line in code]
    groups = knitr.expressions(text, "r" if lang == "r" else engine)
    picks = knitr.selected(echo, len(groups))
    keep = range(len(text))
    if picks is not None:
        keep = [k for g in picks for k in groups[g]]
    elif not knitr.truthy(echo, True):
        keep = []
    body = [(text[k], k + 1) for k in keep]
    while body and not body[-1][0].strip():
        body.pop()
    while body and not body[0][0].strip():
        body.pop(0)
    return body, lang, run


def _unindent(line: str, indent: str) -> str:
    """A chunk inside a quote or list repeats its prefix on every line."""
    return line[len(indent):] if indent and line.startswith(indent) else line


def _embedded(name, root: str, episode_dir: str) -> tuple[list[tuple[str, int]], str | None, bool]:
    """knitr's `embed` engine shows a file of the lesson as code."""
    if not isinstance(name, str) or not name:
        return [], None, False
    path = os.path.join(episode_dir, name)
    if not inside(root, path) or not os.path.isfile(path) or os.path.getsize(path) > EMBED_MAX:
        return [], None, False
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read().rstrip("\n")
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    return [(t, 0) for t in text.split("\n")], ENGINE_LANGS.get(ext, ext or None), True


def _render(chunk: _Chunk, shown: list, lang: str | None, run: bool,
            options: dict) -> list[tuple[str, int]]:
    """The chunk as Markdown lines (each with its offset from the opener): a fenced code block,
    and a note of the figure it draws."""
    ind, last = chunk.indent, chunk.end - chunk.start
    out: list[tuple[str, int]] = []
    if shown:
        comment = COMMENT.get(lang or "", "#")
        body = ([(f"{comment} {NOT_RUN}", 0)] if not run and comment else []) + shown
        ticks = re.findall(r"`+", "\n".join(t for t, _ in body))
        fence = "`" * max(3, 1 + max((len(r) for r in ticks), default=0))
        out = [(f"{ind}{fence}{lang or ''}", 0)] + [(f"{ind}{t}", k) for t, k in body] + \
              [(f"{ind}{fence}", last)]
    figure = _figure_text(options) if run and knitr.truthy(options.get("include"), True) else None
    if figure:
        out += [(ind.rstrip(), last),
                (f"{ind}*Figure, drawn when the lesson is knitted: {figure}*", 0)]
    return out


def _figure_text(options: dict) -> str | None:
    """The words a chunk gives its plot (`fig.cap`, else `fig.alt`), Markdown-escaped."""
    for key in ("fig.cap", "fig.alt"):
        value = options.get(key)
        if isinstance(value, list):
            value = " / ".join(v for v in value if isinstance(v, str))
        if isinstance(value, str) and not isinstance(value, knitr.RValue) and value.strip():
            return escape(value.strip())
    return None


def chunk_defaults(code: str) -> tuple[dict, dict]:
    """The options a `knitr::opts_chunk$set(...)` call in a chunk sets for the chunks after it."""
    options, raw = {}, {}
    for m in OPTS_SET.finditer(code):
        depth, end = 1, m.end()
        while end < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            end += 1
        for part in knitr.split_args(code[m.end():end - 1]):
            name, eq, value = part.partition("=")
            if eq and re.fullmatch(r"\s*[\w.]+\s*", name):
                options[name.strip()] = knitr.parse_value(value.strip())
                raw[name.strip()] = value.strip()
    return options, raw


def inline_values(line: str, in_code: bool = False) -> str:
    """Inline `r expr` as the page shows it: a literal's value, or a mark that the value is
    computed when the lesson is knitted (never the expression as code)."""
    def value(m: re.Match) -> str:
        if m.start() == 2 and line.startswith("``"):
            return m.group(0)              # knitr leaves ``r at the start of a line alone
        verbatim = in_code or line[m.start() - 1:m.start()] == "`"    # inside a code span
        literal = knitr.parse_value(m.group(1).strip())
        if isinstance(literal, (int, float)) and not isinstance(literal, bool):
            return str(literal)
        if isinstance(literal, str) and not isinstance(literal, knitr.RValue):
            return literal if verbatim else escape(literal)
        expr = " ".join(m.group(1).split())
        return f"[value of {expr}]" if verbatim else f"*\\[value of {escape(expr)}\\]*"
    return knitr.INLINE.sub(value, line) if "`r" in line else line


def escape(text: str) -> str:
    return MD_SPECIAL.sub(r"\\\1", text)


def attach_chunks(blocks, chunks: dict) -> tuple:
    """The blocks with each code block that a chunk made carrying that chunk (by its line)."""
    if not chunks:
        return tuple(blocks)
    out = []
    for b in blocks:
        if isinstance(b, Code) and b.chunk is None and b.line in chunks:
            b = replace(b, chunk=chunks[b.line])
        elif isinstance(b, Special):
            b = replace(b, children=attach_chunks(b.children, chunks))
        elif isinstance(b, ListBlock):
            b = replace(b, items=tuple(attach_chunks(item, chunks) for item in b.items))
        out.append(b)
    return tuple(out)


def source_chunks(path: str, root: str) -> list[tuple[Chunk, str]]:
    """The chunks of the `.Rmd` source at `path`, in order, each with the code its page shows:
    what a knitted episode's code blocks came from."""
    _fm, _line, body, body_line = split_front_matter(read_text(path, os.path.basename(path)))
    found: dict = {}
    code: dict = {}
    lines = body.count("\n") + 1
    read_rmd(Expanded(body, [(path, body_line + i) for i in range(lines)]), root,
             os.path.dirname(path), found, code)
    return [(found[n], code[n]) for n in sorted(found)]


def attach_knitted(blocks, chunks: list[tuple[Chunk, str]]) -> tuple:
    """A knitted episode's blocks, each code block knitr echoed carrying the chunk it came from
    (knitr splits a chunk's code where output comes between, so one chunk may make several)."""
    shown = [(c, " ".join(code.split())) for c, code in chunks if c.shown and code.strip()]
    state = {"next": 0}

    def match(b: Code) -> Code:
        text = " ".join(b.text.split())
        for k in range(state["next"], len(shown)):
            if text and text in shown[k][1]:
                state["next"] = k
                return replace(b, chunk=shown[k][0])
        return b

    def walk(items) -> tuple:
        out = []
        for b in items:
            if isinstance(b, Code) and b.role == "source":
                b = match(b)
            elif isinstance(b, Special):
                b = replace(b, children=walk(b.children))
            elif isinstance(b, ListBlock):
                b = replace(b, items=tuple(walk(item) for item in b.items))
            out.append(b)
        return tuple(out)
    return walk(blocks) if shown else tuple(blocks)
