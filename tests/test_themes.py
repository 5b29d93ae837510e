"""Themes: every built-in theme reads (WCAG AA) in decks and handouts, computed from its tokens
and checked on real output; decks in every theme and in an Impress-made template render in
LibreOffice with no text outside its box; broken themes are clear errors."""
from __future__ import annotations

import io
import os
import pathlib
import re
import shutil
from functools import cache, lru_cache

import pytest
from click.testing import CliRunner
from conftest import HERE, REPO, corpus_path
from pptx import Presentation
from pptx.util import Emu
from test_pptx import words_outside_boxes
from themepairs import deck_pairs, low, worst

from slidegen.cli import main
from slidegen.errors import ThemeError
from slidegen.handout.style import stylesheet_text
from slidegen.pptx import write_deck
from slidegen.pptx.frame import _background, frame_of
from slidegen.read import read_lesson
from slidegen.theme import builtin_names, load_theme
from slidegen.theme.colour import AA, VISIBLE, contrast

THEMES = builtin_names()
FIXTURES = os.path.join(HERE, "fixtures")
TEMPLATES = {"template-16x9": "template-impress.pptx", "template-4x3": "template-impress-4x3.pptx"}
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@cache
def builtin(name: str):
    return load_theme(name)


_TEMPLATE_THEMES: dict = {}


def template_theme(tmp_path, name: str, extends: str = "carpentries"):
    """A theme folder of a user's own: a theme.toml naming an Impress-made template. Made once
    per session (the folder outlives the test that made it), so decks in it are built once."""
    if (name, extends) in _TEMPLATE_THEMES:
        return _TEMPLATE_THEMES[name, extends]
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    shutil.copyfile(os.path.join(FIXTURES, TEMPLATES[name]), folder / "corporate.pptx")
    (folder / "theme.toml").write_text(f'description = "corporate"\nextends = "{extends}"\n'
                                       '[deck]\ntemplate = "corporate.pptx"\n')
    return _TEMPLATE_THEMES.setdefault((name, extends), load_theme(str(folder)))


@lru_cache(maxsize=4)
def _reading(root: str):
    return read_lesson(root)


def deck(theme, lesson="python-novice-inflammation-styles", stem="07-cond"):
    """A fresh Presentation of the episode's deck; each theme's deck is written once."""
    return Presentation(io.BytesIO(_deck_bytes(theme, lesson, stem)))


_DECKS: dict = {}


def _deck_bytes(theme, lesson: str, stem: str) -> bytes:
    key = (id(theme), lesson, stem)          # themes live as long as the caches above
    if key not in _DECKS:
        reading = _reading(corpus_path(lesson))
        episode = [e for e in reading.lesson.episodes if e.stem == stem][0]
        buf = io.BytesIO()
        write_deck(reading.lesson, episode, theme, buf)
        _DECKS[key] = (theme, buf.getvalue())
    return _DECKS[key][1]


# -- contrast from the tokens ----------------------------------------------------------------------

@pytest.mark.parametrize("name", THEMES)
def test_deck_and_handout_tokens_reach_aa(name):
    theme = load_theme(name)
    for palette in (theme.deck_palette, theme.palette):
        pairs = deck_pairs(palette)
        assert len(pairs) > 40
        assert low(pairs) == [], f"{name}: worst {worst(pairs)}"


@pytest.mark.parametrize("name", THEMES)
def test_handout_prints_on_white_and_in_greyscale(name):
    """Handouts are for paper: a light page, and box rules that still show without colour
    (contrast is computed on luminance, which is what greyscale keeps)."""
    p = load_theme(name).palette
    assert contrast(p.colour("background"), "#000000") > 15
    for kind in p.boxes:
        assert contrast(p.box(kind).colour, p.box(kind).background) >= VISIBLE, kind


def test_dark_theme_is_dark_on_slides_only():
    dark = load_theme("dark")
    assert contrast(dark.deck_palette.colour("background"), "#000000") < 2
    assert dark.palette.colours == load_theme("carpentries").palette.colours
    assert dark.deck_palette.code_style != dark.palette.code_style


def test_high_contrast_has_larger_minimum_sizes():
    hc, base = load_theme("high-contrast").deck, load_theme("carpentries").deck
    assert hc["body_min"] > base["body_min"] and hc["code_min"] > base["code_min"]


# -- contrast on real output -----------------------------------------------------------------------

def _fill(el) -> str | None:
    sp_pr = el.find("p:spPr", NS)
    if sp_pr is None:
        sp_pr = el.find("a:tcPr", NS)
    if sp_pr is None:
        return None
    c = sp_pr.find("a:solidFill/a:srgbClr", NS)
    return "#" + c.get("val").lower() if c is not None else None


def _box(el):
    off, ext = el.find(".//a:xfrm/a:off", NS), el.find(".//a:xfrm/a:ext", NS)
    if off is None:
        off, ext = el.find(".//p:xfrm/a:off", NS), el.find(".//p:xfrm/a:ext", NS)
    x, y = int(off.get("x")) / 12700, int(off.get("y")) / 12700
    return x, y, x + int(ext.get("cx")) / 12700, y + int(ext.get("cy")) / 12700


def run_contrasts(prs):
    """(slide, text, colour, fill behind it, contrast) for every run of every slide: the fill
    is the run's shape's own, else the topmost filled shape under it, else the background."""
    out = []
    for n, slide in enumerate(prs.slides, 1):
        own = slide._element.find("p:cSld/p:bg//a:srgbClr", NS)
        bg = ("#" + own.get("val").lower() if own is not None
              else _background(slide.slide_layout, prs))
        below = []                                     # filled shapes drawn so far
        for el in slide.shapes._spTree.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag not in ("sp", "graphicFrame", "pic"):
                continue
            box = _box(el)
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            behind = next((f for b, f in reversed(below)
                           if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), bg)
            cells = el.findall(".//a:tc", NS) if tag == "graphicFrame" else [el]
            for cell in cells:
                fill = _fill(cell) or behind
                for r in cell.iterfind(".//a:r", NS):
                    c = r.find("a:rPr/a:solidFill/a:srgbClr", NS)
                    text = r.findtext("a:t", default="", namespaces=NS)
                    if c is not None and text.strip():
                        fg = "#" + c.get("val").lower()
                        out.append((n, text, fg, fill, contrast(fg, fill)))
            if tag == "sp" and _fill(el):
                below.append((box, _fill(el)))
    return out


@pytest.mark.parametrize("name", THEMES)
def test_every_run_in_a_deck_reads_on_what_is_behind_it(name):
    runs = run_contrasts(deck(builtin(name)))
    assert len(runs) > 200
    assert len({(fg, fill) for *_, fg, fill, _ in runs}) > 5    # code, titles, boxes ...
    bad = [r for r in runs if r[-1] < AA]
    assert bad == [], bad[:5]


def test_runs_read_on_a_light_episode_colour_in_the_dark_theme(make_lesson):
    root = make_lesson({"_episodes/01-x.md": """
        ---
        title: Pale
        colour: "#ffe680"
        ---

        ## Part

        Text with [a link](https://example.org).
        """})
    reading = read_lesson(root)
    buf = io.BytesIO()
    write_deck(reading.lesson, reading.lesson.episodes[0], load_theme("dark"), buf)
    prs = Presentation(io.BytesIO(buf.getvalue()))
    runs = run_contrasts(prs)
    assert any(fill == "#ffe680" for _, _, _, fill, _ in runs)          # the title slide
    assert [r for r in runs if r[-1] < AA] == []
    rule = [s for s in prs.slides[1].shapes if s.name.startswith("Title rule")][0]
    rule_colour = "#" + str(rule.fill.fore_color.rgb).lower()
    assert contrast(rule_colour, load_theme("dark").deck_palette.colour("background")) >= VISIBLE


@pytest.mark.parametrize("name", TEMPLATES)
def test_runs_read_in_a_template_deck(tmp_path, name):
    bad = [r for r in run_contrasts(deck(template_theme(tmp_path, name))) if r[-1] < AA]
    assert bad == [], bad[:5]


# -- the handout's generated CSS -------------------------------------------------------------------

def css_rules(css: str) -> dict[str, dict[str, str]]:
    """Selector -> merged declarations of the top-level rules (at-rules skipped)."""
    rules: dict[str, dict[str, str]] = {}
    depth, start, i = 0, 0, 0
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    while i < len(css):
        ch = css[i]
        if ch == "{":
            if depth == 0:
                head, body_start = css[start:i].strip(), i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                if not head.startswith("@"):
                    decls = dict(d.split(":", 1) for d in css[body_start:i].split(";") if ":" in d)
                    for sel in head.split(","):
                        rules.setdefault(" ".join(sel.split()), {}).update(
                            {k.strip(): v.strip() for k, v in decls.items()})
                start = i + 1
        i += 1
    return rules


def _hex(value: str | None) -> str | None:
    m = re.search(r"#[0-9a-fA-F]{6}\b", value or "")
    return m.group(0).lower() if m else None


def handout_pairs(theme) -> list[tuple[str, str, str]]:
    rules = css_rules(stylesheet_text(theme))

    def colour(sel):
        return _hex(rules[sel].get("color"))

    def back(sel):
        return _hex(rules[sel].get("background") or rules[sel].get("background-color"))
    page = back("html")
    pairs = [("body", colour("html"), page), ("links", colour("a"), page),
             ("headings", colour("h1"), page),
             ("timing", colour(".timing"), page), ("lesson name", colour(".lesson-name"), page),
             ("contents page numbers", colour(".toc-page"), page),
             ("inline code", colour("html"), back("code")),
             ("table header", colour("th"), back("th")),
             ("table stripe", colour("html"), back("tbody tr:nth-child(even) td")),
             ("break row", colour(".schedule-table tr.break-row td"),
              back("tbody tr:nth-child(even) td")),
             ("cover title", colour("h1.cover-title"), back(".cover-band")),
             ("cover kicker", colour(".cover-kicker"), back(".cover-band")),
             ("cover summary", colour(".cover-summary"), back(".cover-band")),
             ("described figure label", colour(".described-label"), back(".described")),
             ("described figure words", colour("html"), back(".described")),
             ("exercise repeated on a solution", colour(".box-title .box-of"),
              back(".box-solution"))]
    for role in ("", "-output", "-error"):
        sel = f".code{role}"
        fg = colour(sel) or colour(".code")
        pairs.append((f"code{role}", fg, back(sel)))
        label = colour(".code-error .code-label") if role == "-error" else colour(".code-label")
        pairs.append((f"code{role} label", label, back(sel)))
    for sel, decls in rules.items():
        if sel.startswith(".hl .") and _hex(decls.get("color")):
            for where in (".code", ".box .code"):
                pairs.append((f"{sel} in {where}", _hex(decls["color"]), back(where)))
    kinds = [s[len(".box-"):] for s in rules if re.fullmatch(r"\.box-[a-z-]+", s) and back(s)]
    assert "challenge" in kinds and "callout" in kinds
    for kind in kinds:
        bg = back(f".box-{kind}")
        pairs += [(f"{kind} title", colour(f".box-{kind} > .box-title"), bg),
                  (f"text in {kind}", colour("html"), bg), (f"link in {kind}", colour("a"), bg),
                  (f"time in {kind}", colour(".box-time"), bg)]
    return pairs


@pytest.mark.parametrize("name", THEMES)
def test_handout_css_pairs_reach_aa(name):
    pairs = handout_pairs(load_theme(name))
    assert all(fg and bg for _, fg, bg in pairs), [p for p in pairs if not (p[1] and p[2])]
    assert low(pairs) == [], f"{name}: worst {worst(pairs)}"


def test_handout_heading_rule_takes_a_visible_episode_colour(make_lesson):
    from slidegen.handout.html import episode_accent
    root = make_lesson({"_episodes/01-x.md": '---\ntitle: X\ncolour: "#fff8e0"\n---\n\nText.\n'})
    ep = read_lesson(root).lesson.episodes[0]
    accent = episode_accent(ep, load_theme())
    assert accent and accent != "#fff8e0" and contrast(accent, "#ffffff") >= VISIBLE


# -- templates -------------------------------------------------------------------------------------

def master_decorations(prs):
    """Boxes of the master's own drawings (not placeholders): logos, bars."""
    return [(Emu(s.left).pt, Emu(s.top).pt, Emu(s.left + s.width).pt, Emu(s.top + s.height).pt)
            for s in prs.slide_master.shapes if not s.is_placeholder]


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_deck_uses_its_master_layouts_and_leaves_its_decorations_uncovered(tmp_path, name):
    theme = template_theme(tmp_path, name)
    template = Presentation(os.path.join(FIXTURES, TEMPLATES[name]))
    prs = deck(theme)
    assert (prs.slide_width, prs.slide_height) == (template.slide_width, template.slide_height)
    decorations = master_decorations(prs)
    assert len(decorations) >= 3
    layouts = {s.slide_layout.name for s in prs.slides}
    assert layouts <= {"Title Slide", "Title Only", "Title, Content"} and "Title Slide" in layouts
    frame = frame_of(theme)
    body = [p for p in template.slide_master.placeholders if p.placeholder_format.type == 2][0]
    assert abs(frame.content.y - Emu(body.top).pt) < 1
    assert abs(frame.content.w - Emu(body.width).pt) < 1
    for n, slide in enumerate(prs.slides, 1):
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text
        for s in slide.shapes:
            x0, y0, x1, y1 = (Emu(s.left).pt, Emu(s.top).pt,
                              Emu(s.left + s.width).pt, Emu(s.top + s.height).pt)
            for d in decorations:
                overlap = (min(x1, d[2]) - max(x0, d[0]) > 0.5
                           and min(y1, d[3]) - max(y0, d[1]) > 0.5)
                assert not overlap, f"slide {n}: {s.name} covers the master's decoration {d}"


def test_template_text_follows_its_background(tmp_path):
    """The dark theme on a white template: slide text is made readable on the template."""
    theme = template_theme(tmp_path, "template-16x9", extends="dark")
    assert frame_of(theme).background == "#ffffff"
    bad = [r for r in run_contrasts(deck(theme)) if r[-1] < AA]
    assert bad == [], bad[:5]


# -- LibreOffice renders every theme without overflow ----------------------------------------------

@pytest.mark.render
def test_decks_in_every_theme_and_template_render_without_overflow(tmp_path, soffice):
    themes = {name: builtin(name) for name in THEMES}
    themes.update({name: template_theme(tmp_path, name) for name in TEMPLATES})
    paths = []
    for name, theme in themes.items():
        prs = deck(theme)
        for s in prs.slides:                      # render hidden slides too
            s._element.attrib.pop("show", None)
        path = tmp_path / f"{name}.pptx"
        prs.save(path)
        paths.append(str(path))
    soffice(paths, tmp_path)
    problems = {}
    for p in paths:
        pdf = os.path.splitext(p)[0] + ".pdf"
        assert os.path.exists(pdf)
        problems[os.path.basename(p)] = words_outside_boxes(p, pdf)
    assert all(v == [] for v in problems.values()), problems


# -- broken themes and the CLI ---------------------------------------------------------------------

def write_theme(tmp_path, name: str, toml: str) -> str:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "theme.toml").write_text(toml)
    return str(folder)


@pytest.mark.parametrize("toml,token", [
    ('[colours]\nbackgound = "#ffffff"\n', "colours.backgound"),
    ('[colours]\ntext = "black"\n', "colours.text"),
    ('[deck]\nbody_size = "big"\n', "deck.body_size"),
    ('[deck.colours]\nfoo = "#000000"\n', "deck.colours.foo"),
    ('[deck.boxes.challenge]\ncolour = "red"\n', "deck.boxes.challenge.colour"),
    ('[deck]\ntemplate = "missing.pptx"\n', "deck.template"),
    ('[deck]\ntemplate = "theme.toml"\n', "deck.template"),
])
def test_broken_theme_names_token_and_file(tmp_path, toml, token):
    folder = write_theme(tmp_path, "broken", toml)
    with pytest.raises(ThemeError) as e:
        load_theme(folder)
    assert f"'{token}'" in str(e.value)
    assert os.path.join(folder, "theme.toml") in str(e.value)


def test_extends_loop_and_missing_theme(tmp_path):
    a = write_theme(tmp_path, "a", 'extends = "../b"\n')
    write_theme(tmp_path, "b", 'extends = "../a"\n')
    with pytest.raises(ThemeError, match="loop") as e:
        load_theme(a)
    assert "theme.toml" in str(e.value)
    with pytest.raises(ThemeError, match="no theme 'nope'"):
        load_theme("nope")


def test_child_theme_overrides_only_some_tokens(tmp_path):
    folder = write_theme(tmp_path, "child",
                         'extends = "dark"\n[deck.colours]\naccent = "#00ff88"\n')
    child, dark = load_theme(folder), load_theme("dark")
    assert child.deck_palette.colour("accent") == "#00ff88"
    assert child.deck_palette.colour("background") == dark.deck_palette.colour("background")
    assert child.folders[1:] == dark.folders


def test_cli_broken_theme_exits_2_without_traceback(tmp_path):
    folder = write_theme(tmp_path, "broken", '[colours]\ntext = "black"\n')
    result = CliRunner().invoke(main, ["build", REPO, "--theme", folder,
                                       "-o", str(tmp_path / "out"), "--only", "slides"])
    assert result.exit_code == 2, result.output
    assert "colours.text" in result.output and "theme.toml" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["build", REPO, "--theme", "no-such-theme",
                                       "-o", str(tmp_path / "o2")])
    assert result.exit_code == 2 and "no theme 'no-such-theme'" in result.output


def test_themes_command_lists_every_builtin_theme():
    result = CliRunner().invoke(main, ["themes"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [ln.split()[0] for ln in lines] == THEMES
    for ln, name in zip(lines, THEMES, strict=True):
        description = load_theme(name).description
        assert description and ln.endswith(description)
    assert {"carpentries", "minimal", "dark", "high-contrast"} <= set(THEMES)


def test_a_font_edited_in_a_theme_is_not_served_from_cached_layouts(tmp_path):
    """Cached small layouts (page stamps, front pages) are keyed by what decides them: a font
    file of the theme's own, edited in place, keeps its URL, so its bytes are in the key."""
    from slidegen.handout.layouts import layout_context
    from slidegen.theme import forget_themes, load_theme
    folder = write_theme(tmp_path, "ours", 'description = "ours"\nextends = "carpentries"\n')
    fonts = tmp_path / "ours" / "fonts"
    fonts.mkdir()
    font = fonts / "LiberationSans-Regular.ttf"
    shipped = pathlib.Path(REPO, "slidegen", "fonts")
    font.write_bytes((shipped / "LiberationSans-Regular.ttf").read_bytes())
    before = layout_context(load_theme(folder))
    font.write_bytes((shipped / "LiberationSans-Bold.ttf").read_bytes())
    forget_themes()
    assert layout_context(load_theme(folder)) != before
