"""Small layouts whose result depends only on their HTML and the theme's stylesheet (the
whole-lesson front pages, page-number stamps), kept on disk between builds.

After a one-episode edit these rarely change, and reusing them spares the parent process both
the layouts and importing WeasyPrint at all.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import unquote

from .. import __version__
from ..i18n import current
from ..theme import made_from_themes
from .fetcher import LESSON_BASE
from .style import stylesheet_text

KEEP = 12        # entries of each kind kept in the cache


_CONTEXT: dict[tuple, str] = {}
made_from_themes(_CONTEXT.clear)


def layout_context(theme) -> str:
    """What besides the HTML decides a layout: versions and the theme's stylesheets (in the
    language being spoken: its "continued" mark)."""
    key = (theme.folders, theme.handout, current())
    if key not in _CONTEXT:
        try:
            wp = version("weasyprint")
        except PackageNotFoundError:
            wp = "?"
        _CONTEXT[key] = (f"{__version__}\0{wp}\0{stylesheet_text(theme)}\0{_extra_css(theme)}"
                         f"\0{_theme_fonts(theme)}")
    return _CONTEXT[key]


def _extra_css(theme) -> str:
    """The theme's own CSS files, which style layouts too, by content (an edit is a new key)."""
    h = hashlib.sha256()
    for path in theme.handout_css:
        with contextlib.suppress(OSError), open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def _theme_fonts(theme) -> str:
    """The fonts a theme folder ships, by content: their URLs no longer change with an edit
    (nor with the folder's place), so a font edited in place must change the key."""
    h = hashlib.sha256()
    for folder in theme.folders:
        fonts = os.path.join(folder, "fonts")
        for name in sorted(os.listdir(fonts)) if os.path.isdir(fonts) else ():
            with contextlib.suppress(OSError), open(os.path.join(fonts, name), "rb") as f:
                h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()


_LESSON_FILE = re.compile(re.escape(LESSON_BASE) + r'([^"\'\s)]+)')


def lesson_files(root: str, html: str) -> str:
    """The contents of the lesson files `html` names (its pictures), as one digest: a layout
    kept on disk is reused only while they are the same. A file that is missing counts too."""
    h = hashlib.sha256()
    for rel in sorted(set(_LESSON_FILE.findall(html))):
        h.update(rel.encode() + b"\0")
        try:
            with open(os.path.join(root, unquote(rel)), "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
        except OSError:
            h.update(b"absent")
    return h.hexdigest()


def cached_layout(kind: str, html: str, theme, cache_dir: str | None, make) -> bytes:
    """`make()`'s PDF bytes for this HTML, from `cache_dir` when an earlier build made them."""
    if not cache_dir:
        return make()
    key = hashlib.sha256(f"{kind}\0{html}\0{layout_context(theme)}".encode()).hexdigest()
    path = os.path.join(cache_dir, f"{kind}-{key[:32]}.pdf")
    try:
        with open(path, "rb") as f:
            data = f.read()
        if _readable_pdf(data):          # a damaged or emptied entry is made again
            os.utime(path)
            return data
    except OSError:
        pass
    data = make()
    tmp = None
    try:
        os.makedirs(cache_dir, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=cache_dir)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        _prune(cache_dir, kind)
    except OSError:               # a cache that cannot be written is only slower
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)        # (a full disk needs its space back)
    return data


def _readable_pdf(data: bytes) -> bool:
    import io

    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages) > 0
    except Exception:            # pikepdf raises several kinds on damaged files
        return False


def _prune(cache_dir: str, kind: str) -> None:
    entries = [os.path.join(cache_dir, n) for n in os.listdir(cache_dir)
               if n.startswith(kind + "-") and n.endswith(".pdf")]
    entries.sort(key=lambda p: os.path.getmtime(p), reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(old)
