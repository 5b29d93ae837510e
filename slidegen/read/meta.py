"""An episode's metadata: its front matter checked for type, and the summary lists (questions,
objectives, key points) that Workbench lessons, and some styles lessons, write as blocks."""
from __future__ import annotations

import os

from ..kinds import SUMMARIES as SUMMARY_KINDS
from ..model import EpisodeMeta, Inline, ListBlock, Paragraph, Span, Special
from .inline import merge
from .metadata import FrontMatter

KNOWN_KEYS = {"title", "teaching", "exercises", "questions", "objectives", "keypoints", "layout",
              "break", "colour", "color", "hidden", "redirect_to"}


def episode_meta(fm: FrontMatter, blocks, inline_text, rel: str) -> tuple[EpisodeMeta, list]:
    """The metadata, and the blocks that went into it (they leave the body). `inline_text`
    reads a front-matter string as inline Markdown."""
    title = fm.text("title")
    if not title:
        fm.diags.error("front matter has no 'title'", fm.line("title") if "title" in fm.data else 1)
        title = os.path.splitext(os.path.basename(rel))[0]
    items = {}
    for key in SUMMARY_KINDS:
        if key in fm.data:
            items[key] = tuple(inline_text(s, fm.line(key)) for s in fm.items(key))
        else:
            items[key] = ()
    # Workbench keeps questions, objectives and keypoints in divs at the top level; a styles
    # lesson may too when its front matter lacks them. A block that fills the metadata leaves
    # the body (it is shown once, on the overview or key-points slide); others stay.
    used = []
    for b in blocks:
        if _is_summary(b) and not items[b.kind]:
            items[b.kind] = _list_items(b.children)
            used.append(b)
    return EpisodeMeta(
        title=title,
        teaching=fm.minutes("teaching"),
        exercises=fm.minutes("exercises"),
        questions=items["questions"], objectives=items["objectives"], keypoints=items["keypoints"],
        layout=fm.text("layout"),
        break_minutes=fm.minutes("break"),
        colour=fm.colour("colour") or fm.colour("color"),
        hidden=fm.flag("hidden"),
        redirect_to=_first(fm.data.get("redirect_to")),
        extra={k: v for k, v in fm.data.items() if k not in KNOWN_KEYS},
    ), used


def _first(value) -> str | None:
    """`redirect_to` is a URL, or a list whose first URL counts."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else None


def _is_summary(b) -> bool:
    return isinstance(b, Special) and b.kind in SUMMARY_KINDS


def _list_items(children) -> tuple[Inline, ...]:
    out = []
    for c in children:
        if isinstance(c, ListBlock):
            for item in c.items:
                spans: list[Span] = []
                for part in item:
                    if isinstance(part, Paragraph):
                        if spans:
                            spans.append(Span(" "))
                        spans.extend(part.spans)
                if spans:
                    out.append(tuple(merge(spans)))
        elif isinstance(c, Paragraph):
            out.append(c.spans)
    return tuple(out)
