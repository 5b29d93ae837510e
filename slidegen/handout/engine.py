"""Two corrections to WeasyPrint's layout and three savings, installed once per process before
a handout is laid out. Each is a small wrapper around one WeasyPrint function (the last two,
around its C types' cache and the compressor of its PDF writer).

1. Stub lines: a paragraph whose words stand one per line ("Each workflow / says / when it
runs …") before an inline element such as `<code>`. The cause, in WeasyPrint 70's inline layout:
when an inline element that can break inside (`.github/workflows/materials.yml` breaks after
each slash) does not fit at the end of a line, the text run before it is laid out again one
point narrower than itself, to find its last break point. That run ends with a space, and a
trailing space hangs at the end of a line, so Pango fits the whole run; but `split_first_line`
then measures the run *with* its space, finds it one point too wide, and takes the branch meant
for a line that cannot be broken at all, which keeps only the first word. The next line starts
with the rest and the same thing can happen again.

The fix: when the run without its trailing spaces fits, the run fits, and no break is made.
The layout then narrows the run again, a point at a time as WeasyPrint intends, until the last
word moves down. Only text that collapses spaces (`white-space: normal`) is affected, and
a WeasyPrint that no longer makes the mistake never reaches the changed branch.

2. Stretched boxes: CSS Fragmentation makes a block that breaks across pages fill the page down
to its bottom, so an exercise box whose next code block moved to the next page stands as an
empty coloured area. A typesetter closes the box after its last line instead: a fragment of a
block marked "split" (handout/breaks.py) ends where its content ends. The same holds where
WeasyPrint goes back to an earlier break (`find_earlier_page_break`, when what follows a laid-out
box must stay with it): it cuts the box's children there but keeps the height they had, so the
fragment stood as an empty coloured area where its code block was.

3. Page styles: WeasyPrint computes the styles of a page and of its sixteen margin boxes anew
for every page, as an `@page :nth()` rule may style each page differently. Without such rules
a page's styles depend only on its side, whether it is blank or the first, and its name, so
pages alike share the styles the first of them got (a quarter of laying out page stamps).
And it makes all sixteen margin boxes of every page, with their sizes, before it drops those
that show nothing; no handout has one that shows something (running heads are stamped), so a
page none of whose margin boxes has content skips them (an eighth of laying out stamps).

4. C array types: WeasyPrint subsets each font of each document with arrays of a length known
only then (`ffi.new(f"hb_codepoint_t[{n}]")`), and cffi parses every new type name with
pycparser, after a prelude declaring all of Pango's types: 2 ms a name, 2-3 % of a build's
time. A name `T[n]` is made here from `T` (parsed once) as cffi would make it, the same type
object; any other name is parsed as before. The few names every first layout asks for are
parsed when the build's process warms up, before it forks its workers.

5. Compression: pydyf, WeasyPrint's PDF writer, deflates every stream at zlib's level 9, which
takes a tenth of the time WeasyPrint spends writing a handout for files 2 % smaller than at
zlib's own default level (6), which it uses instead.
"""
from __future__ import annotations

import re
import zlib
from contextlib import suppress
from functools import wraps

_INSTALLED = False


SPLIT_CLASS = "split"


def install() -> None:
    """Wrap WeasyPrint's line splitter, block and page layout and C types once per process."""
    global _INSTALLED
    if _INSTALLED:
        return
    import weasyprint.layout as layout
    from weasyprint.layout import block, inline, page
    inline.split_first_line = _hanging_spaces(inline.split_first_line)
    page.set_page_type_computed_styles = _shared_page_styles(page.set_page_type_computed_styles)
    layout.make_margin_boxes = _shown_margin_boxes(layout.make_margin_boxes)
    block.block_container_layout = _closed_fragments(block.block_container_layout)
    block.find_earlier_page_break = _closed_earlier(block.find_earlier_page_break)
    import pydyf
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DefaultLevel()
    from weasyprint.text.ffi import ffi
    _array_types(ffi)
    for name in FIRST_TYPES:
        with suppress(Exception):       # (a WeasyPrint naming its types otherwise: parsed later)
            ffi.typeof(name)
    _INSTALLED = True


# The type names any first layout and PDF of a process asks cffi for (2-5 ms each): parsed
# here, in the build's process before it forks workers, they are parsed once, not per worker.
FIRST_TYPES = ("char", "char[]", "unsigned int *", "hb_tag_t", "hb_codepoint_t",
               "PangoRectangle *", "PangoLogAttr[]")


ARRAY = re.compile(r"([A-Za-z_][\w ]*?) *\[(\d+)\]")


def _array_types(ffi) -> None:
    """Arrays of a known type made without parsing their names (see 4. above); a cffi that
    keeps its parsed types otherwise is left alone."""
    if type(getattr(ffi, "_parsed_types", None)) is dict:
        ffi._parsed_types = _ArrayTypes(ffi, ffi._parsed_types)


class _ArrayTypes(dict):
    """cffi's cache of parsed type names, which makes a missing `T[n]` from `T`."""

    def __init__(self, ffi, parsed: dict):
        super().__init__(parsed)
        self.ffi = ffi

    def __missing__(self, cdecl):
        found = ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if found is None:
            raise KeyError(cdecl)            # (cffi parses it)
        backend = self.ffi._backend
        item = self.ffi.typeof(found[1])
        made = (backend.new_array_type(backend.new_pointer_type(item), int(found[2])), False)
        self[cdecl] = made
        return made


class _DefaultLevel:
    """zlib, its streams deflated at its default level whatever level is asked for (5.)."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def _closed_fragments(block_container_layout):
    @wraps(block_container_layout)
    def layout(*args, **kwargs):
        result = block_container_layout(*args, **kwargs)
        new_box, resume_at = result[0], result[1]
        if new_box is not None and resume_at is not None and _splits(new_box):
            _close(new_box)
        return result

    return layout


def _closed_earlier(find_earlier_page_break):
    @wraps(find_earlier_page_break)
    def find(context, children, *args, **kwargs):
        result = find_earlier_page_break(context, children, *args, **kwargs)
        if result:
            kept = result[0]
            last = kept[-1] if kept else None
            # a copy cut short (the recursive calls closed its own cut children first)
            if last is not None and last is not children[len(kept) - 1] \
                    and last.style["height"] == "auto":
                _close(last)
        return result

    return find


def _close(box) -> None:
    """End `box` where its last child in the normal flow ends."""
    bottom = max((c.position_y + c.margin_height() for c in box.children
                  if c.is_in_normal_flow()), default=box.content_box_y())
    box.height = min(box.height, max(0, bottom - box.content_box_y()))


def _splits(box) -> bool:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in (None, "html", "body"):
        return False
    return SPLIT_CLASS in (element.get("class") or "").split()


def _hanging_spaces(split_first_line):
    from weasyprint.text.line_break import create_layout, line_size

    @wraps(split_first_line)
    def split(text, style, context, max_width, justification_spacing, is_line_start=True,
              minimum=False):
        result = split_first_line(text, style, context, max_width, justification_spacing,
                                  is_line_start, minimum)
        resume = result[2]
        if (resume is None or minimum or max_width is None or not text.endswith(" ")
                or style["white_space"] != "normal"):
            return result
        words = text.rstrip(" ")
        if not words:
            return result
        layout = create_layout(words, style, context, None, justification_spacing)
        try:
            first_line, rest = layout.get_first_line()
            fits = rest is None and line_size(first_line, style)[0] <= max_width
        finally:
            layout.deactivate()
        if not fits:
            return result
        # The whole run fits once its trailing space hangs: lay it out as one line.
        return split_first_line(text, style, context, None, justification_spacing,
                                is_line_start, minimum)

    return split


def _shared_page_styles(set_page_type_computed_styles):
    @wraps(set_page_type_computed_styles)
    def styles(page_type, html, style_for):
        memo = _memo(style_for, _PAGES, style_for)
        if memo is None:
            return set_page_type_computed_styles(page_type, html, style_for)
        key = (page_type.side, page_type.blank, page_type.index == 0, page_type.name)
        if key not in memo:
            set_page_type_computed_styles(page_type, html, style_for)
            memo[key] = (page_type, [pseudo for element, pseudo in style_for.get_computed_styles()
                                     if element == page_type])
            return None
        first, pseudos = memo[key]
        cascaded, computed = style_for.get_cascaded_styles(), style_for.get_computed_styles()
        for pseudo in pseudos:
            computed[page_type, pseudo] = computed[first, pseudo]
            if (first, pseudo) in cascaded:
                cascaded[page_type, pseudo] = cascaded[first, pseudo]
        return None

    return styles


_PAGES = "_slidegen_page_styles"
MARGIN_BOXES = tuple(f"@{side}-{where}" for side, wheres in (
    ("top", ("left-corner", "left", "center", "right", "right-corner")),
    ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
    ("left", ("top", "middle", "bottom")), ("right", ("top", "middle", "bottom")))
    for where in wheres)
HIDDEN = ("normal", "inhibit", "none")     # margin box content WeasyPrint does not generate


def _shown_margin_boxes(make_margin_boxes):
    @wraps(make_margin_boxes)
    def boxes(context, page, state):
        kind = page.page_type
        # (pages alike have the same margin styles: see _shared_page_styles)
        memo = _memo(context, _MARGINS, context.style_for)
        key = (kind.side, kind.blank, kind.index == 0, kind.name)
        shown = None if memo is None else memo.get(key)
        if shown is None:
            styles = [context.style_for(kind, at) for at in MARGIN_BOXES]
            shown = any(style is not None and style["content"] not in HIDDEN
                        for style in styles)
            if memo is not None:
                memo[key] = shown
        return make_margin_boxes(context, page, state) if shown else iter(())

    return boxes


_MARGINS = "_slidegen_margin_boxes_shown"


def _memo(holder, name: str, style_for) -> dict | None:
    """A document's memo of what pages alike share (kept on `holder` as `name`), or None where
    an `@page :nth()` rule may style each page its own way; decided once per document."""
    if name not in holder.__dict__:
        holder.__dict__[name] = {} if _same_every_page(style_for) else None
    return holder.__dict__[name]


def _same_every_page(style_for) -> bool:
    """No `@page` rule picks pages by number (`:nth()`)."""
    return all(selector[2].index is None
               for sheet, _origin, _specificity in style_for._sheets
               for _rule, selectors, _declarations in sheet.page_rules
               for selector in selectors)
