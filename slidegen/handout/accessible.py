"""What PDF/UA-1 asks of a finished handout beyond WeasyPrint's tags: XMP metadata that claims
PDF/UA and names the title and language, table headers that say which cells they head, element
ids that are unique in the joined file and listed in the structure tree's /IDTree.

Episodes are laid out separately and joined (assemble.py), so each part is made ready before
it is joined (`ready_part`: ids made unique, header cells scoped), and the /IDTree is made once
on the finished file (`complete`), from the ids the parts had.
"""
from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfuaid:part>1</pdfuaid:part>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<dc:format>application/pdf</dc:format>
<pdf:Producer>{producer}</pdf:Producer>
<xmp:CreatorTool>slidegen</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def metadata(pdf: pikepdf.Pdf, title: str, lang: str, producer: str, date: datetime) -> None:
    """The XMP packet: PDF/UA-1 identification, title and language, fixed dates."""
    text = XMP.format(title=escape(title), lang=escape(lang), producer=escape(producer),
                      date=date.strftime("%Y-%m-%dT%H:%M:%SZ"))
    pdf.Root.Metadata = pdf.make_stream(text.encode("utf-8"), Type=Name.Metadata,
                                        Subtype=Name.XML)


def elements(root):
    """Every structure element under `root` (a StructTreeRoot or element), parents first."""
    stack = list(reversed(_kids(root)))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_kids(node)))


def _kids(node) -> list:
    k = node.get("/K")
    items = list(k) if isinstance(k, Array) else ([] if k is None else [k])
    return [i for i in items if isinstance(i, Dictionary) and "/S" in i
            and i.get("/Type", Name.StructElem) == Name.StructElem]


def ready_part(pdf: pikepdf.Pdf, prefix: str) -> dict:
    """Make a part's element ids unique in a joined file (and the table cells' /Headers that
    name them) and scope its header cells; returns its elements by id."""
    root = pdf.Root.get("/StructTreeRoot")
    return {} if root is None else _walked(root, prefix)


def complete(pdf: pikepdf.Pdf, ids: dict | None = None) -> None:
    """Header cells get a scope, and the ids an /IDTree (PDF requires one where ids exist).
    `ids`: those of a file joined from parts made ready (`ready_part`), as copied into it; then
    its elements need no second walk."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    if ids is None:
        ids = _walked(root, "")
    if ids:
        names = Array()
        for key in sorted(ids):
            names.extend([String(key), ids[key]])
        root.IDTree = Dictionary(Names=names)


def _walked(root, prefix: str) -> dict:
    """Every element under `root` with its ids prefixed and header cells scoped; its ids."""
    ids = {}
    for elem in elements(root):
        if elem.get("/S") == Name.TH:
            table_attrs = [a for a in _attributes(elem) if a.get("/O") == Name.Table]
            if table_attrs:
                table_attrs[0].Scope = table_attrs[0].get("/Scope", Name.Column)
            else:
                _add_attributes(elem, Dictionary(O=Name.Table, Scope=Name.Column))
        if prefix:
            if "/ID" in elem:
                elem.ID = String(prefix + str(elem.ID))
            for attrs in _attributes(elem):
                if "/Headers" in attrs:
                    attrs.Headers = Array([String(prefix + str(h)) for h in attrs.Headers])
        if "/ID" in elem:
            ids[str(elem.ID)] = elem
    return ids


def _attributes(elem) -> list:
    a = elem.get("/A")
    if a is None:
        return []
    items = list(a) if isinstance(a, Array) else [a]
    return [i for i in items if isinstance(i, Dictionary)]


def _add_attributes(elem, attrs) -> None:
    a = elem.get("/A")
    if a is None:
        elem.A = attrs
    elif isinstance(a, Array):
        a.append(attrs)
    else:
        elem.A = Array([a, attrs])
