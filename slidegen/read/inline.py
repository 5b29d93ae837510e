"""Inline markdown-it tokens to model spans; images found inline are handed back separately."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from ..model import Span, plain
from .typography import smarten

CODE_TAGS = {"code", "kbd", "samp", "tt", "var"}
BOLD_TAGS = {"b", "strong"}
ITALIC_TAGS = {"i", "em"}
DROP_TAGS = {"script", "style", "iframe", "object", "embed", "template"}


@dataclass
class RawImage:
    """An image reference before the reader resolves it against the lesson."""
    src: str
    alt: str
    width: str | None
    title: str
    line: int
    text: tuple = ()     # the bracket text, formatted: pandoc's caption for a figure


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0
    code: int = 0
    strike: int = 0
    href: list = field(default_factory=list)
    script: list = field(default_factory=list)

    def span(self, text: str, **kw) -> Span:
        return Span(text, bold=self.bold > 0, italic=self.italic > 0,
                    code=kw.get("code", self.code > 0), strike=self.strike > 0,
                    math=kw.get("math", False), href=self.href[-1] if self.href else None,
                    script=self.script[-1] if self.script else "")


class HtmlText(HTMLParser):
    """Raw HTML reduced to its text and images; comments, scripts and styles dropped."""

    def __init__(self, style: _Style | None = None, resolve_href=None):
        super().__init__(convert_charrefs=True)
        self.style = style or _Style()
        self.resolve_href = resolve_href or (lambda h: None)
        self.spans: list[Span] = []
        self.images: list[tuple[str, str, str | None, str]] = []   # src, alt, width, title
        self.caption: list[Span] = []       # a <figcaption>'s text, apart from the rest
        self.summary: list[Span] = []       # a <summary>'s text, apart from the rest
        self.pre: list[str] | None = None   # the text of a <pre>, as written
        self._into: list[list[Span]] = []
        self._drop = 0
        self._caption_p = 0                 # inside knitr's `<p class="caption">`

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("figcaption", "summary"):
            self._into.append(self.caption if tag == "figcaption" else self.summary)
        elif tag == "p" and "caption" in (a.get("class") or "").split():
            self._into.append(self.caption)     # knitr's figure caption
            self._caption_p += 1
        elif tag == "pre" and self.pre is None:
            self.pre = []
        elif tag in DROP_TAGS:
            self._drop += 1
        elif tag == "img":
            self.images.append((a.get("src") or "", a.get("alt") or "", a.get("width"),
                                a.get("title") or ""))
        elif tag == "br":
            self.spans.append(self.style.span("\n"))
        elif tag in CODE_TAGS:
            self.style.code += 1
        elif tag in BOLD_TAGS:
            self.style.bold += 1
        elif tag in ITALIC_TAGS:
            self.style.italic += 1
        elif tag == "a":
            self.style.href.append(self.resolve_href(a.get("href") or ""))
        elif tag in ("sup", "sub"):
            self.style.script.append(tag)
        elif tag in ("p", "div", "li", "tr") and self.spans:
            self.spans.append(self.style.span(" "))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "br"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("figcaption", "summary") and self._into:
            self._into.pop()
        elif tag == "p" and self._caption_p and self._into:
            self._into.pop()
            self._caption_p -= 1
        elif tag in DROP_TAGS:
            self._drop = max(0, self._drop - 1)
        elif tag in CODE_TAGS:
            self.style.code = max(0, self.style.code - 1)
        elif tag in BOLD_TAGS:
            self.style.bold = max(0, self.style.bold - 1)
        elif tag in ITALIC_TAGS:
            self.style.italic = max(0, self.style.italic - 1)
        elif tag == "a" and self.style.href:
            self.style.href.pop()
        elif tag in ("sup", "sub") and self.style.script:
            self.style.script.pop()

    def handle_data(self, data):
        if self.pre is not None and not self._drop:
            self.pre.append(data)
        if not self._drop and data:
            (self._into[-1] if self._into else self.spans).append(self.style.span(data))


def convert(token, resolve_href, line: int) -> tuple[list[Span], list[RawImage]]:
    """Spans and images of one `inline` token."""
    style = _Style()
    spans: list[Span] = []
    images: list[RawImage] = []
    for t in token.children or ():
        typ = t.type
        if typ == "text":
            spans.append(style.span(t.content))
        elif typ == "code_inline":
            spans.append(style.span(t.content, code=True))
        elif typ == "softbreak":
            spans.append(style.span(" "))
        elif typ == "hardbreak":
            spans.append(style.span("\n"))
        elif typ == "strong_open":
            style.bold += 1
        elif typ == "strong_close":
            style.bold -= 1
        elif typ == "em_open":
            style.italic += 1
        elif typ == "em_close":
            style.italic -= 1
        elif typ == "s_open":
            style.strike += 1
        elif typ == "s_close":
            style.strike -= 1
        elif typ == "footnote_ref":         # a note's number, raised, as its page shows it
            style.script.append("sup")
            spans.append(style.span(str((t.meta or {}).get("id", 0) + 1)))
            style.script.pop()
        elif typ in ("sup_open", "sub_open"):
            style.script.append(typ[:3])
        elif typ in ("sup_close", "sub_close"):
            if style.script:
                style.script.pop()
        elif typ == "link_open":
            style.href.append(resolve_href(t.attrGet("href") or ""))
        elif typ == "link_close":
            if style.href:
                style.href.pop()
        elif typ in ("math_inline", "math_inline_double"):
            span = style.span(t.content.strip(), math=True)
            spans.append(replace(span, display=True) if typ == "math_inline_double" else span)
        elif typ == "image":
            attrs = (t.meta or {}).get("attrs", {})
            text, _ = convert(t, resolve_href, line)
            alt = plain(text)
            images.append(RawImage(t.attrGet("src") or "", attrs.get("alt") or alt,
                                   attrs.get("width"), t.attrGet("title") or "", line, tuple(text)))
        elif typ == "html_inline":
            parser = HtmlText(style, resolve_href)
            parser.feed(t.content)
            spans.extend(parser.spans)
            images.extend(RawImage(s, a, w, ti, line) for s, a, w, ti in parser.images)
    return smarten(merge(spans)), images


def merge(spans: list[Span]) -> list[Span]:
    """Join neighbouring spans of equal format; collapse runs of spaces (not in code)."""
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and _same(out[-1], s):
            out[-1] = replace(out[-1], text=out[-1].text + s.text)
        else:
            out.append(s)
    cleaned = []
    for s in out:
        if not s.code and not s.math:
            text = re.sub(r"[ \t]+", " ", s.text)
            if text != s.text:
                s = replace(s, text=text)
        cleaned.append(s)
    if cleaned:
        first, last = cleaned[0], cleaned[-1]
        cleaned[0] = _with_text(first, first.text.lstrip() if not first.code else first.text)
        cleaned[-1] = _with_text(cleaned[-1],
                                 cleaned[-1].text.rstrip() if not last.code else cleaned[-1].text)
    return [s for s in cleaned if s.text]


def _same(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.strike, a.math, a.href, a.script) == \
        (b.bold, b.italic, b.code, b.strike, b.math, b.href, b.script) and not a.math


def _with_text(s: Span, text: str) -> Span:
    return replace(s, text=text)
