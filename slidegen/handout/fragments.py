"""HTML fragments the templates cannot make themselves: inline spans, highlighted code, math,
figures (or their words when there is no picture). Each returns `Markup`, escaping everything
that came from the lesson.

One `Fragments` serves one document and collects the warnings met on the way (a figure that is
not available, math that cannot be typeset), located at the episode's file and line.
"""
from __future__ import annotations

import base64
import os
import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.token import Token

from ..errors import Diagnostics
from ..languages import lexer as code_lexer
from ..media import imageformats, mathrender, svgraster
from ..media.diagrams import is_diagram, read_diagram
from ..media.overlong import cut_lines, cut_mark, cut_words, line_note, word_note
from ..media.remote import LINK_SCHEMES, fetch, remote_image_note
from ..model import Code, Image, Span, cell_blocks
from ..read.minutes import title_without_time
from ..theme.colour import readable_on
from .breaks import Measure, keep_whole, list_keep_whole, table_class
from .codelines import lines_html
from .fetcher import lesson_url
from .largeprint import is_large
from .lengths import length_pt

CODE_CLASS = "hl"
DISPLAY_SCALE = 1.2      # display math, against the body text size
ANSWER_LINE = "8mm"      # between the ruled lines of an answer space


@lru_cache(maxsize=None)
class _LookFormatter(HtmlFormatter):
    """Pygments' HTML, with a span only where a token looks different from plain code, and
    one class per look: tokens that look alike (names beside punctuation, say) share one run
    of text. Every span is a box to lay out, to draw and to tag in a PDF/UA file; in code-heavy
    handouts most tokens look like plain text."""

    def __init__(self, **options):
        super().__init__(**options)
        self._looks: dict = {}          # token type -> its class ("" for plain code)
        self._by_look: dict = {}        # look -> the class of the first token type with it

    def _get_css_classes(self, ttype):
        if ttype not in self._looks:
            known = ttype                   # a lexer's own token type looks like its parent
            while not self.style.styles_token(known) and known.parent is not None:
                known = known.parent
            st = self.style.style_for_token(known)
            look = tuple(st[k] for k in ("color", "bold", "italic", "underline", "bgcolor",
                                         "border"))
            # (a space's colour shows nothing)
            if not any(look) or ttype in Token.Text.Whitespace and not any(look[1:]):
                self._looks[ttype] = ""
            else:
                self._looks[ttype] = self._by_look.setdefault(look, super()._get_css_classes(ttype))
        return self._looks[ttype]


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter:
    return _LookFormatter(style=style, nowrap=True, classprefix="")


def pygments_css(style: str, backgrounds: tuple[str, ...] = ()) -> str:
    """Token colours of a Pygments style, scoped to code blocks (backgrounds come from the
    theme's own code colours, not from the style). A colour that would not read on one of
    `backgrounds` (WCAG AA) is darkened or lightened until it reads on all of them."""
    css = HtmlFormatter(style=style).get_style_defs(f".{CODE_CLASS}")
    rules = [r for r in css.splitlines()
             if r.startswith(f".{CODE_CLASS} .")
             and not any(k in r.split("{", 1)[1] for k in ("background", "border"))]
    return "\n".join(CSS_COLOUR.sub(lambda m: "color: " + readable_on_all(_six(m.group(1)),
                                                                          backgrounds),
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
    def __init__(self, root: str, source: str, theme, allow_remote: bool, diags: Diagnostics,
                 repeat: frozenset = frozenset(), macros: tuple = ()):
        self.root = root
        self.macros = macros          # the lesson's TeX macros (LessonConfig.math_macros)
        self.repeat = repeat          # ids of solution boxes that begin a page (answer key)
        self.source = source
        self.theme = theme
        self.allow_remote = allow_remote
        self.diags = diags
        self._remote: dict[str, tuple[str | None, str]] = {}
        self.measure = Measure.of(theme.handout)

    # -- page breaks -----------------------------------------------------------------------
    def keep(self, block, depth: int = 0) -> str:
        """"keep" for a block never split across pages, "split" for one that may be."""
        m = self.measure.narrower(24.0 * depth) if depth else self.measure
        return "keep" if keep_whole(block, m, self.root) else "split"

    def keep_items(self, items) -> str:
        return "keep" if list_keep_whole(items, self.measure) else "split"

    def answer_lines(self) -> int:
        """Ruled lines in the answer space under an exercise (8 mm apart, as tall as the
        theme's `answer_space`)."""
        return max(2, round(length_pt(self.theme.handout.answer_space) / length_pt(ANSWER_LINE)))

    def table_fit(self, table) -> str:
        """A class that sets a wide table's type smaller, down to a floor, or `table-records`
        for one to set a row per block (see breaks.py)."""
        return table_class(table, self.measure, is_large(self.theme.handout))

    @staticmethod
    def cell_blocks(cell) -> tuple:
        """The blocks a table cell holds (a heading, a list, a picture), or ()."""
        return cell_blocks(cell)

    def box_id(self, box) -> str:
        """A box's id in the document, stable from one layout to the next."""
        return f"box-{_ident(self.source)}-{box.line}"

    def repeats_exercise(self, box) -> bool:
        return self.box_id(box) in self.repeat

    @staticmethod
    def box_title(box) -> str:
        """A box's title; a time in it is left to the time shown beside it."""
        return title_without_time(box.title) if box.minutes is not None else box.title

    @staticmethod
    def lone_math(paragraph) -> str | None:
        """The TeX of a paragraph that is nothing but one formula: display math."""
        spans = [s for s in paragraph.spans if s.math or s.text.strip()]
        return spans[0].text if len(spans) == 1 and spans[0].math else None

    # -- inline ----------------------------------------------------------------------------
    def spans(self, spans, line: int = 0, colour: str = "text") -> Markup:
        """Spans as inline HTML; consecutive spans with one link target share one <a>. Math
        takes the theme colour of what it stands in: `colour` (a colour token: "heading" in
        headings, "table_header_text" in table headers), or the link colour inside a link."""
        if isinstance(spans, str):          # summary items may arrive as plain text
            spans = (Span(spans),)
        out: list[str] = []
        i = 0
        while i < len(spans):
            href = _link(spans[i].href)
            j = i
            while j < len(spans) and _link(spans[j].href) == href:
                j += 1
            ink = "link" if href else colour
            inner = "".join(self._span(s, line, ink) for s in spans[i:j])
            out.append(f'<a href="{escape(href)}">{inner}</a>' if href else inner)
            i = j
        return Markup("".join(out))

    def _span(self, s: Span, line: int, colour: str) -> str:
        if s.math:
            return self.math(s.text, display=s.display, line=line, colour=colour, block="span")
        words, longest = cut_words(s.text)
        if longest:
            self.diags.warning(word_note(longest), line)
        text = str(escape(words)).replace("\n", "<br>")
        if s.code:
            text = f"<code>{text}</code>"
        if s.bold:
            text = f"<strong>{text}</strong>"
        if s.italic:
            text = f"<em>{text}</em>"
        if s.strike:
            text = f"<s>{text}</s>"
        if s.script:
            text = f"<{s.script}>{text}</{s.script}>"
        return text

    # -- code ------------------------------------------------------------------------------
    def code(self, block: Code) -> Markup:
        """The code's text as HTML, line by line (see codelines.py); source code in a known
        language is highlighted."""
        lexer = code_lexer(block.lang) if block.lang and block.role == "source" else None
        source, cut = cut_lines(block.text)
        if cut:
            self.diags.warning(line_note(cut), block.line)
        if lexer is None:
            text = str(escape(source))
        else:
            text = highlight(source, lexer, _formatter(self.theme.code_style)).rstrip("\n")
        if cut:                  # the mark after the highlighting: it is not code
            text = "\n".join(f'{line}<span class="cut">{escape(cut_mark(cut[i]))}</span>'
                             if i in cut else line for i, line in enumerate(text.split("\n")))
        return lines_html(text, _code_columns(self.theme.handout))

    # -- math ------------------------------------------------------------------------------
    def math(self, tex: str, display: bool, line: int = 0, colour: str = "text",
             block: str = "p") -> Markup:
        """TeX typeset as an SVG image with the TeX as its alt text, or the TeX itself (and a
        warning) when it cannot be typeset. Display math stands centred on its own line, a
        little larger than the text and in display style (a `block` element: "span" inside a
        paragraph); inline math sits on the baseline at the text's size."""
        size = float(self.theme.handout.body_size) * (DISPLAY_SCALE if display else 1.0)
        try:
            t = mathrender.typeset(tex, size, self.theme.colour(colour), "svg", display=display,
                                   macros=self.macros)
        except mathrender.MathError as e:
            self.diags.warning(mathrender.not_typeset(tex, e), line)
            code = f'<code class="math-tex">{escape(mathrender.shown_tex(tex))}</code>'
            if display:
                return Markup(f'<{block} class="math-display">{code}</{block}>')
            return Markup(code)
        data = base64.b64encode(t.data).decode("ascii")
        if display:
            style = f"width:{t.width_pt:.2f}pt"
        else:
            style = (f"width:{t.width_pt:.2f}pt;height:{t.height_pt:.2f}pt;"
                     f"vertical-align:{-t.depth_pt:.2f}pt")
        img = (f'<img class="math" alt="{escape(tex)}" style="{style}" '
               f'src="data:image/svg+xml;base64,{data}">')
        return Markup(f'<{block} class="math-display">{img}</{block}>' if display else img)

    # -- figures ---------------------------------------------------------------------------
    def figure(self, image: Image) -> dict:
        """What the template needs for one image: a URL to show, or the words that stand for
        it. The caption is the lesson's caption; the alt text is the picture's description
        for screen readers, and the figure's words when the picture is not available (why it
        is not is for the author, in the build's warnings)."""
        caption = self.spans(image.caption, image.line) if image.caption else None
        alt = image.alt or image.title or plain_caption(image)     # "": decorative
        width = _css_width(image.width)
        src = None
        if image.path is not None:
            full = os.path.join(self.root, image.path)
            try:
                src, natural = self._picture_url(full)
                width = width or natural
            except (imageformats.ImageRefused, svgraster.SvgError) as e:
                self.diags.warning(f"image '{_short(image.src)}' not shown in the handout: {e}; "
                                   "the handout describes it in words", image.line)
        elif image.remote and self.allow_remote:
            src, why = self._download(image.src)
            if not src:
                self.diags.warning(f"image '{_short(image.src)}' {why}; the handout describes it "
                                   "in words", image.line)
        elif image.remote:
            self.diags.warning(remote_image_note(image.src), image.line)
        # a missing or outside file: the reader has already said so
        return {"src": src, "alt": alt, "caption": caption, "width": width if src else None,
                "words": alt or (plain_caption(image) or "A picture that is not available")}

    def _picture_url(self, full: str) -> tuple[str, str | None]:
        """The file's URL; for an SVG that WeasyPrint would draw wrong (svgraster.needs_browser),
        its drawing as a browser draws it, at its own width."""
        data = imageformats.read_image_file(full)
        if imageformats.check(data).kind != "svg" or not svgraster.needs_browser(data):
            return lesson_url(self.root, full), None
        for ref in svgraster.external_references(data):
            self.diags.warning(f"image '{_short(os.path.basename(full))}': the picture it "
                               f"names, '{_short(ref)}', is not drawn (an SVG's outside files "
                               "are never read)")
        png, w, _ = svgraster.rasterise(data)
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii"), f"{w}px"

    def diagram(self, block: Code) -> dict:
        """A Mermaid diagram as a figure: its picture when mermaid-cli drew one, else its words
        (never its source)."""
        d = read_diagram(block.text)
        if d.png is None:
            self.diags.warning(f"Mermaid diagram: {d.error}; the handout describes it in words",
                               block.line)
            return {"src": None, "alt": d.summary, "caption": None, "width": None,
                    "words": d.summary}
        src = "data:image/png;base64," + base64.b64encode(d.png).decode("ascii")
        return {"src": src, "alt": d.summary, "caption": None, "width": None, "words": d.summary}

    def is_diagram(self, block) -> bool:
        return isinstance(block, Code) and is_diagram(block.lang)

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


def _ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


# Room a code block may lose to the boxes around it (three deep) and its own padding, and a
# monospaced advance a little wider than most, so that no line that could wrap goes unmarked.
NESTED_PT = 110
SAFE_MONO_EM = 0.64


@cache
def _code_columns(handout) -> int:
    """Characters that fit on a code line in the narrowest column code may stand in."""
    width = Measure.of(handout).width - NESTED_PT
    return max(int(width / (handout.code_size * SAFE_MONO_EM)), 0)


def plain_caption(image: Image) -> str:
    return "".join(span.text for span in image.caption).strip()


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
