"""Running headers and page numbers stamped onto finished pages.

Episodes are laid out once and cached, then put together at the PDF level, so no layout ever
knows the final page count. Headers and numbers are laid out afterwards instead, on pages that
hold nothing else (no margin boxes, a one-rule stylesheet: cheap to lay out), and each output
page draws its own as a pagination artifact. WeasyPrint's own margin boxes would be tagged
content outside the structure tree, which PDF/UA does not allow.
"""
from __future__ import annotations

import gc
import io
import pickle

import pikepdf

from ..i18n import current, t
from ..sourcedate import reproducible
from ..theme import made_from_themes
from ..writer import Aside
from .assemble import Concatenation
from .engine import install as correct_layout
from .fetcher import LessonFetcher
from .html import stamp_html
from .layouts import cached_layout
from .lengths import length_pt
from .style import style

_CACHE: dict[tuple, bytes] = {}
made_from_themes(_CACHE.clear)
NAME = "/SlidegenPageNumber"
# Stamps laid out at once: WeasyPrint holds a document's boxes (0.2 MB a page) until it is
# written, so a long file's are laid out so many pages at a time and joined.
CHUNK_PAGES = 100
AHEAD_MAX_PAGES = 300     # a longer file's are laid out in the build's process (StampsAhead)


def stamp_pdf(theme, running: tuple, lang: str, epoch: int, size_pt: tuple[float, float],
              cache_dir: str | None = None, made: dict | None = None) -> bytes:
    """A page per entry of `running` ((header left, header right, footer) texts), each as big
    as an output page and empty but for those texts in its margins (cached per process and on
    disk). `made`: chunks (by number) laid out elsewhere (StampsAhead)."""
    key = _key(theme, running, lang, epoch, size_pt)
    if key not in _CACHE:
        parts = _chunks(running)
        laid = []
        for n, part in enumerate(parts):
            laid.append((made or {}).get(n) or _chunk(theme, part, lang, epoch, key[-1],
                                                        cache_dir))
            if len(parts) > 1:
                gc.collect()          # (a layout's boxes form cycles: freed before the next)
        _CACHE[key] = laid[0] if len(laid) == 1 else _joined(laid)
    return _CACHE[key]


def _chunks(running: tuple) -> list[tuple]:
    return [running[start:start + CHUNK_PAGES]
            for start in range(0, max(len(running), 1), CHUNK_PAGES)]


def _chunk(theme, running: tuple, lang: str, epoch: int, size_pt: tuple[float, float],
           cache_dir: str | None) -> bytes:
    html = stamp_html(theme, running, lang, size_pt, length_pt(theme.handout.page_margin_y))
    return cached_layout(f"stamps-{epoch}", html, theme, cache_dir,
                         lambda: _lay_out(html, theme, epoch))


def _joined(pdfs: list[bytes]) -> bytes:
    joined = Concatenation(len(pdfs), lazy=True)
    for slot, data in enumerate(pdfs):
        joined.add(slot, data)
    buf = io.BytesIO()
    joined.result().save(buf, deterministic_id=True)
    return buf.getvalue()


def _key(theme, running: tuple, lang: str, epoch: int, size_pt: tuple[float, float]) -> tuple:
    size = (round(size_pt[0], 3), round(size_pt[1], 3))
    return (theme.folders, theme.handout, running, lang, current(), epoch, size)


class StampsAhead:
    """The stamps `number_pages` will want for a file whose page count and heads are known
    before all its pages are (the whole-lesson handout's, once its front pages are laid out:
    their count is guessed), laid out meanwhile in forked processes, a long file's chunks in
    two (the build's process lays out the front pages beside them); `collect()` keeps them for
    `number_pages`. A wrong guess costs nothing but the asides: their stamps are not asked for.
    """

    def __init__(self, theme, lang: str, epoch: int, size_pt: tuple[float, float],
                 cache_dir: str | None, heads: list, number_first: bool = True):
        self.running = running_texts(heads, len(heads), number_first)
        self.key = _key(theme, self.running, lang, epoch, size_pt)
        self.make = (theme, lang, epoch, size_pt, cache_dir)
        # (a long file's are laid out where they are asked for, as before: a forked process
        # costs some 50 MB besides its layout, on top of this one, which is then large)
        late = self.key in _CACHE or len(heads) > AHEAD_MAX_PAGES
        self.asides = [] if late else [
            (group, Aside(lambda group=group: self._laid_out(group)))
            for group in _halves(_chunks(self.running))]

    def _laid_out(self, group: list[int]) -> bytes:
        theme, lang, epoch, size_pt, cache_dir = self.make
        parts = _chunks(self.running)
        return pickle.dumps([_chunk(theme, parts[n], lang, epoch, self.key[-1], cache_dir)
                             for n in group])

    def collect(self) -> None:
        made: dict[int, bytes] = {}
        for group, aside in self.asides:
            data = aside.result()
            try:
                chunks = pickle.loads(data) if data else None
            except Exception:            # (a damaged answer: laid out here instead)
                chunks = None
            if isinstance(chunks, list) and len(chunks) == len(group) and \
                    all(isinstance(c, bytes) for c in chunks):
                made.update(zip(group, chunks, strict=True))
        if made:
            theme, lang, epoch, size_pt, cache_dir = self.make
            stamp_pdf(theme, self.running, lang, epoch, size_pt, cache_dir, made)


def _halves(chunks: list[tuple]) -> list[list[int]]:
    """The chunks in two runs of about as many pages (one run when there is one chunk)."""
    sizes = [len(c) for c in chunks]
    if len(sizes) < 2:
        return [list(range(len(sizes)))]
    cut = min(range(1, len(sizes)), key=lambda k: abs(sum(sizes[:k]) - sum(sizes[k:])))
    return [list(range(cut)), list(range(cut, len(sizes)))]


def page_size(data: bytes) -> tuple[float, float]:
    """The size of a PDF's first page, in points."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    return box[2] - box[0], box[3] - box[1]


def running_texts(heads: list | None, total: int, number_first: bool) -> tuple:
    """(header left, header right, footer) of each of `total` pages."""
    heads = list(heads or []) + [("", "")] * (total - len(heads or []))
    return tuple((left, right,
                  t("page {n} of {total}", n=n, total=total) if number_first or n > 1 else "")
                 for n, (left, right) in enumerate(heads[:total], 1))


def _lay_out(html: str, theme, epoch: int) -> bytes:
    from weasyprint import HTML

    correct_layout()
    st = style(theme)
    with reproducible(epoch):
        fetcher = LessonFetcher(theme.folders, themes=theme.folders)
        return HTML(string=html, url_fetcher=fetcher).write_pdf(
            font_config=st.font_config, stylesheets=[st.stylesheets[0]])


def number_pages(pdf: pikepdf.Pdf, theme, lang: str, epoch: int, keep: list,
                 number_first: bool = True, cache_dir: str | None = None,
                 heads: list | None = None) -> None:
    """Draw the running header (`heads`: (left, right) texts per page, empty for none) and
    "page N of M" onto every page of `pdf` (N counts from its first page), as pagination
    artifacts: a screen reader skips them, as it should.

    The stamp document is appended to `keep`; it must stay open until `pdf` is saved."""
    total = len(pdf.pages)
    if not total:
        return
    running = running_texts(heads, total, number_first)
    box = [float(v) for v in pdf.pages[0].mediabox]
    stamps = pikepdf.open(io.BytesIO(stamp_pdf(theme, running, lang, epoch,
                                               (box[2] - box[0], box[3] - box[1]), cache_dir)))
    keep.append(stamps)
    if len(stamps.pages) != total:
        raise RuntimeError(f"page-number layout made {len(stamps.pages)} pages, not {total}")
    for page, stamp in zip(pdf.pages, stamps.pages, strict=True):
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
            b"Q\n/Artifact <</Type /Pagination>> BDC\nq " + name.encode() + b" Do Q\nEMC\n"))


def unstamp(pdf: pikepdf.Pdf) -> bool:
    """Take off what `number_pages` drew, so that the pages can go into another file with
    numbers of their own; False (and `pdf` not to be used) when a page was not stamped so."""
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Array) or len(contents) < 3:
            return False
        first, last = contents[0].read_bytes(), contents[-1].read_bytes()
        if first != b"q\n" or not last.startswith(b"Q\n/Artifact"):
            return False
        name = last.split(b" Do Q")[0].rsplit(b" ", 1)[-1].decode("ascii", "replace")
        xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
        if not name.startswith(NAME) or name not in xobjects:
            return False
        del xobjects[name]
        page.obj.Contents = pikepdf.Array(list(contents)[1:-1])
    return True


def running_heads(title: str, starts: list[tuple[int, str]], pages: int,
                  first_blank: bool = True) -> list[tuple[str, str]]:
    """(lesson title, part title) per page: `starts` are (first page index, part title) in
    page order; a part's first page has no header when `first_blank` (its title is there)."""
    heads = [("", "")] * pages
    for k, (start, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else pages
        for i in range(start, end):
            heads[i] = ("", "") if i == start and first_blank else (title, name)
    return heads


def _free_name(page) -> str:
    """A fixed XObject name not yet used on `page` (random names would change the bytes)."""
    used = page.obj.get("/Resources", {}).get("/XObject", {})
    name, n = NAME, 1
    while name in used:
        n += 1
        name = f"{NAME}{n}"
    return name
