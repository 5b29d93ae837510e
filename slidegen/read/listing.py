"""Which files are a lesson's episodes: those in its episode folder, in the order its config
lists them (Workbench) or by name, one per file stem."""
from __future__ import annotations

import os

from ..errors import Diagnostics
from .dialects import DIALECTS

EPISODE_SUFFIXES = (".md", ".Rmd", ".rmd")
CONFIG_FILES = {d.name: d.config_file for d in DIALECTS.values()}
EPISODE_DIRS = {d.name: d.episode_dir for d in DIALECTS.values()}


def episode_paths(root: str, fmt: str, config: dict, diags: Diagnostics) -> list[str]:
    """The episode files in lesson order; what is not one of them is said in `diags`."""
    return _one_per_stem(_listed(root, fmt, config, diags), root, diags,
                         bool(config.get(_order_key(fmt))))


def _order_key(fmt: str) -> str:
    """Workbench lists its episodes in `episodes`; the styles template in `episode_order`."""
    return "episodes" if DIALECTS[fmt].ordered_by_config else "episode_order"


def _listed(root: str, fmt: str, config: dict, diags: Diagnostics) -> list[str]:
    folder = os.path.join(root, EPISODE_DIRS[fmt])
    present = sorted(n for n in os.listdir(folder)
                     if n.endswith(EPISODE_SUFFIXES) and not n.startswith(".")
                     and os.path.isfile(os.path.join(folder, n)))
    key = _order_key(fmt)
    order = config.get(key)
    if not order:
        return [os.path.join(folder, n) for n in present]
    if not isinstance(order, list):
        diags.error(f"'{key}' must be a list of file names", 0, CONFIG_FILES[fmt])
        return [os.path.join(folder, n) for n in present]
    # the styles template lists episodes by name without '.md' (Jekyll's slug)
    by_name = {n: n for n in present} if key == "episodes" else \
        {os.path.splitext(n)[0]: n for n in reversed(present)}
    out = []
    for name in map(str, order):
        if os.path.join(folder, by_name.get(name, name)) in out:
            diags.error(f"episode '{name}' is listed twice in '{key}'; it is built once, at "
                        "its first place (remove the second entry)", 0, CONFIG_FILES[fmt])
        elif name in by_name:
            out.append(os.path.join(folder, by_name[name]))
        else:      # sandpaper stops there; Jekyll leaves the episode out of its menus
            diags.add("error" if key == "episodes" else "warning",
                      f"episode '{name}' is listed in '{key}' but not in {EPISODE_DIRS[fmt]}/",
                      0, CONFIG_FILES[fmt])
    for name in present:
        if os.path.join(folder, name) not in out:
            diags.warning(f"not in {CONFIG_FILES[fmt]}'s '{key}' list; not part of the lesson",
                          0, f"{EPISODE_DIRS[fmt]}/{name}")
    return out


def _one_per_stem(paths: list[str], root: str, diags: Diagnostics, listed: bool) -> list[str]:
    """Twins such as `01-intro.Rmd` and `01-intro.md` would make the same outputs (both are
    01-intro), and one episode's pages would be in the handout twice. One is the episode: the
    one the config lists first, else the R Markdown source (what the author edits; a `.md`
    beside it is often an old knitted copy). The other is named in a warning."""
    def rank(p: str) -> int:
        return 0 if listed or not p.endswith(".md") else 1
    kept: dict[str, str] = {}
    for p in sorted(paths, key=rank):
        kept.setdefault(os.path.splitext(os.path.basename(p))[0], p)
    for p in paths:
        first = kept[os.path.splitext(os.path.basename(p))[0]]
        if first != p:
            a, b = (os.path.relpath(x, root).replace(os.sep, "/") for x in (first, p))
            diags.warning(f"{a} and {b} are the same episode (both would be built as "
                          f"{os.path.splitext(os.path.basename(p))[0]}); {a} is built, this "
                          "file is left out (remove or rename one of them)", 0, b)
    return [p for p in paths if kept[os.path.splitext(os.path.basename(p))[0]] == p]
