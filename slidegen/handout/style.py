"""The handout stylesheet: the theme's CSS template filled with its tokens, the shipped fonts
as @font-face rules, Pygments token colours, then the theme's own extra CSS files.

Parsing CSS and loading fonts is the slow part of a small render, so the stylesheet and its
font configuration are made once per theme and process and shared by every document.
"""
from __future__ import annotations

import atexit
import base64
import os
from dataclasses import dataclass

import jinja2

from ..errors import ThemeError
from ..i18n import current, t
from ..kinds import LOOKS_LIKE
from ..theme import FONT_DIR, made_from_themes
from ..theme.files import theme_file
from ..theme.fonts import outline
from ..writer import at_process_end
from . import codelines
from .fetcher import LessonFetcher, theme_url
from .fragments import pygments_css
from .html import environment
from .largeprint import is_large

MARK_PT = 6.5                 # the "continued" mark in ordinary handouts
FACES = (("Regular", "normal", "normal"), ("Bold", "bold", "normal"),
         ("Italic", "normal", "italic"), ("BoldItalic", "bold", "italic"))


@dataclass(frozen=True)
class Style:
    font_config: object          # weasyprint.text.fonts.FontConfiguration (imported lazily)
    stylesheets: tuple
    made_in: int = 0             # the process that made it, which removes its fonts' folder


_CACHE: dict[tuple, Style] = {}
made_from_themes(_CACHE.clear)


def remove_font_folders() -> None:
    """WeasyPrint removes a font configuration's temporary folder when the configuration is
    collected, which never happens in a process that ends without tearing the interpreter
    down (a worker, an aside, the slidegen command) and fails during a teardown: each process
    removes those it made as it ends. Those it inherited stay referenced: collected in a
    forked process, they would remove the folder their maker still reads fonts from."""
    for key, st in list(_CACHE.items()):
        if st.made_in == os.getpid():
            st.font_config.__del__()         # (WeasyPrint's own removal; it may run again)
            del _CACHE[key]


atexit.register(remove_font_folders)
at_process_end(remove_font_folders)


def style(theme) -> Style:
    """The parsed stylesheets of a theme (and of its large-print variant, whose handout tokens
    differ) in the language being spoken (the "continued" mark), made once per process."""
    key = (theme.folders, theme.handout, current())
    if key not in _CACHE:
        _CACHE[key] = _make(theme)
    return _CACHE[key]


def _make(theme) -> Style:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    folders = theme.folders
    css_text = stylesheet_text(theme)
    font_config = FontConfiguration()
    fetcher = LessonFetcher(folders, themes=folders)
    # (the theme's files by URLs that name them in the theme: theme_url)
    sheets = [CSS(string=css_text, font_config=font_config, url_fetcher=fetcher,
                  base_url=theme_url(folders, folders[0]) + "/")]
    for path in theme.handout_css:
        sheets.append(CSS(url=theme_url(folders, path), font_config=font_config,
                          url_fetcher=fetcher))
    return Style(font_config, tuple(sheets), os.getpid())


def stylesheet_text(theme) -> str:
    """slidegen's own CSS for `theme`, before the theme's extra files."""
    palette = theme.palette
    boxes = {name: palette.box(name) for name in [*palette.boxes, *LOOKS_LIKE]}
    try:
        template = environment(theme.folders).get_template("handout.css.j2")
        h = theme.handout
        mark = continued_mark(palette.colours.muted, mark_size(h))
        return template.render(h=h, c=palette.colours, boxes=boxes, large=is_large(h),
                               font_faces=font_faces(theme),
                               pygments=pygments_css(theme.code_style,
                                                     code_backgrounds(palette.colours)),
                               ruled_lines=ruled_lines(h.answer_rule), mark=mark_size(h),
                               mark_w=mark[1], continued_mark=mark[0]) + \
            codelines.stylesheet(palette.colours.muted, h.code_size, h.code_line_height)
    except jinja2.TemplateError as e:
        raise ThemeError(f"theme '{theme.name}' has no usable "
                         f"handout/handout.css.j2: {e}") from None


def code_backgrounds(c) -> tuple[str, ...]:
    """What highlighted code sits on: code blocks, and code blocks inside boxes (the page)."""
    return (c.code_background, c.background)


def ruled_lines(colour: str) -> str:
    """One ruled line as an SVG data URL, repeated down the answer space by the stylesheet."""
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100' "
           "preserveAspectRatio='none'><rect y='96.5' width='100' height='3.5' "
           f"fill='{colour}'/></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def mark_size(handout) -> float:
    """The "continued" mark's type size: small, except in large print."""
    return handout.body_size if is_large(handout) else MARK_PT


def continued_mark(colour: str, size: float = MARK_PT) -> tuple[str, float]:
    """("continued" in the language being spoken, in small italic type, as an SVG data URL;
    its width in points): the mark atop each later part of a box or code block that breaks
    across pages. A background drawn as outlines, not text: page furniture, which neither a
    screen reader nor a copy of the page's text should meet (on the first part it is covered,
    and its words were in the text layer, undrawn)."""
    path, advance = outline(t("continued"), size, italic=True)
    w, h = advance + 2, 1.25 * size
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{w:g}pt' height='{h:g}pt' "
           f"viewBox='0 0 {w:g} {h:g}'><path transform='translate({w - advance:g} 0)' "
           f"fill='{colour}' d='{path}'/></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"), w


# Families that lesson figures (SVG text) and raw styles ask for, served by the handout's own
# fonts instead of whatever the machine has; Liberation is metric-compatible with Arial,
# Helvetica and Courier, so figure text keeps its width.
SANS_ALIASES = ("sans-serif",)
MONO_ALIASES = ("monospace",)


def font_faces(theme) -> list[dict]:
    """@font-face rules for the handout's body and code fonts when their files ship with the
    theme (`fonts/` in a theme folder) or with slidegen, so output does not depend on the
    fonts a machine happens to have."""
    body, code = theme.handout.body_font, theme.handout.code_font
    families = {body: body, code: code}
    families.update({alias: body for alias in SANS_ALIASES if alias not in families})
    families.update({alias: code for alias in MONO_ALIASES if alias not in families})
    out = []
    for family, source in families.items():
        stem = source.replace(" ", "")
        for suffix, weight, style_ in FACES:
            path = _font_file(theme, f"{stem}-{suffix}.ttf")
            if path:
                out.append({"family": family, "url": theme_url(theme.folders, path),
                            "weight": weight, "style": style_})
    return out


def _font_file(theme, name: str) -> str | None:
    for folder in theme.folders:
        p = theme_file(folder, f"fonts/{name}")
        if p:
            return p
    p = os.path.join(FONT_DIR, name)
    return p if os.path.isfile(p) else None
