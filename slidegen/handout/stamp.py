"""Page numbers stamped onto finished pages.

Episodes are laid out once and cached, then put together at the PDF level, so no layout ever
knows the final page count. The numbers are laid out afterwards instead: a document of blank
pages whose footer says "page N of M", drawn onto each output page as an untagged artifact.
"""
from __future__ import annotations

import io

import pikepdf
from weasyprint import HTML

from .fetcher import LessonFetcher
from .html import stamp_html
from .render import reproducible
from .style import style


_CACHE: dict[tuple, bytes] = {}
NAME = "/SlidegenPageNumber"


def stamp_pdf(theme, pages: int, number_first: bool, lang: str, epoch: int) -> bytes:
    """`pages` blank pages carrying only their footer (cached: only the count varies)."""
    key = (theme.folders, pages, number_first, lang, epoch)
    if key not in _CACHE:
        st = style(theme)
        html = stamp_html(theme, pages, number_first, lang)
        with reproducible(epoch):
            _CACHE[key] = HTML(string=html, url_fetcher=LessonFetcher(theme.folders)).write_pdf(
                font_config=st.font_config, stylesheets=list(st.stylesheets))
    return _CACHE[key]


def number_pages(pdf: pikepdf.Pdf, theme, lang: str, epoch: int, keep: list,
                 number_first: bool = True) -> None:
    """Draw "page N of M" onto every page of `pdf` (N counts from its first page).

    The stamp document is appended to `keep`; it must stay open until `pdf` is saved."""
    total = len(pdf.pages)
    if not total:
        return
    stamps = pikepdf.open(io.BytesIO(stamp_pdf(theme, total, number_first, lang, epoch)))
    keep.append(stamps)
    if len(stamps.pages) != total:
        raise RuntimeError(f"page-number layout made {len(stamps.pages)} pages, not {total}")
    for page, stamp in zip(pdf.pages, stamps.pages):
        form = pdf.copy_foreign(stamp.as_form_xobject())
        name = _free_name(page)
        # Pages share resource dictionaries; each gets its own, naming only its own stamp.
        resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
        xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
        xobjects[name] = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(
            b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq " +
            _placement(page, stamp) + b" cm " + name.encode() + b" Do Q\nEMC\n"))


def _free_name(page) -> str:
    """A fixed XObject name not yet used on `page` (random names would change the bytes)."""
    used = page.obj.get("/Resources", {}).get("/XObject", {})
    name, n = NAME, 1
    while name in used:
        n += 1
        name = f"{NAME}{n}"
    return name


def _placement(page, stamp) -> bytes:
    """Map the stamp page's box onto the target page's (they are the same size in practice)."""
    box = [float(v) for v in page.mediabox]
    sbox = [float(v) for v in stamp.mediabox]
    return f"1 0 0 1 {box[0] - sbox[0]:.4f} {box[1] - sbox[1]:.4f}".encode()
