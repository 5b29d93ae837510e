"""Everything the planner takes from the theme: colours, fonts, sizes and spacing in points, and
where things go on the slide (the frame, from the theme or its template).

The planner has no colours or sizes of its own; a theme changes a deck only through here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..theme import Theme
from ..theme.colour import contrast, readable_on, visible_on
from ..theme.tokens import Colours, Palette
from ..units import PT_PER_INCH as PT
from .elements import BoxLook, CodeLook
from .frame import Frame, frame_of
from .text import TextStyle

# Colours that carry text on the slide background, kept readable on a template's own background.
TEXT_ON_BACKGROUND = ("text", "heading", "muted", "link")


@dataclass
class Look:
    """The deck's look for one episode, in points."""
    theme: Theme
    accent: str
    palette: Palette = None
    frame: Frame = None
    body: TextStyle = None
    small: TextStyle = None
    sub: TextStyle = None
    title: TextStyle = None
    code: CodeLook = None
    output: CodeLook = None
    error: CodeLook = None

    @classmethod
    def of(cls, theme: Theme, episode_colour: str | None) -> Look:
        frame = frame_of(theme)
        palette = _on_background((theme.deck_palette, theme.palette), frame.background)
        d, c, f = theme.deck, palette.colours, theme.fonts
        # The episode's colour stays the accent in every theme, made visible on the slide.
        accent = visible_on(episode_colour or c.accent, c.background)
        lk = cls(theme, accent, palette, frame)
        ls = d.line_spacing
        lk.body = TextStyle(f.body, d.body_size, c.text, ls, f.code, c.link)
        lk.small = TextStyle(f.body, d.small_size, c.muted, ls, f.code, c.link)
        lk.sub = TextStyle(f.heading, d.body_size + 2, c.heading, ls, f.code, c.link, bold=True)
        lk.title = TextStyle(f.heading, d.heading_size, c.heading, d.title_line_spacing,
                             f.code, c.link, bold=True)
        sizes = tuple(float(s) for s in range(int(d.code_size), int(d.code_min) - 1, -1))
        cls_, pad = d.code_line_spacing, d.code_padding
        lk.code = _code_look(f.code, sizes, cls_, c.code_background, c.code_text, pad, c.muted)
        # Output and errors differ from code by a rule down their left side, not only a shade.
        lk.output = _code_look(f.code, sizes, cls_, c.output_background, c.output_text, pad,
                               c.muted, rule=c.muted, name="Output", width=d.box_rule)
        lk.error = _code_look(f.code, sizes, cls_, c.error_background, c.error_text, pad, c.muted,
                              rule=c.error_text, name="Error", width=d.box_rule)
        return lk

    def levels(self) -> list[Look]:
        """The look at each type size a slide may be set in, smallest first: body text from the
        theme's body_min to body_max and code from code_min to code_max, in step."""
        d = self.theme.deck
        n = int(max(d.body_max - d.body_min, d.code_max - d.code_min) // 2) + 1
        out = []
        for k in range(n):
            share = k / (n - 1) if n > 1 else 1.0
            out.append(self.sized(round(d.body_min + share * (d.body_max - d.body_min)),
                                  round(d.code_min + share * (d.code_max - d.code_min))))
        return out

    def sized(self, body: float, code: float) -> Look:
        """The same look with body text and code at these sizes (code smaller where its lines
        need it, down to the minimum)."""
        low = self.theme.deck.code_min
        sizes = tuple(float(s) for s in range(int(code), int(low) - 1, -1)) or (float(low),)

        def coded(look: CodeLook) -> CodeLook:
            return replace(look, sizes=sizes)
        return replace(self, body=self.body.sized(body), sub=self.sub.sized(body + 2),
                       code=coded(self.code), output=coded(self.output), error=coded(self.error))

    # -- geometry ----------------------------------------------------------------------------
    @property
    def W(self) -> float:
        return self.frame.width

    @property
    def H(self) -> float:
        return self.frame.height

    @property
    def margin(self) -> float:
        return self.theme.deck.margin * PT

    @property
    def left(self) -> float:
        return self.frame.content.x

    @property
    def content_w(self) -> float:
        return self.frame.content.w

    @property
    def bottom(self) -> float:
        return self.frame.content.bottom

    @property
    def picture_top(self) -> float:
        """The highest a picture's top can be, which caps its height."""
        d = self.theme.deck
        if not self.frame.template:
            return self.margin + d.title_bar * PT + 12
        return max(self.frame.content.y, self.frame.title.bottom) + d.title_rule + d.title_gap + 12

    @property
    def gap(self) -> float:
        return self.theme.deck.gap

    # -- colours -----------------------------------------------------------------------------
    @property
    def colours(self) -> Colours:
        return self.palette.colours

    def box_colours(self, kind: str):
        return self.palette.box(kind)

    def box(self, kind: str) -> BoxLook:
        b = self.palette.box(kind)
        d = self.theme.deck
        title = TextStyle(self.body.family, self.body.size, readable_on(b.colour, b.background),
                          self.body.line_spacing, self.body.code_family, self.body.link_colour,
                          bold=True)
        return BoxLook(title, b.colour, b.background, d.box_padding, d.box_rule, d.gap)


def _code_look(family, sizes, spacing, fill, colour, pad, muted, rule=None, name="Code",
               width=0.0) -> CodeLook:
    return CodeLook(family, sizes, spacing, fill, colour, pad, mark=readable_on(muted, fill),
                    rule=visible_on(rule, fill) if rule else None,
                    rule_width=width if rule else 0.0,
                    name=name, columns=rule is not None)


def _on_background(palettes: tuple[Palette, ...], background: str | None) -> Palette:
    """A template with its own plain background: of the theme's palettes (slides, print) the one
    made for the nearest background, with slide text darkened or lightened where it would not
    read on the template's background."""
    if not background:
        return palettes[0]
    palette = min(palettes, key=lambda p: contrast(p.colour("background"), background))
    c = palette.colours
    if background.lower() == c.background.lower():
        return palette
    text = {name: readable_on(getattr(c, name), background) for name in TEXT_ON_BACKGROUND}
    return Palette(replace(c, background=background, **text), palette.boxes, palette.code_style)
