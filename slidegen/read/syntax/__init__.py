"""Markdown syntax of the lesson formats, as markdown-it-py rules a dialect picks from."""
from .boxes import kramdown_boxes_plugin as KRAMDOWN_BOXES
from .divs import fenced_div_plugin as FENCED_DIVS
from .gridtables import grid_table_plugin as PANDOC_GRID_TABLES
from .html import kramdown_html_plugin as KRAMDOWN_HTML
from .html import pandoc_html_plugin as PANDOC_HTML
from .kramdown import kramdown_plugin as KRAMDOWN_ATTRIBUTES
from .notes import pandoc_notes_plugin as PANDOC_NOTES
from .parser import make_parser
from .refattrs import pandoc_reference_attributes_plugin as PANDOC_REFERENCES
from .scripts import pandoc_scripts_plugin as PANDOC_SCRIPTS

__all__ = ["FENCED_DIVS", "KRAMDOWN_ATTRIBUTES", "KRAMDOWN_BOXES", "KRAMDOWN_HTML", "PANDOC_HTML",
           "PANDOC_GRID_TABLES", "PANDOC_NOTES", "PANDOC_REFERENCES", "PANDOC_SCRIPTS",
           "make_parser"]
