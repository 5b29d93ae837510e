"""Diagrams written as code (```` ```mermaid ````), as the lesson's site shows them: a picture.

Mermaid needs a browser to lay a diagram out. Where mermaid-cli (`mmdc`) and a Chromium are
installed, the diagram is rendered to PNG (without network: the browser resolves no host);
elsewhere, and when the source does not parse, it is described in words instead, from its
accessible title and description (`accTitle`, `accDescr`) or the labels of its nodes. Never is
the diagram's source shown to the audience as if it were the figure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache

from ..i18n import t

LANGS = frozenset({"mermaid"})
RENDER_TIMEOUT_S = 60
SCALE = 3                        # PNG pixels per CSS pixel: sharp on a projector and on paper
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A node's label in a flowchart: A[label], A(label), A{label}, A((label)), A>label], A[[label]],
# A[(label)], A{{label}}, with or without quotes.
NODE = re.compile(r"""\b[\w-]+\s*(?:\[\[|\[\(|\(\(|\{\{|\[/|\[\\|\[|\(|\{|>)
                      \s*"?([^"\[\](){}|]+?)"?\s*
                      (?:\]\]|\)\]|\)\)|\}\}|/\]|\\\]|\]|\)|\})""", re.X)
PARTICIPANT = re.compile(r"^\s*(?:participant|actor)\s+([^\s]+)(?:\s+as\s+(.+))?$", re.M)
STATE_OR_CLASS = re.compile(r"^\s*(?:state|class)\s+\"?([\w -]+?)\"?\s*(?:\{|$|as\b)", re.M)
ACC_TITLE = re.compile(r"^\s*accTitle\s*:\s*(.+)$", re.M)
ACC_DESCR = re.compile(r"^\s*accDescr\s*(?::\s*(.+)$|\{([^}]*)\})", re.M)
TITLE = re.compile(r"^\s*title\s*:?\s+(.+)$", re.M)
KINDS = {"graph": "flowchart", "flowchart": "flowchart", "sequenceDiagram": "sequence diagram",
         "classDiagram": "class diagram", "stateDiagram": "state diagram",
         "stateDiagram-v2": "state diagram", "erDiagram": "entity-relationship diagram",
         "gantt": "Gantt chart", "pie": "pie chart", "journey": "user journey",
         "gitGraph": "git graph", "mindmap": "mind map", "timeline": "timeline"}
UNKNOWN = "diagram"      # (these names are messages: a summary says them in the lesson's language)


@dataclass(frozen=True)
class Diagram:
    """A diagram as the writers need it: a picture when one could be made, and words always."""
    kind: str                      # "flowchart", "sequence diagram" …
    title: str                     # accTitle (or the diagram's own title), else ""
    description: str               # accDescr, else ""
    labels: tuple[str, ...]        # node and participant labels, in order, without repeats
    png: bytes | None = None       # rendered at SCALE, when mermaid-cli is installed
    error: str = ""                # why no picture was made, for the author (never the audience)

    @property
    def summary(self) -> str:
        """The words that stand for the diagram: its description for a screen reader, and its
        content on a slide or page when no picture could be made."""
        kind = t(self.kind)
        head = self.title or kind[:1].upper() + kind[1:]
        if self.description:
            return f"{head}: {self.description}"
        if self.labels:
            return f"{head}: " + ", ".join(self.labels)
        return head


def is_diagram(lang: str | None) -> bool:
    return (lang or "").strip("{}").lower() in LANGS


def read_diagram(source: str, render: bool = True) -> Diagram:
    """The diagram a Mermaid source describes, rendered when a renderer is installed."""
    words = describe(source)
    if not render:
        return words
    png, error = _render(source)
    return Diagram(words.kind, words.title, words.description, words.labels, png, error)


def describe(source: str) -> Diagram:
    """Words for a diagram, read from its source alone (no renderer needed)."""
    body = "\n".join(line for line in source.splitlines() if not line.strip().startswith("%%"))
    first = next((line.split()[0] for line in body.splitlines() if line.strip()), "")
    kind = KINDS.get(first, UNKNOWN)
    title = _first(ACC_TITLE, body) or _first(TITLE, body) or _front_matter_title(source)
    descr = ACC_DESCR.search(body)
    description = " ".join((descr.group(1) or descr.group(2) or "").split()) if descr else ""
    labels: list[str] = []
    for m in PARTICIPANT.finditer(body):
        labels.append((m.group(2) or m.group(1)).strip())
    for m in STATE_OR_CLASS.finditer(body):
        labels.append(m.group(1).strip())
    for line in body.splitlines()[1:]:
        if not re.match(r"^\s*(accTitle|accDescr|title|style|classDef|linkStyle|click)\b", line):
            labels.extend(m.group(1).strip() for m in NODE.finditer(line))
    seen: dict[str, None] = {}
    for label in labels:
        if label and label not in seen:
            seen[label] = None
    return Diagram(kind, title, description, tuple(seen))


def _first(pattern: re.Pattern, text: str) -> str:
    m = pattern.search(text)
    return " ".join(m.group(1).split()).strip("\"'") if m else ""


def _front_matter_title(source: str) -> str:
    m = re.match(r"^\s*---\s*\n(.*?)\n\s*---", source, re.S)
    return _first(re.compile(r"^\s*title\s*:\s*(.+)$", re.M), m.group(1)) if m else ""


def renderer() -> tuple[str, str] | None:
    """(mmdc, browser) when both are installed. SLIDEGEN_MMDC and PUPPETEER_EXECUTABLE_PATH
    name them where they are not on PATH; SLIDEGEN_MMDC="" turns rendering off."""
    mmdc = os.environ.get("SLIDEGEN_MMDC")
    mmdc = shutil.which("mmdc") if mmdc is None else (shutil.which(mmdc) if mmdc else None)
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or next(
        (p for p in map(shutil.which, BROWSERS) if p), None)
    return (mmdc, browser) if mmdc and browser else None


@lru_cache(maxsize=64)
def _render(source: str) -> tuple[bytes | None, str]:
    found = renderer()
    if found is None:
        return None, ("Mermaid diagrams are described, not drawn: mermaid-cli (mmdc) is not "
                      "installed")
    mmdc, browser = found
    with tempfile.TemporaryDirectory(prefix="slidegen-mermaid-") as tmp:
        paths = {n: os.path.join(tmp, n)
                 for n in ("in.mmd", "out.png", "browser.json", "config.json")}
        with open(paths["in.mmd"], "w", encoding="utf-8") as f:
            f.write(source)
        with open(paths["browser.json"], "w", encoding="utf-8") as f:
            # No sandbox (root in containers), and no network: every host name fails to resolve.
            json.dump({"executablePath": browser,
                       "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--host-resolver-rules=MAP * ~NOTFOUND"]}, f)
        with open(paths["config.json"], "w", encoding="utf-8") as f:
            json.dump({"theme": "default", "securityLevel": "strict"}, f)
        cmd = [mmdc, "-q", "-i", paths["in.mmd"], "-o", paths["out.png"], "-b", "white",
               "-s", str(SCALE), "-p", paths["browser.json"], "-c", paths["config.json"]]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S,
                                  cwd=tmp, env=dict(os.environ, HOME=tmp))
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, f"mermaid-cli failed: {e}"
        if done.returncode or not os.path.isfile(paths["out.png"]):
            reason = (done.stderr or done.stdout).strip().splitlines()
            return None, "the diagram does not parse: " + (
                next((line for line in reason if "Error" in line),
                     reason[0] if reason else "mmdc failed"))[:200]
        with open(paths["out.png"], "rb") as f:
            return f.read(), ""
