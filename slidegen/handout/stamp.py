"""Page numbers stamped onto finished pages.

Episodes are laid out once and cached, then put together at the PDF level, so no layout ever
knows the final page count. The numbers are laid out afterwards instead, each on a page only as
tall as the bottom margin (no margin boxes, a one-rule stylesheet: cheap to lay out), and each
output page draws its own onto its bottom margin as an untagged pagination artifact.
"""
from __future__ import annotations

import io

import pikepdf

from .html import stamp_html
from .lengths import length_pt
from .layouts import cached_layout

_CACHE: dict[tuple, bytes] = {}
NAME = "/SlidegenPageNumber"


def stamp_pdf(theme, pages: int, number_first: bool, lang: str, epoch: int, width_pt: float,
              cache_dir: str | None = None) -> bytes:
    """`pages` footer-sized pages saying "page N of M" (cached per process and on disk)."""
    slot = length_pt(theme.handout.page_margin_y)
    key = (theme.folders, pages, number_first, lang, epoch, round(width_pt, 3))
    if key not in _CACHE:
        html = stamp_html(theme, pages, number_first, lang, width_pt, slot)
        _CACHE[key] = cached_layout(f"stamps-{epoch}", html, theme, cache_dir,
                                    lambda: _lay_out(html, theme, epoch))
    return _CACHE[key]


def _lay_out(html: str, theme, epoch: int) -> bytes:
    from weasyprint import HTML

    from .fetcher import LessonFetcher
    from ..sourcedate import reproducible
    from .style import style
    st = style(theme)
    with reproducible(epoch):
        return HTML(string=html, url_fetcher=LessonFetcher(theme.folders)).write_pdf(
            font_config=st.font_config, stylesheets=[st.stylesheets[0]])


def number_pages(pdf: pikepdf.Pdf, theme, lang: str, epoch: int, keep: list,
                 number_first: bool = True, cache_dir: str | None = None) -> None:
    """Draw "page N of M" onto every page of `pdf` (N counts from its first page).

    The stamp document is appended to `keep`; it must stay open until `pdf` is saved."""
    total = len(pdf.pages)
    if not total:
        return
    box = [float(v) for v in pdf.pages[0].mediabox]
    width = box[2] - box[0]
    stamps = pikepdf.open(io.BytesIO(stamp_pdf(theme, total, number_first, lang, epoch, width,
                                               cache_dir)))
    keep.append(stamps)
    if len(stamps.pages) != total:
        raise RuntimeError(f"page-number layout made {len(stamps.pages)} pages, not {total}")
    for page, stamp in zip(pdf.pages, stamps.pages):
        form = pdf.copy_foreign(stamp.as_form_xobject())
        form.Matrix = [1, 0, 0, 1, float(page.mediabox[0]), float(page.mediabox[1])]
        name = _free_name(page)
        # Pages share resource dictionaries; each gets its own, naming only its own stamp.
        resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
        xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
        xobjects[name] = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(
            b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\nq " + name.encode()
            + b" Do Q\nEMC\n"))


def _free_name(page) -> str:
    """A fixed XObject name not yet used on `page` (random names would change the bytes)."""
    used = page.obj.get("/Resources", {}).get("/XObject", {})
    name, n = NAME, 1
    while name in used:
        n += 1
        name = f"{NAME}{n}"
    return name
