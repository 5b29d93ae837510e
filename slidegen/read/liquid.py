"""Liquid as Jekyll runs it over a styles episode, by python-liquid, with every line's origin.

A Liquid engine re-flows text (a removed `{% comment %}` takes its lines with it, an include
brings in lines of another file), but every node of the model must keep the file and line it
came from. So the engine writes into `Origins`, a buffer that records for each piece of output
the file and line of the template text that produced it; `expand` turns that into the
`Expanded` text the reader parses. Jekyll's own tags and filters are in jekyll.py.

Problems become diagnostics, never exceptions: what Jekyll would refuse to build (a block never
closed, an output never closed) is an error, the rest (an unknown tag or filter, an undefined
variable, a missing include) a warning, and rendering goes on.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from liquid import Environment, Mode, RenderContext, Undefined
from liquid.builtin.content import ContentNode, Literal
from liquid.builtin.output import Output, OutputNode
from liquid.exceptions import (
    LiquidError,
    LocalNamespaceLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
    StopRender,
)
from liquid.token import TOKEN_CONTENT, TOKEN_OUTPUT

from ..errors import Diagnostics
from . import jekyll
from .text import Expanded

MAX_OUTPUT = 20_000_000   # characters; bounds runaway includes and loops
MAX_VALUE = 4_000_000     # bytes (sys.getsizeof) an assigned or captured value may take
MAX_ITEMS = 1_000_000     # items of a range a filter is given
TOO_LARGE = (f"Liquid builds a value larger than {MAX_VALUE // 1_000_000} million characters "
             "(a string doubled in a loop?)")
VARIABLE = re.compile(r"[\w.\-]+(?:\[[^\]]*\][\w.\-]*)*")
NEVER_CLOSED = re.compile(r"expected tag (end\w+)|found end of (?:file|template)", re.I)


@dataclass
class LiquidContext:
    """What an episode's Liquid can see."""
    root: str                                   # lesson directory (absolute)
    site: dict                                  # the lesson config (Jekyll's `site`)
    page: dict                                  # the episode's front matter, plus url/path
    diags: Diagnostics
    variables: dict = field(default_factory=dict)   # what the styles layouts define


class Origins:
    """The output buffer: text, each piece with the (file, line) it was written from."""

    def __init__(self, path: str, line: int):
        self.parts: list[tuple[str, str, int]] = []
        self.path, self.line = path, line
        self.size = 0
        self.overflow = False

    def at(self, path: str, line: int) -> None:
        self.path, self.line = path, line

    def write(self, text: str) -> int:
        self.size += len(text)
        if self.size > MAX_OUTPUT:
            self.overflow = True
            return 0
        if text:
            self.parts.append((text, self.path, self.line))
            self.line += text.count("\n")
        return len(text)

    def expanded(self, path: str, first_line: int) -> Expanded:
        origins: list[tuple[str, int]] = [(path, first_line)]
        line_start = True
        for text, p, line in self.parts:
            if line_start:              # a line comes from where its first character does
                origins[-1] = (p, line)
            origins.extend((p, line + k) for k in range(1, text.count("\n") + 1))
            line_start = text.endswith("\n")
        return Expanded("".join(t for t, _, _ in self.parts), origins)


class _Content(ContentNode):
    __slots__ = ()

    def render_to_output(self, context, buffer) -> int:
        if isinstance(buffer, Origins):
            start = self.token.source.find(self.text, self.token.start_index) if self.text else -1
            buffer.at(*context.env.where(self.token, max(start, self.token.start_index)))
        return buffer.write(self.text)


class _Output(OutputNode):
    __slots__ = ()

    def render_to_output(self, context, buffer) -> int:
        if isinstance(buffer, Origins):
            buffer.at(*context.env.where(self.token))
        return super().render_to_output(context, buffer)


class _ContentTag(Literal):
    name = TOKEN_CONTENT
    node_class = _Content


class _OutputTag(Output):
    name = TOKEN_OUTPUT
    node_class = _Output


class ValueTooLarge(ResourceLimitError):
    """A filter given more than it may work through."""


class _Context(RenderContext):
    def assign(self, key, val) -> None:
        """A value over the size limit is not kept: the name keeps its earlier value."""
        had, old = key in self.locals, self.locals.get(key)
        try:
            super().assign(key, val)
        except LocalNamespaceLimitError:
            if had:
                self.locals[key] = old
            else:
                self.locals.pop(key, None)
            raise

    def filter(self, name, token):  # noqa: A003
        """An unknown filter is reported and leaves the value as it is (as Jekyll does)."""
        if name not in self.env.filters:
            self.env.warn(f"Liquid filter '{name}' is not supported; value used as is", token)
            return lambda value, *_a, **_k: value
        run = super().filter(name, token)

        def bounded(value, *args, **kwargs):
            if isinstance(value, range) and len(value) > MAX_ITEMS:
                raise ValueTooLarge(f"Liquid filter '{name}' given a range of {len(value):,} "
                                    f"items (at most {MAX_ITEMS:,})", token=token)
            return run(value, *args, **kwargs)
        return bounded


class LessonEnvironment(Environment):
    """A Liquid environment for one episode: Jekyll's tags and filters, the lesson's files as
    includes, diagnostics with file and line."""

    loop_iteration_limit = 100_000
    # What `assign` and `capture` may hold (bytes by sys.getsizeof: about a character each),
    # so that a string doubled in a loop stops there rather than take the machine's memory.
    local_namespace_limit = MAX_VALUE
    output_stream_limit = MAX_VALUE

    def __init__(self, ctx: LiquidContext):
        self.ctx = ctx
        self.sources: dict[int, tuple[str, int, list[int]]] = {}
        self.includes: dict[str, object] = {}
        self.include_depth = 0
        self.opening: list = []                 # block tags being parsed, innermost last
        self.unknown: set[str] = set()
        super().__init__(tolerance=Mode.LAX, undefined=_undefined_type(self))
        self.add_tag(_ContentTag)
        self.add_tag(_OutputTag)
        jekyll.register(self)
        for tag in self.tags.values():
            if tag.block:
                tag.get_node = _located(self, tag.get_node)

    # -- where things are -------------------------------------------------------------------
    def template(self, source: str, path: str, first_line: int = 1):
        """Parse Liquid source that starts at `first_line` of lesson-relative `path`."""
        starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.sources[id(source)] = (path, first_line, starts)
        return self.from_string(source, name=path, path=path)

    def where(self, token, index: int | None = None) -> tuple[str, int]:
        """The (file, line) of a token, or of `index` in its source."""
        found = self.sources.get(id(token.source)) if token is not None else None
        if found is None:
            return self.ctx.page.get("path", ""), 0
        path, first, starts = found
        index = token.start_index if index is None else index
        if index < 0:
            index = len(token.source)
        return path, first + bisect_right(starts, index) - 1

    # -- diagnostics ----------------------------------------------------------------------------
    def warn(self, message: str, token) -> None:
        path, line = self.where(token)
        self.ctx.diags.warning(message, line, path)

    def fail(self, message: str, token) -> None:
        path, line = self.where(token)
        self.ctx.diags.error(message, line, path)

    def error(self, exc, msg=None, token=None) -> None:
        """python-liquid's errors, as slidegen's diagnostics (never raised)."""
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        token = exc.token or token
        if isinstance(exc, LocalNamespaceLimitError | OutputStreamLimitError | ValueTooLarge):
            what = exc.args[0] if isinstance(exc, ValueTooLarge) else TOO_LARGE
            self.fail(f"{what}; the rest of the file is left out", token)
            raise StopRender
        message = str(exc.args[0]) if exc.args else str(exc)
        unknown = re.match(r"unexpected tag '(\w+)'", message)
        if unknown:
            self._unknown_tag(unknown.group(1), token)
        elif NEVER_CLOSED.search(message) and self.opening:
            opening = self.opening[-1]
            name = opening.value
            self.fail(f"'{{% {name} %}}' is never closed (no '{{% end{name} %}}'): the rest of "
                      "the file is left out, and the lesson's site would not build", opening)
        else:
            self.warn(f"Liquid: {message}", token)

    def _unknown_tag(self, name: str, token) -> None:
        if name.startswith("end") and name[3:] in self.unknown | set(self.tags):
            if name[3:] in self.unknown:
                return
            self.warn(f"'{{% {name} %}}' without an opening tag; ignored", token)
            return
        self.unknown.add(name)
        self.warn(f"'{{% {name} %}}' is not a Liquid tag slidegen knows; its content is kept",
                  token)

    def undefined_used(self, undefined: Undefined) -> None:
        token = undefined.token
        name = undefined.name
        if token is not None and token.start_index >= 0:
            m = VARIABLE.match(token.source, token.start_index)
            name = m.group(0) if m else name
        if name.startswith("include."):
            return          # an include's optional argument, left out: Jekyll's idiom
        self.warn(f"undefined Liquid variable '{name}'", token)


def _undefined_type(env: LessonEnvironment) -> type[Undefined]:
    class LessonUndefined(Undefined):
        """Empty, as in Jekyll, but an undefined value printed is reported."""
        __slots__ = ()

        def __str__(self) -> str:
            env.undefined_used(self)
            return ""
    return LessonUndefined


def _located(env: LessonEnvironment, get_node):
    """A block tag's parser that keeps its opening tag at hand, so that a block never closed
    is reported where it opens rather than at the end of the file."""
    def parse(stream):
        env.opening.append(stream.current)
        try:
            return get_node(stream)
        finally:
            env.opening.pop()
    return parse


def expand(text: str, path: str, first_line: int, ctx: LiquidContext) -> Expanded:
    """Expand Liquid in `text` (which starts at `first_line` of lesson-relative `path`)."""
    if "{%" not in text and "{{" not in text:
        return Expanded(text, [(path, first_line + i) for i in range(text.count("\n") + 1)])
    env = LessonEnvironment(ctx)
    try:
        template = env.template(text, path, first_line)
    except LiquidError as e:
        # The lexer gives up on the whole text (an output never closed): nothing is expanded.
        where = env.where(e.token) if e.token is not None else (path, first_line)
        ctx.diags.error(f"Liquid: {e.args[0] if e.args else e}; the lesson's site would not build",
                        where[1], where[0])
        return Expanded(text, [(path, first_line + i) for i in range(text.count("\n") + 1)])
    buffer = Origins(path, first_line)
    context = _Context(template, globals=dict(ctx.variables, site=ctx.site, page=ctx.page))
    try:
        template.render_with_context(context, buffer)
    except StopRender:
        pass                             # reported where it stopped (LessonEnvironment.error)
    except RecursionError:
        ctx.diags.error("Liquid nested too deeply to expand", first_line, path)
    if buffer.overflow:
        ctx.diags.error(f"Liquid output larger than {MAX_OUTPUT // 1_000_000} million characters "
                        "(an include or loop that never ends?); cut there", first_line, path)
    return buffer.expanded(path, first_line)
