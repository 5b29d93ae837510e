"""Images for slides: read from the lesson only, SVG rasterised with a PNG fallback, big images
downscaled so decks stay small, broken ones reported instead of crashing."""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image as PILImage

from .. import imageformats
from ..paths import inside
from ..remote import fetch, is_remote
from ..units import PT_PER_PX

MAX_PIXELS = imageformats.MAX_PIXELS
MAX_SIDE = 2400              # px on a slide's long side: 13.3 in at 180 dpi
PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
EXTERNAL_REF = re.compile(rb"""(?:xlink:)?href\s*=\s*["'](?!#|data:)""", re.I)


class PictureError(Exception):
    """An image that cannot go on a slide; the message says why."""


@dataclass(frozen=True)
class Picture:
    blob: bytes
    ext: str                 # png | jpeg | gif
    width_px: int
    height_px: int
    svg: bytes | None = None

    @property
    def aspect(self) -> float:
        return self.height_px / max(self.width_px, 1)

    def natural_pt(self) -> tuple[float, float]:
        """Size at CSS's 96 px per inch, as the lesson's web page shows it."""
        return self.width_px * PT_PER_PX, self.height_px * PT_PER_PX


def load(root: str, rel_path: str | None, src: str, allow_remote: bool = False) -> Picture:
    """The picture for an image reference; raises PictureError with a reason."""
    if rel_path is None:
        if not is_remote(src):
            raise PictureError("not in the lesson")
        if not allow_remote:
            raise PictureError("remote image (use --allow-remote to fetch it)")
        return _decode(_fetch(src), src)
    full = os.path.join(root, rel_path)
    if not inside(root, full):
        raise PictureError("outside the lesson")
    try:
        data = imageformats.read_image_file(full)
    except imageformats.ImageRefused as e:
        raise PictureError(str(e)) from None
    return _decode(data, rel_path)


def _fetch(url: str) -> bytes:
    try:
        return fetch(url)[0]
    except Exception as e:       # network errors, size and time limits alike
        raise PictureError(f"cannot fetch: {e}") from None


def _decode(data: bytes, name: str) -> Picture:
    return _decoded(data)


@lru_cache(maxsize=32)
def _decoded(data: bytes) -> Picture:
    """Decoded, scaled and encoded once per content: a deck measures a picture at several trial
    sizes, and decks of one lesson (or one deck in several themes) share pictures. The content,
    not the name, says what it is (imageformats)."""
    try:
        kind = imageformats.check(data).kind
        if kind == "svg":
            return _svg(data)
        img = imageformats.open_raster(data, kind)
        img.load()
    except imageformats.ImageRefused as e:
        raise PictureError(str(e)) from None
    except (OSError, SyntaxError, ValueError) as e:
        raise PictureError(f"not a readable image ({str(e).splitlines()[0][:80]})") from None
    fmt = (img.format or "").upper()
    w, h = img.size
    if fmt in ("PNG", "JPEG", "GIF") and max(w, h) <= MAX_SIDE and len(data) < 4_000_000:
        return Picture(data, {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}[fmt], w, h)
    return _reencode(img, fmt)


def _reencode(img, fmt: str) -> Picture:
    """Downscale to what a slide can show and re-encode (photos as JPEG, the rest as PNG)."""
    if getattr(img, "n_frames", 1) > 1:
        img.seek(0)
    scale = min(1.0, MAX_SIDE / max(img.size))
    if scale < 1.0:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))),
                         PILImage.LANCZOS)
    out = io.BytesIO()
    if fmt == "JPEG" or (img.mode == "RGB" and fmt not in ("PNG", "GIF")):
        img.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
        ext = "jpeg"
    else:
        if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            img = img.convert("RGBA")
        img.save(out, "PNG", optimize=True)
        ext = "png"
    return Picture(out.getvalue(), ext, img.width, img.height)


def _svg(data: bytes) -> Picture:
    import cairosvg

    try:
        # unsafe=False: no XML entities, and external files are never fetched (cairosvg >= 2.7.1
        # draws them as empty)
        png = cairosvg.svg2png(bytestring=data, unsafe=False)
        img = imageformats.open_raster(png, "png")
        w, h = img.size               # the SVG's own size, in CSS px
        if max(w, h) < 1200:          # render sharper for slides
            scale = 1600 / max(w, h)
            png = cairosvg.svg2png(bytestring=data, scale=scale, unsafe=False)
            img = imageformats.open_raster(png, "png")
    except Exception as e:            # cairosvg raises many kinds on malformed SVG
        raise PictureError(f"not a readable SVG ({str(e).splitlines()[0][:80] if str(e) else type(e).__name__})") from None
    pic = _decode(png, "x.png") if max(img.size) > MAX_SIDE else Picture(png, "png", *img.size)
    # Keep the vector original only when it is self-contained.
    return Picture(pic.blob, pic.ext, w, h, None if EXTERNAL_REF.search(data) else data)
