"""HTML to PDF with WeasyPrint: one layout per document, tagged, confined to the lesson.

`render_episode` is the expensive step the build caches: it lays out one episode once and
returns its pages without page numbers, plus the outline the whole-lesson PDF will need.
"""
from __future__ import annotations

import gc
import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.logger import LOGGER

from ..errors import RENDERER, Diagnostics
from ..sourcedate import reproducible
from .assemble import Concatenation, set_outline
from .engine import install as correct_layout
from .fetcher import LESSON_BASE, LessonFetcher
from .html import episode_html
from .learner import learner_blocks
from .options import HandoutError, HandoutOptions, RenderedEpisode
from .parts import cut
from .refit import MAX_REFITS, pushed_blocks, relax, stretched_answers
from .style import style
from .tagtree import fold


class _Collect(logging.Handler):
    """WeasyPrint's errors: resources it could not load or use. (Its warnings are about
    CSS syntax and its own installation, nothing a lesson author can fix.)"""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_messages():
    """WeasyPrint's warnings for this render, kept instead of logged."""
    handler = _Collect()
    propagate = LOGGER.propagate
    LOGGER.addHandler(handler)
    LOGGER.propagate = False
    try:
        yield handler.messages
    finally:
        LOGGER.removeHandler(handler)
        LOGGER.propagate = propagate


def layout(html: str, theme, root: str, options: HandoutOptions, diags: Diagnostics,
           tags: bool = True):
    """Lay out `html` (resources confined to `root`); returns (document, pdf bytes)."""
    st = style(theme)
    correct_layout()
    fetcher = LessonFetcher((root, *theme.folders), options.allow_remote, lesson=root,
                            themes=theme.folders)
    with _weasyprint_messages() as messages, reproducible(options.epoch):
        try:
            document = _render(HTML(string=html, base_url=LESSON_BASE, url_fetcher=fetcher), st)
            pdf = (document.write_pdf(pdf_variant="pdf/ua-1", finisher=fold) if tags
                   else document.write_pdf())
        except Exception as e:       # WeasyPrint fails in many ways; name the document instead
            raise HandoutError(f"the PDF renderer failed: {type(e).__name__}: {_short(str(e))}",
                               diags.path) from e
    for url in dict.fromkeys(fetcher.refused):
        diags.warning(f"the handout may not read '{_short(url)}'; left out")
    for m in dict.fromkeys(messages):
        if not any(url in m for url in fetcher.refused):
            diags.warning(f"{RENDERER}{_short(m, 160)}")
    return document, pdf


def _render(source: HTML, st):
    """Lay out `source`, and again where a block moved whole left a page half empty (refit.py)."""
    document = source.render(font_config=st.font_config, stylesheets=list(st.stylesheets))
    for _ in range(MAX_REFITS):
        if not relax(pushed_blocks(document)):
            break
        document = source.render(font_config=st.font_config, stylesheets=list(st.stylesheets))
    if stretched_answers(document):
        document = source.render(font_config=st.font_config, stylesheets=list(st.stylesheets))
    return document


def outline(document) -> tuple:
    """(level, title, page_index) of every bookmark, in document order."""
    out = []

    def walk(nodes, level):
        for label, target, children, _state in nodes:
            out.append((level, " ".join(label.split()), target[0]))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    return tuple(out)


def render_episode(lesson, episode, theme, options: HandoutOptions) -> RenderedEpisode:
    """Lay out one episode for learners (no solutions, no instructor notes); a very long one
    in parts (parts.py), joined at the PDF level."""
    diags = Diagnostics(episode.source)
    pieces = cut(learner_blocks(episode.blocks))
    laid = lay_out_parts(lesson, episode, theme, options, diags, pieces, range(len(pieces)))
    return joined(laid, tuple(diags.items))


@dataclass(frozen=True)
class LaidOutPart:
    """One part of an episode laid out: its pages and its bookmarks (page indices from the
    part's first page)."""
    pdf: bytes
    pages: int
    outline: tuple


def lay_out_parts(lesson, episode, theme, options: HandoutOptions, diags: Diagnostics,
                  pieces: list, indices) -> list[LaidOutPart]:
    """The parts `indices` of an episode cut into `pieces`, each laid out on its own (so any
    process can lay out any of them, with the same bytes)."""
    out = []
    for index in indices:
        html = episode_html(lesson, episode, theme, options, diags, pieces[index],
                            first=index == 0, last=index == len(pieces) - 1)
        document, pdf = layout(html, theme, lesson.root, options, diags)
        # later parts have no episode title to nest under: their bookmarks go one level down
        deeper = 0 if index == 0 else 1
        out.append(LaidOutPart(pdf, len(document.pages),
                               tuple((level + deeper, title, page)
                                     for level, title, page in outline(document))))
        del document
        if len(pieces) > 1:
            gc.collect()              # a layout's boxes form cycles: free them before the next
    return out


def joined(parts: list[LaidOutPart], diagnostics: tuple) -> RenderedEpisode:
    """An episode's laid-out parts as its pages, with the bookmarks one layout would make."""
    entries, pages = [], 0
    for part in parts:
        entries.extend((level, title, page + pages) for level, title, page in part.outline)
        pages += part.pages
    pdf = parts[0].pdf if len(parts) == 1 else _join([p.pdf for p in parts], entries)
    return RenderedEpisode(pdf, pages, tuple(entries), diagnostics)


def _join(pdfs: list[bytes], entries: list) -> bytes:
    """The parts' pages in one file, with the bookmarks a single layout would have made."""
    joined = Concatenation(len(pdfs), lazy=True)
    for slot, pdf in enumerate(pdfs):
        joined.add(slot, pdf)
    out = joined.result()
    set_outline(out, entries)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True)
    return buf.getvalue()


def _short(text: str, n: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 1] + "…"
