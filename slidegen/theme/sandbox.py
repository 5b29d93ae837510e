"""Jinja's sandbox, bounded: a theme's template can do only so much work while it renders.

The sandbox keeps a template from Python's internals, but not from work: two nested
`range(100000)` loops never end, and a string doubled in a loop takes all memory. So every
rendering has a budget: loop steps (each `for` step and each number a `range` makes), the size
of the output, and the size of any one string or list a template builds (checked before
`*`, `**`, `%` and the filters and methods that pad or repeat build it, and after `+` and `~`,
which at most double what is already within the limit). Over the budget, rendering stops with
a TemplateError that the caller reports naming the theme and the template.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

MAX_STEPS = 1_000_000          # loop steps in one rendering
MAX_OUTPUT = 50_000_000        # characters one rendering writes
MAX_VALUE = 5_000_000          # characters (or items) of one string or list it builds
MAX_WIDTH = 10_000             # a width or count given to a padding or repeating operation
MAX_POWER_BITS = 100_000       # the size of a number `**` makes
WIDTHS = re.compile(r"%[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?|\{[^{}]*?:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")
PADDING = ("center", "ljust", "rjust", "zfill", "expandtabs")
SELF = "slidegen.theme.sandbox"


@dataclass
class Budget:
    steps: int = 0
    output: int = 0


_BUDGET: ContextVar[Budget | None] = ContextVar("jinja_budget", default=None)


def _budget() -> Budget:
    """The budget of the rendering under way (every one goes through BoundedTemplate.render;
    outside one, a budget for this call alone, never one that outlives it)."""
    return _BUDGET.get() or Budget()


def _step(n: int = 1) -> None:
    budget = _budget()
    budget.steps += n
    if budget.steps > MAX_STEPS:
        raise SecurityError(f"the template does too much work: more than {MAX_STEPS:,} loop "
                            "steps (nested loops over large ranges?)")


def counted(iterable):
    """A `for` loop's iterable, each step counted against the rendering's budget."""
    for item in iterable:
        _step()
        yield item


def checked(value):
    """A string or list a template built: refused over MAX_VALUE."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_VALUE:
        _too_large(len(value))
    return value


def _too_large(size: int):
    raise SecurityError(f"the template builds a value of {size:,} characters or items (at most "
                        f"{MAX_VALUE:,})")


def bounded_range(*args):
    """Jinja's sandboxed range (at most 100,000 numbers), its numbers counted as steps."""
    made = safe_range(*args)
    _step(len(made))
    return made


def _check_widths(fmt, args=()) -> None:
    """A %-format or str.format string pads to widths of at most MAX_WIDTH."""
    if not isinstance(fmt, str):
        return
    if re.search(r"%[#0\- +]*\d*\.?\*|:[^{}]*\{", fmt):         # widths given as arguments
        for a in args if isinstance(args, tuple | list) else (args,):
            _check_count(a, "a width")
    for m in WIDTHS.finditer(fmt):
        if any(g and g != "*" and int(g) > MAX_WIDTH for g in m.groups()):
            raise SecurityError(f"a width of more than {MAX_WIDTH:,} in '{m.group(0)}'")


def _check_count(n, what: str) -> None:
    if isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_WIDTH:
        raise SecurityError(f"{what} given {n:,} (at most {MAX_WIDTH:,})")


def _check_replace(text, old, new) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > MAX_VALUE:
            _too_large(len(text) + count * (len(new) - len(old)))


def _check_join(items, sep="") -> None:
    if isinstance(items, list | tuple):
        size = sum(len(x) for x in items if isinstance(x, str)) + len(str(sep)) * len(items)
        if size > MAX_VALUE:
            _too_large(size)


class BoundedTemplate(Template):
    def render(self, *args, **kwargs) -> str:
        """The template's output, within a budget of its own (includes and extends share
        the budget of the rendering they are part of)."""
        token = _BUDGET.set(Budget()) if _BUDGET.get() is None else None
        try:
            ctx = self.new_context(dict(*args, **kwargs))
            try:
                return self.environment.concat(_limited(self.root_render_func(ctx)))
            except RecursionError:
                raise SecurityError("the template calls itself too deeply") from None
            except Exception:
                self.environment.handle_exception()
        finally:
            if token is not None:
                _BUDGET.reset(token)


def _limited(chunks):
    budget = _budget()
    for chunk in chunks:
        budget.output += len(chunk)
        if budget.output > MAX_OUTPUT:
            raise SecurityError(f"the template writes more than {MAX_OUTPUT:,} characters")
        yield chunk


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a budget for each rendering (see the module's note)."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options):
        super().__init__(**options)
        self.globals["range"] = bounded_range
        self.globals.pop("lipsum", None)             # paragraphs of filler, any number of them
        checks = {"center": _counts, "indent": _counts, "batch": _counts, "slice": _counts,
                  "format": lambda a, k: _check_widths(a[0] if a else "", a[1:]),
                  "replace": lambda a, k: _check_replace(*a[:3]) if len(a) >= 3 else None,
                  "join": lambda a, k: _check_join(*a[:2]) if a else None}
        for name, check in checks.items():
            self.filters[name] = _guarded(self.filters[name], check)

    def _parse(self, source, name, filename):
        """The template's syntax tree, each `for` loop's iterable counted and each `~`
        checked (see counted and checked)."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = _imported("counted", loop.iter)
        for parent in list(tree.find_all(nodes.Node)):
            for field in parent.fields:
                value = getattr(parent, field, None)
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _imported("checked", value))
                elif isinstance(value, list):
                    value[:] = [_imported("checked", v) if isinstance(v, nodes.Concat) else v
                                for v in value]
        return tree

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) \
                        and len(seq) * n > MAX_VALUE:
                    _too_large(len(seq) * n)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() * right > MAX_POWER_BITS:
            raise SecurityError(f"the template raises a number to the power {right:,}")
        elif operator == "%":
            _check_widths(left, right)
        result = super().call_binop(context, operator, left, right)
        return checked(result) if operator == "+" else result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's signature)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(__obj, LoopContext) and args:      # a recursive loop's next level
            args = (counted(args[0]), *args[1:])
        elif isinstance(owner, str):
            if name in PADDING:
                _counts((owner, *args), kwargs)
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
            elif name == "join" and args:
                _check_join(args[0], owner)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """`str.format` and `format_map` (Jinja 3.1.5 on), widths checked first."""
        run = super().wrap_str_format(value)
        if run is None:
            return None

        def checked_format(*args, **kwargs):
            _check_widths(value.__self__, (*args, *kwargs.values()))
            return checked(run(*args, **kwargs))
        return checked_format

    def format_string(self, s, args, kwargs, format_func=None):
        """`str.format` and `format_map` before Jinja 3.1.5, widths checked first."""
        _check_widths(s, (*args, *kwargs.values()))
        return checked(super().format_string(s, args, kwargs, format_func))


def _imported(function: str, node: nodes.Expr) -> nodes.Call:
    return nodes.Call(nodes.ImportedName(f"{SELF}.{function}"), [node], [], None, None,
                      lineno=node.lineno)


def _counts(args, kwargs) -> None:
    """The widths and counts given to a filter or method (after the value it works on)."""
    for a in (*args[1:], *kwargs.values()):
        _check_count(a, "a padding or repeating operation")


def _guarded(run, check):
    """Filter `run`, its arguments (those after Jinja's own first one) checked first."""
    skip = 1 if getattr(run, "jinja_pass_arg", None) else 0

    def guarded(*args, **kwargs):
        check(args[skip:], kwargs)
        return run(*args, **kwargs)
    guarded.__dict__.update(run.__dict__)
    return guarded
