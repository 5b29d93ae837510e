"""What a lesson's site does with a class slidegen has no kind for (`{: .text-center}`,
`{: .instructor_notes :}`): hide the block, style it, or nothing at all.

kramdown applies a block attribute line to the block before it, and the lesson's stylesheets
decide what the class does. A class the site hides (`display: none` in the lesson's own CSS,
or the instructor view of the Alliance styles) is hidden here too: its block becomes an
instructor note, in the speaker notes and never in a learner's handout. A class no stylesheet
names changes nothing on the site; `check` names it once, as it may be a typo.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import Diagnostic

# Classes whose blocks a site hides from learners, and the kind slidegen gives them: the
# Alliance (ACENET) styles show `instructor_notes` only in their instructor view.
HIDDEN_KINDS = {"instructor_notes": "instructor"}
# Classes the styles template and its Bootstrap style, for lessons whose stylesheets are a
# remote theme.
STYLED = frozenset({
    "text-center", "text-left", "text-right", "text-justify", "img-responsive", "lead", "small",
    "pull-left", "pull-right", "center-block", "no_toc", "file-content",
    "math-center", "math-left", "table", "table-striped", "table-bordered", "table-condensed",
})
STYLESHEET_DIRS = ("assets/css", "assets", "css", "_sass", "_includes", "_layouts")
STYLESHEET_EXTS = (".css", ".scss", ".sass", ".html")
MAX_STYLESHEET_BYTES = 2_000_000
UNKNOWN = "unknown class"              # how the one warning per class starts (see first_of_each)
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
SIMPLE_SELECTOR = re.compile(r"^(?:[a-z0-9]+)?\.([A-Za-z_][\w-]*)$")
CLASS_IN_SELECTOR = re.compile(r"\.([A-Za-z_][\w-]*)")


@dataclass(frozen=True)
class SiteClasses:
    """The classes a lesson's stylesheets name, and those they hide."""
    known: frozenset = frozenset()
    hidden: frozenset = frozenset()

    def kind(self, cls: str) -> str | None:
        """The kind of block a class makes when the site hides it, else None."""
        if cls in HIDDEN_KINDS:
            return HIDDEN_KINDS[cls]
        return "instructor" if cls in self.hidden else None

    def is_known(self, cls: str) -> bool:
        return cls in STYLED or cls in self.known or cls in HIDDEN_KINDS


def site_classes(root: str) -> SiteClasses:
    """The classes of the lesson's stylesheets (read once per set of stylesheets)."""
    files = []
    for folder in STYLESHEET_DIRS:
        full = os.path.join(root, folder)
        if os.path.isdir(full):
            for name in sorted(os.listdir(full)):
                path = os.path.join(full, name)
                if name.endswith(STYLESHEET_EXTS) and os.path.isfile(path):
                    files.append((path, os.path.getmtime(path), os.path.getsize(path)))
    return _read(tuple(files))


@lru_cache(maxsize=16)
def _read(files: tuple) -> SiteClasses:
    known: set[str] = set()
    hidden: set[str] = set()
    for path, _, _ in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read(MAX_STYLESHEET_BYTES)
        except OSError:
            continue
        if path.endswith(".html"):
            text = "\n".join(STYLE_ELEMENT.findall(text))
        for selector, body, nested in _rules(re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
            known.update(CLASS_IN_SELECTOR.findall(selector))
            if not nested and re.search(r"display\s*:\s*none", body):
                for part in selector.split(","):
                    m = SIMPLE_SELECTOR.match(part.strip())
                    if m:
                        hidden.add(m.group(1))
    return SiteClasses(frozenset(known), frozenset(hidden))


def _rules(css: str):
    """(selector, declarations, inside an at-rule) of each innermost rule of a stylesheet."""
    stack: list[str] = []
    start = 0
    for m in re.finditer(r"[{}]", css):
        if m.group() == "{":
            stack.append(css[start:m.start()].strip())
        elif stack:
            selector = stack.pop()
            yield selector, css[start:m.start()], any(s.startswith("@") for s in stack)
        start = m.end()


def unknown_class(cls: str) -> str:
    return (f"{UNKNOWN} '.{cls}': neither slidegen nor the lesson's stylesheets know it, so the "
            "block it follows is shown as it is")


def first_of_each(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with each unknown class named once, where it is first used."""
    seen: set[str] = set()
    out = []
    for d in diagnostics:
        if d.message.startswith(UNKNOWN + " '"):
            name = d.message.split("'")[1]
            if name in seen:
                continue
            seen.add(name)
        out.append(d)
    return out
