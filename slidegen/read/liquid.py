"""The subset of Jekyll's Liquid that styles lessons use, expanded line by line.

General Liquid engines re-flow text (a removed `{% comment %}` block takes its lines with it), but
every node of the model must keep its source line. So this small evaluator keeps the line count
of everything it removes and records, for each output line, the file and line it came from;
included files keep their own names and lines.

Supported: `{% include %}` (from `_includes/`), `{% raw %}`, `{% comment %}`, `{% assign %}`,
`{% capture %}`, `{% if %}`/`{% elsif %}`/`{% else %}`/`{% unless %}`, Jekyll's `{% link %}`,
`{{ page.X }}`, `{{ site.X }}` and assigned variables with a few filters. Anything else is a
warning and its content is kept.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..errors import Diagnostics
from ..paths import inside
from .liquid_filters import ARG_FILTERS, SIMPLE_FILTERS, split_filters, to_text
from .text import Expanded

MAX_INCLUDE_DEPTH = 8
MAX_OUTPUT = 20_000_000   # characters; bounds runaway includes

TOKEN = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}", re.S)
END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
END_COMMENT = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
BLOCK_TAGS = {"if": "endif", "unless": "endunless", "capture": "endcapture", "for": "endfor",
              "case": "endcase"}
@dataclass
class LiquidContext:
    """What an episode's Liquid can see."""
    root: str                                   # lesson directory (absolute)
    site: dict                                  # the lesson config
    page: dict                                  # the episode's front matter, plus root/url
    diags: Diagnostics
    variables: dict = field(default_factory=dict)


@dataclass
class _Node:
    kind: str          # text | out | tag
    text: str          # text, expression or tag arguments
    path: str
    line: int
    name: str = ""
    body: list = field(default_factory=list)
    branches: list = field(default_factory=list)   # for if/unless: [(condition|None, [nodes])]


class _Piece:
    __slots__ = ("text", "path", "line")

    def __init__(self, text, path, line):
        self.text, self.path, self.line = text, path, line


def expand(text: str, path: str, first_line: int, ctx: LiquidContext) -> Expanded:
    """Expand Liquid in `text` (which starts at `first_line` of lesson-relative `path`)."""
    pieces: list[_Piece] = []
    if "{" in text:
        nodes = _parse(text, path, first_line, ctx)
        _Evaluator(ctx, pieces).run(nodes, depth=0)
    else:
        pieces.append(_Piece(text, path, first_line))
    return _assemble(pieces, path, first_line)


def _assemble(pieces, path, first_line) -> Expanded:
    out: list[str] = []
    origins: list[tuple[str, int]] = [(path, first_line)]
    started = False
    for p in pieces:
        if not started and p.text:
            origins[0] = (p.path, p.line)
            started = True
        parts = p.text.split("\n")
        for k in range(1, len(parts)):
            origins.append((p.path, p.line + k))
        out.append(p.text)
    return Expanded("".join(out), origins)


def _parse(text, path, line, ctx) -> list[_Node]:
    """Tokenize into a tree of nodes; raw and comment bodies are resolved here."""
    flat: list[_Node] = []
    pos = 0
    while True:
        m = TOKEN.search(text, pos)
        if not m:
            break
        if m.start() > pos:
            flat.append(_Node("text", text[pos:m.start()], path, line))
            line += text.count("\n", pos, m.start())
        tag_line = line
        line += text.count("\n", m.start(), m.end())
        pos = m.end()
        if m.group(3) is not None:
            flat.append(_Node("out", m.group(3), path, tag_line))
            continue
        name, args = m.group(1), m.group(2)
        if name in ("raw", "comment"):
            end = (END_RAW if name == "raw" else END_COMMENT).search(text, pos)
            stop = end.start() if end else len(text)
            body = text[pos:stop]
            if not end:
                ctx.diags.warning(f"'{{% {name} %}}' is never closed", tag_line, path)
            # raw keeps its text verbatim; a comment keeps only its line breaks
            flat.append(_Node("text", body if name == "raw" else "\n" * body.count("\n"),
                              path, line))
            line += body.count("\n")
            if end:
                line += text.count("\n", end.start(), end.end())
                pos = end.end()
            else:
                pos = len(text)
            continue
        flat.append(_Node("tag", args, path, tag_line, name=name))
    if pos < len(text):
        flat.append(_Node("text", text[pos:], path, line))
    return _nest(flat, ctx)


def _nest(flat: list[_Node], ctx) -> list[_Node]:
    root: list[_Node] = []
    stack: list[tuple[_Node, list]] = []      # (block node, list collecting its current body)

    def target():
        return stack[-1][1] if stack else root

    for node in flat:
        if node.kind != "tag":
            target().append(node)
            continue
        name = node.name
        if name in BLOCK_TAGS:
            body: list = []
            node.branches = [(node.text, body)]
            target().append(node)
            stack.append((node, body))
        elif name in ("elsif", "else", "when") and stack and stack[-1][0].name in ("if", "unless", "case"):
            body = []
            stack[-1][0].branches.append((node.text if name != "else" else None, body))
            stack[-1] = (stack[-1][0], body)
        elif name.startswith("end") and stack and BLOCK_TAGS.get(stack[-1][0].name) == name:
            stack.pop()
        elif name.startswith("end") and name[3:] in BLOCK_TAGS:
            ctx.diags.warning(f"'{{% {name} %}}' without an opening tag; ignored", node.line, node.path)
        else:
            target().append(node)
    for node, _ in stack:
        ctx.diags.warning(f"'{{% {node.name} %}}' is never closed", node.line, node.path)
    return root


class _Evaluator:
    def __init__(self, ctx: LiquidContext, pieces: list[_Piece]):
        self.ctx = ctx
        self.pieces = pieces
        self.size = 0

    def emit(self, text, path, line):
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            return
        self.pieces.append(_Piece(text, path, line))

    def blank(self, nodes):
        """Keep only the line breaks of nodes that are not output, so lines stay aligned."""
        for n in nodes:
            if n.kind == "text":
                if "\n" in n.text:
                    self.emit("\n" * n.text.count("\n"), n.path, n.line)
            elif n.kind == "tag" and n.branches:
                for _, body in n.branches:
                    self.blank(body)

    def run(self, nodes, depth):
        for n in nodes:
            if n.kind == "text":
                self.emit(n.text, n.path, n.line)
            elif n.kind == "out":
                value = self.expression(n.text, n)
                self.emit(to_text(value), n.path, n.line)
            else:
                self.tag(n, depth)

    def tag(self, n: _Node, depth):
        name, d = n.name, self.ctx.diags
        if name == "include":
            self.include(n, depth)
        elif name == "assign":
            m = re.match(r"([\w.-]+)\s*=\s*(.*)$", n.text, re.S)
            if m:
                self.ctx.variables[m.group(1)] = self.expression(m.group(2), n)
            else:
                d.warning(f"cannot read '{{% assign {n.text} %}}'; ignored", n.line, n.path)
        elif name == "capture":
            sub = _Evaluator(self.ctx, [])
            sub.run(n.branches[0][1], depth)
            self.ctx.variables[n.text.strip()] = "".join(p.text for p in sub.pieces)
            self.blank(n.branches[0][1])
        elif name in ("if", "unless"):
            chosen = None
            for i, (cond, _) in enumerate(n.branches):
                if cond is None:
                    truth = True
                else:
                    truth = self.condition(cond, n)
                    if name == "unless" and i == 0:
                        truth = not truth
                if truth:
                    chosen = i
                    break
            for i, (_, body) in enumerate(n.branches):
                if i == chosen:
                    self.run(body, depth)
                else:
                    self.blank(body)
        elif name == "link":
            target = n.text.strip()
            self.emit("/" + re.sub(r"\.md$", ".html", target), n.path, n.line)
        else:
            what = "is not supported" if name in BLOCK_TAGS else "is not a Liquid tag slidegen knows"
            d.warning(f"'{{% {name} %}}' {what}; its content is kept", n.line, n.path)
            for _, body in n.branches:
                self.run(body, depth)

    def include(self, n: _Node, depth):
        d = self.ctx.diags
        parts = n.text.split()
        if not parts:
            d.warning("'{% include %}' names no file", n.line, n.path)
            return
        name = parts[0].strip("'\"")
        if depth >= MAX_INCLUDE_DEPTH:
            d.error(f"includes nested deeper than {MAX_INCLUDE_DEPTH} (a loop?) at '{name}'",
                    n.line, n.path)
            return
        full = os.path.join(self.ctx.root, "_includes", name)
        if not inside(self.ctx.root, full):
            d.warning(f"included file '{name}' is outside the lesson; not read", n.line, n.path)
            return
        if not os.path.isfile(full):
            d.warning(f"included file '_includes/{name}' not found", n.line, n.path)
            return
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read(MAX_OUTPUT)
        except (OSError, UnicodeDecodeError) as e:
            d.warning(f"cannot read included file '_includes/{name}': {e}", n.line, n.path)
            return
        saved = {k: v for k, v in self.ctx.variables.items() if k == "include"}
        self.ctx.variables["include"] = dict(
            re.findall(r"(\w+)\s*=\s*[\"']?([^\"'\s]*)", n.text[len(parts[0]):]))
        rel = os.path.relpath(full, self.ctx.root).replace(os.sep, "/")
        self.run(_parse(text, rel, 1, self.ctx), depth + 1)
        self.ctx.variables.pop("include", None)
        self.ctx.variables.update(saved)

    # -- expressions -----------------------------------------------------------------------
    def expression(self, text: str, n: _Node):
        parts = split_filters(text)
        value = self.value(parts[0].strip(), n)
        for f in parts[1:]:
            fname, _, farg = f.partition(":")
            fname = fname.strip()
            if fname == "default":
                if value in (None, "", False):
                    value = self.value(farg.strip(), n)
            elif fname in SIMPLE_FILTERS:
                value = SIMPLE_FILTERS[fname](value)
            elif fname in ARG_FILTERS:
                args = [self.value(a.strip(), n) for a in farg.split(",")] if farg.strip() else []
                try:
                    value = ARG_FILTERS[fname](value, *args)
                except (TypeError, ValueError, IndexError):
                    value = None
            else:
                self.ctx.diags.warning(f"Liquid filter '{fname}' is not supported; value used as is",
                                       n.line, n.path)
        return value

    def value(self, token: str, n: _Node, quiet: bool = False):
        if not token:
            return None
        if token[0] in "'\"" and token[-1] == token[0] and len(token) >= 2:
            return token[1:-1]
        if re.fullmatch(r"-?\d+", token):
            return int(token)
        if re.fullmatch(r"-?\d+\.\d+", token):
            return float(token)
        if token in ("true", "false"):
            return token == "true"
        if token in ("nil", "null", "empty", "blank"):
            return None
        path = re.findall(r"[\w-]+|\[[^\]]*\]", token)
        scopes = {"site": self.ctx.site, "page": self.ctx.page}
        scopes.update(self.ctx.variables)
        if not path or path[0] not in scopes:
            if not quiet:
                self.ctx.diags.warning(f"undefined Liquid variable '{token}'", n.line, n.path)
            return None
        value = scopes[path[0]]
        for key in path[1:]:
            key = key.strip("[]'\"")
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                if not quiet:
                    self.ctx.diags.warning(f"undefined Liquid variable '{token}'", n.line, n.path)
                return None
        return value

    def condition(self, text: str, n: _Node) -> bool:
        ors = re.split(r"\s+or\s+", text)
        return any(all(self.comparison(a, n) for a in re.split(r"\s+and\s+", o)) for o in ors)

    def comparison(self, text: str, n: _Node) -> bool:
        m = re.match(r"(.+?)\s*(==|!=|<>|<=|>=|<|>|\scontains\s)\s*(.+)$", text.strip())
        if not m:
            v = self.value(text.strip(), n, quiet=True)
            return v not in (None, False)
        a = self.value(m.group(1).strip(), n, quiet=True)
        op, b = m.group(2).strip(), self.value(m.group(3).strip(), n, quiet=True)
        try:
            if op == "==":
                return a == b
            if op in ("!=", "<>"):
                return a != b
            if op == "contains":
                return b is not None and a is not None and str(b) in (a if isinstance(a, (list, dict)) else str(a))
            if a is None or b is None:
                return False
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        except TypeError:
            return False
