"""Running headers and page numbers stamped onto finished pages.

Episodes are laid out once and cached, then put together at the PDF level, so no layout ever
knows the final page count. Headers and numbers are laid out afterwards instead, and each output
page draws its own as a pagination artifact. WeasyPrint's own margin boxes would be tagged
content outside the structure tree, which PDF/UA does not allow.

A file's stamps are one layout: a single page (a "sheet") holding each distinct text once (a
lesson title, each part's title, each "page n of m"), every one in a positioned block of its
own, where it goes on a page. WeasyPrint draws each such block between a `q` and its `Q`, so
the sheet's drawing cuts into one piece per text, and a page's stamp draws only its own pieces:
its text layer holds its own header and number, never another page's. (A page of stamps per
output page cost WeasyPrint's page machinery on every page: three to five times the time.)
"""
from __future__ import annotations

import io

import pikepdf

from ..errors import ThemeError
from ..i18n import current, t
from ..sourcedate import reproducible
from ..theme import made_from_themes
from ..writer import Aside
from .engine import install as correct_layout
from .fetcher import LessonFetcher
from .html import stamp_html
from .layouts import cached_layout
from .lengths import length_pt
from .style import style

_CACHE: dict[tuple, bytes] = {}
made_from_themes(_CACHE.clear)
NAME = "/SlidegenPageNumber"
KINDS = ("left", "right", "foot")      # where a page's three running texts go
AHEAD_MAX_PAGES = 300     # a longer file's are laid out in the build's process (StampsAhead)


def stamp_sheet(theme, texts: tuple, lang: str, epoch: int, size_pt: tuple[float, float],
                cache_dir: str | None = None) -> bytes:
    """The sheet of `texts` ((kind, text) pairs, `distinct`): one page as big as an output
    page (cached per process and on disk)."""
    key = _key(theme, texts, lang, epoch, size_pt)
    if key not in _CACHE:
        html = stamp_html(theme, texts, lang, key[-1], length_pt(theme.handout.page_margin_y))
        _CACHE[key] = cached_layout(f"stamps-{epoch}", html, theme, cache_dir,
                                    lambda: _lay_out(html, theme, epoch))
    return _CACHE[key]


def distinct(running: tuple) -> tuple:
    """The (kind, text) pairs pages show, each once, in the order pages first show them."""
    return tuple(dict.fromkeys((kind, text) for row in running
                               for kind, text in zip(KINDS, row, strict=True) if text))


def _key(theme, texts: tuple, lang: str, epoch: int, size_pt: tuple[float, float]) -> tuple:
    size = (round(size_pt[0], 3), round(size_pt[1], 3))
    return (theme.folders, theme.handout, texts, lang, current(), epoch, size)


class StampsAhead:
    """The stamps `number_pages` will want for a file whose page count and heads are known
    before all its pages are (the whole-lesson handout's, once its front pages are laid out:
    their count is guessed), laid out meanwhile in a forked process (the build's process lays
    out the front pages beside it); `collect()` keeps them for `number_pages`. A wrong guess
    costs nothing but the aside: its stamps are not asked for."""

    def __init__(self, theme, lang: str, epoch: int, size_pt: tuple[float, float],
                 cache_dir: str | None, heads: list, number_first: bool = True):
        self.texts = distinct(running_texts(heads, len(heads), number_first))
        self.key = _key(theme, self.texts, lang, epoch, size_pt)
        # (a long file's are laid out where they are asked for, as before: a forked process
        # costs some 50 MB besides its layout, on top of this one, which is then large)
        late = self.key in _CACHE or len(heads) > AHEAD_MAX_PAGES
        self.aside = None if late else Aside(
            lambda: stamp_sheet(theme, self.texts, lang, epoch, size_pt, cache_dir))

    def collect(self) -> None:
        data = self.aside.result() if self.aside is not None else None
        if data and data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"):
            _CACHE[self.key] = data       # (a damaged answer: laid out here instead)


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

    The sheet is appended to `keep`; it must stay open until `pdf` is saved."""
    total = len(pdf.pages)
    if not total:
        return
    running = running_texts(heads, total, number_first)
    texts = distinct(running)
    box = [float(v) for v in pdf.pages[0].mediabox]
    size = (box[2] - box[0], box[3] - box[1])
    head, drawn, tail, resources = b"", {}, b"", pikepdf.Dictionary()
    if texts:
        sheet = pikepdf.open(io.BytesIO(stamp_sheet(theme, texts, lang, epoch, size, cache_dir)))
        keep.append(sheet)
        head, pieces, tail = _cut(sheet.pages[0], len(texts), theme)
        drawn = dict(zip(texts, pieces, strict=True))
        resources = pdf.copy_foreign(_indirect(sheet, sheet.pages[0].Resources))
    for page, row in zip(pdf.pages, running, strict=True):
        form = pikepdf.Stream(pdf, head + b"".join(
            drawn[kind, text] for kind, text in zip(KINDS, row, strict=True) if text) + tail)
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, size[0], size[1]]
        form.Resources = resources
        form.Matrix = [1, 0, 0, 1, float(page.mediabox[0]), float(page.mediabox[1])]
        name = _free_name(page)
        # Pages share resource dictionaries; each gets its own, naming only its own stamp.
        own = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
        xobjects = pikepdf.Dictionary(own.get("/XObject", pikepdf.Dictionary()))
        xobjects[name] = pdf.make_indirect(form)
        own.XObject = xobjects
        page.obj.Resources = own
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(
            b"Q\n/Artifact <</Type /Pagination>> BDC\nq " + name.encode() + b" Do Q\nEMC\n"))


def _indirect(pdf: pikepdf.Pdf, obj):
    """`obj` as an indirect object of `pdf` (what `copy_foreign` copies)."""
    return obj if obj.is_indirect else pdf.make_indirect(obj)


def _cut(page, n: int, theme) -> tuple[bytes, list[bytes], bytes]:
    """The sheet's drawing as (what sets the page up, the drawing of each of its `n` texts in
    order, what closes the page): the texts are the `n` groups `q … Q` side by side, each
    drawing text, at the shallowest depth that has so many."""
    ops = pikepdf.parse_content_stream(page)
    names = [str(op.operator) for op in ops]
    level, depth = [], 0                # a q's depth before it, a Q's after it
    for name in names:
        depth -= name == "Q"
        level.append(depth)
        depth += name == "q"
    for d in sorted(set(level)):
        marks = [i for i, name in enumerate(names) if level[i] == d and name in ("q", "Q")]
        groups = list(zip(marks[::2], marks[1::2], strict=False))
        if len(groups) == n and all(groups[k][1] + 1 == groups[k + 1][0] for k in range(n - 1)) \
                and all("BT" in names[a:b] for a, b in groups):
            def text(a: int, b: int) -> bytes:
                return pikepdf.unparse_content_stream(ops[a:b]) + b"\n" if b > a else b""
            return (text(0, groups[0][0]), [text(a, b + 1) for a, b in groups],
                    text(groups[-1][1] + 1, len(ops)))
    raise ThemeError(f"theme '{theme.name}': handout template stamp.html.j2 must draw each of "
                     f"its {n} running texts in a positioned block of its own")


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
