"""The model as JSON (for other tools) and as a readable outline (for people)."""
from __future__ import annotations

from .model import (
    Code,
    Episode,
    Heading,
    Image,
    Inline,
    Lesson,
    ListBlock,
    Math,
    Paragraph,
    Special,
    Table,
    cell_blocks,
    plain,
)


def spans_json(spans: Inline) -> list[dict]:
    out = []
    for s in spans:
        d = {"text": s.text}
        for key in ("bold", "italic", "code", "strike", "math", "display"):
            if getattr(s, key):
                d[key] = True
        if s.href:
            d["href"] = s.href
        if s.script:
            d["script"] = s.script
        out.append(d)
    return out


def block_json(b, origin: str = "") -> dict:
    """A block as JSON; `origin` ("source" or "knitted") says where an R Markdown episode's
    blocks came from."""
    d = _block_json(b, origin)
    if origin:
        d["from"] = origin
    return d


def _block_json(b, origin: str) -> dict:
    if isinstance(b, Special):
        return {"type": "special", "kind": b.kind, "title": b.title, "minutes": b.minutes,
                "line": b.line, "children": [block_json(c, origin) for c in b.children]}
    if isinstance(b, Heading):
        return {"type": "heading", "level": b.level, "text": b.text, "line": b.line}
    if isinstance(b, Paragraph):
        return {"type": "paragraph", "text": b.text, "spans": spans_json(b.spans), "line": b.line}
    if isinstance(b, ListBlock):
        return {"type": "list", "ordered": b.ordered, "start": b.start, "line": b.line,
                "items": [[block_json(c, origin) for c in item] for item in b.items]}
    if isinstance(b, Code):
        d = {"type": "code", "lang": b.lang, "role": b.role, "text": b.text, "line": b.line}
        if b.chunk is not None:
            c = b.chunk
            d["chunk"] = {"engine": c.engine, "label": c.label, "options": dict(c.options),
                          "run": c.run, "shown": c.shown}
        return d
    if isinstance(b, Image):
        return {"type": "image", "src": b.src, "path": b.path, "alt": b.alt, "width": b.width,
                "caption": plain(b.caption), "line": b.line}
    if isinstance(b, Table):
        d = {"type": "table", "header": [plain(c) for c in b.header],
             "rows": [[plain(c) for c in r] for r in b.rows], "align": list(b.align),
             "line": b.line}
        if b.caption:
            d["caption"] = plain(b.caption)
        blocks = [[i, j, [block_json(x, origin) for x in cell_blocks(c)]]
                  for i, r in enumerate((b.header, *b.rows)) for j, c in enumerate(r)
                  if cell_blocks(c)]
        if blocks:
            d["cell_blocks"] = blocks     # [row (0: the header), column, blocks]
        return d
    if isinstance(b, Math):
        return {"type": "math", "tex": b.tex, "line": b.line}
    raise TypeError(f"not a block: {b!r}")


def episode_json(e: Episode) -> dict:
    m = e.meta
    return {
        "source": e.source, "title": m.title, "teaching": m.teaching, "exercises": m.exercises,
        "questions": [plain(q) for q in m.questions],
        "objectives": [plain(o) for o in m.objectives],
        "keypoints": [plain(k) for k in m.keypoints],
        "layout": m.layout, "break": m.break_minutes, "colour": m.colour, "hidden": m.hidden,
        "redirect_to": m.redirect_to, "extra": _jsonable(dict(m.extra)),
        "origin": e.origin or None,
        "blocks": [block_json(b, e.origin) for b in e.blocks],
    }


def lesson_json(lesson: Lesson, diagnostics=()) -> dict:
    c = lesson.config
    head = {"title": c.title, "format": c.format, "url": c.url, "lang": c.lang}
    if c.notices:
        head["notices"] = list(c.notices)
    return {
        "lesson": head,
        "episodes": [episode_json(e) for e in lesson.episodes],
        "diagnostics": [{"path": d.path, "line": d.line, "severity": d.severity,
                         "message": d.message} for d in diagnostics],
    }


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def outline(lesson: Lesson) -> str:
    c = lesson.config
    lines = [f"{c.title}  ({c.format} lesson, {len(lesson.episodes)} episodes)"]
    for e in lesson.episodes:
        m = e.meta
        if e.skipped:
            lines.append(f"\n{e.source}  {m.title}  "
                         f"[skipped: {'redirect' if m.redirect_to else 'hidden'}]")
            continue
        if e.is_break:
            lines.append(f"\n{e.source}  {m.title}  [break, {m.break_minutes or '?'} min]")
            continue
        timing = f"teaching {m.teaching if m.teaching is not None else '?'} min, " \
                 f"exercises {m.exercises if m.exercises is not None else '?'} min"
        lines.append(f"\n{e.source}  {m.title}  ({timing})")
        for label, items in (("questions", m.questions), ("objectives", m.objectives),
                             ("keypoints", m.keypoints)):
            if items:
                lines.append(f"  {label}: {len(items)}")
        lines.extend(_outline_blocks(e.blocks, 1))
    return "\n".join(lines)


def _outline_blocks(blocks, depth: int) -> list[str]:
    pad = "  " * depth
    out = []
    for b in blocks:
        if isinstance(b, Heading) and depth == 1:
            out.append(f"{pad}{'#' * b.level} {b.text}   (line {b.line})")
        elif isinstance(b, Special):
            t = f" ({b.minutes} min)" if b.minutes is not None else ""
            out.append(f"{pad}[{b.kind}] {b.title}{t}   (line {b.line})")
            out.extend(_outline_blocks(b.children, depth + 1))
    return out
