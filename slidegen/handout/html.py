"""The lesson model as HTML documents for the PDF renderer, written by Jinja2 templates.

Templates live in each theme's `handout/` folder (a theme's own templates win over those it
extends). Learner documents are made from `learner.learner_blocks`, so solutions and
instructor notes never reach the HTML at all; only the answer key sees them.
"""
from __future__ import annotations

import re
import traceback
from functools import cache

import jinja2
from markupsafe import Markup

from .. import kinds
from ..errors import Diagnostics, ThemeError
from ..i18n import t
from ..model import Episode, Lesson, plain
from ..theme import made_from_themes
from ..theme.colour import visible_on
from ..theme.environment import sandboxed_environment
from ..theme.tokens import HEX
from ..workshop.timing import timing_line
from .fragments import CODE_CLASS, Fragments
from .learner import exercises, learner_blocks
from .options import HandoutOptions

TEMPLATE_DIR = "handout"
HEAD_GAP_PT = 14.17          # 5 mm between a running header or footer and the text


@cache
def environment(folders: tuple[str, ...]) -> jinja2.Environment:
    """Templates of a theme: `folders` is `Theme.folders` (own folder first). A theme is
    anyone's folder, so its templates run sandboxed and read only its own files."""
    env = sandboxed_environment(
        folders, TEMPLATE_DIR,
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=False)
    env.filters["css_string"] = css_string
    env.filters["css_ident"] = css_ident
    env.filters["plain"] = plain
    env.globals["box_label"] = kinds.label
    env.globals["_"] = t               # the words slidegen adds, in the lesson's language
    env.globals["exercise_kinds"] = kinds.EXERCISES
    env.globals["code_class"] = CODE_CLASS
    return env


def css_string(value) -> Markup:
    """A quoted CSS string that cannot end its rule or its <style> element."""
    out = []
    for ch in str(value):
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def css_ident(value) -> str:
    """A block kind as a class-name fragment."""
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-") or "other"


def iso_date(options: HandoutOptions) -> str:
    return options.date.strftime("%Y-%m-%dT%H:%M:%SZ")


def prepare_lesson_pages(theme) -> None:
    """Compile the templates of the pages made after the workers (front pages, page-number
    stamps) ahead of time: a rebuild does it while its workers lay out the edited episode."""
    for name in ("lesson.html.j2", "stamp.html.j2"):
        template(theme, name)


def template(theme, name: str):
    try:
        return _Guarded(theme, name, environment(theme.folders).get_template(name))
    except jinja2.TemplateError as e:
        raise ThemeError(f"theme '{theme.name}' has no usable handout template "
                         f"{name}: {e}") from None


class _Guarded:
    """A theme template whose failures while rendering (an undefined name, something the
    sandbox refuses) name the theme and the template."""

    def __init__(self, theme, name: str, template):
        self.theme, self.name, self.template = theme, name, template

    def render(self, **context) -> str:
        try:
            return self.template.render(**context)
        except jinja2.TemplateError as e:
            raise ThemeError(f"theme '{self.theme.name}': handout template {self.name} failed: "
                             f"{e}") from None
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as e:
            # an expression of the template's own ({{ 1/0 }}): say where, not "internal error"
            raise ThemeError(f"theme '{self.theme.name}': handout template {self.name}"
                             f"{_template_line(e, self.name)} failed: {type(e).__name__}: "
                             f"{e}") from None


def _template_line(error: Exception, name: str) -> str:
    """' line N' of the template's frame in the error's traceback (Jinja maps its frames to
    template lines), or '' when the error was not raised in the template."""
    line = ""
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.endswith(name):
            line = f" line {lineno}"
    return line


def episode_html(lesson: Lesson, episode: Episode, theme, options: HandoutOptions,
                 diags: Diagnostics, blocks: tuple | None = None, first: bool = True,
                 last: bool = True) -> str:
    """One episode for learners: no solutions, no instructor notes. `blocks` (learner blocks)
    is one part of a long episode: the first part has its heading and overview, the last its
    key points."""
    f = Fragments(lesson.root, episode.source, theme, options.allow_remote, diags,
                  macros=lesson.config.math_macros)
    if blocks is None:
        blocks = learner_blocks(episode.blocks)
    return template(theme, "episode.html.j2").render(
        lesson=lesson, episode=episode, meta=episode.meta, blocks=blocks,
        part={"first": first, "last": last},
        timing=timing_line(episode.meta), f=f, learner=True,
        accent=episode_accent(episode, theme),
        created=iso_date(options), lang=lesson.config.lang)


def episode_accent(episode: Episode, theme) -> str | None:
    """The episode's `colour` for its heading rule, made to stand out from the page."""
    colour = episode.meta.colour
    if not HEX.match(colour or ""):
        return None
    return visible_on(colour, theme.colour("background"))


def front_html(lesson: Lesson, theme, options: HandoutOptions, front: dict) -> str:
    """Cover, schedule and contents of the whole-lesson handout."""
    return template(theme, "lesson.html.j2").render(
        lesson=lesson, created=iso_date(options), lang=lesson.config.lang, **front)


def answer_key_html(lesson: Lesson, episodes, theme, options: HandoutOptions,
                    diags: dict[str, Diagnostics], repeat: frozenset = frozenset()) -> str:
    """Every exercise of `episodes` with its hints and solutions; the solutions whose ids are
    in `repeat` begin a page and repeat their exercise's title."""
    parts = []
    for ep in episodes:
        found = exercises(ep.blocks)
        if found:
            diags[ep.source] = Diagnostics(ep.source)
            f = Fragments(lesson.root, ep.source, theme, options.allow_remote, diags[ep.source],
                          repeat, lesson.config.math_macros)
            parts.append({"episode": ep, "exercises": found, "f": f})
    return template(theme, "answer-key.html.j2").render(
        lesson=lesson, parts=parts, learner=False, created=iso_date(options),
        lang=lesson.config.lang)


def stamp_html(theme, texts: tuple, lang: str, size_pt: tuple[float, float],
               slot_pt: float) -> str:
    """One page, as big as an output page, holding each running text ((kind, text): "left"
    or "right" header, "foot") in a positioned block of its own where it goes on a page (see
    stamp.py for why)."""
    h = theme.handout
    return template(theme, "stamp.html.j2").render(
        texts=texts, lang=lang, width=size_pt[0], height=size_pt[1],
        gap=round(size_pt[1] - slot_pt + HEAD_GAP_PT, 3), margin_x=h.page_margin_x,
        font=h.body_font, size=h.header_size, colour=theme.colour("muted"))


made_from_themes(environment.cache_clear)     # a theme's templates, read again after an edit
