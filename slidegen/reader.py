"""One episode file to the model: front matter, Liquid, Markdown, special blocks.

Both formats go through the same markdown-it parser; what differs is only how special blocks are
marked. Styles lessons mark a blockquote with a kramdown attribute line after it (`{: .challenge}`);
Workbench lessons use fenced divs. Both become `Special` blocks here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from . import timing
from .errors import Diagnostics, EpisodeError
from .inline import HtmlText, RawImage, convert, merge
from .liquid import Expanded, LiquidContext, expand
from .metadata import FrontMatter, load_yaml, split_front_matter
from .model import (KNOWN_KINDS, Code, Episode, EpisodeMeta, Heading, Image, Inline, ListBlock,
                    Math, Paragraph, Span, Special, Table)
from .paths import is_remote, resolve_local
from .syntax import make_parser
from .syntax.quotes import repair_quoted_fences
from .syntax.tables import normalise_tables

MAX_EPISODE_BYTES = 2_000_000      # a hundred times the longest real episode seen
MAX_DEPTH = 30                     # quote/list nesting markdown-it keeps (deeper is left out)
ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
QUOTE_MARKERS = re.compile(r"^(?:\s{0,3}>)+")
CODE_ROLES = {"output": "output", "error": "error", "source": "source", "warning": "error"}
SUMMARY_KINDS = ("questions", "objectives", "keypoints")
# Block openers and attribute lines: in code, they were most likely meant as Markdown.
SWALLOWED = re.compile(r"^\s*(:{3,}\s*\{?\s*\.?[A-Za-z][\w-]*|\{:\s*\.?[A-Za-z][\w-]*[^}]*\}\s*$)")
MARKDOWN_LANGS = {"markdown", "md", "rmd", "rmarkdown", "{markdown}"}


@dataclass
class LessonContext:
    """What reading an episode needs to know of its lesson."""
    root: str                       # absolute lesson directory
    format: str                     # "styles" | "workbench"
    config: dict = field(default_factory=dict)
    url: str | None = None


def read_episode(path: str, lesson: LessonContext, diags: Diagnostics) -> Episode:
    """Read one episode. Raises EpisodeError when it cannot be read at all; everything else
    becomes a diagnostic in `diags` (errors there also mean the episode must not be built)."""
    rel = os.path.relpath(path, lesson.root).replace(os.sep, "/")
    text = _read_text(path, rel)
    fm_text, fm_line, body, body_line = split_front_matter(text)
    if fm_text is None:
        raise EpisodeError("no front matter: an episode starts with a '---' block holding at "
                           "least its title", rel, 1)
    data, key_lines = load_yaml(fm_text, rel, fm_line)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise EpisodeError("front matter must be a mapping of keys to values (title: …)", rel, 2)
    fm = FrontMatter(data, key_lines, diags, 1)

    page = dict(data)
    page.update(root=".." if lesson.format == "styles" else ".",
                url=f"/{os.path.splitext(os.path.basename(path))[0]}/")
    ctx = LiquidContext(lesson.root, lesson.config, page, diags, _layout_variables(lesson))
    # Jekyll runs Liquid over styles lessons; Workbench (pandoc) has none, so its braces stay text.
    if lesson.format == "styles":
        expanded = expand(body, rel, body_line, ctx)
    else:
        expanded = Expanded(body, [(rel, body_line + i) for i in range(body.count("\n") + 1)])

    if lesson.format == "styles":
        lines, origins = normalise_tables(expanded.text.split("\n"), expanded.origins)
        expanded = Expanded("\n".join(lines), origins)
        source_text = repair_quoted_fences(expanded.text)
    else:
        source_text = expanded.text
    tokens = make_parser().parse(source_text, {})
    _check_depth(source_text, expanded, diags)
    builder = _Builder(path, rel, lesson, expanded, diags, source_text.split("\n"))
    blocks = builder.blocks(_tree(tokens))

    meta, used = _episode_meta(fm, blocks, lesson, builder, rel)
    blocks = [b for b in blocks if not any(b is u for u in used)]
    includes = tuple(sorted({p for p, _ in expanded.origins if p and p != rel}))
    return Episode(rel, meta, tuple(blocks), includes)


def _check_depth(text: str, expanded: Expanded, diags: Diagnostics) -> None:
    """markdown-it keeps MAX_DEPTH levels of nesting; say so when an episode goes deeper."""
    for i, line in enumerate(text.split("\n")):
        m = QUOTE_MARKERS.match(line)
        if m and m.group(0).count(">") > MAX_DEPTH:
            path, n = expanded.origin(i)
            diags.warning(f"blockquotes nested {m.group(0).count('>')} deep; content below level "
                          f"{MAX_DEPTH} is left out", n, path)
            return


def _layout_variables(lesson: LessonContext) -> dict:
    """Variables the styles template's layouts define before an episode's Liquid runs."""
    repo = str(lesson.config.get("repository") or "")
    repo_url = f"https://github.com/{repo}" if re.fullmatch(r"[\w.-]+/[\w.-]+", repo) else ""
    return {"relative_root_path": "..", "repo_url": repo_url, "repo_name": repo.split("/")[-1],
            "source_branch": str(lesson.config.get("branch") or "gh-pages"),
            "project_name": repo.split("/")[-1]}


def _read_text(path: str, rel: str) -> str:
    try:
        size = os.path.getsize(path)
        if size > MAX_EPISODE_BYTES:
            raise EpisodeError(f"file is {size / 1_000_000:.1f} MB; slidegen reads episodes up to "
                               f"{MAX_EPISODE_BYTES // 1_000_000} MB (is data pasted into it?)", rel, 0)
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise EpisodeError(f"cannot read: {e.strerror or e}", rel, 0) from None
    if b"\x00" in raw[:8192]:
        raise EpisodeError("not a text file (binary content)", rel, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise EpisodeError(f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8",
                           rel, line) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EpisodeError("empty file", rel, 1)
    # Terminal colour codes pasted with program output mean nothing on a slide or a page, and
    # other control characters cannot go into XML (pptx, PDF metadata) at all.
    text = ANSI.sub("", text)
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)


def _episode_meta(fm: FrontMatter, blocks, lesson, builder, rel) -> tuple[EpisodeMeta, list]:
    title = fm.text("title")
    if not title:
        fm.diags.error("front matter has no 'title'", fm.line("title") if "title" in fm.data else 1)
        title = os.path.splitext(os.path.basename(rel))[0]
    items = {}
    for key in SUMMARY_KINDS:
        if key in fm.data:
            items[key] = tuple(builder.inline_text(s, fm.line(key)) for s in fm.items(key))
        else:
            items[key] = ()
    # Workbench keeps questions, objectives and keypoints in divs at the top level; a styles
    # lesson may too when its front matter lacks them. A block that fills the metadata leaves
    # the body (it is shown once, on the overview or key-points slide); others stay.
    used = []
    for b in blocks:
        if _is_summary(b) and not items[b.kind]:
            items[b.kind] = _list_items(b.children)
            used.append(b)
    known = {"title", "teaching", "exercises", "questions", "objectives", "keypoints", "layout",
             "break", "colour", "color", "hidden", "redirect_to"}
    return EpisodeMeta(
        title=title,
        teaching=fm.minutes("teaching"),
        exercises=fm.minutes("exercises"),
        questions=items["questions"], objectives=items["objectives"], keypoints=items["keypoints"],
        layout=fm.text("layout"),
        break_minutes=fm.minutes("break"),
        colour=fm.colour("colour") or fm.colour("color"),
        hidden=fm.flag("hidden"),
        redirect_to=_first(fm.data.get("redirect_to")),
        extra={k: v for k, v in fm.data.items() if k not in known},
    ), used


def _first(value) -> str | None:
    """`redirect_to` is a URL, or a list whose first URL counts."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None


def _is_summary(b) -> bool:
    return isinstance(b, Special) and b.kind in SUMMARY_KINDS


def _list_items(children) -> tuple[Inline, ...]:
    out = []
    for c in children:
        if isinstance(c, ListBlock):
            for item in c.items:
                spans: list[Span] = []
                for part in item:
                    if isinstance(part, Paragraph):
                        if spans:
                            spans.append(Span(" "))
                        spans.extend(part.spans)
                if spans:
                    out.append(tuple(merge(spans)))
        elif isinstance(c, Paragraph):
            out.append(c.spans)
    return tuple(out)


# -- token tree --------------------------------------------------------------------------------
class _Node:
    __slots__ = ("type", "token", "children")

    def __init__(self, token):
        self.type = token.type[:-5]          # "blockquote_open" -> "blockquote"
        self.token = token
        self.children: list = []


def _tree(tokens) -> list:
    root: list = []
    stack = [root]
    for t in tokens:
        if t.nesting == 1:
            node = _Node(t)
            stack[-1].append(node)
            stack.append(node.children)
        elif t.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].append(t)
    return root


class _Box:
    """A special block under construction: a blockquote waits for its attribute line."""

    def __init__(self, kind: str | None, children: list, line: int, unclosed=False):
        self.kind = kind              # None: a blockquote not (yet) given a class
        self.children = children
        self.line = line
        self.unclosed = unclosed


class _Builder:
    def __init__(self, path, rel, lesson: LessonContext, expanded: Expanded, diags: Diagnostics,
                 source_lines: list[str]):
        self.path = path
        self.source_lines = source_lines       # the text markdown-it parsed, by line
        self.rel = rel
        self.dir = os.path.dirname(path)
        self.lesson = lesson
        self.expanded = expanded
        self.diags = diags
        self.stem = os.path.splitext(os.path.basename(path))[0]

    # -- locations ---------------------------------------------------------------------------
    def line(self, token) -> int:
        if token is None or not token.map:
            return 0
        return self.expanded.origin(token.map[0])[1]

    def where(self, token) -> tuple[str, int]:
        if token is None or not token.map:
            return self.rel, 0
        return self.expanded.origin(token.map[0])

    # -- blocks --------------------------------------------------------------------------------
    def blocks(self, nodes, container: _Box | None = None) -> list:
        out: list = []
        for node in nodes:
            typ = node.type
            if typ == "ial":
                self.attach(out, node, container)
            elif typ == "heading":
                spans, images = self.inline(node.children[0] if node.children else None, node.token)
                out.append(Heading(int(node.token.tag[1:]), tuple(spans), self.line(node.token)))
                out.extend(images)
            elif typ == "paragraph":
                out.extend(self.paragraph(node))
            elif typ in ("bullet_list", "ordered_list"):
                out.append(self.list_block(node))
            elif typ == "fence":
                out.append(self.fence(node))
            elif typ == "code_block":
                out.append(Code(node.content.rstrip("\n"), None, "source", self.line(node)))
            elif typ == "blockquote":
                box = _Box(None, [], self.line(node.token))
                box.children = self.blocks(node.children, box)
                out.append(box)
            elif typ == "div":
                meta = node.token.meta or {}
                classes = meta.get("classes") or ["div"]
                box = _Box(classes[0], [], self.line(node.token), meta.get("unclosed", False))
                if box.unclosed:
                    self.diags.error(f"'::: {box.kind}' is never closed (a line of colons ends it)",
                                     box.line, self.rel)
                box.children = self.blocks(node.children, box)
                out.append(box)
            elif typ in ("math_block", "math_block_label"):
                out.append(Math(node.content.strip(), self.line(node)))
            elif typ == "table":
                out.append(self.table(node))
            elif typ == "html_block":
                out.extend(self.html_block(node))
            elif typ == "dl":
                out.append(self.definition_list(node))
            # hr and anything else carries no content for slides or handouts
        return [self.finish(b) if isinstance(b, _Box) else b for b in out]

    def finish(self, box: _Box) -> Special:
        kind = box.kind or "quote"
        children = box.children
        title = ""
        if children and isinstance(children[0], Heading) and kind != "quote":
            title = children[0].text
            children = children[1:]
        minutes = None
        if kind in ("challenge", "discussion", "exercise"):
            minutes = timing.minutes_in_title(title)
            if minutes is None:
                for c in children:
                    if isinstance(c, Special):
                        break
                    if isinstance(c, Paragraph):
                        minutes = timing.minutes_in_text(c.text)
                        if minutes is not None:
                            break
        return Special(kind, title, minutes, tuple(children), box.line)

    def attach(self, out: list, node, container: _Box | None):
        """Apply a kramdown attribute line to the block it follows."""
        classes = (node.meta or {}).get("classes") or []
        if not classes:
            return
        cls = classes[0]
        line = self.line(node)
        prev = out[-1] if out else None
        if isinstance(prev, Code):
            lang, role = prev.lang, prev.role
            for c in classes:
                if c.startswith("language-"):
                    lang = c[len("language-"):] or lang
                elif c in CODE_ROLES:
                    role = CODE_ROLES[c]
                elif lang is None:
                    lang = c
            out[-1] = Code(prev.text, lang, role, prev.line)
            return
        if cls.startswith("language-") or cls in CODE_ROLES:
            self.diags.warning(f"'{{: .{cls}}}' does not follow a code block; ignored", line, self.rel)
            return
        if isinstance(prev, _Box) and prev.kind is None:
            prev.kind = cls
            return
        # The attribute line came after text that lost its quote markers (kramdown reads such
        # lines into the quote): the nearest unclassed quote takes the blocks after it too.
        for i in range(len(out) - 1, -1, -1):
            b = out[i]
            if isinstance(b, _Box):
                if b.kind is None:
                    b.kind = cls
                    b.children.extend(self.finish(x) if isinstance(x, _Box) else x for x in out[i + 1:])
                    del out[i + 1:]
                    return
                break
        if container is not None and container.kind is None:
            container.kind = cls      # `> {: .challenge}` written inside its own quote
            return
        if prev is not None and not isinstance(prev, _Box):
            if cls in KNOWN_KINDS:
                self.diags.warning(f"'{{: .{cls}}}' follows text, not a '>' quote; the text is "
                                   f"taken as the {cls}", line, self.rel)
                out[-1] = _Box(cls, [prev], getattr(prev, "line", line))
            return
        if prev is None and cls in KNOWN_KINDS:
            self.diags.warning(f"'{{: .{cls}}}' has no block before it; ignored", line, self.rel)

    def paragraph(self, node) -> list:
        inline_tok = node.children[0] if node.children else None
        spans, images = self.inline(inline_tok, node.token)
        out: list = []
        if any(s.text.strip() for s in spans):
            out.append(Paragraph(tuple(spans), self.line(node.token)))
        out.extend(images)
        return out

    def list_block(self, node) -> ListBlock:
        items = []
        for item in node.children:
            if isinstance(item, _Node):
                items.append(tuple(self.blocks(item.children)))
        ordered = node.type == "ordered_list"
        start = int(node.token.attrGet("start") or 1) if ordered else 1
        return ListBlock(ordered, start, tuple(items), self.line(node.token))

    def fence(self, token) -> Code:
        self._check_closed(token)
        self._check_swallowed(token)
        info = (token.info or "").strip()
        lang, role = None, "source"
        if info:
            first = info.split()[0].strip("{}").lstrip(".")
            if first in CODE_ROLES:
                role = CODE_ROLES[first]
            elif first.startswith("language-"):
                lang = first[9:]
            else:
                lang = first or None
        return Code(token.content.rstrip("\n"), lang, role, self.line(token))

    def _check_closed(self, token) -> None:
        """markdown-it lets an unclosed fence run to the end of its block; authors rarely
        mean that, and it swallows whatever follows into the code."""
        if not token.map:
            return
        lines = self.source_lines
        last = token.map[1] - 1
        if last <= token.map[0] or last >= len(lines):
            closed = False
        else:
            bare = QUOTE_MARKERS.sub("", lines[last]).strip()
            marker = token.markup
            closed = bare.startswith(marker[0] * len(marker)) and not bare.strip(marker[0]).strip()
        if not closed:
            self.diags.error(f"code fence '{token.markup}' is never closed: everything after it "
                             "becomes code", self.line(token), self.where(token)[0])

    def _check_swallowed(self, token) -> None:
        """A block opener or attribute line inside code usually means a fence was left open
        above it, so a challenge or solution became code. A longer fence (````) or Markdown
        code is how authors show such lines on purpose."""
        if len(token.markup) > 3 or (token.info or "").strip().lower() in MARKDOWN_LANGS:
            return
        for i, text in enumerate(token.content.split("\n")):
            bare = QUOTE_MARKERS.sub("", text)
            if SWALLOWED.match(bare):
                path, line = self.expanded.origin(token.map[0] + 1 + i) if token.map else (self.rel, 0)
                self.diags.warning(f"'{bare.strip()[:40]}' is inside a code block, so it is shown "
                                   "as code; is a code fence above it left open?", line, path)
                return

    def table(self, node) -> Table:
        header: list = []
        rows: list = []
        align: list = []
        for section in node.children:
            for tr in section.children if isinstance(section, _Node) else ():
                cells = []
                for cell in tr.children:
                    spans, _ = self.inline(cell.children[0] if cell.children else None, cell.token)
                    cells.append(tuple(spans))
                    if section.type == "thead":
                        style = cell.token.attrGet("style") or ""
                        m = re.search(r"text-align:\s*(\w+)", style)
                        align.append(m.group(1) if m else None)
                (header if section.type == "thead" else rows).append(tuple(cells))
        head = header[0] if header else ()
        width = max([len(head)] + [len(r) for r in rows]) if (head or rows) else 0
        rows = [r + ((),) * (width - len(r)) for r in rows]
        return Table(tuple(head), tuple(tuple(r) for r in rows), tuple(align), self.line(node.token))

    def definition_list(self, node) -> ListBlock:
        items = []
        term: list = []
        for part in node.children:
            if part.type == "dt":
                term, _ = self.inline(part.children[0] if part.children else None, part.token)
            elif part.type == "dd":
                body = self.blocks(part.children)
                head = [Span(s.text, True, s.italic, s.code, s.strike, s.math, s.href) for s in term]
                if body and isinstance(body[0], Paragraph):
                    first = Paragraph(tuple(merge(head + [Span(": ")] + list(body[0].spans))),
                                      body[0].line)
                    body = [first] + body[1:]
                else:
                    body = [Paragraph(tuple(head), self.line(part.token))] + body
                items.append(tuple(body))
        return ListBlock(False, 1, tuple(items), self.line(node.token))

    def html_block(self, token) -> list:
        parser = HtmlText(resolve_href=self.href)
        parser.feed(token.content)
        parser.close()
        line = self.line(token)
        out: list = []
        spans = merge(parser.spans)
        if any(s.text.strip() for s in spans):
            out.append(Paragraph(tuple(spans), line))
        out.extend(self.image(RawImage(s, a, w, t, line)) for s, a, w, t in parser.images)
        return out

    # -- inline --------------------------------------------------------------------------------
    def inline(self, token, block_token) -> tuple[list[Span], list[Image]]:
        if token is None:
            return [], []
        line = self.line(block_token)
        spans, raw_images = convert(token, self.href, line)
        return spans, [self.image(r) for r in raw_images]

    def inline_text(self, text: str, line: int) -> Inline:
        """Front-matter text (questions, keypoints) read as inline Markdown."""
        tokens = make_parser().parseInline(text, {})
        spans, _ = convert(tokens[0], self.href, line) if tokens else ([], [])
        return tuple(spans) or (Span(text),)

    def href(self, target: str) -> str | None:
        """An absolute link for a slide or handout, or None when there is nowhere to go."""
        target = target.strip()
        if not target or target.startswith("#"):
            return None
        scheme = urlsplit(target).scheme.lower()
        if scheme in ("http", "https", "mailto", "ftp"):
            return target
        if scheme:                                # javascript:, file:, data: … never linked
            return None
        if target.startswith("//"):
            return "https:" + target
        base = self.lesson.url
        if not base:
            return None
        base = base.rstrip("/") + "/"
        if self.lesson.format == "styles":
            page = urljoin(base, f"{self.stem}/")
        else:
            page = base
            target = re.sub(r"\.md(#|$)", r".html\1", target)
        return urljoin(page, target)

    def image(self, raw: RawImage) -> Image:
        src = raw.src.strip()
        path = resolve_local(self.lesson.root, self.dir, src)
        width = raw.width
        if path is None and not is_remote(src):
            what = "is not in the lesson" if src and not urlsplit(src).scheme else "is not a lesson file"
            self.diags.warning(f"image '{src}' {what}", raw.line, self.rel)
        if not raw.alt.strip():
            self.diags.warning(f"image '{src}' has no alt text; learners using screen readers "
                               "will not know what it shows", raw.line, self.rel)
        return Image(src, path, raw.alt.strip(), width, raw.line, raw.title)
