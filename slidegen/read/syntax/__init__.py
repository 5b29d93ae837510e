"""Markdown syntax of the lesson formats, as markdown-it-py rules a dialect picks from.

The rules are imported on first use (dialects.py names them): markdown-it and the rules take
a tenth of a second to load, which a build with no episode to read does not pay.
"""
from importlib import import_module

_EXPORTS = {
    "KRAMDOWN_BOXES": (".boxes", "kramdown_boxes_plugin"),
    "FENCED_DIVS": (".divs", "fenced_div_plugin"),
    "PANDOC_GRID_TABLES": (".gridtables", "grid_table_plugin"),
    "KRAMDOWN_HTML": (".html", "kramdown_html_plugin"),
    "PANDOC_HTML": (".html", "pandoc_html_plugin"),
    "KRAMDOWN_ATTRIBUTES": (".kramdown", "kramdown_plugin"),
    "PANDOC_NOTES": (".notes", "pandoc_notes_plugin"),
    "PANDOC_REFERENCES": (".refattrs", "pandoc_reference_attributes_plugin"),
    "PANDOC_SCRIPTS": (".scripts", "pandoc_scripts_plugin"),
    "make_parser": (".parser", "make_parser"),
}


def __getattr__(name: str):
    if name in _EXPORTS:
        module, attr = _EXPORTS[name]
        return getattr(import_module(module, __name__), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_EXPORTS)
