"""YAML (configs and front matter) read safely, and episode front matter checked for type.

PyYAML's safe loader still expands aliases, so a few lines can describe a billion-node
structure; this loader refuses documents with many aliases. Errors carry file and line.
"""
from __future__ import annotations

import re

import frontmatter
import yaml

from ..errors import Diagnostics, SlidegenError

MAX_ALIASES = 64
MAX_YAML = 1_000_000   # characters
HEX_COLOUR = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FM = frontmatter.YAMLHandler()


class _Loader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.MarkedYAMLError(None, None,
                                           f"more than {MAX_ALIASES} YAML aliases (an alias bomb?)",
                                           event.start_mark)
        return super().compose_node(parent, index)


# Dates stay text: front matter is shown, not computed with.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# libyaml's parser, where PyYAML has it: five times as fast, for YAML it can read without the
# alias count (no anchor, so no alias) and without recursing deeper than C's stack allows.
_CLoader = type("_CLoader", (yaml.CSafeLoader,),
                {"yaml_implicit_resolvers": _Loader.yaml_implicit_resolvers}) \
    if getattr(yaml, "__with_libyaml__", False) else None
MAX_FAST_BRACKETS = 1000


def _fast(text: str) -> tuple[object, object] | None:
    """(node, data) read by libyaml, or None: not available, not safe for this text, or an
    error (which the checked loader then reports in its own words)."""
    if _CLoader is None or "&" in text or text.count("[") + text.count("{") > MAX_FAST_BRACKETS:
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[object, dict[str, int]]:
    """Parse YAML; return the data and the line of each top-level key."""
    if len(text) > MAX_YAML:
        raise SlidegenError(f"YAML block larger than {MAX_YAML // 1000} kB", path, first_line)
    fast = _fast(text)
    if fast is not None:
        return fast[1], _key_lines(fast[0], first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = (e.problem or e.context or "invalid YAML").strip()
        raise SlidegenError(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as e:
        raise SlidegenError(f"invalid YAML: {e}", path, first_line) from None
    except RecursionError:
        raise SlidegenError("invalid YAML: nested too deeply", path, first_line) from None
    finally:
        loader.dispose()
    return data, _key_lines(node, first_line)


def _key_lines(node, first_line: int) -> dict[str, int]:
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode):
                lines[k.value] = first_line + k.start_mark.line
    return lines


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(front matter or None, its first line, body, the body's first line); lines 1-based."""
    if not _FM.detect(text):
        return None, 1, text, 1
    try:
        fm, body = _FM.split(text)
    except ValueError:
        return None, 1, text, 1
    body_start = len(text) - len(body)     # the split is exact: the body is a suffix of text
    fm_start = text.rfind(fm, 0, body_start)
    return fm, text.count("\n", 0, fm_start) + 1, body, text.count("\n", 0, body_start) + 1


class FrontMatter:
    """Typed access to an episode's front matter, recording type errors as diagnostics."""

    def __init__(self, data: dict, lines: dict[str, int], diags: Diagnostics, start_line: int):
        self.data = data
        self.lines = lines
        self.diags = diags
        self.start = start_line

    def line(self, key: str) -> int:
        return self.lines.get(key, self.start)

    def text(self, key: str) -> str | None:
        v = self.data.get(key)
        if v is None:
            return None
        if isinstance(v, (dict, list)):
            self.diags.error(f"'{key}' must be text, not a {_kind(v)}", self.line(key))
            return None
        return str(v)

    def minutes(self, key: str) -> int | None:
        v = self.data.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            self.diags.error(f"'{key}' must be a number of minutes, not {v!r}", self.line(key))
            return None
        if isinstance(v, str):
            if not re.fullmatch(r"\s*\d+\s*", v):
                self.diags.error(f"'{key}' must be a number of minutes, not {v!r}", self.line(key))
                return None
            v = int(v)
        if v < 0 or v > 24 * 60:
            self.diags.error(f"'{key}' of {v} minutes is out of range", self.line(key))
            return None
        return int(v)

    def items(self, key: str) -> tuple[str, ...]:
        if key not in self.data:
            return ()
        v = self.data[key]
        if v is None:
            self.diags.warning(f"'{key}' is empty", self.line(key))
            return ()
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            self.diags.error(f"'{key}' must be a list (lines starting with '- '), not a single "
                             f"{_kind(v)}", self.line(key))
            return ()
        if not isinstance(v, list):
            self.diags.error(f"'{key}' must be a list, not a {_kind(v)}", self.line(key))
            return ()
        out = []
        for item in v:
            if isinstance(item, (dict, list)):
                self.diags.error(f"'{key}' items must be text, not a {_kind(item)}", self.line(key))
            elif item is not None and str(item).strip():   # `- ""`: the template's placeholder
                out.append(str(item))
        return tuple(out)

    def flag(self, key: str) -> bool:
        v = self.data.get(key)
        if isinstance(v, str):
            return v.strip().lower() in ("true", "yes", "1")
        return bool(v)

    def colour(self, key: str) -> str | None:
        v = self.data.get(key)
        if v is None:
            return None
        s = str(v).strip()
        if not HEX_COLOUR.match(s):
            self.diags.warning(f"'{key}' must be a colour like \"#fafac8\", not {v!r}; ignored",
                               self.line(key))
            return None
        s = s.lstrip("#")
        if len(s) == 3:
            s = "".join(c * 2 for c in s)
        return "#" + s.lower()


def _kind(v) -> str:
    return {dict: "mapping", list: "list", str: "text", int: "number", float: "number",
            bool: "true/false"}.get(type(v), type(v).__name__)
