"""Raw HTML blocks as the lesson's site shows them: a `<pre>` is code, a `<figure>` a picture
with its `<figcaption>` as caption, a `<details>` a box titled by its `<summary>` (kramdown and
pandoc keep the HTML; the browser shows it so), anything else its text and pictures."""
from __future__ import annotations

from dataclasses import replace

from ..model import Code, Heading, Image, Paragraph
from .inline import HtmlText, RawImage, merge
from .unfinished import Unfinished


class _DetailsEnd:
    """Where a `</details>` closed the box a `<details>` in an earlier block opened."""


class _Caption:
    """A `<figcaption>` or `<summary>` in a block of its own: it goes to the picture before it,
    or titles the `<details>` box it is in."""

    def __init__(self, spans: tuple, line: int, summary: bool):
        self.spans, self.line, self.summary = spans, line, summary


def html_block(builder, token) -> list:
    parser = HtmlText(resolve_href=builder.href)
    parser.feed(token.content)
    parser.close()
    line = builder.line(token)
    head = token.content.lstrip().lower()
    if parser.pre is not None and head.startswith("<pre"):
        return [Code("".join(parser.pre).strip("\n"), None, "source", line)]
    out: list = []
    spans = merge(parser.spans)
    if any(s.text.strip() for s in spans):
        out.append(Paragraph(tuple(spans), line))
    caption = tuple(merge(parser.caption))
    where = builder.where(token)[0]
    images = [builder.image(RawImage(s, a, w, t, line), where) for s, a, w, t in parser.images]
    if images and caption:
        images[-1] = replace(images[-1], caption=caption)
    elif caption:
        out.append(_Caption(caption, line, summary=False))
    out.extend(images)
    summary = tuple(merge(parser.summary))
    opens, closes = head.count("<details"), head.count("</details>")
    if opens:
        title = [Heading(3, summary, line)] if summary else []
        return [Unfinished("spoiler", title + out, line, open_html=opens > closes)]
    if summary:
        out.insert(0, _Caption(summary, line, summary=True))
    if closes:
        out.append(_DetailsEnd())
    return out


def gather(blocks: list) -> list:
    """Resolve what raw HTML split over several blocks means: the blocks between a `<details>`
    and its `</details>` go into its box, a lone `<figcaption>` captions the picture before it."""
    out: list = []
    opened: list = []
    for b in blocks:
        into = opened[-1].children if opened else out
        if isinstance(b, _DetailsEnd):
            if opened:
                opened.pop().open_html = False
        elif isinstance(b, _Caption):
            if b.summary and opened and not any(isinstance(c, Heading) for c in into[:1]):
                into.insert(0, Heading(3, b.spans, b.line))
            elif not b.summary and into and isinstance(into[-1], Image) and not into[-1].caption:
                into[-1] = replace(into[-1], caption=b.spans)
            else:
                into.append(Paragraph(b.spans, b.line))
        else:
            into.append(b)
            if getattr(b, "open_html", False):
                opened.append(b)
    return out
