"""Speaker notes: what the room does not see on a slide, as plain text."""
from __future__ import annotations

from ..i18n import t
from ..kinds import label
from ..media.overlong import cut_lines, cut_mark, cut_words
from ..model import Code, Heading, Image, ListBlock, Math, Paragraph, Special, Table
from .unimath import tex_to_unicode


def spoken(spans) -> str:
    """Spans as notes read them: math as text ("f(x) = 1/(1 + e⁻ˣ)"), never as TeX source;
    an overlong word cut (overlong.py)."""
    return cut_words("".join(tex_to_unicode(s.text) if s.math else s.text for s in spans))[0]


def image_word() -> str:
    """What a picture is called in notes and placeholders."""
    return t("Image")


def blocks_text(blocks, indent: str = "") -> str:
    """Plain text of blocks, for speaker notes."""
    out = []
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            out.append(indent + spoken(b.spans))
        elif isinstance(b, Code):
            out.append("\n".join(indent + "    " + line
                                 for line in cut_lines(b.text, mark=cut_mark)[0].split("\n")))
        elif isinstance(b, ListBlock):
            for n, item in enumerate(b.items):
                mark = f"{b.start + n}." if b.ordered else "-"
                text = blocks_text(item, indent + "  ").lstrip()
                out.append(f"{indent}{mark} {text}")
        elif isinstance(b, Special):
            head = b.title or label(b.kind) or b.kind.capitalize()    # quotes have no label
            out.append(f"{indent}[{head}]\n{blocks_text(b.children, indent)}")
        elif isinstance(b, Image):
            out.append(f"{indent}[{image_word()}: {b.alt or b.src}]")
        elif isinstance(b, Math):
            out.append(indent + tex_to_unicode(b.tex))
        elif isinstance(b, Table):
            out.append("\n".join(indent + " | ".join(spoken(c) for c in row)
                                 for row in ((b.header,) + b.rows)))
    return "\n".join(x for x in out if x.strip())
