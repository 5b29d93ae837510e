"""Decks of hand-made episodes, opened as an instructor opens them: shared by the deck tests."""
from __future__ import annotations

import io

from pptx import Presentation

from slidegen.model import (
    Code,
    Episode,
    EpisodeMeta,
    Heading,
    Lesson,
    LessonConfig,
    ListBlock,
    Paragraph,
    Span,
)
from slidegen.pptx import Options, write_deck
from slidegen.theme import load_theme


def para(text: str, line: int = 1) -> Paragraph:
    return Paragraph((Span(text),), line)


def h(level: int, text: str) -> Heading:
    return Heading(level, (Span(text),), 1)


def items(*texts, ordered=False) -> ListBlock:
    return ListBlock(ordered, 1, tuple((para(t),) for t in texts), 1)


def code(text: str, role: str = "source", lang: str | None = "python") -> Code:
    return Code(text, lang if role == "source" else None, role, 1)


def deck(blocks, slides: str = "teaching", root: str = "/nonexistent", theme=None, **meta):
    """The deck of an episode made of `blocks`, opened as an instructor opens it."""
    m = EpisodeMeta(title=meta.pop("title", "An Episode"), **meta)
    lesson = Lesson(root, LessonConfig("A Lesson", "styles"),
                    (Episode("_episodes/01-x.md", m, tuple(blocks)),))
    buf = io.BytesIO()
    result = write_deck(lesson, lesson.episodes[0], theme or load_theme(), buf,
                        Options(slides=slides))
    return Presentation(io.BytesIO(buf.getvalue())), result


def title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def body(slide) -> str:
    """The slide's visible text without its title."""
    out = []
    for s in slide.shapes:
        if s.has_text_frame and s != slide.shapes.title:
            out.append(s.text_frame.text)
        if getattr(s, "has_table", False) and s.has_table:
            out.extend(c.text for r in s.table.rows for c in r.cells)
    return "\n".join(t for t in out if t.strip())


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def visible(prs):
    return [s for s in prs.slides if s._element.get("show") != "0"]


def content(prs):
    """The slides after the title slide, visible ones."""
    return visible(prs)[1:]


def words_of(text: str) -> str:
    return " ".join(text.split())
