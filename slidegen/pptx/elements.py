"""Flow elements: pieces of slide content that know their height at a width, how to split
across slides, and which shapes they become.

Every height here is measured with real font metrics (see measure.py), so pagination can
guarantee that nothing overflows: text splits between paragraphs or lines, code between lines,
tables between rows (header repeated), boxes between their children; pictures scale within limits.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .shapes import (INSETS_HEIGHT, INSETS_WIDTH, Insets, Para, PictureShape, RectShape, Run,
                     TableCell, TableShape, TextShape)
from .text import TextStyle, line_count, para_height, paras_height, plain, split_para

SLACK = 0.35          # extra lines' worth of height under text, for renderer differences
MIN_LINES = 2         # lines kept together at a split (orphans/widows)
MIN_CODE_LINES = 3
SPLIT_LINES = 6       # paragraphs shorter than this are never split across slides


class Element:
    keep_with_next = False
    notes: tuple[str, ...] = ()

    def height(self, w: float) -> float:
        raise NotImplementedError

    def split(self, w: float, avail: float):
        """(head that fits in `avail`, rest) or (None, self) when no useful split exists."""
        return None, self

    def place(self, x: float, y: float, w: float) -> list:
        raise NotImplementedError


class NoteOnly(Element):
    """Speaker-notes text with no visible shape (instructor notes)."""

    def __init__(self, text: str):
        self.notes = (text,)

    def height(self, w):
        return 0.0

    def place(self, x, y, w):
        return []


class TextElement(Element):
    def __init__(self, paras: list[Para], insets: Insets = Insets(), notes=(), keep_with_next=False,
                 fill: str | None = None):
        self.paras = paras
        self.insets = insets
        self.notes = tuple(notes)
        self.keep_with_next = keep_with_next
        self.fill = fill

    def _inner(self, w):
        return w - self.insets.left - self.insets.right

    def _slack(self):
        return max(p.pitch for p in self.paras) * SLACK if self.paras else 0.0

    def height(self, w):
        return self.insets.top + self.insets.bottom + paras_height(self.paras, self._inner(w)) + self._slack()

    def split(self, w, avail):
        inner = self._inner(w)
        budget = avail - self.insets.top - self.insets.bottom - self._slack()
        used, head = 0.0, []
        for i, p in enumerate(self.paras):
            h = para_height(p, inner, first=(i == 0))
            if used + h <= budget:
                head.append(p)
                used += h
                continue
            lines = line_count(p, inner)
            room = int((budget - used - (0 if i == 0 else p.space_before)) // p.pitch)
            if head and lines < SPLIT_LINES:
                break                     # a short paragraph moves whole to the next slide
            if room >= MIN_LINES and lines - room >= MIN_LINES:
                a, b = split_para(p, inner, room)
                return (self._with(head + [a], self.notes),
                        self._with([b] + self.paras[i + 1:], ()))
            if room >= MIN_LINES and lines > MIN_LINES and lines - room < MIN_LINES:
                room = lines - MIN_LINES
                a, b = split_para(p, inner, room)
                return (self._with(head + [a], self.notes),
                        self._with([b] + self.paras[i + 1:], ()))
            break
        if not head:
            return None, self
        return self._with(head, self.notes), self._with(self.paras[len(head):], ())

    def _with(self, paras, notes):
        if paras and paras[0].space_before:
            paras = [replace(paras[0], space_before=0.0)] + paras[1:]
        return TextElement(paras, self.insets, notes, self.keep_with_next, self.fill)

    def place(self, x, y, w):
        return [TextShape(x, y, w, self.height(w), self.paras, fill=self.fill, insets=self.insets)]


@dataclass
class CodeLook:
    family: str
    sizes: tuple[float, ...]     # preferred size first, down to the minimum
    line_spacing: float
    fill: str
    colour: str
    pad: float


class CodeElement(Element):
    """A code block; the font shrinks (not below the theme minimum) so lines fit, and lines
    still too long are broken, so the renderer never has to wrap."""

    def __init__(self, lines, look: CodeLook, border: str | None = None, notes=()):
        self.lines = lines           # list of [(text, colour, bold, italic)]
        self.look = look
        self.border = border
        self.notes = tuple(notes)
        self._fit: dict = {}

    def _insets(self):
        p = self.look.pad
        return Insets(p + 2, p, p, p)

    def fit(self, w):
        """(size, wrapped lines) for width w."""
        if w not in self._fit:
            from .measure import metrics
            ins = self._insets()
            inner = (w - ins.left - ins.right) * 0.97
            m = metrics(self.look.family)
            longest = max((sum(len(t) for t, *_ in line) for line in self.lines), default=0)
            size = self.look.sizes[-1]
            for s in self.look.sizes:
                if longest * m.char("M") * s <= inner:
                    size = s
                    break
            per_line = max(8, int(inner / (m.char("M") * size)))
            self._fit[w] = (size, _hard_wrap(self.lines, per_line))
        return self._fit[w]

    def _pitch(self, size):
        return round(size * self.look.line_spacing, 2)

    def height(self, w):
        size, lines = self.fit(w)
        ins = self._insets()
        return ins.top + ins.bottom + len(lines) * self._pitch(size) + self._pitch(size) * SLACK

    def split(self, w, avail):
        size, lines = self.fit(w)
        ins = self._insets()
        pitch = self._pitch(size)
        room = int((avail - ins.top - ins.bottom - pitch * SLACK) // pitch)
        if room < MIN_CODE_LINES or len(lines) - room < 2:
            if len(lines) > MIN_CODE_LINES + 2 and room >= MIN_CODE_LINES:
                room = len(lines) - 2
            else:
                return None, self
        head = CodeElement(lines[:room], self.look, self.border, self.notes)
        tail = CodeElement(lines[room:], self.look, self.border)
        head._fit[w] = (size, lines[:room])
        tail._fit[w] = (size, lines[room:])
        return head, tail

    def place(self, x, y, w):
        size, lines = self.fit(w)
        pitch = self._pitch(size)
        paras = []
        for line in lines:
            runs = tuple(Run(t, self.look.family, size, c, b, i) for t, c, b, i in line if t)
            paras.append(Para(runs, size, self.look.family, self.look.colour, pitch))
        return [TextShape(x, y, w, self.height(w), paras, fill=self.look.fill, border=self.border,
                          insets=self._insets(), name="Code")]


def _hard_wrap(lines, per_line: int):
    out = []
    for line in lines:
        text_len = sum(len(t) for t, *_ in line)
        if text_len <= per_line:
            out.append(line)
            continue
        current, n = [], 0
        for t, *fmt in line:
            while t:
                take = per_line - n
                part, t = t[:take], t[take:]
                current.append((part, *fmt))
                n += len(part)
                if n >= per_line:
                    out.append(current)
                    current, n = [("  ", fmt[0], False, False)], 2
        if current and any(p.strip() for p, *_ in current):
            out.append(current)
    return out


class PictureElement(Element):
    UPSCALE = 1.5          # never enlarge an image beyond this factor of its web size
    MIN_SHARE = 0.7        # shrink to fit the rest of a slide only down to this share

    def __init__(self, picture, alt: str, max_h: float, width_pt: float | None = None, notes=(),
                 backing: str | None = None):
        self.picture = picture
        self.alt = alt
        self.max_h = max_h
        self.width_pt = width_pt
        self.notes = tuple(notes)
        self.backing = backing       # a fill behind the picture (figures drawn for white pages)

    def size(self, w, max_h=None):
        nat_w, _ = self.picture.natural_pt()
        if self.width_pt:
            nat_w = self.width_pt
        dw = min(w, nat_w * self.UPSCALE)
        dh = dw * self.picture.aspect
        limit = max_h if max_h is not None else self.max_h
        if dh > limit:
            dh = limit
            dw = dh / self.picture.aspect
        return dw, dh

    def height(self, w):
        return self.size(w)[1]

    def split(self, w, avail):
        full = self.height(w)
        if avail >= full * self.MIN_SHARE and avail >= 72:
            return _Fixed(self, avail), None
        return None, self

    def place(self, x, y, w, max_h=None):
        dw, dh = self.size(w, max_h)
        p = self.picture
        pic = PictureShape(x + (w - dw) / 2, y, dw, dh, p.blob, p.ext, self.alt, p.svg)
        if self.backing:
            return [RectShape(pic.x, y, dw, dh, self.backing, name="Picture backing"), pic]
        return [pic]


class _Fixed(Element):
    """A picture shrunk to fit a given height."""

    def __init__(self, pic: PictureElement, max_h: float):
        self.pic, self.max_h = pic, max_h
        self.notes = pic.notes

    def height(self, w):
        return self.pic.size(w, self.max_h)[1]

    def place(self, x, y, w):
        return self.pic.place(x, y, w, self.max_h)


@dataclass
class TableLook:
    body: TextStyle
    header: TextStyle
    min_size: float
    header_fill: str
    stripe: str
    background: str
    border: str


class TableElement(Element):
    def __init__(self, header: list, rows: list, look: TableLook, notes=()):
        self.header = header     # list of span tuples
        self.rows = rows         # list of lists of span tuples
        self.look = look
        self.notes = tuple(notes)
        self._cache: dict = {}
        self.insets = Insets(5.0, 3.0, 5.0, 3.0)

    def _layout(self, w):
        if w in self._cache:
            return self._cache[w]
        from .text import para
        ncols = max([len(self.header)] + [len(r) for r in self.rows] + [1])
        size = self.look.body.size
        while True:
            body, head = self.look.body.sized(size), self.look.header.sized(size)
            hdr = [[para(c, head)] for c in self.header] + [[para((), head)]] * (ncols - len(self.header))
            rows = [[[para(c, body)] for c in r] + [[para((), body)]] * (ncols - len(r)) for r in self.rows]
            widths = _column_widths([hdr] + rows if self.header else rows, w, self.insets)
            heights = [self._row_h(r, widths) for r in ([hdr] if self.header else []) + rows]
            words_fit = all(_longest_word(c[0]) <= widths[j] - self.insets.left - self.insets.right
                            for r in ([hdr] if self.header else []) + rows for j, c in enumerate(r))
            if words_fit or size <= self.look.min_size:
                break
            size = max(self.look.min_size, size - 2)
        self._cache[w] = (hdr if self.header else None, rows, widths, heights)
        return self._cache[w]

    def _row_h(self, row, widths):
        inner = [wd - self.insets.left - self.insets.right for wd in widths]
        return max(paras_height(c, inner[j]) for j, c in enumerate(row)) + \
            self.insets.top + self.insets.bottom + row[0][0].pitch * SLACK

    def height(self, w):
        _, _, _, heights = self._layout(w)
        return sum(heights)

    def split(self, w, avail):
        hdr, rows, widths, heights = self._layout(w)
        head_h = heights[0] if hdr else 0.0
        body_h = heights[1:] if hdr else heights
        used, n = head_h, 0
        for h in body_h:
            if used + h > avail:
                break
            used += h
            n += 1
        if n == len(rows):
            return None, self
        if len(rows) - n < 2:          # never leave a single row behind
            n = len(rows) - 2
        if n < 2:
            return None, self
        a = TableElement(self.header, self.rows[:n], self.look, self.notes)
        b = TableElement(self.header, self.rows[n:], self.look)
        # Both parts keep this table's columns and text size: laid out on their own they
        # could choose others, and the heights measured here would no longer hold.
        top = heights[:1] if hdr else []
        a._cache[w] = (hdr, rows[:n], widths, top + body_h[:n])
        b._cache[w] = (hdr, rows[n:], widths, top + body_h[n:])
        return a, b

    def place(self, x, y, w):
        hdr, rows, widths, heights = self._layout(w)
        cells = []
        if hdr:
            cells.append([TableCell(c, self.look.header_fill) for c in hdr])
        for i, r in enumerate(rows):
            fill = self.look.stripe if i % 2 else self.look.background
            cells.append([TableCell(c, fill) for c in r])
        return [TableShape(x, y, sum(widths), sum(heights), widths, heights, cells, self.look.border,
                           self.insets)]


def _longest_word(p: Para) -> float:
    from .measure import metrics
    best = 0.0
    for r in p.runs:
        m = metrics(r.family, r.bold, r.italic)
        for word in r.text.split():
            best = max(best, m.width(word, r.size))
    return best


def _column_widths(rows, w, insets: Insets) -> list[float]:
    """Share the width by each column's natural text width, with every column at least as wide
    as its longest word where possible."""
    from .measure import WIDTH_SAFETY, metrics
    ncols = len(rows[0])
    natural = [0.0] * ncols
    minimum = [0.0] * ncols
    for r in rows:
        for j, c in enumerate(r):
            text_w = sum(metrics(x.family, x.bold, x.italic).width(x.text, x.size) for p in c for x in p.runs)
            # wrapping measures against a slightly narrower line (WIDTH_SAFETY): so must this
            natural[j] = max(natural[j], text_w / WIDTH_SAFETY + insets.left + insets.right + 2)
            minimum[j] = max(minimum[j], max((_longest_word(p) for p in c), default=0.0)
                             + insets.left + insets.right + 2)
    if sum(natural) <= w:
        return natural
    minimum = [max(m, 36.0) for m in minimum]
    if sum(minimum) >= w:
        total = sum(minimum)
        return [w * m / total for m in minimum]
    spare = w - sum(minimum)
    extra = [max(n - m, 0.0) for n, m in zip(natural, minimum)]
    total_extra = sum(extra) or 1.0
    return [m + spare * e / total_extra for m, e in zip(minimum, extra)]


@dataclass
class BoxLook:
    """A box's colours and spacing (from the theme: see look.py)."""
    title: TextStyle
    colour: str
    background: str
    pad: float
    bar: float
    gap: float               # between the box's children


class BoxElement(Element):
    """A titled box (callout, hint, discussion …) around other elements."""

    def __init__(self, title: str, children: list[Element], look: BoxLook, notes=(), cont=False):
        self.title = title
        self.children = children
        self.look = look
        self.cont = cont
        self.notes = tuple(notes) + tuple(n for c in children for n in c.notes)

    def _title_para(self):
        from .text import plain_para
        text = self.title + (" (cont.)" if self.cont else "")
        return plain_para(text, self.look.title) if text else None

    def _inner(self, w):
        return w - 2 * self.look.pad - self.look.bar

    def _title_h(self, w):
        p = self._title_para()
        if p is None:
            return 0.0
        return para_height(p, self._inner(w) - INSETS_WIDTH, first=True) + INSETS_HEIGHT + \
            p.pitch * SLACK

    def height(self, w):
        inner = self._inner(w)
        kids = [c.height(inner) for c in self.children if c.height(inner) > 0]
        body = sum(kids) + self.look.gap * max(len(kids) - 1, 0)
        return self.look.pad * 2 + self._title_h(w) + body

    def split(self, w, avail):
        inner = self._inner(w)
        budget = avail - self.look.pad * 2 - self._title_h(w)
        used, head = 0.0, []
        for i, c in enumerate(self.children):
            h = c.height(inner)
            gap = self.look.gap if head and h > 0 else 0.0
            if used + gap + h <= budget:
                head.append(c)
                used += gap + h
                continue
            a, b = c.split(inner, budget - used - gap)
            if a is not None:
                head.append(a)
                rest = ([b] if b is not None else []) + self.children[i + 1:]
                return (BoxElement(self.title, head, self.look, cont=self.cont),
                        BoxElement(self.title, rest, self.look, cont=True) if rest else None)
            break
        if not head:
            return None, self
        rest = self.children[len(head):]
        return (BoxElement(self.title, head, self.look, cont=self.cont),
                BoxElement(self.title, rest, self.look, cont=True) if rest else None)

    def place(self, x, y, w):
        lk = self.look
        h = self.height(w)
        shapes: list = [RectShape(x, y, w, h, lk.background, name="Box"),
                        RectShape(x, y, lk.bar, h, lk.colour, name="Box rule")]
        cx = x + lk.bar + lk.pad
        cy = y + lk.pad
        inner = self._inner(w)
        tp = self._title_para()
        if tp is not None:
            th = self._title_h(w)
            shapes.append(TextShape(cx, cy, inner, th, [tp], name="Box title"))
            cy += th
        first = True
        for c in self.children:
            ch = c.height(inner)
            if ch <= 0:
                continue
            if not first:
                cy += lk.gap
            shapes.extend(c.place(cx, cy, inner))
            cy += ch
            first = False
        return shapes


def prose_of(paras) -> str:
    return "\n".join(plain(p) for p in paras if plain(p).strip())
