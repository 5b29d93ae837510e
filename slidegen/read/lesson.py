"""Finding a lesson on disk and reading all of it into the model.

A lesson is a styles directory (`_episodes/` + `_config.yml`), a Workbench directory (`episodes/`
+ `config.yaml`, ordered by its `episodes:` list), a knitted R Markdown lesson (knitted.py; a
Workbench lesson with `.Rmd` episodes is read from its knitted version when there is one) or a
single episode file inside any of them.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import Diagnostic, Diagnostics, LessonNotFound, SlidegenError
from ..model import Episode, Image, Lesson, LessonConfig, walk
from ..paths import inside, local_candidates
from . import knitted
from .checks import lint_episode, untimed
from .classes import first_of_each
from .dialects import DIALECTS, FOLDER_DIALECTS, Dialect
from .listing import CONFIG_FILES, EPISODE_DIRS, EPISODE_SUFFIXES, episode_paths
from .mathjax import MathSetup, find_mathjax
from .metadata import MAX_YAML, load_yaml
from .text import Unreadable, decode, read_limited

if TYPE_CHECKING:
    from .episode import LessonContext

STYLES = "styles"
WORKBENCH = "workbench"
KNITTED = "knitted"
MAX_CONFIG_BYTES = 4 * MAX_YAML        # its YAML is checked in characters after decoding
# Outputs and cached parts are named after an episode's file (large-print-STEM.json, and a
# temporary name beside each): a longer name would pass the file system's 255 bytes.
MAX_STEM_BYTES = 200


@dataclass
class LessonSource:
    """Where a lesson's files are, before any episode is read."""
    root: str
    format: str
    config: dict
    episode_paths: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    home: str = ""                   # the folder the user named (outputs go there); root if ""
    notes: list[str] = field(default_factory=list)     # lines the user should read once
    notices: tuple[str, ...] = ()    # what every output must say once (LessonConfig.notices)
    origin: str = ""                 # every episode's origin ("knitted"), "" to decide per file
    sources: str = ""                # a knitted lesson's source folder (with episodes/*.Rmd)
    failed: dict = field(default_factory=dict)   # episode path -> its errors, found before reading
    selected: tuple[str, ...] = ()      # one episode asked for by its path (else all of them)
    timetable: object | None = None     # the build's schedule.Schedule (see LessonConfig)
    config_sha: str | None = ""         # the config's sha256 as read (None: not there; "": unknown)

    def __post_init__(self):
        self.home = self.home or self.root

    @property
    def chosen_paths(self) -> list[str]:
        """The episodes to read or build: the one asked for, else every one."""
        return list(self.selected) or self.episode_paths

    def clash(self, path: str) -> str | None:
        """The earlier episode with the same file stem (both would write STEM.pptx), if any."""
        stem = os.path.splitext(os.path.basename(path))[0]
        for other in self.episode_paths:
            if other == path:
                return None
            if os.path.splitext(os.path.basename(other))[0] == stem:
                return os.path.relpath(other, self.root).replace(os.sep, "/")
        return None

    @property
    def dialect(self) -> Dialect:
        return DIALECTS[self.format]

    @cached_property
    def math(self) -> MathSetup:
        """How the lesson's pages set MathJax up (read once)."""
        return find_mathjax(self.root)

    @property
    def url(self) -> str | None:
        """The lesson site's address, as its config gives it."""
        url = self.config.get("url")
        return str(url).rstrip("/") + str(self.config.get("baseurl") or "") if url else None

    @property
    def context(self) -> LessonContext:
        # (the episode reader, with markdown-it, is imported once there is an episode to read)
        from .episode import LessonContext
        return LessonContext(self.root, self.dialect, self.config, self.url, self.origin,
                             self.sources, self.math)

    def inputs(self, episode: Episode | None, rel: str) -> list[str]:
        """The files an episode was read from (lesson-relative): itself, the lesson config,
        what its Liquid included and its images; a change to any of them changes its outputs.
        A config or an image that is missing is an input too (as absent): its appearing
        changes the outputs as much as an edit does."""
        deps = [rel, self.dialect.config_file, *self.math.files]
        if episode is not None:
            deps.extend(episode.includes)
            base = os.path.dirname(os.path.join(self.root, rel))
            for b, _ in walk(episode.blocks):
                if isinstance(b, Image) and b.path:
                    deps.append(b.path)
                elif isinstance(b, Image) and not b.remote:
                    deps.extend(local_candidates(self.root, base, self._site_path(b.src)))
        return sorted(set(deps))

    @property
    def as_read(self) -> dict[str, str | None]:
        """The files read once for every episode, as they were when read (sha256, or None when
        absent): an edit made while the episodes are built is then an edit after their build."""
        return {self.dialect.config_file: self.config_sha} if self.config_sha != "" else {}

    def _site_path(self, src: str) -> str:
        """`/baseurl/fig/x.png` as the lesson path `/fig/x.png` (as the reader resolves it)."""
        base = "/" + str(self.config.get("baseurl") or "").strip().strip("/")
        return src[len(base):] if base != "/" and src.startswith(base + "/") else src

    @property
    def lesson_config(self) -> LessonConfig:
        title = self.config.get("title")
        return LessonConfig(
            title=str(title) if title else os.path.basename(self.root.rstrip(os.sep)) or "Lesson",
            format=self.format, url=self.url, lang=str(self.config.get("lang") or "en"),
            variables=self.config, notices=self.notices, timetable=self.timetable,
            labels=_labels(self.config), math_macros=self.math.macros)


@dataclass
class Reading:
    """A whole lesson read: the model, every diagnostic, and the episodes that must not be
    built (unreadable, or read with errors)."""
    lesson: Lesson
    diagnostics: list[Diagnostic]
    failed: tuple[str, ...]
    by_source: dict[str, list[Diagnostic]]
    notes: list[str] = field(default_factory=list)    # where the lesson was read from, once

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def find_lesson(path: str, prefer_knitted: bool = True) -> LessonSource:
    """The lesson at `path`. An R Markdown lesson is read from its knitted episodes when they
    exist, unless `prefer_knitted` is False (its sources are to be knitted anew)."""
    path = os.path.abspath(path)
    if os.path.isfile(path):
        return _single_file(path, prefer_knitted)
    if not os.path.isdir(path):
        raise LessonNotFound(f"no such lesson directory or episode file: {path}")
    root = _lesson_above(path)
    if root is None:
        raise LessonNotFound(
            f"{path} is not a lesson: it has neither '_episodes/' (styles) nor 'episodes/' "
            "(Workbench), nor the config.yaml and md5sum.txt of a knitted lesson, and no folder "
            "above it has; give a lesson directory or an episode file")
    if root != path:
        found_above = find_lesson(root, prefer_knitted)
        return replace(found_above, notes=[f"the lesson at {root} (above {path})",
                                           *found_above.notes])
    if knitted.is_knitted_layout(path):
        return _knitted(knitted.KnittedPlace(path), path, Diagnostics(path))
    found = [d.name for d in FOLDER_DIALECTS if os.path.isdir(os.path.join(path, d.episode_dir))]
    diags = Diagnostics(path)
    if len(found) == 2:
        # Both present (a lesson mid-conversion): the one with its config file wins.
        with_config = [f for f in found if os.path.isfile(os.path.join(path, CONFIG_FILES[f]))]
        fmt = with_config[0] if len(with_config) == 1 else WORKBENCH
        other = STYLES if fmt == WORKBENCH else WORKBENCH
        diags.warning(f"both '{EPISODE_DIRS[fmt]}/' and '{EPISODE_DIRS[other]}/' exist; reading "
                      f"the {fmt} lesson in '{EPISODE_DIRS[fmt]}/' only", 0,
                      EPISODE_DIRS[other] + "/")
    else:
        fmt = found[0]
    config, config_sha = _config(path, fmt, diags)
    episodes = episode_paths(path, fmt, config, diags)
    if fmt == WORKBENCH and knitted.has_rmd(episodes):
        place = knitted.find_knitted(path, diags) if prefer_knitted else None
        if place is not None:
            return _knitted(place, path, diags)
        return _with_episodes(LessonSource(
            path, fmt, config, episodes, diags.items,
            notes=["R Markdown read from its sources: no results or plots (knit it for them; "
                   "see the handout's cover)"],
            notices=(knitted.NOT_KNITTED,), config_sha=config_sha))
    return _with_episodes(LessonSource(path, fmt, config, episodes, diags.items,
                                       config_sha=config_sha))


def is_lesson(folder: str) -> bool:
    """A styles, Workbench or knitted lesson is in `folder` (its own files, not above it)."""
    return knitted.is_knitted_layout(folder) or \
        any(os.path.isdir(os.path.join(folder, d.episode_dir)) for d in FOLDER_DIALECTS)


def _lesson_above(path: str) -> str | None:
    """`path` when it is a lesson, else the nearest folder above it that is one (a command run
    in `episodes/` or `fig/` finds its lesson, as git finds its repository), or None."""
    folder = path
    while True:
        if is_lesson(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _knitted(place: knitted.KnittedPlace, home: str, diags: Diagnostics) -> LessonSource:
    config, config_sha = _config(place.folder, KNITTED, diags)
    episodes = knitted.episode_paths(place, config, diags)
    knitted.stale_warnings(place, diags)
    return _with_episodes(LessonSource(place.folder, KNITTED, config, episodes, diags.items,
                                       home=home, notes=[place.note] if place.note else [],
                                       origin="knitted", sources=place.sources or "",
                                       config_sha=config_sha))


def _with_episodes(source: LessonSource) -> LessonSource:
    """A lesson without a single episode is an error (there is nothing to build), said where
    the episodes should be, unless an error about its episode list already says why."""
    if source.episode_paths or any(d.severity == "error" for d in source.diagnostics):
        return source
    where = source.dialect.episode_dir + "/"
    listed = " and config.yaml lists none" if source.dialect.ordered_by_config else ""
    message = (f"the lesson has no episodes: '{where}' holds no .md or .Rmd file{listed}; "
               "add one with 'slidegen new \"Episode title\"'")
    return replace(source, diagnostics=[*source.diagnostics,
                                        Diagnostic(where, 0, "error", message)])


def _single_file(path: str, prefer_knitted: bool = True) -> LessonSource:
    """The lesson around an episode file, with that episode selected. Anything else (a README,
    a file outside a lesson, one the lesson does not list) is not an episode: a usage error.
    An `.Rmd` source of a lesson read from its knitted version selects its knitted episode."""
    d = os.path.dirname(path)
    for _ in range(3):
        if is_lesson(d):
            source = find_lesson(d, prefer_knitted)
            chosen = _episode_named(source, path)
            if chosen is not None:
                diags = [x for x in source.diagnostics
                         if not _names_another_episode(source, x.path, chosen)]
                return replace(source, selected=(chosen,), diagnostics=diags)
            raise LessonNotFound(
                f"{path} is not an episode of the lesson in {d}: its episodes are the "
                f"{'/'.join(EPISODE_SUFFIXES)} files in '{source.dialect.episode_dir}/'"
                + (" listed in config.yaml" if source.dialect.ordered_by_config else "")
                + "; give one of them, or the lesson folder")
        d = os.path.dirname(d)
    raise LessonNotFound(f"{path} is not in a lesson: no '_episodes/' or 'episodes/' folder "
                         "beside it or above it; give a lesson folder or one of its episodes")


def _episode_named(source: LessonSource, path: str) -> str | None:
    """The lesson's episode that `path` is: the file itself, or (for a lesson read from its
    knitted version) the knitted episode of an `.Rmd` source."""
    real = os.path.realpath(path)
    for p in source.episode_paths:
        if os.path.realpath(p) == real:
            return p
    if source.sources and os.path.dirname(real) == \
            os.path.realpath(os.path.join(source.sources, "episodes")):
        name = knitted.knitted_name(os.path.basename(path))
        return next((p for p in source.episode_paths if os.path.basename(p) == name), None)
    return None


def _names_another_episode(source: LessonSource, where: str, chosen: str) -> bool:
    full = os.path.join(source.root, where)
    return where.endswith(EPISODE_SUFFIXES) and os.path.realpath(full) != os.path.realpath(chosen)


def _config(root: str, fmt: str, diags: Diagnostics) -> tuple[dict, str | None]:
    """The lesson config, and the sha256 of the bytes it was read from (None: no config)."""
    name = CONFIG_FILES[fmt]
    full = os.path.join(root, name)
    if os.path.exists(full) and not inside(root, full):
        raise SlidegenError("the lesson config links to a file outside the lesson; not read",
                            name, 0)
    if not os.path.isfile(full):
        diags.warning(f"no {name}; the lesson title is taken from the directory name", 0, name)
        return {}, None
    try:
        raw = read_limited(full, MAX_CONFIG_BYTES, "lesson config")
        text, _ = decode(raw)
    except Unreadable as e:
        raise SlidegenError(str(e), name, 0) from None
    except (OSError, UnicodeDecodeError) as e:
        raise SlidegenError(f"cannot read the lesson config: {e}", name, 0) from None
    data, _ = load_yaml(text, name)
    if data is None:
        return {}, hashlib.sha256(raw).hexdigest()
    if not isinstance(data, dict):
        raise SlidegenError("the lesson config must be a mapping of keys to values", name, 1)
    return data, hashlib.sha256(raw).hexdigest()


def read_one(path: str, source: LessonSource,
             each_untimed: bool = False) -> tuple[Episode | None, list[Diagnostic]]:
    """Read one episode; never raises for the episode's own faults."""
    rel = os.path.relpath(path, source.root).replace(os.sep, "/")
    diags = Diagnostics(rel)
    if path in source.failed:
        return None, list(source.failed[path])
    stem = os.path.splitext(os.path.basename(path))[0]
    if len(stem.encode("utf-8", "surrogateescape")) > MAX_STEM_BYTES:
        diags.error(f"the file name is too long: outputs are named after it, and the file "
                    f"system allows 255 bytes to a name; shorten it to at most {MAX_STEM_BYTES} "
                    "characters before the extension", 0, rel)
        return None, diags.items
    first = source.clash(path)
    if first:
        diags.error(f"same name as {first}: both would write the same outputs; rename one", 0, rel)
        return None, diags.items
    if not inside(source.root, path):
        diags.error("links to a file outside the lesson; not read", 0, rel)
        return None, diags.items
    from .episode import read_episode
    try:
        episode = read_episode(path, source.context, diags)
        lint_episode(episode, diags, each_untimed)
    except SlidegenError as e:
        diags.error(e.message, e.line, e.path or rel)
        return None, diags.items
    except RecursionError:
        diags.error("nested too deeply to read (more than a few hundred levels)", 0, rel)
        return None, diags.items
    return episode, diags.items


def read_lesson(path: str, each_untimed: bool = False) -> Reading:
    """Read a whole lesson. Without `each_untimed`, exercises without a time are one note for
    the lesson rather than a note each."""
    source = find_lesson(path)
    episodes: list[Episode] = []
    diagnostics = list(source.diagnostics)
    by_source: dict[str, list[Diagnostic]] = {}
    failed = []
    for p in source.chosen_paths:
        episode, diags = read_one(p, source, each_untimed)
        rel = os.path.relpath(p, source.root).replace(os.sep, "/")
        by_source[rel] = diags
        diagnostics.extend(diags)
        if any(d.severity == "error" for d in diags):
            failed.append(rel)
        if episode is not None:
            episodes.append(episode)
    lesson = Lesson(source.root, source.lesson_config, tuple(episodes))
    missing, total = untimed(episodes)
    if missing and not each_untimed:
        diagnostics.append(Diagnostic(source.dialect.config_file, 0, "note",
                                      f"{missing} of {total} exercises state no time, so decks and "
                                      "handouts show none for them ('(10 min)' in a title or a "
                                      "'Time: 10 min' line gives one); 'slidegen check --verbose' "
                                      "lists them"))
    unique = reported(list({(d.path, d.line, d.message): d for d in diagnostics}.values()), source)
    return Reading(lesson, unique, tuple(failed), by_source, list(source.notes))


def reported(diagnostics: list[Diagnostic], source: LessonSource) -> list[Diagnostic]:
    """The diagnostics as the user reads them: each unknown class named once, and a knitted
    episode's at the line of its `.Rmd` source."""
    out = first_of_each(diagnostics)
    if source.origin == "knitted":
        out = knitted.point_at_sources(out, source.root, source.sources)
    return out


def _labels(config: dict) -> str | None:
    """The language the config's `slidegen:` section (or `--lang`) asks for slidegen's words."""
    section = config.get("slidegen")
    lang = section.get("lang") if isinstance(section, dict) else None
    return str(lang) if lang else None
