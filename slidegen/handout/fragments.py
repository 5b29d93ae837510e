"""HTML fragments the templates cannot make themselves: inline spans, highlighted code, math,
figures and placeholders. Each returns `Markup`, escaping everything that came from the lesson.

One `Fragments` serves one document and collects the warnings met on the way (a figure that is
not available, math that cannot be typeset), located at the episode's file and line.
"""
from __future__ import annotations

import base64
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter

from .. import mathrender
from ..colour import readable_on
from ..errors import Diagnostics
from ..languages import lexer as code_lexer
from ..model import Code, Image, Span
from ..remote import LINK_SCHEMES, fetch, remote_image_note

CODE_CLASS = "hl"


@lru_cache(maxsize=None)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True, classprefix="")


def pygments_css(style: str, backgrounds: tuple[str, ...] = ()) -> str:
    """Token colours of a Pygments style, scoped to code blocks (backgrounds come from the
    theme's own code colours, not from the style). A colour that would not read on one of
    `backgrounds` (WCAG AA) is darkened or lightened until it reads on all of them."""
    css = HtmlFormatter(style=style).get_style_defs(f".{CODE_CLASS}")
    rules = [r for r in css.splitlines()
             if r.startswith(f".{CODE_CLASS} .")
             and not any(k in r.split("{", 1)[1] for k in ("background", "border"))]
    return "\n".join(CSS_COLOUR.sub(lambda m: "color: " + readable_on_all(_six(m.group(1)), backgrounds),
                                    r) for r in rules)


CSS_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


def _six(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "#" + ("".join(ch * 2 for ch in h) if len(h) == 3 else h).lower()


def readable_on_all(colour: str, backgrounds) -> str:
    for _ in range(3):               # adjusting for one background may spoil another
        for bg in backgrounds:
            colour = readable_on(colour, bg)
    return colour


class Fragments:
    def __init__(self, root: str, source: str, theme, allow_remote: bool, diags: Diagnostics):
        self.root = root
        self.source = source
        self.theme = theme
        self.allow_remote = allow_remote
        self.diags = diags
        self._remote: dict[str, tuple[str | None, str]] = {}

    # -- inline ----------------------------------------------------------------------------
    def spans(self, spans, line: int = 0) -> Markup:
        """Spans as inline HTML; consecutive spans with one link target share one <a>."""
        if isinstance(spans, str):          # summary items may arrive as plain text
            spans = (Span(spans),)
        out: list[str] = []
        i = 0
        while i < len(spans):
            href = _link(spans[i].href)
            j = i
            while j < len(spans) and _link(spans[j].href) == href:
                j += 1
            inner = "".join(self._span(s, line) for s in spans[i:j])
            out.append(f'<a href="{escape(href)}">{inner}</a>' if href else inner)
            i = j
        return Markup("".join(out))

    def _span(self, s: Span, line: int) -> str:
        if s.math:
            return self.math(s.text, display=False, line=line)
        text = str(escape(s.text)).replace("\n", "<br>")
        if s.code:
            text = f"<code>{text}</code>"
        if s.bold:
            text = f"<strong>{text}</strong>"
        if s.italic:
            text = f"<em>{text}</em>"
        if s.strike:
            text = f"<s>{text}</s>"
        return text

    # -- code ------------------------------------------------------------------------------
    def code(self, block: Code) -> Markup:
        """The code's text as HTML; source code in a known language is highlighted."""
        lexer = code_lexer(block.lang) if block.lang and block.role == "source" else None
        if lexer is None:
            return Markup(escape(block.text))
        return Markup(highlight(block.text, lexer, _formatter()).rstrip("\n"))

    # -- math ------------------------------------------------------------------------------
    def math(self, tex: str, display: bool, line: int = 0) -> Markup:
        """TeX typeset as an SVG image with the TeX as its alt text, or the TeX itself (and a
        warning) when it cannot be typeset."""
        size = float(self.theme.handout.body_size)
        try:
            t = mathrender.typeset(tex, size, self.theme.colour("text"), "svg")
        except mathrender.MathError as e:
            self.diags.warning(f"math '{_short(tex)}' cannot be typeset ({e}); printed as TeX",
                               line)
            cls = "math-tex math-display" if display else "math-tex"
            return Markup(f'<code class="{cls}">{escape(tex)}</code>')
        data = base64.b64encode(t.data).decode("ascii")
        style = f"width:{t.width_pt:.2f}pt;height:{t.height_pt:.2f}pt"
        if not display:
            style += f";vertical-align:{-t.depth_pt:.2f}pt"
        img = (f'<img class="math" alt="{escape(tex)}" style="{style}" '
               f'src="data:image/svg+xml;base64,{data}">')
        return Markup(f'<div class="math-display">{img}</div>' if display else img)

    # -- figures ---------------------------------------------------------------------------
    def figure(self, image: Image) -> dict:
        """What the template needs for one image: a URL to show, or why there is none."""
        caption = "".join(s.text for s in image.caption) or image.alt or image.title
        width = _css_width(image.width)
        if image.path is not None:
            url = Path(os.path.join(self.root, image.path)).resolve().as_uri()
            return {"src": url, "alt": image.alt, "caption": caption, "width": width,
                    "missing": None}
        if image.remote and self.allow_remote:
            src, why = self._download(image.src)
            if src:
                return {"src": src, "alt": image.alt, "caption": caption, "width": width,
                        "missing": None}
            self.diags.warning(f"image '{_short(image.src)}' {why}; the handout shows a placeholder",
                               image.line)
        else:
            why = _why_missing(image)
            if image.remote:
                self.diags.warning(remote_image_note(image.src), image.line)
            # a missing or outside file: the reader has already said so
        return {"src": None, "alt": image.alt, "caption": caption, "width": None,
                "missing": why, "where": image.src}

    def _download(self, url: str) -> tuple[str | None, str]:
        if url not in self._remote:
            try:
                data, ctype, _ = fetch(url)
                if not ctype.startswith("image/"):
                    raise ValueError(f"it is {ctype}, not an image")
                b64 = base64.b64encode(data).decode("ascii")
                self._remote[url] = (f"data:{ctype};base64,{b64}", "")
            except Exception as e:       # network, HTTP, size and type errors alike
                self._remote[url] = (None, f"could not be downloaded ({_short(str(e), 80)})")
        return self._remote[url]


def _link(href: str | None) -> str | None:
    """Only absolute web and mail links are clickable; lesson-relative ones lead nowhere."""
    if not href:
        return None
    return href if urlsplit(href).scheme.lower() in LINK_SCHEMES else None


def _why_missing(image: Image) -> str:
    if image.remote:
        return "is on the web and remote images are not downloaded"
    if urlsplit(image.src).scheme:
        return "is not a lesson file"
    return "is not in the lesson folder"


def _css_width(width: str | None) -> str | None:
    """An author's width ('600', '600px', '50%') as CSS; the stylesheet caps it at the column."""
    if not width:
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px|%|pt|cm|mm|in|em)?\s*", str(width))
    if not m:
        return None
    return m.group(1) + (m.group(2) or "px")


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
