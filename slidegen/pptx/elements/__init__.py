"""Flow elements: pieces of slide content that know their height at a width, how to split
across slides, and which shapes they become.

Every height here is measured with real font metrics (see measure.py), so pagination can
guarantee that nothing overflows: text splits between paragraphs or lines, code between lines,
tables between rows (header repeated), boxes between their children; pictures scale within limits.
"""
from .base import Element, NoteOnly
from .box import BoxElement, BoxLook
from .code import CodeElement, CodeLook
from .picture import PictureElement
from .table import TableElement, TableLook
from .text import TextElement

__all__ = ["BoxElement", "BoxLook", "CodeElement", "CodeLook", "Element", "NoteOnly",
           "PictureElement", "TableElement", "TableLook", "TextElement"]
