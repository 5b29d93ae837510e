"""Markdown syntax of the lesson formats, as markdown-it-py rules a dialect picks from."""
from .boxes import kramdown_boxes_plugin as KRAMDOWN_BOXES
from .divs import fenced_div_plugin as FENCED_DIVS
from .kramdown import kramdown_plugin as KRAMDOWN_ATTRIBUTES
from .parser import make_parser

__all__ = ["FENCED_DIVS", "KRAMDOWN_ATTRIBUTES", "KRAMDOWN_BOXES", "make_parser"]
