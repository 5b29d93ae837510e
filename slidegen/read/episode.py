"""One episode file to the model: front matter, the dialect's text passes, Markdown, blocks.

Every lesson format goes through the same steps; what differs (Liquid or none, how special blocks
are marked, how links resolve) is the lesson's dialect (dialects.py). Styles lessons mark a
blockquote with a kramdown attribute line after it (`{: .challenge}`), Workbench lessons use
fenced divs; the parser turns both into the same tokens, and they become `Special` blocks here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import Diagnostics, EpisodeError
from ..model import Episode
from .blocks import QUOTE_MARKERS, BlockBuilder, token_tree
from .checks import unrun_liquid
from .dialects import Dialect, PassContext, is_rmd, jekyll_liquid
from .mathjax import MathSetup
from .meta import episode_meta
from .metadata import FrontMatter, load_yaml, split_front_matter
from .rmarkdown import attach_chunks, attach_knitted, source_chunks
from .solutions import mark_solutions
from .syntax import make_parser
from .syntax.kramdownmath import kramdown_math
from .text import Expanded, read_text

MAX_DEPTH = 30                     # quote/list nesting markdown-it keeps (deeper is left out)


@dataclass
class LessonContext:
    """What reading an episode needs to know of its lesson."""
    root: str                       # absolute lesson directory
    dialect: Dialect
    config: dict = field(default_factory=dict)
    url: str | None = None
    origin: str = ""                # every episode's (see model.Episode.origin), "" to decide
    sources: str = ""               # a knitted lesson's source folder (with episodes/*.Rmd)
    math: MathSetup = field(default_factory=MathSetup)     # the lesson's MathJax configuration

    @property
    def parser_rules(self) -> tuple:
        """The markdown-it rules for this lesson's episodes: its dialect's, and how its pages
        read math."""
        if not self.dialect.kramdown_math:
            return self.dialect.parser_rules
        return self.dialect.parser_rules + (kramdown_math(self.math.dollars),)


def read_episode(path: str, lesson: LessonContext, diags: Diagnostics) -> Episode:
    """Read one episode. Raises EpisodeError when it cannot be read at all; everything else
    becomes a diagnostic in `diags` (errors there also mean the episode must not be built)."""
    rel = os.path.relpath(path, lesson.root).replace(os.sep, "/")
    text = read_text(path, rel)
    fm_text, fm_line, body, body_line = split_front_matter(text)
    if fm_text is None:
        raise EpisodeError("no front matter: an episode starts with a '---' block holding at "
                           "least its title", rel, 1)
    data, key_lines = load_yaml(fm_text, rel, fm_line)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise EpisodeError("front matter must be a mapping of keys to values (title: …)", rel, 2)
    fm = FrontMatter(data, key_lines, diags, 1)

    source = Expanded(body, [(rel, body_line + i) for i in range(body.count("\n") + 1)])
    context = PassContext(lesson.root, lesson.config, data,
                          os.path.splitext(os.path.basename(path))[0], diags, path)
    for text_pass in lesson.dialect.passes:
        source = text_pass(source, context)
    tokens = make_parser(lesson.parser_rules).parse(source.text, {})
    _check_depth(source, diags)
    builder = BlockBuilder(path, rel, lesson, source, diags, source.text.split("\n"))
    blocks = attach_chunks(builder.blocks(token_tree(tokens)), context.chunks)
    blocks = _knitted_chunks(blocks, path, lesson)
    blocks = list(mark_solutions(blocks, diags, rel))

    if jekyll_liquid not in lesson.dialect.passes:
        unrun_liquid(blocks, diags, rel)
    meta, used = episode_meta(fm, blocks, builder.inline_text, rel)
    blocks = [b for b in blocks if not any(b is u for u in used)]
    includes = tuple(sorted({p for p, _ in source.origins if p and p != rel}))
    origin = lesson.origin or ("source" if is_rmd(path) else "")
    return Episode(rel, meta, tuple(blocks), includes, origin)


def _knitted_chunks(blocks, path: str, lesson: LessonContext):
    """A knitted episode's code blocks with the chunks of its `.Rmd` source, when that is at
    hand (`inspect --json` shows them)."""
    if lesson.origin != "knitted" or not lesson.sources:
        return blocks
    stem = os.path.splitext(os.path.basename(path))[0]
    rmd = os.path.join(lesson.sources, "episodes", stem + ".Rmd")
    if not os.path.isfile(rmd):
        return blocks
    try:
        return attach_knitted(blocks, source_chunks(rmd, lesson.sources))
    except EpisodeError:
        return blocks


def _check_depth(source: Expanded, diags: Diagnostics) -> None:
    """markdown-it keeps MAX_DEPTH levels of nesting; say so when an episode goes deeper."""
    for i, line in enumerate(source.text.split("\n")):
        m = QUOTE_MARKERS.match(line)
        if m and m.group(0).count(">") > MAX_DEPTH:
            path, n = source.origin(i)
            diags.warning(f"blockquotes nested {m.group(0).count('>')} deep; content below level "
                          f"{MAX_DEPTH} is left out", n, path)
            return
