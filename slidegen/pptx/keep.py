"""What stays together when elements go onto slides: the sentence that introduces something and
that thing, code and its output, a subsection when it fits whole, a box that titles its slide."""
from __future__ import annotations

from .elements import BoxElement, CodeElement
from .flow import Subsection


def promotable(el) -> bool:
    """A titled box (a callout, a caution …) that may title the slide it starts."""
    return isinstance(el, BoxElement) and bool(el.title)


def has_content(queue: list) -> bool:
    """Whether the subsection at queue[0] shows anything before the next one."""
    for e in queue[1:]:
        if isinstance(e, Subsection):
            return False
        if e.visible:
            return True
    return False


def next_fits(queue: list, w: float, avail: float, full: float, gap: float) -> bool:
    """Whether what must stay with queue[0] fits after it: the element it introduces (at least
    its first part), or its code's whole output when code and output fit on one slide; and so
    on along a chain of elements that each stay with the next."""
    el = queue[0]
    if not el.keep_with_next:
        return True
    rest = [e for e in queue[1:] if e.visible]
    if not rest:
        return True
    nxt = rest[0]
    if nxt.height(w) <= avail:
        return next_fits(rest, w, avail - nxt.height(w) - gap, full, gap)
    if isinstance(el, CodeElement) and isinstance(nxt, CodeElement):
        return el.height(w) + nxt.height(w) > full      # they cannot share a slide anyway
    a, _ = nxt.split(w, avail)
    return a is not None


def together(queue: list, w: float, full: float, gap: float) -> bool:
    """Whether queue[0] and what must stay with it can share an empty slide."""
    el = queue[0]
    nxt = next((e for e in queue[1:] if e.visible), None)
    if nxt is None:
        return True
    room = full - el.height(w) - gap
    if isinstance(el, CodeElement) and isinstance(nxt, CodeElement):
        return nxt.height(w) <= room
    return nxt.height(w) <= room or nxt.split(w, room)[0] is not None


def whole_fits(queue: list, w: float, avail: float, gap: float) -> bool:
    """Whether the subsection at queue[0], to the next one, fits in `avail`."""
    total, n = 0.0, 0
    for i, e in enumerate(queue):
        if i and isinstance(e, Subsection):
            break
        h = e.height(w)
        if h > 0:
            total += h + (gap if n else 0.0)
            n += 1
    return total <= avail
