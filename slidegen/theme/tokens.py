"""Theme tokens as typed tables, checked when a theme loads.

Each table of theme.toml is a frozen dataclass whose fields are its tokens; a field's annotation
says what the token holds (a colour, a positive number, text, a list of names), and every
theme file is checked against these tables: a token that is not a field, or of the wrong kind,
is an error naming the token and the file. Writers read tokens as attributes
(`theme.deck.body_size`); `table["body_size"]` reads one by its TOML name, as templates may.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from ..errors import ThemeError
from ..kinds import LOOKS_LIKE

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
Colour = str                  # "#rrggbb"
Names = tuple                 # names, e.g. of slide layouts


class Table:
    """Read access by TOML name, for templates and theme authors' habits."""

    def __getitem__(self, name: str):
        if name in self.__dataclass_fields__:
            return getattr(self, name)
        raise KeyError(name)

    @classmethod
    def tokens(cls) -> dict[str, str]:
        """Token name -> its kind (the field's annotation)."""
        return {f.name: str(f.type) for f in fields(cls)}

    @classmethod
    def of(cls, data: dict, path: str, table: str):
        missing = [name for name in cls.tokens() if name not in data]
        if missing:
            raise ThemeError(f"theme token '{table}.{missing[0]}' is missing", path, 0)
        return cls(**{name: tuple(data[name]) if kind == "Names" else data[name]
                      for name, kind in cls.tokens().items()})


@dataclass(frozen=True)
class Colours(Table):
    background: Colour
    text: Colour
    muted: Colour
    heading: Colour
    accent: Colour
    link: Colour
    title_background: Colour
    title_text: Colour
    title_muted: Colour
    code_background: Colour
    code_text: Colour
    output_background: Colour
    output_text: Colour
    error_background: Colour
    error_text: Colour
    table_header_background: Colour
    table_header_text: Colour
    table_border: Colour
    table_stripe: Colour
    picture_background: Colour


@dataclass(frozen=True)
class Box(Table):
    colour: Colour            # a box's title and rule
    background: Colour


@dataclass(frozen=True)
class Fonts(Table):
    body: str
    heading: str
    code: str


@dataclass(frozen=True)
class Code(Table):
    style: str                # a Pygments style name


@dataclass(frozen=True)
class Deck(Table):
    width: float              # inches
    height: float
    margin: float
    title_bar: float
    title_size: float         # points from here on
    subtitle_size: float
    heading_size: float
    body_size: float
    body_min: float
    body_max: float
    code_size: float
    code_min: float
    code_max: float
    small_size: float
    line_spacing: float
    title_line_spacing: float
    subtitle_line_spacing: float
    code_line_spacing: float
    gap: float
    title_gap: float
    title_rule: float
    accent_bar: float
    box_padding: float
    box_rule: float
    code_padding: float
    template: str
    title_layouts: Names
    content_layouts: Names


@dataclass(frozen=True)
class Handout(Table):
    page_size: str
    body_font: str
    code_font: str
    body_size: float
    code_size: float
    header_size: float
    line_height: float
    code_line_height: float
    page_margin_y: str        # CSS lengths
    page_margin_x: str
    accent_rule: float
    box_rule: float
    answer_space: str
    answer_rule: Colour
    css: str


@dataclass(frozen=True)
class Palette:
    """The colours one medium (slides or handout) uses: `colours`, `boxes` and code style."""
    colours: Colours
    boxes: Mapping[str, Box]
    code_style: str

    def colour(self, name: str) -> str:
        return self.colours[name]

    def box(self, kind: str) -> Box:
        """The colours of `kind`'s boxes: its own, else those of the kind it looks like (an
        exercise a challenge's), else the theme's `other` box."""
        return (self.boxes.get(kind) or self.boxes.get(LOOKS_LIKE.get(kind, ""))
                or self.boxes["other"])


# Tables under [deck] that override the shared tables of the same name on slides only, so a
# theme can have dark slides for a projector and a handout that still prints on white paper.
DECK_OVERRIDES = {"colours": Colours, "boxes": Box, "code": Code}
TABLES = {"colours": Colours, "boxes": Box, "fonts": Fonts, "deck": Deck, "code": Code,
          "handout": Handout}
TEXT_KEYS = ("description", "extends")


@dataclass(frozen=True)
class Tokens:
    """Every token of a theme, its own and those it extends merged."""
    fonts: Fonts
    deck: Deck
    handout: Handout
    palette: Palette          # the handout's colours (the shared tables as written)
    deck_palette: Palette     # the slides': [deck.colours]/[deck.boxes]/[deck.code] laid over

    @classmethod
    def of(cls, data: dict, path: str) -> Tokens:
        """Typed tokens from a merged theme (`path`: the file that completes it, for errors)."""
        deck = data["deck"]
        palette = _palette(data["colours"], data["boxes"], data["code"], path)
        slides = _palette({**data["colours"], **deck.get("colours", {})},
                          merge(data["boxes"], deck.get("boxes", {})),
                          {**data["code"], **deck.get("code", {})}, path)
        return cls(Fonts.of(data["fonts"], path, "fonts"), Deck.of(deck, path, "deck"),
                   Handout.of(data["handout"], path, "handout"), palette, slides)


def validate(layer: dict, path: str, base: dict) -> None:
    """Every token of one theme file must be a token of the tables above, of its kind. `base`
    is the base theme's file, which sets every token."""
    for key, value in layer.items():
        if key in TEXT_KEYS:
            if not isinstance(value, str):
                raise ThemeError(f"'{key}' must be text, not {value!r}", path, 0)
        elif key == "boxes":
            _boxes(value, path, "boxes.")
        elif key in TABLES:
            _table(value, TABLES[key], path, f"{key}.")
        else:
            raise ThemeError(f"unknown theme token '{key}'", path, 0)
    deck = layer.get("deck")
    if deck:
        _sizes({**base.get("deck", {}), **deck}, path)


def _table(value, table: type[Table], path: str, prefix: str) -> None:
    if not isinstance(value, dict):
        raise ThemeError(f"'{prefix[:-1]}' must be a table of tokens", path, 0)
    kinds = table.tokens()
    for key, v in value.items():
        token = f"{prefix}{key}"
        if table is Deck and key in DECK_OVERRIDES:
            if key == "boxes":
                if not isinstance(v, dict):
                    raise ThemeError(f"'{token}' must be a table of tokens", path, 0)
                _boxes(v, path, f"{token}.")
            else:
                _table(v, DECK_OVERRIDES[key], path, f"{token}.")
        elif key not in kinds:
            raise ThemeError(f"unknown theme token '{token}'", path, 0)
        else:
            _check(v, kinds[key], token, path)


def _boxes(value, path: str, prefix: str) -> None:
    """Any block kind may have a box; each is a table of Box tokens."""
    if not isinstance(value, dict):
        raise ThemeError(f"'{prefix[:-1]}' must be a table of tokens", path, 0)
    for kind, box in value.items():
        _table(box, Box, path, f"{prefix}{kind}.")


def _check(value, kind: str, token: str, path: str) -> None:
    if kind == "Colour":
        if not isinstance(value, str) or not HEX.match(value):
            raise ThemeError(f"'{token}' must be a colour like \"#1a2a6c\", not {value!r}", path, 0)
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ThemeError(f"'{token}' must be a positive number, not {value!r}", path, 0)
    elif kind == "Names":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ThemeError(f"'{token}' must be a list of names", path, 0)
    elif not isinstance(value, str):
        raise ThemeError(f"'{token}' must be text, not {value!r}", path, 0)


def _sizes(merged: dict, path: str) -> None:
    """No minimum above its size, nor a size above its maximum (`merged`: the base theme's
    [deck] under this file's)."""
    for size in ("body", "code"):
        low, mid, high = (merged[f"{size}_{k}"] for k in ("min", "size", "max"))
        if low > mid:
            raise ThemeError(f"'deck.{size}_min' ({low}) is larger than "
                             f"'deck.{size}_size' ({mid})", path, 0)
        if mid > high:
            raise ThemeError(f"'deck.{size}_size' ({mid}) is larger than "
                             f"'deck.{size}_max' ({high})", path, 0)


def _palette(colours: dict, boxes: dict, code: dict, path: str) -> Palette:
    return Palette(Colours.of(colours, path, "colours"),
                   {kind: Box.of(b, path, f"boxes.{kind}") for kind, b in boxes.items()},
                   Code.of(code, path, "code").style)


def merge(a: dict, b: dict) -> dict:
    """`b` laid over `a`, table by table."""
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
