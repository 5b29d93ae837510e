"""Scaffolding: a new lesson (`slidegen init`) and the next numbered episode (`slidegen new`),
written in the lesson's own format so that `slidegen check` passes on them untouched.

Workbench's `config.yaml` is edited as text, never loaded and dumped again: authors keep
comments and layout in it, and sandpaper reads the same file. Nothing is ever overwritten.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass

from ..errors import LessonNotFound, SlidegenError
from ..read.lesson import (
    CONFIG_FILES,
    EPISODE_DIRS,
    EPISODE_SUFFIXES,
    STYLES,
    WORKBENCH,
    find_lesson,
)
from ..read.metadata import load_yaml
from ..read.summary import summaries
from .starters import (
    FIRST_EPISODE,
    LINKS,
    STYLES_CONFIG,
    STYLES_EPISODE,
    WORKBENCH_CONFIG,
    WORKBENCH_EPISODE,
)

NUMBERED = re.compile(r"^(\d+)[-_]")
EPISODES_KEY = re.compile(r"^episodes[ \t]*:(?P<rest>[^\r\n]*)")
ITEM = re.compile(r"^(?P<dash>[ \t]*-(?:[ \t]+|$))(?P<value>[^\r\n]*)")
PLAIN_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


class ScaffoldError(SlidegenError):
    """A scaffold that would overwrite or mangle something the author has; nothing was written."""


@dataclass(frozen=True)
class Created:
    """What a scaffold command wrote: lesson-relative paths, and the config it added to."""
    root: str
    files: tuple[str, ...]
    listed_in: str | None = None


def slugify(title: str) -> str:
    """A file-name slug: ASCII letters and digits joined by hyphens, at most 40 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > 40:
        slug = slug[:41].rsplit("-", 1)[0] if "-" in slug[:41] else slug[:40]
    return slug


def next_number(names) -> str:
    """One more than the highest numbered name, padded like it ("05-x.md" -> "06")."""
    best, width = 0, 2
    for name in names:
        m = NUMBERED.match(os.path.basename(name))
        if m and (int(m.group(1)), len(m.group(1))) > (best, width if best else 0):
            best, width = int(m.group(1)), len(m.group(1))
    return f"{best + 1:0{width}d}"


def new_episode(lesson: str, title: str) -> Created:
    """Write the next numbered episode of the lesson at `lesson` (a directory) from the format's
    template and, for Workbench, append it to config.yaml's `episodes:` list."""
    title = _clean_title(title)
    if os.path.isfile(lesson):
        raise LessonNotFound(f"{lesson} is a file; give the lesson directory")
    source = find_lesson(lesson, prefer_knitted=False)       # the sources, not knitted output
    root, fmt = source.root, source.format
    if fmt not in (STYLES, WORKBENCH):
        raise ScaffoldError(f"{root} is a knitted lesson (knitr's output); add the episode to "
                            "the lesson it was knitted from")
    folder = os.path.join(root, EPISODE_DIRS[fmt])
    present = sorted(n for n in os.listdir(folder) if n.endswith(EPISODE_SUFFIXES)
                     and not n.startswith(".") and os.path.isfile(os.path.join(folder, n)))
    config_path = os.path.join(root, CONFIG_FILES[fmt])
    listed: list[str] = []
    if fmt == WORKBENCH and isinstance(source.config.get("episodes"), list):
        listed = [str(n) for n in source.config["episodes"]]
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from the title {title!r}: it needs letters "
                            "or digits")
    same = _same_title(source, title, slug)
    if same:
        raise ScaffoldError(f"the lesson already has an episode titled {title!r}: {same}; "
                            "choose another title (or edit that episode)")
    name = f"{next_number(present + listed)}-{slug}.md"
    rel = f"{EPISODE_DIRS[fmt]}/{name}"
    if name in listed:
        raise ScaffoldError(f"'{name}' is already in {CONFIG_FILES[fmt]}'s episodes list", rel)

    new_config = None
    if fmt == WORKBENCH:
        old = _read_text(config_path) if os.path.isfile(config_path) else ""
        new_config = add_to_episode_list(old, name, present)
    if fmt == STYLES:
        has_links = os.path.isfile(os.path.join(root, "_includes", "links.md"))
        text = STYLES_EPISODE.substitute(title=_yaml_string(title),
                                         include="\n{% include links.md %}\n" if has_links else "")
    else:
        text = WORKBENCH_EPISODE.substitute(title=_yaml_string(title))
    _create(os.path.join(folder, name), text, rel)
    if new_config is not None:
        _replace(config_path, new_config)
    return Created(root, (rel,), CONFIG_FILES[fmt] if new_config is not None else None)


def add_to_episode_list(config: str, name: str, present: list[str]) -> str:
    """`config` with `name` appended to its `episodes:` list, every other line untouched.

    An empty or missing list means "every episode file, in name order"; it becomes an explicit
    list of `present` plus `name`, so that no episode silently drops out of the lesson."""
    nl = "\r\n" if "\r\n" in config else "\n"
    lines = config.splitlines(keepends=True)
    old = _episode_list(config)
    key = next((i for i, line in enumerate(lines) if EPISODES_KEY.match(line)), None)
    if key is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += nl
        lines += [nl, f"# Order of episodes in your lesson{nl}", f"episodes:{nl}"]
        key = len(lines) - 1
        old = []
    rest = _strip_comment(EPISODES_KEY.match(lines[key]).group("rest")).strip()
    if not old:
        # Empty list: list every episode, right after the key.
        items = "".join(f"- {_yaml_name(n)}{nl}" for n in [*present, name])
        if rest not in ("", "[]", "~", "null", "Null", "NULL"):
            raise _cannot(name)
        if rest:
            lines[key] = lines[key].replace(rest, "", 1)
        lines[key] = lines[key].rstrip("\r\n") + nl
        lines.insert(key + 1, items)
        expected = [*present, name]
    elif rest.startswith("["):
        line = lines[key]
        close = line.rfind("]")
        if not rest.endswith("]") or close < 0:
            raise _cannot(name)
        lines[key] = line[:close].rstrip() + f", {_yaml_name(name)}" + line[close:]
        expected = [*old, name]
    elif rest:
        raise _cannot(name)
    else:
        _append_item(lines, key, name, nl)
        expected = [*old, name]
    result = "".join(lines)
    if _episode_list(result) != expected:
        raise _cannot(name)
    return result


def _append_item(lines: list[str], key: int, name: str, nl: str) -> None:
    """Add `name` after the last item of the block list under line `key`, written as the
    items before it are (dash, indent, quotes)."""
    last, indent = None, None
    for i in range(key + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = ITEM.match(lines[i])
        depth = len(lines[i]) - len(lines[i].lstrip(" \t"))
        if m and (indent is None or depth == indent):
            last, indent = i, depth
        elif indent is not None and depth > indent:
            last = i                      # a continuation line of the last item
        else:
            break
    if last is None:
        raise _cannot(name)
    item = ITEM.match(lines[_last_item(lines, key, last)])
    value = item.group("value").strip()
    quote = value[0] if value[:1] in ("'", '"') else ""
    entry = f"{quote}{name}{quote}" if quote else _yaml_name(name)
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += nl
    lines.insert(last + 1, f"{item.group('dash').rstrip() or '-'} {entry}{nl}")


def init_lesson(directory: str, fmt: str = WORKBENCH, title: str | None = None) -> Created:
    """Create a minimal lesson of format `fmt` in a new or empty directory: its config with the
    title, the figure folder, and a first episode (for styles also `_includes/links.md`)."""
    if fmt not in (STYLES, WORKBENCH):
        raise ScaffoldError(f"unknown lesson format '{fmt}' (use 'styles' or 'workbench')")
    root = os.path.abspath(directory)
    if os.path.exists(root) and not os.path.isdir(root):
        raise ScaffoldError(f"{directory} is a file, not a directory")
    if os.path.isdir(root):
        # Hidden entries (a fresh `git init`) are fine; anything else may be someone's lesson.
        visible = sorted(n for n in os.listdir(root) if not n.startswith("."))
        if visible:
            shown = ", ".join(visible[:4]) + (", …" if len(visible) > 4 else "")
            raise ScaffoldError(
                f"{directory} is not empty (it has {shown}); 'slidegen init' creates a lesson "
                "only in an empty or new directory. To add an episode to a lesson, use "
                "'slidegen new TITLE LESSON'")
    title = _clean_title(title or _title_from(root))
    os.makedirs(root, exist_ok=True)
    config = CONFIG_FILES[fmt]
    template = STYLES_CONFIG if fmt == STYLES else WORKBENCH_CONFIG
    _create(os.path.join(root, config), template.substitute(title=_yaml_string(title)), config)
    files = [config]
    if fmt == STYLES:
        os.makedirs(os.path.join(root, "fig"))
        os.makedirs(os.path.join(root, "_includes"))
        _create(os.path.join(root, "_includes", "links.md"), LINKS, "_includes/links.md")
        files += ["fig/", "_includes/links.md"]
    else:
        os.makedirs(os.path.join(root, "episodes", "fig"))
        files += ["episodes/fig/"]
    os.makedirs(os.path.join(root, EPISODE_DIRS[fmt]), exist_ok=True)
    episode = new_episode(root, FIRST_EPISODE)
    return Created(root, (*files, *episode.files))


# -- helpers ---------------------------------------------------------------------------------

def _same_title(source, title: str, slug: str) -> str | None:
    """The episode (lesson-relative) with this title, or with this name after its number."""
    wanted = title.casefold()
    for episode in summaries(source.episode_paths, source.root):
        stem = os.path.splitext(os.path.basename(episode.source))[0]
        if episode.meta.title.casefold() == wanted or NUMBERED.sub("", stem + ".md") == \
                slug + ".md":
            return episode.source
    return None


def _clean_title(title: str) -> str:
    title = " ".join(str(title).split())
    if not title:
        raise ScaffoldError("the title is empty")
    return title


def _title_from(root: str) -> str:
    name = re.sub(r"[-_]+", " ", os.path.basename(root.rstrip(os.sep))).strip()
    return name[:1].upper() + name[1:] if name else "New lesson"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml_name(name: str) -> str:
    return name if PLAIN_NAME.match(name) else _yaml_string(name)


def _strip_comment(rest: str) -> str:
    m = re.search(r"(^|[ \t])#", rest)
    return rest[:m.start()] if m else rest


def _last_item(lines: list[str], key: int, last: int) -> int:
    """The line that opens the item ending at `last` (which may be a continuation line)."""
    i = last
    while i > key and not ITEM.match(lines[i]):
        i -= 1
    return i


def _episode_list(config: str) -> list[str]:
    data, _ = load_yaml(config, "config.yaml") if config.strip() else (None, {})
    value = data.get("episodes") if isinstance(data, dict) else None
    return [str(n) for n in value] if isinstance(value, list) else []


def _cannot(name: str) -> ScaffoldError:
    return ScaffoldError(f"cannot add '{name}' to the 'episodes:' list automatically (it is not "
                         "a plain list); nothing was written. Add it by hand, or fix the list",
                         "config.yaml", 0)


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _create(path: str, text: str, rel: str) -> None:
    """Write a new file; refuse (and write nothing) when something is already there."""
    try:
        with open(path, "x", encoding="utf-8", newline="") as f:
            f.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{rel} already exists; not overwriting it", rel, 0) from None


def _replace(path: str, text: str) -> None:
    """Swap in the new config in one step, keeping the file's permissions."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".slidegen-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
