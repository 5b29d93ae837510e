"""Page breaks checked on the laid-out pages, as a typesetter checks proofs.

breaks.py decides before layout which blocks are kept whole, from estimated heights, and the
stylesheet keeps a heading, a box's title and its opening sentence, and a listing's first and
last two lines with what follows or precedes them. The estimate can be wrong, and such a chain
can be taller than the room left on a page: then WeasyPrint moves the whole chain to the next
page and leaves the page before it mostly empty. So the laid-out pages are read: where a page's
text and pictures end above GAP_FRACTION of its height and the next page opens with a block that
starts there (no forced break before it), the chain did not fit: that block is relaxed one step
and the document laid out again. A kept block may break ("keep" becomes "split"); a split one
drops its keep-together rules ("loose"; see the stylesheet). Ruled answer space does not count
as filling a page: the next exercise serves a learner better than half a page of lines.
"""
from __future__ import annotations

from xml.etree.ElementTree import SubElement

from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ReplacedBox

GAP_FRACTION = 0.6      # a page whose text and pictures end above this part of its height
ANSWER_SPACE = "answer-space"
RULED = "answer-line"
OPENS_WITHIN = 0.25     # the pushed block starts in this top part of the next page
MAX_REFITS = 2          # layouts after the first; each one only when a gap is found
LOOSE = "loose"
FORCED = {"page", "left", "right", "recto", "verso"}


def pushed_blocks(document) -> list:
    """The elements of blocks that went to a new page whole and left a gap before it."""
    found = []
    pages = [page._page_box for page in document.pages]
    for before, page in zip(pages, pages[1:], strict=False):
        end = _content_end(before)
        if end is None or end - before.content_box_y() >= GAP_FRACTION * before.height \
                or _forced_break(page):
            continue
        opening = _opening_block(page, {id(b.element) for b in _boxes(before)})
        if opening is None:
            continue
        box, element = opening
        if box.position_y - page.content_box_y() <= OPENS_WITHIN * page.height:
            found.append(element)
    return found


def stretched_answers(document) -> bool:
    """Rule the rest of a page to its foot where it ends with an exercise's answer space and
    the next block went to the next page: the blank is the learner's room to write, not waste.
    True when a space was lengthened (the document is then laid out again)."""
    changed = False
    pages = [page._page_box for page in document.pages]
    for before, page in zip(pages, pages[1:], strict=False):
        last = _last_ruled(before)
        if last is None or _forced_break(page):
            continue
        box, space = last
        foot = before.content_box_y() + before.height
        room = foot - (box.position_y + box.margin_height())
        extra = int(room // box.margin_height()) - 1          # a line's height to spare
        if extra > 0 and room > (1 - GAP_FRACTION) / 2 * before.height:
            for _ in range(extra):
                SubElement(space, "div", {"class": RULED})
            changed = True
    return changed


def _last_ruled(page):
    """(box, answer space element) of the page's last ruled line, when nothing follows it on
    the page."""
    last = space = current = None
    for box in _boxes(page):
        if _classed(box, ANSWER_SPACE):
            current = box.element
        elif _classed(box, RULED):
            last, space = box, current
        elif last is not None and isinstance(box, (LineBox, ReplacedBox)):
            last = None
    return (last, space) if last is not None and space is not None else None


def relax(elements) -> bool:
    """Let each of `elements` break more freely: a kept block as a long one, a long one
    without the rules that keep its first and last lines together. False when none could."""
    changed = False
    for element in elements:
        classes = (element.get("class") or "").split()
        if "keep" in classes:
            classes = ["split" if c == "keep" else c for c in classes]
        elif LOOSE not in classes:
            classes.append(LOOSE)
        else:
            continue
        element.set("class", " ".join(classes))
        changed = True
    return changed


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        if not isinstance(child, MarginBox):
            yield from _boxes(child)


def _content_end(page) -> float | None:
    """Where the page's last line or picture ends."""
    ends = [b.position_y + b.margin_height() for b in _boxes(page)
            if isinstance(b, (LineBox, ReplacedBox))]
    return max(ends, default=None)


def _opening_block(page, before: set):
    """(box, element) of the first block on the page that breaks by breaks.py's rules and
    starts there (none of it is on the page before)."""
    for box in _boxes(page):
        if (_classed(box, "keep") or _classed(box, "split")) and id(box.element) not in before:
            return box, box.element
    return None


def _classed(box, name: str) -> bool:
    """The box is the element's own (not a pseudo-element's) and the element has class `name`."""
    element = getattr(box, "element", None)
    return element is not None and getattr(box, "element_tag", None) == element.tag \
        and name in (element.get("class") or "").split()


def _forced_break(page) -> bool:
    """The page opens with a forced break (a new part the stylesheet starts on a page)."""
    box = page
    while getattr(box, "children", None):
        box = box.children[0]
        if box.style["break_before"] in FORCED:
            return True
    return False
