"""Slide plans to a .pptx with python-pptx: a thin translation, no layout decisions.

Titles go into the layout's title placeholder (so outline view and screen readers see them),
everything else into ordinary shapes with explicit fonts, sizes, colours and exact line pitch,
which is what makes the planner's measurements hold in PowerPoint and LibreOffice alike.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.util import Emu

from ..units import EMU_PER_PT
from . import drawingml as dml
from . import longdecks
from .frame import choose_layout, open_template
from .shapes import PictureShape, RectShape, SlidePlan, TableShape, TextShape

SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
CORE_TEXT_MAX = 255                  # characters in a document property (title, subject …)


def emu(pt: float) -> Emu:
    return Emu(int(round(pt * EMU_PER_PT)))


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


_BASES: dict = {}


def _base(theme, width_pt: float, height_pt: float, link: str) -> bytes:
    """The empty presentation every deck of a theme starts from, made once per process."""
    key = (theme.folders, width_pt, height_pt, link)
    if key not in _BASES:
        template = theme.template
        prs = open_template(template) if template else Presentation()
        old_w = prs.slide_width
        if not template:             # a template keeps its own size (16:9, 4:3 ...)
            prs.slide_width, prs.slide_height = emu(width_pt), emu(height_pt)
        if template:
            # A template's own slides are examples, not part of the deck.
            for sld_id in list(prs.slides._sldIdLst):
                prs.part.drop_rel(sld_id.rId)
                prs.slides._sldIdLst.remove(sld_id)
        else:
            # python-pptx's blank template is 4:3: widen master and layout placeholders to
            # 16:9 so that slides an instructor adds by hand look right too.
            scale = prs.slide_width / old_w
            for container in [prs.slide_master, *prs.slide_layouts]:
                for shp in container.placeholders:
                    if shp.left is not None and shp.width is not None:
                        shp.left, shp.width = (Emu(int(shp.left * scale)),
                                               Emu(int(shp.width * scale)))
            bg = prs.slide_master.background.fill
            bg.solid()
            bg.fore_color.rgb = rgb(theme.deck_palette.colour("background"))
        _ = prs.notes_master      # created once here rather than with the first notes
        _link_colours(prs, link)
        buf = io.BytesIO()
        prs.save(buf)
        _BASES[key] = buf.getvalue()
    return _BASES[key]


def _link_colours(prs, link: str) -> None:
    """The colour scheme's hyperlink colours (hlink, folHlink) set to the theme's link colour:
    PowerPoint and LibreOffice draw links in those, whatever colour their runs name."""
    val = link.lstrip("#").upper()
    for part in prs.part.package.iter_parts():
        if part.partname.endswith(".xml") and "/theme/" in part.partname:
            root = getattr(part, "_element", None)
            own = root is None
            if own:
                root = etree.fromstring(part.blob)
            for name in ("hlink", "folHlink"):
                for el in root.iter(qn(f"a:{name}")):
                    for child in list(el):
                        el.remove(child)
                    etree.SubElement(el, qn("a:srgbClr")).set("val", val)
            if own:
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                            standalone=True)


_PH = f"{qn('p:nvPr')}/{qn('p:ph')}"     # a placeholder's mark, in its shape's first child
_SHAPE_TAGS = frozenset(qn(f"p:{t}") for t in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic",
                                                "contentPart"))


def _placeholders(tree):
    """(shape, its p:ph) for each placeholder on a page: what python-pptx's `placeholders` and
    `shapes.title` find, without the XPath query per shape they make (a tenth of writing a
    deck)."""
    for el in list(tree):
        if el.tag in _SHAPE_TAGS and len(el) and (ph := el[0].find(_PH)) is not None:
            yield el, ph


def _keep_title(tree):
    """Remove a new slide's placeholders but its title (idx 0, as python-pptx's `title`), which
    is returned (None when the layout has none)."""
    title = None
    for el, ph in _placeholders(tree):
        if title is None and ph.get("idx", "0") == "0":
            title = el
        else:
            tree.remove(el)
    return title


def _notes_frame(notes):
    """The text frame of a notes page's body placeholder (python-pptx's `notes_text_frame`)."""
    shapes = notes.shapes
    for el, ph in _placeholders(shapes._spTree):
        if ph.get("type") == "body":
            return shapes._shape_factory(el).text_frame
    return notes.notes_text_frame        # (none: python-pptx says so, as before)


# Office's mark for a decorative picture (2019+), in the picture's cNvPr.
DECORATIVE = ('<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
              '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
              '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/'
              'decorative" val="1"/></a:ext></a:extLst>')


class DeckWriter:
    def __init__(self, theme, width_pt: float, height_pt: float, link: str):
        self.theme = theme
        self.prs = Presentation(io.BytesIO(_base(theme, width_pt, height_pt, link)))
        longdecks.count_partnames(self.prs.part.package)
        self.slides = longdecks.Slides(self.prs)

    def layout(self, kind: str):
        deck = self.theme.deck
        names = deck.title_layouts if kind in ("title", "break") else deck.content_layouts
        return choose_layout(list(self.prs.slide_layouts), names)

    def add(self, plan: SlidePlan):
        slide = self.slides.add(self.layout(plan.kind))
        tree = slide.shapes._spTree
        title_el = _keep_title(tree)
        title_ph = slide.shapes._shape_factory(title_el) if title_el is not None else None
        if plan.background:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = rgb(plan.background)
        links: dict[str, str] = {}

        def link(url: str) -> str:
            if url not in links:
                links[url] = slide.part.relate_to(url, RT.HYPERLINK, is_external=True)
            return links[url]

        next_id = max([int(x) for x in tree.xpath(".//p:cNvPr/@id")] + [1]) + 1
        title_shape, xml = None, []

        def flush():
            nonlocal xml
            if xml:
                for el in list(dml.fragment("".join(xml))):
                    tree.append(el)
                xml = []

        for s in plan.shapes:
            if (isinstance(s, TextShape) and s.title and title_ph is not None
                    and title_shape is None):
                title_shape = s
                continue
            if isinstance(s, TextShape):
                xml.append(dml.text_shape(next_id, s, link))
            elif isinstance(s, RectShape):
                xml.append(dml.rect_shape(next_id, s))
            else:
                flush()
                if isinstance(s, PictureShape):
                    self._picture(slide, s)
                elif isinstance(s, TableShape):
                    self._table(slide, s, link)
            next_id += 1
        flush()
        if title_ph is not None:
            tree.remove(title_ph._element)
            if title_shape is not None:      # on top of bands and bars drawn behind it
                self._title(title_ph, title_shape, link)
                tree.append(title_ph._element)
        if plan.notes:
            frame = _notes_frame(self.slides.notes(slide))
            frame.text = dml.clean(plan.notes)
            for run in frame._txBody.iter(qn("a:r")):     # in the lesson's language, as the slides
                run.get_or_add_rPr().set("lang", dml.TEXT_LANG.get())
        if plan.hidden:
            slide._element.set("show", "0")
        longdecks.finish(slide)

    # -- shapes ----------------------------------------------------------------------------------
    def _title(self, ph, s: TextShape, link):
        ph.left, ph.top, ph.width, ph.height = emu(s.x), emu(s.y), emu(s.w), emu(s.h)
        sp = ph._element
        old = sp.find(qn("p:txBody"))
        new = dml.fragment(f"<p:sp>{dml.body(s.paras, s.insets, s.anchor, link)}</p:sp>")[0][0]
        if old is not None:
            sp.replace(old, new)
        else:
            sp.append(new)
        ph.name = "Title"

    def _picture(self, slide, s: PictureShape):
        pic = slide.shapes.add_picture(io.BytesIO(s.blob), emu(s.x), emu(s.y), emu(s.w), emu(s.h))
        pic.name = s.name
        c_nv_pr = pic._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", dml.clean(s.alt)[:2000])
        if not s.alt.strip():            # nothing to describe: screen readers skip it
            c_nv_pr.append(dml.fragment(DECORATIVE)[0])
        if s.svg:
            self._attach_svg(slide, pic, s.svg)

    def _attach_svg(self, slide, pic, svg: bytes):
        """Vector original next to the PNG fallback (Office 2016+ draws the SVG)."""
        package = slide.part.package
        partname = package.next_image_partname("svg")
        part = Part(PackURI(partname), "image/svg+xml", package, svg)
        rid = slide.part.relate_to(part, RT.IMAGE)
        blip = pic._element.xpath("./p:blipFill/a:blip")[0]
        ext_lst = blip.find(qn("a:extLst"))
        if ext_lst is None:
            ext_lst = etree.SubElement(blip, qn("a:extLst"))
        ext = etree.SubElement(ext_lst, qn("a:ext"))
        ext.set("uri", SVG_EXT_URI)
        svg_blip = etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", nsmap={"asvg": ASVG_NS})
        svg_blip.set(qn("r:embed"), rid)

    def _table(self, slide, s: TableShape, link):
        nrows, ncols = len(s.rows), len(s.col_widths)
        gf = slide.shapes.add_table(nrows, ncols, emu(s.x), emu(s.y), emu(s.w), emu(s.h))
        gf.name = s.name
        table = gf.table
        table.first_row = True
        table.horz_banding = False
        for j, cw in enumerate(s.col_widths):
            table.columns[j].width = emu(cw)
        for i, rh in enumerate(s.row_heights):
            table.rows[i].height = emu(rh)
        border = s.border.lstrip("#").upper()
        lines = "".join(f'<a:{t} w="9525"><a:solidFill><a:srgbClr val="{border}"/>'
                        f'</a:solidFill></a:{t}>'
                        for t in ("lnL", "lnR", "lnT", "lnB"))
        for i, row in enumerate(s.rows):
            for j, spec in enumerate(row):
                tc = table.cell(i, j)._tc
                ins = s.insets
                tc_pr = (f'<a:tcPr marL="{dml.emu(ins.left)}" marR="{dml.emu(ins.right)}" '
                         f'marT="{dml.emu(ins.top)}" marB="{dml.emu(ins.bottom)}" anchor="t">'
                         f'{lines}<a:solidFill><a:srgbClr val="{spec.fill.lstrip("#").upper()}"/>'
                         '</a:solidFill></a:tcPr>')
                frag = dml.fragment(f"<a:tc>{dml.body(spec.paras, ins, 't', link, tag='a:txBody')}"
                                    f"{tc_pr}</a:tc>")[0]
                for child in list(tc):
                    tc.remove(child)
                for child in list(frag):
                    tc.append(child)

    def save(self, target, core: dict):
        cp = self.prs.core_properties
        for key, value in core.items():
            if isinstance(value, str) and len(value) > CORE_TEXT_MAX:   # the format's limit
                value = value[:CORE_TEXT_MAX - 1] + "…"
            setattr(cp, key, value)
        _zip(longdecks.package_entries(self.prs), target)


def _zip(entries: list[tuple[str, bytes]], target):
    """The package with fixed entry times, so equal decks are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    blob = out.getvalue()
    if hasattr(target, "write"):
        target.write(blob)
    else:
        with open(target, "wb") as f:
            f.write(blob)
