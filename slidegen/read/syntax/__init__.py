"""Markdown syntax of both lesson formats, as markdown-it-py rules."""
from .parser import make_parser

__all__ = ["make_parser"]
