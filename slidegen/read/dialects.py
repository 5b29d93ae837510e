"""Lesson formats, one dialect object each: everything that differs between reading a styles
(Jekyll) lesson and a Workbench (sandpaper) lesson.

A dialect says where a lesson's config and episodes are, which text passes an episode goes
through before it is parsed (Liquid, kramdown tables, quote markers repaired in fenced code),
which markdown-it rules read its syntax, and how a relative link resolves on the lesson's web
site. Another format (knitted R Markdown, say) is another `Dialect` in `DIALECTS`.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..errors import Diagnostics
from . import syntax
from .rmarkdown import read_rmd
from .syntax.fences import dedent_fences_after_text
from .syntax.quotes import repair_quoted_fences
from .syntax.spacedlinks import bracket_spaced_destinations
from .syntax.tables import normalise_tables
from .text import Expanded


@dataclass(frozen=True)
class PassContext:
    """What a text pass may know of the episode it rewrites."""
    root: str                  # the lesson directory (absolute)
    config: dict               # the lesson config
    front_matter: dict         # the episode's
    stem: str                  # the episode's file name without its extension
    diags: Diagnostics
    path: str = ""             # the episode file (absolute)
    chunks: dict = field(default_factory=dict)   # knitr chunks found, by opener line


TextPass = Callable[[Expanded, PassContext], Expanded]


@dataclass(frozen=True)
class Dialect:
    name: str                       # as `LessonConfig.format` and `inspect --json` give it
    config_file: str
    episode_dir: str
    ordered_by_config: bool         # the config's `episodes:` list is the order (else by name)
    passes: tuple[TextPass, ...]    # applied in order to an episode's body
    rule_names: tuple[str, ...]     # markdown-it plugins for its syntax (syntax/__init__.py)
    page_link: Callable[[str, str, str], str]   # (lesson URL ending in "/", stem, target) -> URL
    # pandoc: an image alone in a paragraph is a figure, its bracket text the caption (kramdown:
    # the bracket text is the alt text, and there is no caption)
    implicit_figures: bool = False
    prints_attribute_lines: bool = False     # pandoc: a kramdown `{: .output}` line is text
    table_captions: bool = False             # pandoc: a `Table: …` paragraph captions a table
    # kramdown: `$$` in a sentence is inline math, `$` as the lesson's MathJax reads it
    kramdown_math: bool = False

    @property
    def parser_rules(self) -> tuple:
        """Its markdown-it plugins, imported when an episode is first read."""
        return tuple(getattr(syntax, name) for name in self.rule_names)


# -- text passes -----------------------------------------------------------------------------

def jekyll_liquid(text: Expanded, ctx: PassContext) -> Expanded:
    """Jekyll runs Liquid over an episode, with `page` its front matter and `site` the config."""
    if "{%" not in text.text and "{{" not in text.text:
        return text
    from .jekyll import page_variables, site_variables  # python-liquid loads in 0.5 s:
    from .liquid import LiquidContext, expand  # only for episodes with Liquid
    path, first_line = text.origins[0]
    page = page_variables(ctx.front_matter, path, ctx.config)
    liquid = LiquidContext(ctx.root, site_variables(ctx.config), page, ctx.diags,
                           layout_variables(ctx.config))
    return expand(text.text, path, first_line, liquid)


def layout_variables(config: dict) -> dict:
    """Variables the styles template's layouts define before an episode's Liquid runs."""
    repo = str(config.get("repository") or "")
    repo_url = f"https://github.com/{repo}" if re.fullmatch(r"[\w.-]+/[\w.-]+", repo) else ""
    return {"relative_root_path": "..", "repo_url": repo_url, "repo_name": repo.split("/")[-1],
            "source_branch": str(config.get("branch") or "gh-pages"),
            "project_name": repo.split("/")[-1]}


def kramdown_tables(text: Expanded, ctx: PassContext) -> Expanded:
    lines, origins = normalise_tables(text.text.split("\n"), text.origins)
    return Expanded("\n".join(lines), origins)


def quoted_fences(text: Expanded, ctx: PassContext) -> Expanded:
    return Expanded(repair_quoted_fences(text.text), text.origins)


def kramdown_fences(text: Expanded, ctx: PassContext) -> Expanded:
    return Expanded(dedent_fences_after_text(text.text), text.origins)


def knitr_source(text: Expanded, ctx: PassContext) -> Expanded:
    """An `.Rmd` episode as its knitted page would show it, without results (rmarkdown.py)."""
    if not is_rmd(ctx.path):
        return text
    return read_rmd(text, ctx.root, os.path.dirname(ctx.path), ctx.chunks)


def pandoc_links(text: Expanded, ctx: PassContext) -> Expanded:
    """pandoc reads a link whose destination has spaces (syntax/spacedlinks.py)."""
    return Expanded(bracket_spaced_destinations(text.text), text.origins)


def is_rmd(path: str) -> bool:
    return path.lower().endswith(".rmd")


# -- link policies ---------------------------------------------------------------------------

def jekyll_link(base: str, stem: str, target: str) -> str:
    """Jekyll publishes `_episodes/NN-name.md` at `<url>/NN-name/`."""
    return urljoin(urljoin(base, f"{stem}/"), target)


# The lesson folders whose pages and files sandpaper publishes at the site's top level.
_SITE_FOLDERS = ("episodes", "learners", "instructors", "profiles")


def sandpaper_link(base: str, stem: str, target: str) -> str:
    """sandpaper publishes every page at the site's top level, `.md` links as `.html`: an
    episode's `../learners/reference.md#x` is `<url>/reference.html#x`, its `fig/a.png` is
    `<url>/fig/a.png`."""
    parts = urlsplit(target)
    path = parts.path
    if path and not path.startswith("/"):
        where = posixpath.normpath(posixpath.join("episodes", path))
        first, _, rest = where.partition("/")
        if first in _SITE_FOLDERS and rest:
            path = rest
        elif not where.startswith(".."):
            path = where                       # a top-level page such as index.md
    path = re.sub(r"\.md$", ".html", path)
    return urljoin(base, urlunsplit(("", "", path, parts.query, parts.fragment)))


# Both read kramdown attribute lines and fenced divs: Workbench lessons converted from styles
# keep the odd `{: .output}`, and a styles lesson may borrow a div.
RULES = ("KRAMDOWN_ATTRIBUTES", "KRAMDOWN_BOXES", "FENCED_DIVS")

STYLES = Dialect("styles", "_config.yml", "_episodes", False,
                 (jekyll_liquid, kramdown_tables, quoted_fences, kramdown_fences),
                 RULES + ("KRAMDOWN_HTML",), jekyll_link, kramdown_math=True)
# pandoc runs no Liquid: a Workbench episode's braces are text. Its `.Rmd` episodes are read
# as knitr shows them.
PANDOC_RULES = RULES + ("PANDOC_HTML", "PANDOC_NOTES", "PANDOC_GRID_TABLES", "PANDOC_REFERENCES",
                        "PANDOC_SCRIPTS")
WORKBENCH = Dialect("workbench", "config.yaml", "episodes", True, (knitr_source, pandoc_links),
                    PANDOC_RULES, sandpaper_link, implicit_figures=True,
                    prints_attribute_lines=True, table_captions=True)

# knitr's output as sandpaper keeps it (knitted.py): episodes at the top level, results in
# ```output blocks, plots in fig/; ordered by the config's list of sources.
KNITTED = Dialect("knitted", "config.yaml", ".", True, (pandoc_links,), PANDOC_RULES,
                  sandpaper_link, implicit_figures=True, prints_attribute_lines=True,
                  table_captions=True)

# Lesson folders by their episode folder, in the order tried (a folder with both is settled in
# lesson.py); a knitted lesson is known by its layout instead (knitted.py).
FOLDER_DIALECTS = (WORKBENCH, STYLES)
DIALECTS = {d.name: d for d in (*FOLDER_DIALECTS, KNITTED)}
