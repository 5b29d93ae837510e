"""kramdown boxes: a blockquote named by the attribute line after it
(`> ## Title` … `{: .challenge}`) becomes the same `div_open`/`div_close` tokens a fenced div
`::: challenge` makes.

kramdown is lenient in ways real lessons rely on, and so is this rule:
- the attribute line may follow text that lost its `>` markers (kramdown reads such lines into the
  quote): the nearest unnamed quote before it takes the blocks in between too;
- `> {: .challenge}` written inside its own quote names that quote;
- `{: .solution }` with spaces and `{: solution}` without the dot (see attributes.py), and quotes
  nested three deep, each named by its own line.
An attribute line after code (`{: .output}`), one naming a code class, or one with no quote to
name stays an `ial` token for the reader, which applies or reports it.
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ... import kinds
from ..inline import HtmlText, convert, merge
from .attributes import is_code_class

CODE_TOKENS = ("fence", "code_block")
ALWAYS_BLOCKS = ("fence", "code_block", "math_block", "math_block_label")


class _Node:
    """A token with nesting 1, its children (nodes and plain tokens) and its closing token."""
    __slots__ = ("open", "children", "close")

    def __init__(self, token):
        self.open = token
        self.children: list = []
        self.close = None


def kramdown_boxes(state: StateCore) -> None:
    root = _tree(state.tokens)
    _name_boxes(root, container=None)
    state.tokens = _flatten(root)


def kramdown_boxes_plugin(md: MarkdownIt) -> None:
    # After "inline": whether a paragraph shows anything decides which block a line follows.
    md.core.ruler.after("inline", "kramdown_boxes", kramdown_boxes)


def _tree(tokens) -> list:
    root: list = []
    stack = [root]
    nodes: list[_Node] = []
    for t in tokens:
        if t.nesting == 1:
            node = _Node(t)
            stack[-1].append(node)
            stack.append(node.children)
            nodes.append(node)
        elif t.nesting == -1:
            if nodes:
                nodes.pop().close = t
                stack.pop()
        else:
            stack[-1].append(t)
    return root


def _flatten(items) -> list:
    out = []
    for item in items:
        if isinstance(item, _Node):
            out.append(item.open)
            out.extend(_flatten(item.children))
            if item.close is not None:
                out.append(item.close)
        else:
            out.append(item)
    return out


def _name_boxes(children: list, container: _Node | None) -> None:
    """Name quotes by the attribute lines among `children`, in document order (inner quotes
    first, as kramdown reads them); the attribute lines that named one are removed."""
    i = 0
    while i < len(children):
        item = children[i]
        if isinstance(item, _Node):
            kind = item.open.type
            if kind in ("blockquote_open", "div_open"):
                _name_boxes(item.children, item)
            elif kind in ("bullet_list_open", "ordered_list_open", "dl_open"):
                for part in item.children:       # list items and definitions hold blocks
                    if isinstance(part, _Node) and part.open.type in ("list_item_open", "dd_open"):
                        _name_boxes(part.children, None)
        elif item.type == "ial":
            at = _name(children, i, container)
            if at is not None:
                del children[at]
                i = at
                continue
        i += 1


def _name(children: list, i: int, container: _Node | None) -> int | None:
    """Give the attribute line children[i] to the quote it names, and return where the line is
    now (text moved into the quote moves it up); None when it names no quote."""
    meta = children[i].meta or {}
    classes, values = meta.get("classes") or [], meta.get("attrs") or {}
    if not classes or is_code_class(classes[0]):
        return None
    prev = _previous_block(children, i)
    if prev is not None and _is_code(children[prev]):
        return None
    if prev is not None and _is_quote(children[prev]):
        _make_div(children[prev], classes, values)
        return i
    # only a box's own class repairs lost '>' markers: any other styles the block it follows
    for j in range(i - 1, -1, -1) if classes[0] in kinds.KNOWN else ():
        if _is_box(children[j]):
            if not _is_quote(children[j]):
                break
            # The blocks in between are text that lost its '>' markers. Attribute lines right
            # after the quote stay where they are: they followed the quote, not its last block.
            between = children[j + 1:i]
            first = next(k for k, item in enumerate(between) if _shows(item))
            stay = [item for item in between[:first] if _is_attributes(item)]
            moved = [item for item in between if not any(item is s for s in stay)]
            for item in moved:
                _deeper(item)
            children[j].children.extend(moved)
            children[j + 1:i] = stay
            _make_div(children[j], classes, values)
            return j + 1 + len(stay)
    if container is not None and _is_quote(container):
        _make_div(container, classes, values)    # `> {: .challenge}` inside its own quote
        return i
    return None


def _previous_block(children: list, i: int) -> int | None:
    """The index of the nearest item before `i` that becomes a block of the model."""
    for j in range(i - 1, -1, -1):
        if _shows(children[j]):
            return j
    return None


def _shows(item) -> bool:
    """Whether an item becomes a block: rules, comments and empty paragraphs do not."""
    if isinstance(item, _Node):
        if item.open.type != "paragraph_open":
            return True
        inline = item.children[0] if item.children else None
        if inline is None:
            return False
        spans, images = convert(inline, lambda href: None, 0)
        return bool(images) or any(s.text.strip() for s in spans)
    if item.type in ALWAYS_BLOCKS:
        return True
    if item.type == "html_block":
        parser = HtmlText()
        parser.feed(item.content)
        parser.close()
        return bool(parser.images) or any(s.text.strip() for s in merge(parser.spans))
    return False


def _is_code(item) -> bool:
    return not isinstance(item, _Node) and item.type in CODE_TOKENS


def _is_attributes(item) -> bool:
    return not isinstance(item, _Node) and item.type == "ial"


def _is_box(item) -> bool:
    return isinstance(item, _Node) and item.open.type in ("blockquote_open", "div_open")


def _is_quote(item) -> bool:
    """A quote no attribute line has named yet."""
    return isinstance(item, _Node) and item.open.type == "blockquote_open"


def _make_div(node: _Node, classes: list[str], values: dict) -> None:
    node.open.type, node.open.tag, node.open.markup = "div_open", "div", ""
    node.open.meta = {"classes": list(classes), "attrs": dict(values), "unclosed": False}
    if node.close is not None:
        node.close.type, node.close.tag, node.close.markup = "div_close", "div", ""


def _deeper(item) -> None:
    """Tokens moved into a quote are one level deeper."""
    if isinstance(item, _Node):
        item.open.level += 1
        if item.close is not None:
            item.close.level += 1
        for c in item.children:
            _deeper(c)
    else:
        item.level += 1
