"""A theme's PowerPoint template, read as untrusted data: bounded, and reduced to what a deck uses.

A template is copied into every deck, and a theme is anyone's folder. So what is read of it is
bounded before anything is unpacked (its size, its parts, each part's compression ratio: a zip
bomb is refused, naming the file), and only what a deck can use goes on: the parts reached by
relationships from the package root, without a picture or object that no part shows, and
without any relationship to something outside the file (a picture at a URL, a linked file),
which an application opening the deck would fetch.
"""
from __future__ import annotations

import io
import os
import posixpath
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ThemeError

MAX_FILE_BYTES = 50_000_000        # the template file
MAX_UNPACKED_BYTES = 50_000_000    # all its parts unpacked, as their headers declare
MAX_PARTS = 1000
MAX_RATIO = 100                    # unpacked to packed, for a part over RATIO_FROM bytes
RATIO_FROM = 1_000_000
POTX_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Relationships a part makes use of by naming their id in its XML: unnamed, they are unused.
NAMED_BY_ID = ("/image", "/media", "/video", "/audio", "/oleObject", "/package", "/hdphoto",
               "/hyperlink")
HYPERLINKS = ("hlinkClick", "hlinkHover", "hlinkMouseOver")


@lru_cache(maxsize=1)
def _parser():
    """lxml's parser, safe for untrusted XML (lxml is imported by the builds that read a
    template, not by every build that loads a theme)."""
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_blank_text=False)


class NotATemplate(ThemeError):
    """The file is not a PowerPoint presentation or template."""


@dataclass(frozen=True)
class Template:
    data: bytes                   # a .pptx holding only what decks use
    external: tuple[str, ...]     # targets of the external relationships left out


def read_template(path: str) -> Template:
    """The template at `path`, bounded and reduced (see the module's note); ThemeError when
    it is too large, a zip bomb or not a PowerPoint file."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise NotATemplate(f"cannot read the PowerPoint template: {e.strerror}", path, 0) from None
    return _read(path, st.st_mtime_ns, st.st_size)


def forget_templates() -> None:
    """Read templates again (their times can be equal across an edit on coarse clocks)."""
    _read.cache_clear()


@lru_cache(maxsize=8)
def _read(path: str, _mtime: int, size: int) -> Template:
    from lxml import etree
    if size > MAX_FILE_BYTES:
        raise _too_big(path, f"is {size / 1e6:.1f} MB")
    try:
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1) if os.path.isfile(path) else b""
        z = zipfile.ZipFile(io.BytesIO(data))
        _check_sizes(path, z.infolist())
        if "ppt/presentation.xml" not in z.namelist():
            raise zipfile.BadZipFile
        return _reduced(z)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, KeyError, OSError,
            EOFError, ValueError) as e:
        raise NotATemplate(f"not a PowerPoint (.pptx) template slidegen can use ({e})"
                           if str(e) else "not a PowerPoint (.pptx) template", path, 0) from None


def _too_big(path: str, what: str) -> ThemeError:
    return ThemeError(f"the PowerPoint template {what}; slidegen reads templates of at most "
                      f"{MAX_FILE_BYTES // 1_000_000} MB, {MAX_UNPACKED_BYTES // 1_000_000} MB "
                      f"unpacked and {MAX_PARTS} parts (a zip bomb?)", path, 0)


def _check_sizes(path: str, infos) -> None:
    if len(infos) > MAX_PARTS:
        raise _too_big(path, f"has {len(infos)} parts")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise _too_big(path, f"unpacks to {total / 1e6:.1f} MB")
    for i in infos:
        if i.file_size > RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _too_big(path, f"part {i.filename} unpacks {i.file_size / 1e6:.1f} MB from "
                           f"{i.compress_size / 1e6:.1f} MB")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _reduced(z: zipfile.ZipFile) -> Template:
    """The parts reached from the package root, each part's relationships without external
    ones and without pictures and objects it does not name."""
    from lxml import etree
    names = set(z.namelist())
    kept: dict[str, bytes] = {}
    external: list[str] = []
    todo = [""]                                  # "" is the package itself
    while todo:
        part = todo.pop()
        if part in kept or (part and part not in names):
            continue
        data = z.read(part) if part else b""
        kept[part] = data
        rels = _rels_name(part) if part else "_rels/.rels"
        if rels not in names:
            continue
        root = etree.fromstring(z.read(rels), _parser())
        dropped = []
        for rel in list(root.iter(PR)):
            rid, kind, target = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                external.append(target)
                dropped.append(rid)
            elif part and kind.endswith(NAMED_BY_ID) and f'"{rid}"'.encode() not in data:
                pass                             # a picture or object the part never shows
            else:
                todo.append(target.lstrip("/") if target.startswith("/") else
                            posixpath.normpath(posixpath.join(posixpath.dirname(part), target)))
                continue
            root.remove(rel)
        kept[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
        if dropped and part:
            kept[part] = _unnamed(data, set(dropped))
    kept.pop("")
    kept["[Content_Types].xml"] = z.read("[Content_Types].xml").replace(POTX_TYPE, PPTX_TYPE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ["[Content_Types].xml", *sorted(set(kept) - {"[Content_Types].xml"})]:
            dst.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), kept[name],
                         zipfile.ZIP_DEFLATED)
    return Template(out.getvalue(), tuple(dict.fromkeys(external)))


def _unnamed(data: bytes, ids: set[str]) -> bytes:
    """A part's XML without its references to the relationships `ids` (left out): a hyperlink
    goes, a picture keeps its place without what it linked to."""
    from lxml import etree
    root = etree.fromstring(data, _parser())
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        for attr in [a for a in el.attrib if a.startswith(f"{{{R_NS}}}") and el.get(a) in ids]:
            if etree.QName(el).localname in HYPERLINKS and el.getparent() is not None:
                el.getparent().remove(el)
                break
            del el.attrib[attr]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
