"""An episode's deck as a PDF with every slide shown (LibreOffice), for the README's pictures."""
from __future__ import annotations

import io
import os
import subprocess

from pptx import Presentation

from slidegen.pptx import write_deck


def deck_pdf(lesson, episode, theme, name: str, tmp: str, options=None) -> str:
    """The path of `tmp`/`name`.pdf: the deck, hidden slides shown (they would otherwise leave
    the PDF and shift the pages)."""
    buf = io.BytesIO()
    write_deck(lesson, episode, theme, buf, options)
    prs = Presentation(io.BytesIO(buf.getvalue()))
    for s in prs.slides:
        s._element.attrib.pop("show", None)
    deck = os.path.join(tmp, f"{name}.pptx")
    prs.save(deck)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, deck],
                   check=True, capture_output=True, timeout=600, env=dict(os.environ, HOME=tmp))
    return os.path.join(tmp, f"{name}.pdf")
