"""Where slides put things: the slide size, the title area and the content area.

Without a template they follow the theme's size and margins. With a template they come from the
layouts the deck uses (the same ones the renderer picks, by name): titles in the layout's title
placeholder, content in its body placeholder (or the master's, or below the title), so whatever
the template's master draws around them (logos, bars, footers) stays uncovered.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import Diagnostic, ThemeError
from ..theme import made_from_themes
from ..theme.template import read_template
from ..units import EMU_PER_PT
from ..units import PT_PER_INCH as PT

# Without a template: titles start this share of the margin from the top, and content ends
# this share of it from the bottom.
TITLE_TOP = 0.55
CONTENT_BOTTOM = 0.75
TITLE_TYPES = (1, 3)          # TITLE, CENTER_TITLE
BODY_TYPES = (2, 7)           # BODY, OBJECT
SUBTITLE_TYPE = 4
SCHEME_ALIASES = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


@dataclass(frozen=True)
class Area:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Frame:
    width: float
    height: float
    title: Area               # a content slide's title
    content: Area             # a content slide's body
    cover_title: Area         # the title slide's title
    cover_sub: Area           # the title slide's lesson name and timing
    background: str | None    # the template's own background colour, when it has a plain one
    template: bool = False


def frame_of(theme) -> Frame:
    """The frame of `theme`'s decks (cached per template file)."""
    d = theme.deck
    if not theme.template:
        return _plain(d)
    return _from_template(theme.template, tuple(d.title_layouts), tuple(d.content_layouts),
                          d.margin * PT)


def _plain(d: dict) -> Frame:
    w, h, m = d.width * PT, d.height * PT, d.margin * PT
    top = m * TITLE_TOP
    title = Area(m, top, w - 2 * m, d.title_bar * PT - top)
    content = Area(m, top, w - 2 * m, h - m * CONTENT_BOTTOM - top)
    page = Area(m, m, w - 2 * m, h - 2 * m)
    return Frame(w, h, title, content, page, page, None)


def open_template(path: str):
    """A template as a python-pptx Presentation, as theme/template.py reads it: bounded, with
    only the parts decks use and no external relationships (.potx files, PowerPoint's own
    template format, are read as the presentations they are apart from one content type)."""
    import io

    from pptx import Presentation
    return Presentation(io.BytesIO(read_template(path).data))


def template_warnings(theme) -> list[Diagnostic]:
    """What was left out of `theme`'s template: its external relationships, once a build."""
    path = theme.template
    external = read_template(path).external if path else ()
    if not external:
        return []
    shown = ", ".join(external[:3]) + (f" and {len(external) - 3} more" if len(external) > 3
                                       else "")
    return [Diagnostic(path, 0, "warning", f"the template links to {shown} outside it; the "
                       "decks leave these links out (a deck opened would fetch them)")]


def choose_layout(layouts, names):
    """The first layout named in `names`, else any layout with a title, else the first."""
    by_name = {lay.name: lay for lay in layouts}
    for n in names:
        if n in by_name:
            return by_name[n]
    for lay in layouts:
        if any(p.placeholder_format.type in TITLE_TYPES for p in lay.placeholders):
            return lay
    return layouts[0]


@lru_cache(maxsize=16)
def _from_template(path: str, title_names: tuple, content_names: tuple, margin: float) -> Frame:
    try:
        prs = open_template(path)
    except ThemeError:
        raise
    except Exception as e:           # not a zip, not a presentation, broken parts
        raise ThemeError(f"cannot use this PowerPoint template: {e}", path, 0) from None
    w, h = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    layouts = list(prs.slide_layouts)
    if not layouts:
        raise ThemeError("the PowerPoint template has no slide layouts", path, 0)
    master = prs.slide_master
    page = Area(margin, margin, w - 2 * margin, h - 2 * margin)

    cover = choose_layout(layouts, title_names)
    main = choose_layout(layouts, content_names)
    title = _placeholder(main, TITLE_TYPES) or _placeholder(master, TITLE_TYPES) or \
        Area(margin, margin * TITLE_TOP, w - 2 * margin, 1.05 * PT)
    body = _placeholder(main, BODY_TYPES) or _placeholder(master, BODY_TYPES)
    if body is None or body.bottom <= title.bottom:
        body = Area(title.x, title.bottom, title.w, h - margin * CONTENT_BOTTOM - title.bottom)
    content = _clip(body, w, h)

    cover_title = _placeholder(cover, TITLE_TYPES) or page
    cover_sub = _placeholder(cover, (SUBTITLE_TYPE,) + BODY_TYPES)
    if cover_sub is None or cover_sub.y < cover_title.bottom - 1:
        below = Area(cover_title.x, cover_title.bottom, cover_title.w,
                     page.bottom - cover_title.bottom)
        cover_sub = below if below.h > 36 else cover_title
    return Frame(w, h, _clip(title, w, h), content, _clip(cover_title, w, h),
                 _clip(cover_sub, w, h), _background(main, prs), template=True)


def _placeholder(container, types) -> Area | None:
    for p in container.placeholders:
        if p.placeholder_format.type in types and p.width and p.height:
            return Area(p.left / EMU_PER_PT, p.top / EMU_PER_PT, p.width / EMU_PER_PT,
                        p.height / EMU_PER_PT)
    return None


def _clip(a: Area, w: float, h: float) -> Area:
    x, y = max(a.x, 0.0), max(a.y, 0.0)
    return Area(x, y, min(a.right, w) - x, min(a.bottom, h) - y)


def _background(layout, prs) -> str | None:
    """The plain colour behind a layout's slides: its own background, else its master's, else
    the colour scheme's light background; None for pictures and gradients."""
    ns = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    scheme = _scheme(prs.slide_master)
    for part in (layout, layout.slide_master):
        bg = part._element.find("p:cSld/p:bg", ns)
        if bg is None:
            continue
        for fill in bg.iter(f"{{{ns['a']}}}solidFill"):
            return _colour(fill, scheme)
        ref = bg.find("p:bgRef", ns)
        if ref is not None:
            return _colour(ref, scheme)
        return None
    return scheme.get("lt1", "#ffffff")


def _colour(el, scheme: dict) -> str | None:
    for child in el:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "srgbClr":
            return "#" + child.get("val").lower()
        if tag == "schemeClr":
            name = child.get("val")
            return scheme.get(SCHEME_ALIASES.get(name, name))
        if tag == "sysClr":
            return "#" + (child.get("lastClr") or "ffffff").lower()
    return None


def _scheme(master) -> dict:
    """The master's theme colours (dk1, lt1, accent1 ...) as hex."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    try:
        theme_part = master.part.part_related_by(RT.THEME)
    except KeyError:
        return {}
    from lxml import etree
    root = etree.fromstring(theme_part.blob)
    out = {}
    for el in root.iterfind(".//{http://schemas.openxmlformats.org/drawingml/2006/main}clrScheme/*"):
        name = el.tag.rsplit("}", 1)[-1]
        c = _colour(el, {})
        if c:
            out[name] = c
    return out


made_from_themes(_from_template.cache_clear)  # a template's layouts, read again after an edit
