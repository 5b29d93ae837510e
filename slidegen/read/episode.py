"""One episode file to the model: front matter, Liquid, Markdown, special blocks.

Both formats go through the same markdown-it parser; what differs is only how special blocks are
marked. Styles lessons mark a blockquote with a kramdown attribute line after it (`{: .challenge}`);
Workbench lessons use fenced divs. Both become `Special` blocks here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..errors import Diagnostics, EpisodeError
from ..model import Episode
from .blocks import QUOTE_MARKERS, BlockBuilder, token_tree
from .liquid import LiquidContext, expand
from .meta import episode_meta
from .metadata import FrontMatter, load_yaml, split_front_matter
from .syntax import make_parser
from .syntax.quotes import repair_quoted_fences
from .syntax.tables import normalise_tables
from .text import Expanded, read_text

MAX_DEPTH = 30                     # quote/list nesting markdown-it keeps (deeper is left out)


@dataclass
class LessonContext:
    """What reading an episode needs to know of its lesson."""
    root: str                       # absolute lesson directory
    format: str                     # "styles" | "workbench"
    config: dict = field(default_factory=dict)
    url: str | None = None


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

    page = dict(data)
    page.update(root=".." if lesson.format == "styles" else ".",
                url=f"/{os.path.splitext(os.path.basename(path))[0]}/")
    ctx = LiquidContext(lesson.root, lesson.config, page, diags, _layout_variables(lesson))
    # Jekyll runs Liquid over styles lessons; Workbench (pandoc) has none, so its braces stay text.
    if lesson.format == "styles":
        expanded = expand(body, rel, body_line, ctx)
    else:
        expanded = Expanded(body, [(rel, body_line + i) for i in range(body.count("\n") + 1)])

    if lesson.format == "styles":
        lines, origins = normalise_tables(expanded.text.split("\n"), expanded.origins)
        expanded = Expanded("\n".join(lines), origins)
        source_text = repair_quoted_fences(expanded.text)
    else:
        source_text = expanded.text
    tokens = make_parser().parse(source_text, {})
    _check_depth(source_text, expanded, diags)
    builder = BlockBuilder(path, rel, lesson, expanded, diags, source_text.split("\n"))
    blocks = builder.blocks(token_tree(tokens))

    meta, used = episode_meta(fm, blocks, builder.inline_text, rel)
    blocks = [b for b in blocks if not any(b is u for u in used)]
    includes = tuple(sorted({p for p, _ in expanded.origins if p and p != rel}))
    return Episode(rel, meta, tuple(blocks), includes)


def _check_depth(text: str, expanded: Expanded, diags: Diagnostics) -> None:
    """markdown-it keeps MAX_DEPTH levels of nesting; say so when an episode goes deeper."""
    for i, line in enumerate(text.split("\n")):
        m = QUOTE_MARKERS.match(line)
        if m and m.group(0).count(">") > MAX_DEPTH:
            path, n = expanded.origin(i)
            diags.warning(f"blockquotes nested {m.group(0).count('>')} deep; content below level "
                          f"{MAX_DEPTH} is left out", n, path)
            return


def _layout_variables(lesson: LessonContext) -> dict:
    """Variables the styles template's layouts define before an episode's Liquid runs."""
    repo = str(lesson.config.get("repository") or "")
    repo_url = f"https://github.com/{repo}" if re.fullmatch(r"[\w.-]+/[\w.-]+", repo) else ""
    return {"relative_root_path": "..", "repo_url": repo_url, "repo_name": repo.split("/")[-1],
            "source_branch": str(lesson.config.get("branch") or "gh-pages"),
            "project_name": repo.split("/")[-1]}
