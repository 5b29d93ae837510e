"""What an image is, decided from its content in one place for both writers; and the only way
slidegen has Pillow open one.

A file's name says nothing of its content: `fig.png` may hold EPS, which Pillow hands to
Ghostscript, an interpreter that runs the file as a program (one such figure kept a build busy
for good). So the first bytes decide, only PNG, JPEG, GIF, WebP and SVG are accepted, Pillow is
told to try only the format found (`formats=`), and the pixel count is read from the header and
checked before anything is decoded (Pillow itself only refuses at twice its limit).
"""
from __future__ import annotations

import io
import os
import re
import stat
import warnings
from dataclasses import dataclass

from PIL import EpsImagePlugin
from PIL import Image as PILImage

ACCEPTED = ("png", "jpeg", "gif", "webp", "svg")
PILLOW_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
MAX_PIXELS = 60_000_000          # a 60-megapixel photo; beyond it, a decompression bomb
MAX_BYTES = 30_000_000           # read from one image file
ACCEPTED_NAMES = "PNG, JPEG, GIF, WebP or SVG"

# Formats a figure may arrive in that slidegen does not open, by their first bytes, so the
# message can say what the file is.
OTHERS = (
    (re.compile(rb"^(%!PS|\xc5\xd0\xd3\xc6)"), "PostScript (EPS)"),
    (re.compile(rb"^%PDF-"), "a PDF document"),
    (re.compile(rb"^(II\*\x00|MM\x00\*)"), "TIFF"),
    (re.compile(rb"^BM"), "BMP"),
    (re.compile(rb"^8BPS"), "Photoshop (PSD)"),
    (re.compile(rb"^(\x00\x00\x00\x0cjP  |\xff\x4f\xff\x51)"), "JPEG 2000"),
    (re.compile(rb"^\x00\x00[\x01\x02]\x00"), "a Windows icon"),
    (re.compile(rb"^P[1-7]\s"), "a Netpbm image"),
    (re.compile(rb"^\x00\x00\x00.ftyp(avif|heic|heix|mif1)", re.S), "AVIF/HEIF"),
)

# Nothing in slidegen's process may ever start Ghostscript, whatever reaches Pillow by another
# road (an image inside an SVG): its EPS reader is told there is none.
if hasattr(EpsImagePlugin, "gs_binary"):
    EpsImagePlugin.gs_binary = False


class ImageRefused(ValueError):
    """An image slidegen will not open; the message says what it is instead ("TIFF: …")."""


@dataclass(frozen=True)
class Sniffed:
    kind: str                    # one of ACCEPTED
    width: int = 0               # pixels (0 for SVG: its size is what it says, once drawn)
    height: int = 0


def sniff(data: bytes) -> str | None:
    """The accepted format `data` is in, from its first bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "svg"
    return None


def other_format(data: bytes) -> str | None:
    """What a file in a format slidegen does not open is, when its first bytes say."""
    for pattern, name in OTHERS:
        if pattern.match(data[:32]):
            return name
    return None


def check(data: bytes) -> Sniffed:
    """The image's format and size; raises ImageRefused for anything slidegen does not open."""
    kind = sniff(data)
    if kind is None:
        other = other_format(data)
        raise ImageRefused(f"{other}: slidegen opens only "
                           f"{ACCEPTED_NAMES.replace(' or ', ' and ')} "
                           "images" if other else f"not a {ACCEPTED_NAMES} image")
    if kind == "svg":
        return Sniffed(kind)
    img = open_raster(data, kind)
    return Sniffed(kind, *img.size)


def open_raster(data: bytes, kind: str | None = None):
    """A Pillow image of PNG, JPEG, GIF or WebP `data`, opened (not yet decoded) as that format
    only; raises ImageRefused for any other content and for too many pixels."""
    kind = kind or sniff(data)
    if kind not in PILLOW_NAMES:
        raise ImageRefused(f"not a {ACCEPTED_NAMES} image")
    try:
        with warnings.catch_warnings():      # the pixel count is checked below, more strictly
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            img = PILImage.open(io.BytesIO(data), formats=[PILLOW_NAMES[kind]])
    except PILImage.DecompressionBombError:
        raise ImageRefused("too many pixels") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageRefused(f"not a readable image ({str(e).splitlines()[0][:80]})") from None
    w, h = img.size
    if w * h > MAX_PIXELS:
        raise ImageRefused(f"{w} × {h} pixels: more than the {MAX_PIXELS // 1_000_000} million "
                           "slidegen opens")
    return img


def read_image_file(path: str) -> bytes:
    """An image file's bytes: a regular file of at most MAX_BYTES, never a FIFO or a device
    (opening one for reading would wait for ever); raises ImageRefused."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise ImageRefused(f"cannot read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ImageRefused("not a regular file")
        if st.st_size > MAX_BYTES:
            raise ImageRefused(f"file larger than {MAX_BYTES // 1_000_000} MB")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRefused(f"file larger than {MAX_BYTES // 1_000_000} MB")
    return data


def check_file(path: str) -> Sniffed:
    """check() for a file; raises ImageRefused."""
    return check(read_image_file(path))


def renderer_refusal(data: bytes) -> str | None:
    """Why the PDF renderer must not be handed `data` (it gives every raster image to Pillow
    without `formats=`), or None: accepted images within the pixel limit, fonts, stylesheets."""
    kind = sniff(data)
    if kind in PILLOW_NAMES:
        try:
            open_raster(data, kind)
        except ImageRefused as e:
            return str(e)
        return None
    other = other_format(data)
    return f"{other}: slidegen does not open it" if other else None
