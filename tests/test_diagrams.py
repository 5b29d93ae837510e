"""Mermaid diagrams: a picture where mermaid-cli is installed, words everywhere (never the
source)."""
from __future__ import annotations

import io

from PIL import Image

from slidegen.media.diagrams import describe, is_diagram, read_diagram

FLOW = """flowchart LR
  %% a comment is not a label
  A[Lesson] --> B(Decks)
  A --> C{"Handouts for learners"}
  C --> D((PDF))
  B --> D
"""


def test_flowchart_is_described_by_its_node_labels():
    d = describe(FLOW)
    assert (d.kind, d.title, d.description) == ("flowchart", "", "")
    assert d.labels == ("Lesson", "Decks", "Handouts for learners", "PDF")
    assert d.summary == "Flowchart: Lesson, Decks, Handouts for learners, PDF"
    assert d.png is None


def test_accessible_title_and_description_win():
    d = describe("flowchart TD\n  accTitle: Git's staging area\n  accDescr {\n"
                 "    Files move from the\n    working tree to the index\n  }\n"
                 "  a[Working tree] --> b[Index]\n")
    assert d.summary == "Git's staging area: Files move from the working tree to the index"
    assert describe("sequenceDiagram\n  participant A as Alice\n  actor Bob\n"
                    "  A->>Bob: Hi\n").labels == ("Alice", "Bob")
    assert describe("pie title Pets\n  \"Dogs\" : 386\n").kind == "pie chart"


def test_only_mermaid_fences_are_diagrams():
    assert is_diagram("mermaid") and is_diagram("{mermaid}") and is_diagram("Mermaid")
    assert not is_diagram("python") and not is_diagram(None)


def test_no_renderer_means_words_and_a_reason(monkeypatch):
    monkeypatch.setenv("SLIDEGEN_MMDC", "")
    d = read_diagram(FLOW + "%% off\n")
    assert d.png is None and "not installed" in d.error
    assert d.labels == ("Lesson", "Decks", "Handouts for learners", "PDF")


def test_renderer_draws_a_picture_and_reports_a_broken_diagram(mermaid_renderer):
    d = read_diagram(FLOW)
    assert d.error == "" and d.png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(d.png)) as img:
        assert img.width > 600 and img.height > 200        # drawn at 3x for slides and paper
    broken = read_diagram("flowchart LR\n  A[never closed --> B\n")
    assert broken.png is None and "does not parse" in broken.error
