"""A special block while the block builder (blocks.py) and its raw-HTML rules (html_blocks.py)
gather its children: both make and extend one, so it sits below both."""
from __future__ import annotations


class Unfinished:
    """A special block under construction (its title and time are found when it is finished)."""

    def __init__(self, kind: str | None, children: list, line: int, unclosed=False,
                 open_html=False):
        self.kind = kind              # None: a plain quote
        self.children = children
        self.line = line
        self.unclosed = unclosed
        self.open_html = open_html    # a `<details>` whose `</details>` comes in a later block
