"""DrawingML for text and simple shapes, written directly as XML.

python-pptx's property setters look elements up again for every attribute they set, which made
them most of a deck's build time; shapes that slidegen draws in bulk (text boxes, code, boxes)
are written here in one pass instead and parsed once.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from xml.sax.saxutils import escape, quoteattr

from ..units import EMU_PER_PT
from .measure import east_asian_family, has_east_asian
from .shapes import Insets, Para, RectShape, TextShape

# A raised or lowered run's baseline, in thousandths of a percent of its size (PowerPoint's own).
BASELINE = {"sup": 30000, "sub": -25000}
NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')

# The language tag of the deck's text (the lesson's, whatever language the labels speak), set
# around the writing of one deck (`text_language`): a screen reader and a spelling checker
# read the runs in it.
TEXT_LANG: ContextVar[str] = ContextVar("slidegen_text_lang", default="en-US")


@contextmanager
def text_language(lang: str | None) -> Iterator[None]:
    token = TEXT_LANG.set(language_tag(lang))
    try:
        yield
    finally:
        TEXT_LANG.reset(token)


def language_tag(lang: str | None) -> str:
    """A lesson's `lang` ("es", "pt_BR") as a BCP 47 tag ("es", "pt-BR"); English without one."""
    tag = re.sub(r"[^A-Za-z0-9-]", "", str(lang or "").replace("_", "-"))
    return tag or "en-US"


def emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


def _colour(hex_colour: str) -> str:
    return f'<a:srgbClr val="{hex_colour.lstrip("#").upper()}"/>'


def clean(text: str) -> str:
    """Only characters XML 1.0 allows."""
    return "".join(ch if ch in "\t\n" or (0x20 <= ord(ch) < 0xD800) or (0xE000 <= ord(ch) < 0xFFFE)
                   or ord(ch) >= 0x10000 else "\ufffd" for ch in text)


def paragraph(p: Para, first: bool, link) -> str:
    """One <a:p>. `link(url)` returns the relationship id of an external hyperlink."""
    attrs = (f'algn="{p.align}" marL="{emu(p.margin)}" '
             f'indent="{-emu(p.hang) if (p.bullet or p.number) else 0}"')
    parts = [f"<a:pPr {attrs}>",
             f'<a:lnSpc><a:spcPts val="{int(round(p.pitch * 100))}"/></a:lnSpc>',
             f'<a:spcBef><a:spcPts val="{0 if first else int(round(p.space_before * 100))}"/>'
             '</a:spcBef>',
             '<a:spcAft><a:spcPts val="0"/></a:spcAft>']
    if p.bullet:
        parts.append(f'<a:buFont typeface={quoteattr(p.family)}/>'
                     f'<a:buChar char={quoteattr(p.bullet)}/>')
    elif p.number is not None:
        parts.append(f'<a:buFont typeface={quoteattr(p.family)}/>'
                     f'<a:buAutoNum type="arabicPeriod" startAt="{p.number}"/>')
    else:
        parts.append("<a:buNone/>")
    parts.append("</a:pPr>")
    for r in p.runs:
        for k, text in enumerate(r.text.split("\n")):
            if k:
                parts.append(f'<a:br>{_rpr(r, None)}</a:br>')
            if text:
                parts.append(f"<a:r>{_rpr(r, link(r.href) if r.href else None)}"
                             f"<a:t>{escape(clean(text))}</a:t></a:r>")
    parts.append(f'<a:endParaRPr lang={quoteattr(TEXT_LANG.get())} '
                 f'sz="{int(round(p.size * 100))}" dirty="0"/>')
    return "<a:p>" + "".join(parts) + "</a:p>"


def _rpr(r, rid: str | None) -> str:
    attrs = [f'lang={quoteattr(TEXT_LANG.get())} sz="{int(round(r.size * 100))}"',
             f'b="{int(r.bold)}"',
             f'i="{int(r.italic)}"']
    if r.strike:
        attrs.append('strike="sngStrike"')
    if r.script:
        attrs.append(f'baseline="{BASELINE[r.script]}"')
    attrs.append('dirty="0"')
    inner = f"<a:solidFill>{_colour(r.colour)}</a:solidFill>" \
            f"<a:latin typeface={quoteattr(r.family)}/>" \
            f"{_east_asian(r.text)}<a:cs typeface={quoteattr(r.family)}/>"
    if rid:
        inner += f'<a:hlinkClick r:id="{rid}"/>'
    return f"<a:rPr {' '.join(attrs)}>{inner}</a:rPr>"


def _east_asian(text: str) -> str:
    """A run with Japanese, Chinese or Korean text names the font with those glyphs that its
    measurement used; other runs leave the East Asian font to the theme."""
    family = east_asian_family() if has_east_asian(text) else None
    return f"<a:ea typeface={quoteattr(family)}/>" if family else ""


def body(paras, insets: Insets, anchor: str, link, tag: str = "p:txBody") -> str:
    body_pr = (f'<a:bodyPr wrap="square" lIns="{emu(insets.left)}" tIns="{emu(insets.top)}" '
               f'rIns="{emu(insets.right)}" bIns="{emu(insets.bottom)}" anchor="{anchor}" '
               'rtlCol="0"><a:noAutofit/></a:bodyPr>')
    ps = "".join(paragraph(p, i == 0, link) for i, p in enumerate(paras)) or "<a:p/>"
    return f"<{tag}>{body_pr}<a:lstStyle/>{ps}</{tag}>"


def _fill(fill: str | None) -> str:
    return f"<a:solidFill>{_colour(fill)}</a:solidFill>" if fill else "<a:noFill/>"


def _line(border: str | None) -> str:
    if border:
        return f'<a:ln w="9525"><a:solidFill>{_colour(border)}</a:solidFill></a:ln>'
    return "<a:ln><a:noFill/></a:ln>"


def text_shape(shape_id: int, s: TextShape, link) -> str:
    geom = "roundRect" if s.rounded else "rect"
    adj = '<a:gd name="adj" fmla="val 30000"/>' if s.rounded else ""
    tx_box = ' txBox="1"' if not (s.fill or s.border or s.rounded) else ""
    nv = (f'<p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(f"{s.name} {shape_id}")}/>'
          f"<p:cNvSpPr{tx_box}/><p:nvPr/></p:nvSpPr>")
    sp_pr = (f'<p:spPr><a:xfrm><a:off x="{emu(s.x)}" y="{emu(s.y)}"/>'
             f'<a:ext cx="{emu(s.w)}" cy="{emu(s.h)}"/>'
             f'</a:xfrm><a:prstGeom prst="{geom}"><a:avLst>{adj}</a:avLst></a:prstGeom>'
             f"{_fill(s.fill)}{_line(s.border)}</p:spPr>")
    return f"<p:sp>{nv}{sp_pr}{body(s.paras, s.insets, s.anchor, link)}</p:sp>"


def rect_shape(shape_id: int, s: RectShape) -> str:
    nv = (f'<p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(f"{s.name} {shape_id}")}/>'
          "<p:cNvSpPr/><p:nvPr/></p:nvSpPr>")
    sp_pr = (f'<p:spPr><a:xfrm><a:off x="{emu(s.x)}" y="{emu(s.y)}"/>'
             f'<a:ext cx="{emu(s.w)}" cy="{emu(s.h)}"/></a:xfrm>'
             f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(s.fill)}'
             f"{_line(s.border)}</p:spPr>")
    return f"<p:sp>{nv}{sp_pr}</p:sp>"


def fragment(xml: str):
    """Parse shapes written above (no namespace declarations of their own)."""
    from lxml import etree
    return etree.fromstring(f"<p:spTree {NS}>{xml}</p:spTree>")
