"""Picture elements: figures centred at their web size within limits (vector drawings scaled up to
the room they have), their caption and credit under them, shrunk a little rather than moved to
the next slide."""
from __future__ import annotations

from ..shapes import PictureShape, RectShape, TextShape
from ..text import paras_height
from .base import SLACK, Element


class PictureElement(Element):
    UPSCALE = 1.5          # never enlarge a bitmap beyond this factor of its web size
    MIN_SHARE = 0.4        # shrink to fit the rest of a slide only down to this share (at a
    #                        price: costs.SHRINK)
    MIN_HEIGHT = 144.0     # nor below two inches (or its own height, if lower)
    CAPTION_GAP = 4.0
    visual = True
    solid = True

    def __init__(self, picture, alt: str, max_h: float, width_pt: float | None = None, notes=(),
                 backing: str | None = None, scalable: bool = False, caption=(), name="Picture",
                 share: float | None = None):
        self.picture = picture
        self.alt = alt
        self.max_h = max_h
        self.width_pt = width_pt
        self.share = share           # of the column's width, as the lesson asks ("70%")
        self.notes = tuple(notes)
        self.backing = backing       # a fill behind the picture (figures drawn for white pages)
        self.scalable = scalable     # a vector drawing (or one drawn large): fill the room
        self.caption = list(caption)
        self.name = name

    def _caption_h(self, w) -> float:
        if not self.caption:
            return 0.0
        return self.CAPTION_GAP + paras_height(self.caption, w - 14.4) + 7.2 + \
            self.caption[0].pitch * SLACK

    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.caption)

    def size(self, w, max_h=None):
        """(width, height) of the picture alone."""
        nat_w, _ = self.picture.natural_pt()
        if self.width_pt:
            nat_w = self.width_pt
        dw = w if self.scalable else min(w, nat_w * self.UPSCALE)
        if self.share:
            dw = min(dw, w * self.share)
        dh = dw * self.picture.aspect
        limit = (max_h if max_h is not None else self.max_h) - self._caption_h(w)
        if dh > limit:
            dh = max(limit, 1.0)
            dw = dh / self.picture.aspect
        return dw, dh

    def height(self, w):
        return self.size(w)[1] + self._caption_h(w)

    def shrinkable(self, w):
        full = self.height(w)
        least = max(full * self.MIN_SHARE, min(full, self.MIN_HEIGHT + self._caption_h(w)))
        return full - least

    def shrunk(self, h: float, w: float) -> Element:
        """The picture drawn within height h (its caption included)."""
        return _Fixed(self, h)

    def place(self, x, y, w, max_h=None):
        dw, dh = self.size(w, max_h)
        p = self.picture
        pic = PictureShape(x + (w - dw) / 2, y, dw, dh, p.blob, p.ext, self.alt, p.svg,
                           name=self.name)
        shapes = [RectShape(pic.x, y, dw, dh, self.backing, name="Picture backing"), pic] \
            if self.backing else [pic]
        if self.caption:
            ch = self._caption_h(w) - self.CAPTION_GAP
            shapes.append(TextShape(x, y + dh + self.CAPTION_GAP, w, ch, self.caption,
                                    name="Caption"))
        return shapes


class _Fixed(Element):
    """A picture shrunk to fit a given height."""
    visual = True
    solid = True

    def __init__(self, pic: PictureElement, max_h: float):
        self.pic, self.max_h = pic, max_h
        self.notes = pic.notes

    def height(self, w):
        return self.pic.size(w, self.max_h)[1] + self.pic._caption_h(w)

    def words(self) -> int:
        return self.pic.words()

    def place(self, x, y, w):
        return self.pic.place(x, y, w, self.max_h)
