"""Images for slides: read from the lesson only, SVG rasterised with a PNG fallback, big images
downscaled so decks stay small, broken ones reported instead of crashing."""
from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from PIL import Image as PILImage

from ..media import derived, imageformats, svgraster, svgsize
from ..media.remote import fetch, is_remote
from ..paths import inside
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
    note: str = ""           # what the author should know of how it was drawn

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
        return decode(_fetch(src), src)
    full = os.path.join(root, rel_path)
    if not inside(root, full):
        raise PictureError("outside the lesson")
    try:
        data = imageformats.read_image_file(full)
    except imageformats.ImageRefused as e:
        raise PictureError(str(e)) from None
    return decode(data, rel_path)


def _fetch(url: str) -> bytes:
    try:
        return fetch(url)[0]
    except Exception as e:       # network errors, size and time limits alike
        raise PictureError(f"cannot fetch: {e}") from None


def decode(data: bytes, name: str) -> Picture:
    """The picture in `data` (a file called `name`, for messages); raises PictureError with a
    reason. The content, not the name, says what it is."""
    pic = _decoded(data)
    note = svgsize.oversize_note(data, MAX_PIXELS, MAX_SIDE) \
        if imageformats.sniff(data) == "svg" else None
    return replace(pic, note=note) if note else pic


@lru_cache(maxsize=32)
def _decoded(data: bytes) -> Picture:
    """Decoded, scaled and encoded once per content: a deck measures a picture at several trial
    sizes, and decks of one lesson (or one deck in several themes) share pictures; what takes
    time (an SVG drawn, a big image scaled) is kept for the other workers and later builds
    (derived.py). The content, not the name, says what it is (imageformats)."""
    try:
        kind = imageformats.check(data).kind
        if kind == "svg":
            return _kept(data, lambda: _svg(data))
        img = imageformats.open_raster(data, kind)
    except imageformats.ImageRefused as e:
        raise PictureError(str(e)) from None
    except (OSError, SyntaxError, ValueError) as e:
        raise _unreadable(e) from None
    fmt = (img.format or "").upper()
    w, h = img.size
    if fmt in ("PNG", "JPEG", "GIF") and max(w, h) <= MAX_SIDE and len(data) < 4_000_000:
        try:
            img.load()
        except (OSError, SyntaxError, ValueError) as e:
            raise _unreadable(e) from None
        return Picture(data, {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}[fmt], w, h)

    def make() -> Picture:
        try:
            img.load()
        except (OSError, SyntaxError, ValueError) as e:
            raise _unreadable(e) from None
        return _reencode(img, fmt)
    return _kept(data, make)


def _unreadable(e: Exception) -> PictureError:
    return PictureError("not a readable image "
                        f"({str(e).splitlines()[0][:80] if str(e) else type(e).__name__})")


_PACKED = b"slidegen-picture\n"


def _kept(data: bytes, make) -> Picture:
    """make() for this content, or what an earlier worker or build kept of it."""
    made: list[Picture] = []

    def packed() -> bytes:
        pic = make()
        made.append(pic)
        head = json.dumps({"ext": pic.ext, "w": pic.width_px, "h": pic.height_px,
                           "svg": pic.svg is not None}).encode()
        return _PACKED + head + b"\n" + pic.blob

    stored = derived.remember(derived.key("slide-picture", data, str(MAX_SIDE).encode()),
                              packed, _valid)
    if made:
        return made[0]
    head, _, blob = stored[len(_PACKED):].partition(b"\n")
    info = json.loads(head)
    return Picture(blob, info["ext"], info["w"], info["h"], data if info["svg"] else None)


def _valid(stored: bytes) -> bool:
    """Whether a kept picture is one (the store is in OUT, which anyone may have written)."""
    if not stored.startswith(_PACKED):
        return False
    head, _, blob = stored[len(_PACKED):].partition(b"\n")
    try:
        info = json.loads(head)
        kind = imageformats.check(blob).kind
        return (kind == info["ext"] and kind in ("png", "jpeg", "gif")
                and all(isinstance(info[k], int) and 0 < info[k] <= 100_000 for k in ("w", "h"))
                and isinstance(info["svg"], bool))
    except (ValueError, KeyError, TypeError, imageformats.ImageRefused):
        return False


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
        # zlib's default level: optimize=True took 3x as long for files 0.5 % smaller
        # (2400 px screenshots of the git-novice lesson, 2026-12-01)
        img.save(out, "PNG", compress_level=6)
        ext = "png"
    return Picture(out.getvalue(), ext, img.width, img.height)


def _svg(data: bytes) -> Picture:
    """An SVG drawn as a browser draws it (svgraster, which draws one declared larger than a
    slide uses at MAX_SIDE), with its vector original when that is self-contained (PowerPoint
    2016+ shows it; others show the PNG)."""
    try:
        png, w, h = svgraster.rasterise(data, MAX_SIDE)
        img = imageformats.open_raster(png, "png")
    except (svgraster.SvgError, imageformats.ImageRefused) as e:
        raise PictureError(f"not a readable SVG ({e})") from None
    pic = decode(png, "x.png") if max(img.size) > MAX_SIDE else Picture(png, "png", *img.size)
    return Picture(pic.blob, pic.ext, w, h, None if EXTERNAL_REF.search(data) else data)
