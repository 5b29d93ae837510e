"""Jekyll's additions to Liquid, as styles lessons use them: the `include` and `link` tags, the
`site`, `page` and `include` variables, and the URL and text filters.

Jekyll's include is not Liquid's: its file name is a path that may be built from variables
(`{% include {{ site.snippets }}/cluster/queue-info.snip %}`), its arguments are `key=value`
pairs (quoted values keep their spaces and `\\"`, bare values are variables, keys may have
hyphens) and the included file sees them as `include.key`.
"""
from __future__ import annotations

import json
import os
import re
from io import StringIO
from urllib.parse import quote, urlsplit

from liquid.ast import Node
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION

from ..paths import inside

MAX_INCLUDE_DEPTH = 8
MAX_INCLUDE_BYTES = 2_000_000
# Jekyll's own patterns (lib/jekyll/tags/include.rb): a file name with `{{ … }}` in it, and
# the `key=value` arguments.
NAME_WITH_VARIABLES = re.compile(
    r"(?P<name>[^{]*(?:\{\{\s*[\w\-.]+\s*(?:\|.*?)?\}\}[^\s{}]*)+)(?P<params>.*)", re.S)
PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w.\-\[\]]+))""")
# Includes of the styles theme that only set the variables `layout_variables` (dialects.py)
# gives every episode: not read, whether the lesson has a copy or not (python-liquid also
# refuses base_path.html's `{% assign offset = 0 %}`: `offset` is a word of its `for` tag).
THEME_INCLUDES = {"base_path.html", "gh_variables.html"}


# -- site and page -------------------------------------------------------------------------------

def site_variables(config: dict) -> dict:
    """`site`: the lesson config with Jekyll's defaults for what it does not set."""
    site = dict(config)
    for key in ("url", "baseurl"):
        if site.get(key) is None:
            site[key] = ""
    return site


def page_variables(front_matter: dict, rel: str, config: dict) -> dict:
    """`page`: the episode's front matter, `root` as the styles config sets it for episodes,
    and Jekyll's `url`, `path`, `name` and `collection`."""
    page = dict(front_matter)
    page.setdefault("root", "..")
    page.update(url=document_url(rel, config), path=rel, name=os.path.basename(rel),
                collection=_collection(rel) or "")
    return page


def _collection(rel: str) -> str | None:
    first = rel.split("/", 1)[0]
    return first[1:] if first.startswith("_") and "/" in rel else None


def document_url(rel: str, config: dict) -> str:
    """The URL Jekyll gives a lesson file: a collection document by its collection's permalink
    (`/:path/index.html` in the styles template), any other page as `/path.html`."""
    stem, ext = os.path.splitext(rel)
    out_ext = ".html" if ext.lower() in (".md", ".markdown", ".rmd", ".html") else ext
    name = _collection(rel)
    if name is None:
        return "/" + stem + out_ext
    collections = config.get("collections")
    spec = collections.get(name) if isinstance(collections, dict) else None
    permalink = spec.get("permalink") if isinstance(spec, dict) else None
    path = stem.split("/", 1)[1]
    url = str(permalink or "/:collection/:path:output_ext")
    for key, value in (("collection", name), ("path", path), ("name", os.path.basename(path)),
                       ("title", os.path.basename(path)), ("output_ext", out_ext)):
        url = url.replace(":" + key, value)
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


# -- filters -------------------------------------------------------------------------------------

def _text(value) -> str:
    return "" if value is None else str(value)


def _site(context) -> dict:
    site = context.resolve("site", default={})
    return site if isinstance(site, dict) else {}


def relative_url(value, *, context) -> str:
    """The site path of `value` under `site.baseurl`. A value with spaces is text, not a path
    (lessons pass alt text through this filter; Jekyll would percent-encode it): it stays."""
    text = _text(value)
    if not text or urlsplit(text).scheme or re.search(r"\s", text):
        return text
    base = _text(_site(context).get("baseurl")).rstrip("/")
    if base and not base.startswith("/"):
        base = "/" + base
    path = base + (text if text.startswith("/") else "/" + text)
    return quote(path, safe="/:@!$&'()*+,;=-._~%?#[]")


def absolute_url(value, *, context) -> str:
    text = _text(value)
    if urlsplit(text).scheme or re.search(r"\s", text):
        return text
    url = _text(_site(context).get("url")).rstrip("/")
    return url + relative_url(text, context=context)


def slugify(value, mode="default") -> str:
    text = _text(value).lower()
    if mode == "none":
        return text
    pattern = r"[^\w.~!$&'()+,;=@-]+" if mode == "pretty" else r"[^a-z0-9]+" if mode == "ascii" \
        else r"[^\w-]+"
    return re.sub(pattern, "-", text).strip("-")


def array_to_sentence_string(value, connector="and") -> str:
    items = [_text(v) for v in (value or [])]
    if len(items) <= 2:
        return f" {connector} ".join(items)
    return ", ".join(items[:-1]) + f", {connector} " + items[-1]


FILTERS = {
    "relative_url": relative_url,
    "absolute_url": absolute_url,
    # Jekyll turns Markdown into HTML here; slidegen reads the Markdown itself afterwards.
    "markdownify": _text,
    "smartify": _text,
    "jsonify": lambda v: json.dumps(v, default=str),
    "inspect": lambda v: json.dumps(v, default=str),
    "slugify": slugify,
    "xml_escape": lambda v: _text(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    .replace('"', "&quot;").replace("'", "&#39;"),
    "cgi_escape": lambda v: quote(_text(v), safe="").replace("%20", "+"),
    "uri_escape": lambda v: quote(_text(v), safe="/:@!$&'()*+,;=-._~%?#[]"),
    "number_of_words": lambda v: len(_text(v).split()),
    "normalize_whitespace": lambda v: re.sub(r"\s+", " ", _text(v)),
    "array_to_sentence_string": array_to_sentence_string,
    "push": lambda v, x: list(v or []) + [x],
    "unshift": lambda v, x: [x] + list(v or []),
    "pop": lambda v, n=1: list(v or [])[:-int(n)] if n else list(v or []),
    "shift": lambda v, n=1: list(v or [])[int(n):],
}
for _name in ("relative_url", "absolute_url"):
    FILTERS[_name].with_context = True


# -- tags ----------------------------------------------------------------------------------------

def _expression(stream) -> tuple:
    """The tag token, and the text of its expression (or "")."""
    token = stream.current
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return token, stream.current.value, stream.current
    return token, "", token


class IncludeNode(Node):
    __slots__ = ("name", "params", "relative", "where")

    def __init__(self, token, name: str, params: str, relative: bool, where):
        super().__init__(token)
        self.name, self.params, self.relative, self.where = name, params, relative, where
        self.blank = False

    def render_to_output(self, context, buffer) -> int:
        env = context.env
        name = (_render_text(context, self.name, self.where).strip() if "{{" in self.name
                else self.name)
        template = _load(context, name, self.relative, self.token)
        if template is None:
            return 0
        if env.include_depth >= MAX_INCLUDE_DEPTH:
            env.fail(f"includes nested deeper than {MAX_INCLUDE_DEPTH} (a loop?) at '{name}'",
                     self.token)
            return 0
        env.include_depth += 1
        try:
            with context.extend({"include": self._arguments(context)}, template=template):
                template.render_with_context(context, buffer, partial=True)
        finally:
            env.include_depth -= 1
        return 1

    def _arguments(self, context) -> dict:
        values = {}
        for key, double, single, variable in PARAM.findall(self.params):
            if variable:
                values[key] = context.get(_path(variable), token=self.where, default=None)
            else:
                values[key] = (double.replace('\\"', '"') if double or not single
                               else single.replace("\\'", "'"))
        return values


def _path(variable: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]'\"]+", variable)]


def _render_text(context, text: str, where) -> str:
    """Liquid in a tag's argument (Jekyll renders `{{ … }}` in include and link paths)."""
    env = context.env
    path, line = env.where(where)
    buffer = StringIO()
    env.template(text, path, line).render_with_context(context, buffer, partial=True)
    return buffer.getvalue()


def _load(context, name: str, relative: bool, token):
    """The included file as a template, or None (reported) when it cannot be read."""
    env = context.env
    root = env.ctx.root
    if not relative and name.strip("/") in THEME_INCLUDES:
        return None
    if relative:
        here = os.path.dirname(str(context.template.path or ""))
        rel = os.path.normpath(os.path.join(here, name)).replace(os.sep, "/")
    else:
        rel = "_includes/" + name.lstrip("/")
    full = os.path.join(root, rel)
    if not name or not inside(root, full):
        env.warn(f"included file '{name}' is outside the lesson; not read", token)
        return None
    rel = os.path.relpath(os.path.realpath(full), os.path.realpath(root)).replace(os.sep, "/")
    if rel in env.includes:
        return env.includes[rel]
    if not os.path.isfile(full):
        env.warn(f"included file '{rel}' not found", token)
        return None
    try:
        with open(full, encoding="utf-8") as f:
            text = f.read(MAX_INCLUDE_BYTES).replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as e:
        env.warn(f"cannot read included file '{rel}': {e}", token)
        return None
    env.includes[rel] = env.template(text, rel)
    return env.includes[rel]


class IncludeTag(Tag):
    """`{% include file.ext key="value" key2=variable %}`, the file in `_includes/`."""
    name = "include"
    block = False
    relative = False

    def parse(self, stream) -> Node:
        token, text, where = _expression(stream)
        text = text.strip()
        m = NAME_WITH_VARIABLES.fullmatch(text)
        if m:
            name, params = m.group("name").strip(), m.group("params")
        else:
            name, params = (re.split(r"\s+", text, maxsplit=1) + [""])[:2]
        if not name:
            self.env.warn(f"'{{% {self.name} %}}' names no file", token)
        return IncludeNode(token, name.strip("'\""), params, self.relative, where)


class IncludeRelativeTag(IncludeTag):
    """`{% include_relative x.md %}`: a file beside the one that includes it."""
    name = "include_relative"
    relative = True


class LinkNode(Node):
    __slots__ = ("target", "where")

    def __init__(self, token, target: str, where):
        super().__init__(token)
        self.target, self.where = target, where
        self.blank = False

    def render_to_output(self, context, buffer) -> int:
        env = context.env
        target = self.target
        if "{{" in target:
            target = _render_text(context, target, self.where)
        target = target.strip().lstrip("/")
        full = os.path.join(env.ctx.root, target)
        if not target or not inside(env.ctx.root, full) or not os.path.isfile(full):
            env.warn(f"'{{% link {target} %}}': no such file in the lesson (Jekyll stops the "
                     "site build there)", self.token)
        return buffer.write(document_url(target, env.ctx.site))


class LinkTag(Tag):
    """`{% link _episodes/01-intro.md %}`: the URL of a lesson file."""
    name = "link"
    block = False

    def parse(self, stream) -> Node:
        token, text, where = _expression(stream)
        return LinkNode(token, text, where)


def register(env) -> None:
    for tag in (IncludeTag, IncludeRelativeTag, LinkTag):
        env.add_tag(tag)
    for name, func in FILTERS.items():
        env.add_filter(name, func)

