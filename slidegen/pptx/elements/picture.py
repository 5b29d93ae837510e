"""Picture elements: figures at their web size within limits, shrunk a little rather than moved
to the next slide."""
from __future__ import annotations

from ..shapes import PictureShape, RectShape
from .base import Element


class PictureElement(Element):
    UPSCALE = 1.5          # never enlarge an image beyond this factor of its web size
    MIN_SHARE = 0.7        # shrink to fit the rest of a slide only down to this share

    def __init__(self, picture, alt: str, max_h: float, width_pt: float | None = None, notes=(),
                 backing: str | None = None):
        self.picture = picture
        self.alt = alt
        self.max_h = max_h
        self.width_pt = width_pt
        self.notes = tuple(notes)
        self.backing = backing       # a fill behind the picture (figures drawn for white pages)

    def size(self, w, max_h=None):
        nat_w, _ = self.picture.natural_pt()
        if self.width_pt:
            nat_w = self.width_pt
        dw = min(w, nat_w * self.UPSCALE)
        dh = dw * self.picture.aspect
        limit = max_h if max_h is not None else self.max_h
        if dh > limit:
            dh = limit
            dw = dh / self.picture.aspect
        return dw, dh

    def height(self, w):
        return self.size(w)[1]

    def split(self, w, avail):
        full = self.height(w)
        if avail >= full * self.MIN_SHARE and avail >= 72:
            return _Fixed(self, avail), None
        return None, self

    def place(self, x, y, w, max_h=None):
        dw, dh = self.size(w, max_h)
        p = self.picture
        pic = PictureShape(x + (w - dw) / 2, y, dw, dh, p.blob, p.ext, self.alt, p.svg)
        if self.backing:
            return [RectShape(pic.x, y, dw, dh, self.backing, name="Picture backing"), pic]
        return [pic]


class _Fixed(Element):
    """A picture shrunk to fit a given height."""

    def __init__(self, pic: PictureElement, max_h: float):
        self.pic, self.max_h = pic, max_h
        self.notes = pic.notes

    def height(self, w):
        return self.pic.size(w, self.max_h)[1]

    def place(self, x, y, w):
        return self.pic.place(x, y, w, self.max_h)
