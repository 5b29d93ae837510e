"""A section's blocks as flow elements (text, code, pictures, tables, boxes) that pagination places
on slides, with what only feeds the notes (narrative, instructor notes) as note-only elements.
Pictures, diagrams and formulae come from what was resolved before planning (assets.py)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..i18n import t
from ..kinds import SOLUTIONS, label
from ..media.diagrams import is_diagram
from ..media.mathrender import shown_tex
from ..model import (
    Code,
    Heading,
    Image,
    ListBlock,
    Math,
    Paragraph,
    Span,
    Special,
    Table,
    walk,
)
from ..model import plain as plain_spans
from ..theme.colour import readable_on
from ..units import PT_PER_PX
from .cuts import slide_code, slide_mark, slide_spans
from .elements import (
    BoxElement,
    CodeElement,
    Element,
    NoteOnly,
    PictureElement,
    TableElement,
    TableLook,
    TextElement,
)
from .highlight import tokens
from .notes import blocks_text, image_word
from .shapes import Insets, Para
from .teach import LEAD_WORDS, Narrative, has_display_math, is_figure
from .text import BULLETS, HANG, INDENT, TextStyle, para, plain, plain_para

MAX_BOX_DEPTH = 3
OUTPUT_LINES = 14        # a longer output is cut short on a teaching slide …
OUTPUT_SHOWN = 10        # … to its first lines
TASK_LISTING = 30        # a longer listing in an exercise is cut short on a teaching slide …
TASK_SHOWN = 24          # … to its first lines (the exercise stays on two or three slides)
VISUALS = (Code, Image, Math, Table)
# A paragraph under a table that names it ("Table 2: …") is its caption.
TABLE_CAPTION = re.compile(r"^\s*Table\b", re.I)


class Subsection(TextElement):
    """A subsection's heading: the title of the slide it starts, or a heading on the slide when
    the whole subsection fits under what is there."""

    def __init__(self, heading: Heading, paras):
        super().__init__(paras, keep_with_next=True, name="Subheading")
        self.heading = heading


def elements(ctx, blocks, depth: int = 0, subsection: int | None = None,
             select=None) -> list[Element]:
    """Flow elements for blocks; consecutive text merges into one element, and the paragraph
    before a code block, figure, table or formula stays with it. Headings of level `subsection`
    become Subsection elements. `select` chooses what of a box's blocks it shows (teach.py)."""
    lk = ctx.look
    out: list[Element] = []
    paras: list[Para] = []

    def flush_text(lead: bool = False):
        nonlocal paras
        if paras and lead and len(paras) > 1:
            out.append(TextElement(paras[:-1]))
            paras = paras[-1:]
        if paras:
            out.append(TextElement(paras, keep_with_next=lead and _leads(paras[-1])))
        paras = []

    blocks = list(blocks)
    for i, b in enumerate(blocks):
        after = _next_shown(blocks, i)
        if isinstance(b, Narrative):
            out.append(NoteOnly(b.text))
        elif isinstance(b, Paragraph) and has_display_math(b):
            flush_text()
            out.extend(display_math(ctx, b))
        elif isinstance(b, Paragraph):
            if _is_table_caption(b, blocks, i):
                continue                           # drawn under its table (see table())
            out.extend(_prose(ctx, b, paras, i > 0 and isinstance(blocks[i - 1], Narrative)))
            if isinstance(after, VISUALS) or isinstance(after, ListBlock) and _introduces(b):
                flush_text(lead=True)
        elif isinstance(b, Heading):
            flush_text()
            p = para(b.spans, lk.sub)
            out.append(Subsection(b, [p]) if b.level == subsection else
                       TextElement([p], keep_with_next=True, name="Subheading"))
        elif isinstance(b, ListBlock):
            flush_text()                           # a list is an element of its own
            for kind, item in list_items(ctx, b, 0, select):
                if kind in ("para", "note"):       # (a note: what a cut item does not show)
                    (paras if kind == "para" else out).append(item)
                else:
                    flush_text()
                    out.extend(item)
            flush_text(lead=_continues(after))
        elif isinstance(b, Special) and b.kind == "instructor":
            out.append(NoteOnly(f"{label(b.kind)}{': ' + b.title if b.title else ''}\n"
                                f"{blocks_text(b.children)}"))
        else:
            flush_text()
            caption = (blocks[i + 1] if isinstance(b, Table) and _is_table_caption_at(blocks, i + 1)
                       else None)
            out.extend(block(ctx, b, depth, caption, select))
            if out and _kept_with(b, after):
                out[-1].keep_with_next = True
    flush_text()
    return out


def _prose(ctx, b: Paragraph, paras: list[Para], narrated: bool) -> list[Element]:
    """Adds the paragraph to `paras`, any overlong word cut (cuts.py); the paragraph in the
    notes when one was and it is not there already (`narrated`: a Narrative before it)."""
    spans, note = slide_spans(b.spans, b.line, ctx.warn)
    paras.append(para(spans, ctx.look.body, space_before=10 if paras else 0))
    return [NoteOnly(note)] if note and not narrated else []


def _leads(p: Para) -> bool:
    """A paragraph before what it introduces stays with it: a lead, not a long paragraph."""
    text = plain(p).rstrip()
    return len(text.split()) <= LEAD_WORDS or text.endswith(":")


def _kept_with(b, after) -> bool:
    """Code with its output (when both fit), anything with the sentence that goes on after
    it, a figure with the question about it."""
    if isinstance(b, Code) and b.role == "source" and isinstance(after, Code) \
            and after.role != "source":
        return True
    return _continues(after) or is_figure(b) and _asks(after)


def _next_shown(blocks, i: int):
    for b in blocks[i + 1:]:
        if not isinstance(b, Narrative):
            return b
    return None


def _continues(b) -> bool:
    """A paragraph that goes on with the sentence before the block it follows ("… would do
    the following calculations [code] and return …")."""
    if not isinstance(b, Paragraph):
        return False
    text = plain_spans(b.spans).lstrip()
    return bool(text) and text[0].islower()


def _asks(b) -> bool:
    """A paragraph that asks a question (about the figure before it)."""
    return isinstance(b, Paragraph) and plain_spans(b.spans).rstrip().endswith("?")


def _introduces(p: Paragraph) -> bool:
    return plain_spans(p.spans).rstrip().endswith(":")


def _is_table_caption_at(blocks, i: int) -> bool:
    return i < len(blocks) and isinstance(blocks[i], Paragraph) and \
        bool(TABLE_CAPTION.match(plain_spans(blocks[i].spans)))


def _is_table_caption(b, blocks, i: int) -> bool:
    return i > 0 and isinstance(blocks[i - 1], Table) and _is_table_caption_at(blocks, i)


def list_items(ctx, lst: ListBlock, level: int, select=None):
    """("para", Para) for list text, ("elements", [...]) for code or images inside items."""
    lk = ctx.look
    for n, item in enumerate(lst.items):
        first = True
        for b in item:
            if isinstance(b, Paragraph) and not has_display_math(b):
                spans, note = slide_spans(b.spans, b.line, ctx.warn)
                if note:
                    yield "note", NoteOnly(note)
                p = para(spans, lk.body, space_before=6)
                if first:
                    p = bullet(p, level, number=(lst.start + n) if lst.ordered else None)
                else:
                    p = indent(p, level)
                first = False
                yield "para", p
            elif isinstance(b, ListBlock):
                yield from list_items(ctx, b, level + 1, select)
            else:
                first = False
                yield "elements", elements(ctx, [b], 1, select=select)


def block(ctx, b, depth: int, caption: Paragraph | None = None, select=None) -> list[Element]:
    lk = ctx.look
    if isinstance(b, Code):
        if not b.text.strip():
            # an empty block (a knitr chunk with no echo) shows nothing
            return []
        return [diagram(ctx, b) if is_diagram(b.lang) else code(ctx, b)]
    if isinstance(b, Image):
        return [image(ctx, b)]
    if isinstance(b, Math):
        return [formula(ctx, b.tex, b.line)]
    if isinstance(b, Table):
        return [table(ctx, b, caption)]
    if isinstance(b, Special):
        if b.kind in SOLUTIONS:
            # A solution outside any exercise: the notes are the only safe place.
            return [NoteOnly(f"{b.title or label(b.kind)}:\n{blocks_text(b.children)}")]
        title = b.title or label(b.kind)
        kids = select(b.children) if select else list(b.children)
        children = elements(ctx, kids, depth=depth + 1, select=select)
        if not b.title and not any(c.visible for c in children):
            return children            # an empty box says nothing but its kind: not drawn
        if depth >= MAX_BOX_DEPTH:     # boxes in boxes in boxes: no room left for text
            head = [TextElement([plain_para(title, lk.sub)], keep_with_next=True)] if title else []
            return head + children
        return [BoxElement(title, children, lk.box(b.kind), name=label(b.kind) or "Box")]
    return []


def code(ctx, b: Code) -> Element:
    """Code, highlighted; output and errors as they are. On a teaching slide a long output
    shows its first lines and how many more there are, and so does a listing too long for an
    exercise's slides (an input file, a template): the whole of it is in the notes, and in the
    learners' handout."""
    lk = ctx.look
    look = {"output": lk.output, "error": lk.error}.get(b.role, lk.code)
    text, cut, whole = slide_code(b.text.expandtabs(4), b.line, ctx.warn)
    if b.role == "source":
        lines = tokens(text, b.lang, lk.palette.code_style, look.colour, look.fill)
        longest, shown = (TASK_LISTING, TASK_SHOWN) if ctx.task else (None, None)
    else:
        lines = [[(line, look.colour, False, False)] if line else [] for line in text.split("\n")]
        longest, shown = OUTPUT_LINES, OUTPUT_SHOWN
    for i, n in cut.items():
        lines[i] = lines[i] + [(slide_mark(n), look.mark or look.colour, False, True)]
    notes = (t("[{what}, in full]", what=label_of(b.role)) + f"\n{whole}",) if cut else ()
    if ctx.teaching and longest is not None and len(lines) > longest:
        more = len(lines) - shown
        lines = lines[:shown] + [[(t("… {n} more lines (in the notes)", n=more), look.mark, False,
                                   True)]]
        notes = notes or (t("[{what}, in full]", what=label_of(b.role)) + f"\n{b.text}",)
    return CodeElement(lines, look, notes=notes, room=lk.bottom - lk.picture_top, source=b)


def label_of(role: str) -> str:
    return {"source": t("Code"), "error": t("Error")}.get(role, t("Output"))


def image(ctx, b: Image) -> Element:
    lk = ctx.look
    fig = ctx.assets.figure(b)
    caption = _caption(ctx, b.caption)
    if fig.picture is None:
        why = t("{src} could not be shown (the build's warnings say why)", src=b.src)
        return described(ctx, b.alt, caption, notes=(f"[{image_word()}: {b.alt or b.src}] {why}",))
    width, share = None, None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*", b.width or "")
    if m and m.group(2) == "%":
        share = min(float(m.group(1)), 100.0) / 100 or None
    elif m:
        width = float(m.group(1)) * PT_PER_PX
    c = lk.colours
    backing = c.picture_background if c.picture_background != c.background else None
    # no alt text: its caption describes it, else it is marked decorative (never its file name)
    return PictureElement(fig.picture, b.alt or plain_spans(b.caption).strip(),
                          lk.bottom - lk.picture_top, width,
                          notes=(f"[{image_word()}: {b.alt}]",) if b.alt else (), backing=backing,
                          scalable=fig.scalable, caption=caption, share=share)


def diagram(ctx, b: Code) -> Element:
    """A Mermaid diagram as its picture, or described in words; its source goes to the notes."""
    lk = ctx.look
    d, fig = ctx.assets.diagram(b.text)
    kind, source = t("Diagram"), t("Mermaid source")      # (pybabel reads no f-string's calls)
    notes = (f"[{kind}: {d.summary}]\n{source}:\n{b.text}",)
    if fig.picture is None:
        return described(ctx, d.summary, [], notes)
    c = lk.colours
    backing = c.picture_background if c.picture_background != c.background else None
    return PictureElement(fig.picture, d.summary, lk.bottom - lk.picture_top, notes=notes,
                          backing=backing, scalable=True, name="Diagram")


def described(ctx, words: str, caption, notes) -> Element:
    """A figure that cannot be shown, as a box with its description (its alt text): what the
    room needs to know of it. The reason stays in the notes."""
    lk = ctx.look
    box = lk.box("other")
    style = replace(lk.body, colour=readable_on(lk.body.colour, box.background))
    paras = [plain_para(words, style, align="ctr")] if words else []
    paras += [replace(p, space_before=6) for p in caption]
    if not paras:
        return NoteOnly("\n".join(notes))
    return TextElement(paras, insets=Insets(14, 12, 14, 12), notes=notes, fill=box.background,
                       name="Figure description", whole=True)


def _caption(ctx, spans) -> list[Para]:
    """A figure's caption (and credit) as centred text under it, at the smallest body size."""
    if not spans:
        return []
    lk = ctx.look
    style = TextStyle(lk.body.family, lk.theme.deck.body_min, lk.colours.muted,
                      lk.body.line_spacing, lk.body.code_family, lk.body.link_colour, italic=False)
    return [para(spans, style, align="ctr")]


def formula(ctx, tex: str, line: int) -> Element:
    """Display math: its typeset picture, centred on a line of its own."""
    lk = ctx.look
    f = ctx.assets.formula(tex)
    if f.picture is None:       # (the build has said why): its TeX, as the handout shows it
        code = replace(lk.body, family=lk.body.code_family, italic=False)
        return TextElement([plain_para(shown_tex(tex), code, align="ctr")])
    scale = lk.body.size / lk.theme.deck.body_size
    return PictureElement(f.picture, tex, lk.bottom - lk.picture_top, f.width_pt * scale,
                          name="Math")


def display_math(ctx, p: Paragraph) -> list[Element]:
    """A paragraph with display math in it: its text, each formula centred on its own line."""
    lk = ctx.look
    out: list[Element] = []
    run: list[Span] = []
    for s in p.spans:
        if s.math and s.display:
            if "".join(x.text for x in run).strip():
                out.append(TextElement([para(tuple(run), lk.body)], keep_with_next=True))
            run = []
            out.append(formula(ctx, s.text, p.line))
        else:
            run.append(s)
    if "".join(x.text for x in run).strip():
        out.append(TextElement([para(tuple(_lstrip(run)), lk.body)]))
    return out


def _lstrip(run: list[Span]) -> list[Span]:
    return [replace(run[0], text=run[0].text.lstrip())] + run[1:] if run else run


def table(ctx, b: Table, caption: Paragraph | None) -> Element:
    lk = ctx.look
    body = lk.body.sized(max(lk.theme.deck.body_min, lk.body.size - 2))
    c = lk.colours
    header = TextStyle(body.family, body.size, c.table_header_text,
                       body.line_spacing, body.code_family, c.table_header_text, bold=True)
    figures = {(i.src, i.path): ctx.assets.figure(i).picture
               for i, _ in walk((b,)) if isinstance(i, Image)}
    look = TableLook(body, header, lk.theme.deck.body_min, c.table_header_background,
                     c.table_stripe, c.background, c.table_border, figures)
    return TableElement(list(b.header), [list(r) for r in b.rows], look,
                        caption=_caption(ctx, caption.spans if caption else b.caption))


def bullet(p: Para, level: int, number: int | None = None, space_before=None) -> Para:
    return replace(p, bullet=None if number is not None else BULLETS[level % len(BULLETS)],
                   number=number, level=level, margin=INDENT * level + HANG + 6, hang=HANG + 6,
                   space_before=p.space_before if space_before is None else space_before)


def indent(p: Para, level: int) -> Para:
    return replace(p, margin=INDENT * level + HANG + 6, level=level)
