"""Themes: a folder with `theme.toml` design tokens, an optional .pptx template and handout CSS.

The built-in `carpentries` theme defines every token; any other theme extends it (directly or
through `extends = "other"`) and overrides only what it changes. Writers take every colour, font
and size from here, as typed tables (tokens.py) checked when the theme loads: a wrong token is
an error naming the token and the file.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..errors import ThemeError
from .files import read_theme_file, theme_file
from .template import NotATemplate, forget_templates, read_template
from .tokens import Box, Deck, Fonts, Handout, Palette, Tokens, merge, validate

BASE = "carpentries"
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT_DIR = os.path.join(PACKAGE_DIR, "fonts")
# The built-in themes live at the top of the repository (`themes/`), where a designer finds
# them; the wheel carries them inside the package (`slidegen/themes/`, mapped in pyproject.toml).
INSTALLED_DIR = os.path.join(PACKAGE_DIR, "themes")
SOURCE_DIR = os.path.join(os.path.dirname(PACKAGE_DIR), "themes")
MAX_TOML_BYTES = 1_000_000
_MADE_FROM_THEMES: list = []     # how to clear what other modules made from a theme's files


def made_from_themes(clear):
    """Register `clear`, which empties a cache of things made from a theme's files (a
    stylesheet, a template's layouts): `forget_themes` calls it."""
    _MADE_FROM_THEMES.append(clear)
    return clear


def forget_themes() -> None:
    """Forget every theme read so far and what was made from it, so that the next build reads
    the theme files again: `build --watch` rebuilds with a theme edited meanwhile."""
    _load.cache_clear()
    _read_toml_cached.cache_clear()
    forget_templates()
    for clear in _MADE_FROM_THEMES:
        clear()


@lru_cache(maxsize=1)
def builtin_dir() -> str:
    """The built-in themes: inside an installed package, else beside a source checkout's
    package (an editable install, or a clone on `PYTHONPATH`)."""
    for folder in (INSTALLED_DIR, SOURCE_DIR):
        if os.path.isfile(os.path.join(folder, BASE, "theme.toml")):
            return folder
    raise ThemeError("slidegen's built-in themes are missing from this installation")


def builtin_names() -> list[str]:
    d = builtin_dir()
    return sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n, "theme.toml")))


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    folders: tuple[str, ...]            # this theme's folder first, then those it extends
    tokens: Tokens = field(repr=False)

    # -- typed access ----------------------------------------------------------------------
    def colour(self, name: str) -> str:
        """A handout colour (slides take theirs from `deck_palette`)."""
        return self.tokens.palette.colour(name)

    def box(self, kind: str) -> Box:
        return self.tokens.palette.box(kind)

    @property
    def palette(self) -> Palette:
        """The handout's colours (the shared tables as written)."""
        return self.tokens.palette

    @property
    def deck_palette(self) -> Palette:
        """The slides' colours: the shared tables with [deck.colours]/[deck.boxes]/[deck.code]
        laid over them."""
        return self.tokens.deck_palette

    @property
    def fonts(self) -> Fonts:
        return self.tokens.fonts

    @property
    def deck(self) -> Deck:
        return self.tokens.deck

    @property
    def handout(self) -> Handout:
        return self.tokens.handout

    @property
    def code_style(self) -> str:
        return self.tokens.palette.code_style

    def file(self, relative: str) -> str | None:
        """A file named by a token, looked up in this theme's folder, then those it extends:
        only a regular file inside the folder (no absolute path, '..' or link leading out)."""
        for folder in self.folders:
            p = theme_file(folder, relative)
            if p:
                return p
        return None

    @property
    def template(self) -> str | None:
        return self.file(self.deck.template)

    @property
    def handout_css(self) -> list[str]:
        """Extra CSS files, base theme first, so a child's rules win."""
        out = []
        for folder in reversed(self.folders):
            css = _read_toml(os.path.join(folder, "theme.toml")).get("handout", {}).get("css")
            path = theme_file(folder, css) if css else None
            if path:
                out.append(path)
        return out


def load_theme(name_or_path: str | None = None) -> Theme:
    """A built-in theme by name, or a theme folder (or its theme.toml) by path."""
    return _load(name_or_path or BASE)


@cache
def _load(name_or_path: str) -> Theme:
    folder = _folder(name_or_path)
    chain = [folder]
    seen = {os.path.realpath(folder)}
    own = _read_toml(os.path.join(folder, "theme.toml"))
    data = own
    layers = [own]
    while os.path.realpath(chain[-1]) != os.path.realpath(os.path.join(builtin_dir(), BASE)):
        parent = data.get("extends") or BASE
        if not isinstance(parent, str):
            raise ThemeError("'extends' must be a theme name or folder", _toml_path(chain[-1]), 0)
        pfolder = _folder(parent, relative_to=chain[-1])
        if os.path.realpath(pfolder) in seen:
            raise ThemeError(f"themes extend each other in a loop at '{parent}'",
                             _toml_path(chain[-1]), 0)
        seen.add(os.path.realpath(pfolder))
        chain.append(pfolder)
        data = _read_toml(os.path.join(pfolder, "theme.toml"))
        layers.append(data)
    base = layers[-1]
    merged: dict = {}
    for layer, f in zip(reversed(layers), reversed(chain), strict=True):
        validate(layer, _toml_path(f), base)
        merged = merge(merged, layer)
        template = layer.get("deck", {}).get("template")
        if template:
            _check_template(f, template, _toml_path(f))
    name = os.path.basename(os.path.normpath(folder))
    return Theme(name, str(own.get("description", "")), tuple(chain),
                 Tokens.of(merged, _toml_path(chain[-1])))


def _check_template(folder: str, name: str, toml: str) -> None:
    """A template must be a PowerPoint file in the theme's folder, within template.py's limits;
    its layouts are read when a deck is planned."""
    path = theme_file(folder, name)
    if path is None:
        raise ThemeError(f"'deck.template' names '{name}', which is not a file in "
                         f"{folder} (a theme's files stay in its folder: no absolute paths, "
                         "'..' or links leading out)", toml, 0)
    try:
        read_template(path)       # bounded, or a ThemeError naming the template
    except NotATemplate:
        raise ThemeError(f"'deck.template' names '{name}', which is not a PowerPoint (.pptx) "
                         "file", toml, 0) from None


def _folder(name_or_path: str, relative_to: str | None = None) -> str:
    candidates = []
    if os.sep in name_or_path or "/" in name_or_path or name_or_path.startswith("."):
        p = name_or_path
        if relative_to and not os.path.isabs(p):
            p = os.path.join(relative_to, p)
        if os.path.basename(p) == "theme.toml":
            p = os.path.dirname(p)
        candidates.append(p)
    else:
        candidates.append(os.path.join(builtin_dir(), name_or_path))
        if relative_to:
            candidates.append(os.path.join(os.path.dirname(relative_to), name_or_path))
        candidates.append(name_or_path)
    for c in candidates:
        if os.path.isfile(os.path.join(c, "theme.toml")):
            return os.path.abspath(c)
    raise ThemeError(f"no theme '{name_or_path}': give one of {', '.join(builtin_names())} or a "
                     "folder holding a theme.toml")


def _toml_path(folder: str) -> str:
    return os.path.join(folder, "theme.toml")


@cache
def _read_toml_cached(path: str) -> dict:
    data = read_theme_file(os.path.dirname(path), os.path.basename(path), MAX_TOML_BYTES)
    if data is None:
        raise ThemeError("not a readable theme file (a regular file of at most "
                         f"{MAX_TOML_BYTES // 1000} kB inside the theme folder)", path, 0)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise ThemeError(f"invalid TOML: {e}", path, int(m.group(1)) if m else 0) from None
    except UnicodeDecodeError:
        raise ThemeError("theme.toml is not UTF-8 text", path, 0) from None


def _read_toml(path: str) -> dict:
    return _read_toml_cached(os.path.abspath(path))
