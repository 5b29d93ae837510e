"""markdown-it's token stream to the model's blocks: headings, paragraphs, lists, code, tables,
math, images and special blocks (fenced divs, and blockquotes a kramdown attribute line names)."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from urllib.parse import urlsplit

from .. import kinds
from ..errors import Diagnostics
from ..media.remote import is_remote
from ..model import (
    Code,
    Heading,
    Image,
    Inline,
    ListBlock,
    Math,
    Paragraph,
    Span,
    Special,
    Table,
)
from ..paths import resolve_local, why_not_local
from . import html_blocks, tables
from .classes import site_classes, unknown_class
from .inline import RawImage, convert, merge
from .links import absolute_link
from .minutes import minutes_of, without_statement
from .syntax import make_parser
from .syntax.attributes import CODE_ROLES
from .text import Expanded
from .unfinished import Unfinished

QUOTE_MARKERS = re.compile(r"^(?:\s{0,3}>)+")
# Block openers and attribute lines: in code, they were most likely meant as Markdown.
SWALLOWED = re.compile(r"^\s*(:{3,}\s*\{?\s*\.?[A-Za-z][\w-]*|\{:\s*\.?[A-Za-z][\w-]*[^}]*\}\s*$)")
MARKDOWN_LANGS = {"markdown", "md", "rmd", "rmarkdown", "{markdown}"}


# -- token tree --------------------------------------------------------------------------------
class _Node:
    __slots__ = ("type", "token", "children")

    def __init__(self, token):
        self.type = token.type[:-5]          # "blockquote_open" -> "blockquote"
        self.token = token
        self.children: list = []


def token_tree(tokens) -> list:
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


class BlockBuilder:
    """Builds one episode's blocks; `lesson` is its `episode.LessonContext`."""

    def __init__(self, path, rel, lesson, expanded: Expanded, diags: Diagnostics,
                 source_lines: list[str]):
        self.path = path
        self.source_lines = source_lines       # the text markdown-it parsed, by line
        self.rel = rel
        self.dir = os.path.dirname(path)
        self.lesson = lesson
        self.expanded = expanded
        self.diags = diags
        self.stem = os.path.splitext(os.path.basename(path))[0]
        self._figure_text: dict[int, tuple] = {}     # an image's bracket text, by id
        self.nested = 0                              # reading Markdown inside a table cell
        self.site = site_classes(lesson.root)
        self._named: set[str] = set()                # unknown classes named so far

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
    def blocks(self, nodes) -> list:
        out: list = []
        for node in nodes:
            typ = node.type
            if typ == "ial":
                self.attach(out, node)
            elif typ == "stray_ial":
                fixed = "{: ." + re.sub(r"^[{:\s.]+|[\s}]+$", "", node.content) + "}"
                self.diags.warning(f"'{node.content}' is printed as text on the lesson's site (a "
                                   f"broken attribute line? kramdown reads '{fixed}'); left out",
                                   self.line(node), self.where(node)[0])
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
                box = Unfinished(None, [], self.line(node.token))
                box.children = self.blocks(node.children)
                out.append(box)
            elif typ == "div":
                meta = node.token.meta or {}
                classes = meta.get("classes") or ["div"]
                box = Unfinished(self.site.kind(classes[0]) or classes[0], [],
                                 self.line(node.token), meta.get("unclosed", False))
                if box.unclosed:
                    self.diags.error(f"'::: {box.kind}' is never closed (a line of colons ends it)",
                                     box.line, self.rel)
                box.children = self.blocks(node.children)
                out.append(box)
            elif typ in ("math_block", "math_block_label"):
                out.append(Math(node.content.strip(), self.line(node)))
            elif typ == "table":
                out.append(self.table(node))
            elif typ == "html_block":
                out.extend(self.html_block(node))
            elif typ == "dl":
                out.append(self.definition_list(node))
            elif typ == "footnote_block":
                out.append(self.notes(node))
            # hr and anything else carries no content for slides or handouts
        out = html_blocks.gather(out)
        if self.lesson.dialect.table_captions:
            out = tables.with_captions(out)
        return [self.finish(b) if isinstance(b, Unfinished) else b for b in out]

    def finish(self, box: Unfinished) -> Special:
        kind = box.kind or "quote"
        children = box.children
        title = ""
        if children and isinstance(children[0], Heading) and kind != "quote":
            title = children[0].text
            children = children[1:]
        minutes = minutes_of(title, children) if kind in kinds.TIMED else None
        if minutes is not None:
            children = without_statement(children)
        return Special(kind, title, minutes, tuple(children), box.line)

    def attach(self, out: list, node):
        """Apply a kramdown attribute line that names no quote (the parser gave those their
        quote, see syntax/boxes.py): it gives code its language or role, hides the block
        before it when the site hides its class, or is reported."""
        classes = (node.meta or {}).get("classes") or []
        if not classes:
            return
        cls = classes[0]
        line = self.line(node)
        prev = out[-1] if out else None
        if self.lesson.dialect.prints_attribute_lines:
            self.diags.warning(f"'{{: {node.content}}}' is printed as text on the lesson's site "
                               "(pandoc reads no kramdown attribute lines); put the class on the "
                               "fence or the div instead", line, self.where(node)[0])
        elif cls == "toc" and isinstance(prev, ListBlock):
            out.pop()                 # kramdown puts the page's table of contents there
            return
        elif self.site.kind(cls) and prev is not None and not isinstance(prev, Unfinished):
            out[-1] = Unfinished(self.site.kind(cls), [prev], getattr(prev, "line", line))
            return
        if isinstance(prev, Code):
            out[-1] = self.code_attributes(prev, classes)
            return
        if cls.startswith("language-") or cls in CODE_ROLES:
            self.diags.warning(f"'{{: .{cls}}}' does not follow a code block; ignored", line,
                               self.rel)
            return
        self.name_unknown(classes, line)
        if prev is not None and not isinstance(prev, Unfinished):
            if cls in kinds.KNOWN:
                self.diags.warning(f"'{{: .{cls}}}' follows text, not a '>' quote; the text is "
                                   f"taken as the {cls}", line, self.rel)
                out[-1] = Unfinished(cls, [prev], getattr(prev, "line", line))
            return
        if prev is None and cls in kinds.KNOWN:
            self.diags.warning(f"'{{: .{cls}}}' has no block before it; ignored", line, self.rel)

    @staticmethod
    def code_attributes(prev: Code, classes: list[str]) -> Code:
        lang, role = prev.lang, prev.role
        for c in classes:
            if c.startswith("language-"):
                lang = c[len("language-"):] or lang
            elif c in CODE_ROLES:
                role = CODE_ROLES[c]
            elif lang is None:
                lang = c
        return Code(prev.text, lang, role, prev.line)

    def name_unknown(self, classes: list[str], line: int) -> None:
        """Name once each class that neither slidegen nor the lesson's stylesheets know."""
        for c in classes:
            if c not in kinds.KNOWN and not self.site.is_known(c) and c not in self._named:
                self._named.add(c)
                self.diags.warning(unknown_class(c), line, self.rel)

    def paragraph(self, node) -> list:
        inline_tok = node.children[0] if node.children else None
        spans, images = self.inline(inline_tok, node.token)
        out: list = []
        if any(s.text.strip() for s in spans):
            out.append(Paragraph(tuple(spans), self.line(node.token)))
        elif len(images) == 1 and self.lesson.dialect.implicit_figures:
            # pandoc: an image alone in its paragraph is a figure captioned by its bracket text
            images = [replace(images[0], caption=self._figure_text.get(id(images[0]), ()))]
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
        if not self.nested:
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
                path, line = (self.expanded.origin(token.map[0] + 1 + i) if token.map
                              else (self.rel, 0))
                self.diags.warning(f"'{bare.strip()[:40]}' is inside a code block, so it is shown "
                                   "as code; is a code fence above it left open?", line, path)
                return

    def table(self, node) -> Table:
        return tables.build(self, node)

    def blocks_of(self, markdown: str, token) -> list:
        """Markdown inside a block (a grid table's cell) read as blocks, at its block's line."""
        tokens = make_parser(self.lesson.dialect.parser_rules).parse(markdown, {})
        offset = token.map[0] if token is not None and token.map else 0
        for t in tokens:
            if t.map:
                t.map = [t.map[0] + offset, t.map[1] + offset]
        self.nested += 1             # its lines are not the episode's: no fence checks
        try:
            return self.blocks(token_tree(tokens))
        finally:
            self.nested -= 1

    def notes(self, node) -> ListBlock:
        """The notes (`[^1]: …`) the episode refers to, numbered, where its page lists them:
        at its end."""
        items = [tuple(self.blocks(n.children)) for n in node.children
                 if isinstance(n, _Node) and n.type == "footnote"]
        return ListBlock(True, 1, tuple(items), self.line(node.token))

    def definition_list(self, node) -> ListBlock:
        items = []
        term: list = []
        for part in node.children:
            if part.type == "dt":
                term, _ = self.inline(part.children[0] if part.children else None, part.token)
            elif part.type == "dd":
                body = self.blocks(part.children)
                head = [Span(s.text, True, s.italic, s.code, s.strike, s.math, s.href)
                        for s in term]
                if body and isinstance(body[0], Paragraph):
                    first = Paragraph(tuple(merge(head + [Span(": ")] + list(body[0].spans))),
                                      body[0].line)
                    body = [first] + body[1:]
                else:
                    body = [Paragraph(tuple(head), self.line(part.token))] + body
                items.append(tuple(body))
        return ListBlock(False, 1, tuple(items), self.line(node.token))

    def html_block(self, token) -> list:
        return html_blocks.html_block(self, token)

    def site_path(self, src: str) -> str:
        """A path on the lesson's site (`/baseurl/fig/x.png`, as Jekyll's `relative_url` makes
        it) as a path from the lesson root (`/fig/x.png`)."""
        base = str(self.lesson.config.get("baseurl") or "").strip().rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        return src[len(base):] if base and src.startswith(base + "/") else src

    # -- inline --------------------------------------------------------------------------------
    def inline(self, token, block_token) -> tuple[list[Span], list[Image]]:
        if token is None:
            return [], []
        line = self.line(block_token)
        spans, raw_images = convert(token, self.href, line)
        images = []
        for raw in raw_images:
            images.append(self.image(raw, self.where(block_token)[0]))
            self._figure_text[id(images[-1])] = raw.text
        return spans, images

    def inline_text(self, text: str, line: int) -> Inline:
        """Front-matter text (questions, keypoints) read as inline Markdown."""
        tokens = make_parser(self.lesson.parser_rules).parseInline(text, {})
        spans, _ = convert(tokens[0], self.href, line) if tokens else ([], [])
        return tuple(spans) or (Span(text),)

    def href(self, target: str) -> str | None:
        """An absolute link for a slide or handout, or None when there is nowhere to go."""
        return absolute_link(target, self.lesson.url, self.stem, self.lesson.dialect.page_link)

    def image(self, raw: RawImage, where: str | None = None) -> Image:
        """`where`: the file the image was written in (an include's, or the episode's)."""
        src = raw.src.strip()
        path = resolve_local(self.lesson.root, self.dir, self.site_path(src))
        width = raw.width
        where = where or self.rel
        if path is None and not is_remote(src):
            what = why_not_local(self.lesson.root, self.dir, src) \
                if src and not urlsplit(src).scheme else "is not a lesson file"
            self.diags.warning(f"image '{src}' {what}", raw.line, where)
        if not raw.alt.strip():
            self.diags.warning(f"image '{src}' has no alt text; learners using screen readers "
                               "will not know what it shows", raw.line, where)
        return Image(src, path, raw.alt.strip(), width, raw.line, raw.title)
