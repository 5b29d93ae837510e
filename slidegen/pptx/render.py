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
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.util import Emu

from .shapes import Para, PictureShape, RectShape, SlidePlan, TableShape, TextShape

EMU_PER_PT = 12700
SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
ALIGN = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
ANCHOR = {"t": MSO_ANCHOR.TOP, "ctr": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}


def emu(pt: float) -> Emu:
    return Emu(int(round(pt * EMU_PER_PT)))


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


class DeckWriter:
    def __init__(self, theme, width_pt: float, height_pt: float):
        self.theme = theme
        template = theme.template
        self.prs = Presentation(template) if template else Presentation()
        old_w = self.prs.slide_width
        self.prs.slide_width, self.prs.slide_height = emu(width_pt), emu(height_pt)
        if not template:
            self._fit_layouts(old_w)
            bg = self.prs.slide_master.background.fill
            bg.solid()
            bg.fore_color.rgb = rgb(theme.colour("background"))
        if template:
            # A template's own slides are examples, not part of the deck.
            for sld_id in list(self.prs.slides._sldIdLst):
                self.prs.part.drop_rel(sld_id.rId)
                self.prs.slides._sldIdLst.remove(sld_id)

    def _fit_layouts(self, old_w):
        """python-pptx's blank template is 4:3: widen master and layout placeholders to 16:9 so
        slides an instructor adds by hand look right too."""
        scale = self.prs.slide_width / old_w
        for container in [self.prs.slide_master, *self.prs.slide_layouts]:
            for shp in container.placeholders:
                if shp.left is not None and shp.width is not None:
                    shp.left, shp.width = Emu(int(shp.left * scale)), Emu(int(shp.width * scale))

    def layout(self, kind: str):
        deck = self.theme.deck
        names = deck["title_layouts"] if kind in ("title", "break") else deck["content_layouts"]
        by_name = {lay.name: lay for lay in self.prs.slide_layouts}
        for n in names:
            if n in by_name:
                return by_name[n]
        for lay in self.prs.slide_layouts:     # any layout with a title placeholder
            if any(p.placeholder_format.type in (1, 3) for p in lay.placeholders):
                return lay
        return self.prs.slide_layouts[0]

    def add(self, plan: SlidePlan):
        slide = self.prs.slides.add_slide(self.layout(plan.kind))
        title_ph = slide.shapes.title
        for ph in list(slide.placeholders):
            if ph is not title_ph and (title_ph is None or ph.shape_id != title_ph.shape_id):
                ph._element.getparent().remove(ph._element)
        if plan.background:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = rgb(plan.background)
        used_title = False
        for s in plan.shapes:
            if isinstance(s, TextShape):
                if s.title and title_ph is not None and not used_title:
                    self._title(title_ph, s)
                    used_title = True
                else:
                    self._text(slide, s)
            elif isinstance(s, RectShape):
                self._rect(slide, s)
            elif isinstance(s, PictureShape):
                self._picture(slide, s)
            elif isinstance(s, TableShape):
                self._table(slide, s)
        if title_ph is not None:
            tree = title_ph._element.getparent()
            tree.remove(title_ph._element)
            if used_title:          # on top of bands and bars drawn behind it
                tree.append(title_ph._element)
        if plan.notes:
            slide.notes_slide.notes_text_frame.text = _xml_safe(plan.notes)
        if plan.hidden:
            slide._element.set("show", "0")
        return slide

    # -- shapes ----------------------------------------------------------------------------------
    def _title(self, ph, s: TextShape):
        ph.left, ph.top, ph.width, ph.height = emu(s.x), emu(s.y), emu(s.w), emu(s.h)
        self._fill_frame(ph.text_frame, s)
        ph.name = "Title"

    def _text(self, slide, s: TextShape):
        if s.fill or s.border or s.rounded:
            shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if s.rounded else MSO_SHAPE.RECTANGLE,
                                           emu(s.x), emu(s.y), emu(s.w), emu(s.h))
            if s.rounded:
                shape.adjustments[0] = 0.3
            self._fill(shape, s.fill, s.border)
            shape.shadow.inherit = False
        else:
            shape = slide.shapes.add_textbox(emu(s.x), emu(s.y), emu(s.w), emu(s.h))
        shape.name = s.name
        self._fill_frame(shape.text_frame, s)

    def _fill_frame(self, tf, s: TextShape):
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.margin_left, tf.margin_top = emu(s.insets.left), emu(s.insets.top)
        tf.margin_right, tf.margin_bottom = emu(s.insets.right), emu(s.insets.bottom)
        tf.vertical_anchor = ANCHOR[s.anchor]
        paras = s.paras or []
        for i, p in enumerate(paras):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            self._para(para, p, first=(i == 0))

    def _para(self, para, p: Para, first: bool):
        para.alignment = ALIGN[p.align]
        para.line_spacing = emu(p.pitch)
        para.space_before = emu(0 if first else p.space_before)
        para.space_after = emu(0)
        pPr = para._p.get_or_add_pPr()
        pPr.set("marL", str(int(p.margin * EMU_PER_PT)))
        pPr.set("indent", str(-int(p.hang * EMU_PER_PT)) if (p.bullet or p.number) else "0")
        for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont"):
            for el in pPr.findall(qn(tag)):
                pPr.remove(el)
        if p.bullet:
            bu_font = etree.SubElement(pPr, qn("a:buFont"))
            bu_font.set("typeface", p.family)
            bu = etree.SubElement(pPr, qn("a:buChar"))
            bu.set("char", p.bullet)
        elif p.number is not None:
            bu = etree.SubElement(pPr, qn("a:buAutoNum"))
            bu.set("type", "arabicPeriod")
            bu.set("startAt", str(p.number))
        else:
            etree.SubElement(pPr, qn("a:buNone"))
        for r in p.runs:
            parts = r.text.split("\n")
            for k, text in enumerate(parts):
                if k:
                    para.add_line_break()
                if not text:
                    continue
                run = para.add_run()
                run.text = _xml_safe(text)
                f = run.font
                f.name = r.family
                f.size = emu(r.size)
                f.bold = r.bold
                f.italic = r.italic
                f.color.rgb = rgb(r.colour)
                if r.strike:
                    run._r.get_or_add_rPr().set("strike", "sngStrike")
                if r.href:
                    run.hyperlink.address = r.href
        end = para._p.get_or_add_endParaRPr()
        end.set("sz", str(int(round(p.size * 100))))

    def _fill(self, shape, fill: str | None, border: str | None):
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = rgb(fill)
        else:
            shape.fill.background()
        if border:
            shape.line.color.rgb = rgb(border)
            shape.line.width = emu(0.75)
        else:
            shape.line.fill.background()

    def _rect(self, slide, s: RectShape):
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(s.x), emu(s.y), emu(s.w), emu(s.h))
        shape.name = s.name
        self._fill(shape, s.fill, s.border)
        shape.shadow.inherit = False

    def _picture(self, slide, s: PictureShape):
        pic = slide.shapes.add_picture(io.BytesIO(s.blob), emu(s.x), emu(s.y), emu(s.w), emu(s.h))
        pic.name = s.name
        c_nv_pr = pic._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", _xml_safe(s.alt)[:2000])
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

    def _table(self, slide, s: TableShape):
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
        for i, row in enumerate(s.rows):
            for j, cell_spec in enumerate(row):
                cell = table.cell(i, j)
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(cell_spec.fill)
                cell.margin_left, cell.margin_right = emu(s.insets.left), emu(s.insets.right)
                cell.margin_top, cell.margin_bottom = emu(s.insets.top), emu(s.insets.bottom)
                cell.vertical_anchor = MSO_ANCHOR.TOP
                tf = cell.text_frame
                tf.word_wrap = True
                for k, p in enumerate(cell_spec.paras):
                    para = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
                    self._para(para, p, first=(k == 0))
                _cell_borders(cell, s.border)

    def save(self, target, core: dict):
        cp = self.prs.core_properties
        for key, value in core.items():
            setattr(cp, key, value)
        buf = io.BytesIO()
        self.prs.save(buf)
        _normalise_zip(buf.getvalue(), target)


def _cell_borders(cell, colour: str):
    tcPr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        for el in tcPr.findall(qn(tag)):
            tcPr.remove(el)
        ln = etree.Element(qn(tag), w="9525")
        fill = etree.SubElement(ln, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=colour.lstrip("#").upper())
        # line properties must precede the cell fill in CT_TableCellProperties
        tcPr.insert(0, ln)
    # keep schema order lnL, lnR, lnT, lnB before fills
    lines = [tcPr.find(qn(t)) for t in ("a:lnL", "a:lnR", "a:lnT", "a:lnB")]
    for el in lines:
        tcPr.remove(el)
    for k, el in enumerate(lines):
        tcPr.insert(k, el)


def _xml_safe(text: str) -> str:
    return "".join(ch if ch in "\t\n" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF)
                                          and not 0xD800 <= ord(ch) <= 0xDFFF) else "\ufffd"
                   for ch in text)


def _normalise_zip(data: bytes, target):
    """Rewrite the package with fixed entry times, so equal decks are equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    blob = out.getvalue()
    if hasattr(target, "write"):
        target.write(blob)
    else:
        with open(target, "wb") as f:
            f.write(blob)
