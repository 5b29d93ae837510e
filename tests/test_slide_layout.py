"""Slides laid out by the optimiser (pptx/breaking.py), judged in the .pptx as an instructor would
judge them the night before class: breaks chosen for the whole section, exercises whole on their
slides, nothing stranded, nothing over the slide's edge, type as large as the room allows."""
from __future__ import annotations

import random

import pytest
from deckkit import body, code, content, deck, h, items, notes, para, title, visible, words_of
from pptx.util import Emu

from slidegen.model import Math, Paragraph, Span, Special, Table
from slidegen.pptx import breaking, costs
from slidegen.pptx.context import Context
from slidegen.pptx.elements import BoxElement, CodeElement, TableElement, TextElement
from slidegen.pptx.flow import elements
from slidegen.pptx.look import Look
from slidegen.pptx.options import Options
from slidegen.pptx.text import plain_para
from slidegen.theme import load_theme

THEME = load_theme()
DECK = THEME.deck


def exercise(*children, title="Exercise: Loops", minutes=10):
    return Special("challenge", title, minutes, tuple(children), 1)


def sizes(slide, mono: bool) -> list[float]:
    """Sizes of the code (`mono`) or the body text on a slide, title and badge left out."""
    return sorted({r.font.size.pt for s in slide.shapes if s.has_text_frame
                   and s != slide.shapes.title and s.name not in ("Time", "Breadcrumb")
                   for p in s.text_frame.paragraphs for r in p.runs
                   if r.font.size is not None and r.text.strip()
                   and s.name.startswith(("Code", "Output", "Error")) == mono})


def bottom_text(slide) -> str:
    """The text of the lowest shape on the slide (what the room reads last)."""
    shapes = [s for s in slide.shapes if s != slide.shapes.title and s.has_text_frame
              and s.text_frame.text.strip() and s.name not in ("Time", "Breadcrumb")]
    return max(shapes, key=lambda s: s.top + s.height).text_frame.text if shapes else ""


# -- the optimiser: breaks for the whole section, not one at a time ----------------------------

def _greedy(problem: breaking.Problem) -> list[tuple[int, int]]:
    """Slides as a greedy filler makes them: each as full as it gets at the smallest type."""
    out, p = [], 0
    while p < problem.size:
        m = breaking._Measure(problem, p)
        q = p + 1
        while q < problem.size:
            m.q = q + 1
            if not m.fits(0):
                break
            q += 1
        out.append((p, q))
        p = q
    return out


def stranding(n: int) -> list:
    return [para("This section introduces the topic at some length before the details. " * 3),
            code("\n".join(f"step_{i} = compute({i})" for i in range(n))),
            h(3, "Details"), para("The details follow in a paragraph of their own. " * 4),
            code("\n".join(f"detail_{i} = refine({i})" for i in range(9)))]


def test_the_optimiser_gives_good_slides_where_a_greedy_fill_strands_a_heading():
    ctx = Context(None, None, Look.of(THEME, None), Options(slides="full"))
    ctx.look = ctx.look.levels()[0]
    room = ctx.look.bottom - ctx.look.frame.content.y
    for n in range(4, 40):          # a listing just long enough for the heading to fit under it
        els = elements(ctx, stranding(n), subsection=3)
        problem = breaking.Problem([els], ctx.look.content_w, ctx.look.bottom, ctx.look.gap,
                                   lambda p, box: ctx.look.bottom - room, budget=None)
        heading = next(i for i, e in enumerate(els) if e.heading)
        if any(end == problem.offsets[heading + 1] for _, end in _greedy(problem)):
            break                   # a greedy fill puts the heading at the foot of a slide
    else:
        pytest.fail("no listing length strands the heading in a greedy fill")
    runs, problems = breaking.optimise(problem)
    assert problems == []
    assert all(run.end != problem.offsets[heading + 1] for run in runs)
    prs, _ = deck([h(2, "Topic"), *stranding(n)], slides="full")
    slides = content(prs)
    assert title(slides[-1]) == "Details"               # the subsection titles the slide it starts
    for s in slides:
        assert not bottom_text(s).strip().endswith("Details")
        assert words_of(body(s)) != "Details"


def test_a_heading_or_a_lead_never_ends_a_slide():
    lead = "The steps to follow are these:"
    blocks = [h(2, "Setting up")]
    for k in range(5):
        blocks += [para(f"Part {k} explains one more thing at some length before its code. " * 2),
                   h(3, f"Stage {k}"), para(lead),
                   code("\n".join(f"x{k}_{i} = {i}" for i in range(7)))]
    prs, _ = deck(blocks, slides="full")
    for s in content(prs):
        last = bottom_text(s).strip()
        assert not last.endswith(":"), title(s)
        assert not last.startswith("Stage"), title(s)
        assert words_of(body(s)) not in {f"Stage {k}" for k in range(5)}


def test_a_subsection_begun_on_a_slide_ends_there_and_a_continued_slide_says_so():
    long = code("\n".join(f"value_{i} = {i} * {i}" for i in range(60)))
    prs, _ = deck([h(2, "Numbers"), para("We compute many values:"), long], slides="full")
    slides = content(prs)
    assert len(slides) >= 2
    assert [title(s) for s in slides[1:]] == ["Numbers (cont.)"] * (len(slides) - 1)


# -- exercises: the task whole, on one slide where it fits ---------------------------------------

TASK = ("Write a function that counts the vowels in a word. It should return a dictionary from "
        "each vowel to how often it occurs, and leave out the vowels that do not occur at all.")


def test_an_exercise_task_is_whole_on_one_slide_where_it_fits_at_the_smallest_type():
    hint = Special("hint", "Hint", None, (para("A dictionary's get() takes a default."),), 1)
    task = [para(TASK), items("(optional) Do the same for consonants, but with hue=\"sex\". "
                              "Explain the patterns you see. Which combination of features "
                              "distinguishes the two sexes best?", "Test it on three words."),
            code("count_vowels('banana')"), hint]
    prs, _ = deck([h(2, "Practice"), exercise(*task)])
    ex = [s for s in visible(prs) if title(s).startswith("Exercise")]
    assert [title(s) for s in ex] == ["Exercise: Loops"]
    shown = words_of(body(ex[0]))
    assert words_of(TASK) in shown
    assert "Explain the patterns you see. Which combination of features distinguishes the two " \
           "sexes best?" in shown                              # every sentence of every item
    assert "count_vowels('banana')" in shown and "A dictionary's get() takes a default." in shown


def test_an_exercise_too_long_for_one_slide_splits_between_its_parts_numbered():
    parts = [para(f"Step {k}: " + TASK) for k in range(9)]
    prs, _ = deck([h(2, "Practice"), exercise(*parts)])
    ex = [s for s in visible(prs) if title(s).startswith("Exercise")]
    assert [title(s) for s in ex] == [f"Exercise: Loops ({k}/{len(ex)})"
                                      for k in range(1, len(ex) + 1)]
    assert 2 <= len(ex) <= 3
    shown = words_of(" ".join(body(s) for s in ex))
    for k in range(9):
        assert words_of(f"Step {k}: " + TASK) in shown
    for s in ex:                                         # never a sentence cut in two
        lines = [x for x in body(s).split("\n") if x not in ("Practice", "10 min")]
        assert lines[0].startswith("Step")


# -- nothing over the edge ---------------------------------------------------------------------

def test_forty_key_points_split_like_everything_else_and_nothing_overflows():
    points = tuple((Span(f"Key point {k} says something the learners should remember well."),)
                   for k in range(40))
    prs, result = deck([h(2, "Done"), para("That was it.")], keypoints=points)
    assert not [d for d in result.diagnostics if "overflow" in d.message]
    kp = [s for s in visible(prs) if title(s).startswith("Key Points")]
    assert len(kp) >= 3
    shown = words_of(" ".join(body(s) for s in kp))
    for k in range(40):
        assert f"Key point {k} says" in shown
    height = Emu(prs.slide_height).pt
    for s in visible(prs):
        for shp in s.shapes:
            assert Emu(shp.top + shp.height).pt <= height - 10, (title(s), shp.name)


def test_a_table_split_repeats_its_header_and_carries_rows():
    header = (Span("Name"),), (Span("Value"),)
    rows = tuple(((Span(f"item {k}"),), (Span(f"{k * k}"),)) for k in range(40))
    prs, _ = deck([h(2, "Squares"), Table(header, rows, (None, None), 1)])
    parts = [s for s in content(prs) if any(getattr(x, "has_table", False) and x.has_table
                                            for x in s.shapes)]
    assert len(parts) >= 2
    shown = []
    for s in parts:
        table = next(x.table for x in s.shapes if getattr(x, "has_table", False) and x.has_table)
        cells = [[c.text for c in r.cells] for r in table.rows]
        assert cells[0] == ["Name", "Value"]                    # the header on every part
        assert len(cells) - 1 >= 2 and all(all(c.strip() for c in r) for r in cells)
        shown += [r[0] for r in cells[1:]]
    assert shown == [f"item {k}" for k in range(40)]


# -- code: whole statements on a slide, type as large as the room allows ----------------------

def test_a_listing_never_splits_between_a_line_and_its_continuation():
    lines = []
    for k in range(12):
        lines += [f"fix {k} all nve &", f"    temp {k} 300.0 &", f"    damp {k} 0.1", ""]
    prs, _ = deck([h(2, "Input"), code("\n".join(lines), lang="text")], slides="full")
    parts = [[ln for shp in s.shapes if shp.name.startswith("Code")
              for ln in shp.text_frame.text.split("\n")] for s in content(prs)]
    assert len(parts) >= 2
    for part in parts[:-1]:
        last = [ln for ln in part if ln.strip()][-1]
        assert not last.rstrip().endswith("&"), last


def test_a_slide_with_room_gets_larger_type_within_the_themes_range():
    prs, _ = deck([h(2, "Hello"), para("Print a greeting:"), code("print('hello')")])
    (slide,) = content(prs)
    assert sizes(slide, mono=True) == [DECK.code_max]
    assert sizes(slide, mono=False) == [DECK.body_max]
    long = code("\n".join(f"total = total + values[{k}]  # step {k}" for k in range(20)))
    prs, _ = deck([h(2, "Sum"), para("Add them up:"), long])
    for s in content(prs):
        for size in sizes(s, mono=True):
            assert DECK.code_min <= size <= DECK.code_max
        for size in sizes(s, mono=False):
            assert DECK.body_min <= size <= DECK.body_max


def test_a_table_of_cells_never_shows_empty_rows_and_math_in_the_notes_reads_as_text():
    formula = Paragraph((Span("The sigmoid is "), Span(r"f(x) = \frac{1}{1 + e^{-x}}", math=True),
                         Span(", which squashes any number into (0, 1).")), 1)
    prs, _ = deck([h(2, "Sigmoid"), formula, Math(r"\sigma(x) = \frac{1}{1 + e^{-x}}", 1),
                   para("It is smooth.")])
    said = " ".join(notes(s) for s in prs.slides)
    assert "\\frac" not in said and "1/(1 + e" in said


# -- the elements' parts: what the optimiser measures is what the slide draws -----------------

@pytest.mark.parametrize("seed", range(3))
def test_every_part_is_as_high_as_the_optimiser_measured(seed):
    rng = random.Random(seed)
    ctx = Context(None, None, Look.of(THEME, None), Options(slides="full"))
    blocks = [para(" ".join(rng.choice(["word", "longer words", "a", "sentence."])
                            for _ in range(rng.randint(5, 90)))) for _ in range(4)]
    blocks += [items(*[f"item {k} " * rng.randint(1, 9) for k in range(9)]),
               code("\n".join("x = " + "y + " * rng.randint(0, 40) + "1" for _ in range(20))),
               Table(((Span("a"),), (Span("b"),)),
                     tuple(((Span("cell " * rng.randint(1, 12)),), (Span("2"),))
                           for _ in range(12)), (None, None), 1),
               Special("callout", "Note", None, tuple(blocks[:2]) + (code("z = 1\n" * 9),), 1)]
    for look in ctx.look.levels():
        ctx.look = look
        for e in elements(ctx, blocks):
            n = e.units()
            assert isinstance(e, (TextElement, CodeElement, TableElement, BoxElement))
            for _ in range(12):
                a = rng.randrange(n)
                b = rng.randrange(a + 1, n + 1)
                w = look.content_w
                assert e.piece(a, b).height(w) == pytest.approx(e.piece_height(a, b, w))


def test_the_cost_model_prices_every_split_an_element_names():
    ctx = Context(None, None, Look.of(THEME, None), Options(slides="full"))
    blocks = [items(*[f"item {k}" for k in range(9)]), code("a = 1\n\nb = [\n 2,\n]\n" * 6),
              Table(((Span("a"),),), tuple(((Span(str(k)),),) for k in range(12)), (None,), 1),
              Special("callout", "Note", None, (para("One."), code("z = 1\n" * 9)), 1)]
    for e in elements(ctx, blocks):
        for k in range(1, e.units()):
            assert costs.break_cost(e.split_kind(k)) >= 0


def test_a_heading_with_nothing_under_it_before_an_exercise_is_not_left_on_a_slide():
    prs, _ = deck([h(2, "Neurons"), para("A neuron sums its weighted inputs:"),
                   code("output = activation(sum(w * x for w, x in zip(weights, inputs)))"),
                   h(3, "Activation functions"),
                   exercise(para("Match each activation function to its plot."),
                            title="Activation functions")])
    for s in content(prs):
        if not title(s).startswith("Activation functions"):
            assert "Activation functions" not in body(s)
    assert any("Activation functions" in notes(s) for s in content(prs))


def test_a_figure_description_is_measured_whole_with_its_caption():
    """A box that moves whole (a figure described, its caption under it) is as tall to the
    optimiser as on the slide: every paragraph counts, not only its first."""
    lk = Look.of(THEME, None)
    paras = [plain_para("A chart of the inflammation per patient over forty days.", lk.body),
             plain_para("Figure 3: the mean rises, then falls.", lk.body, space_before=6)]
    box = TextElement(paras, name="Figure description", whole=True)
    assert box.units() == 1
    assert box.piece_height(0, 1, lk.content_w) == box.height(lk.content_w) > \
        TextElement(paras[:1]).height(lk.content_w)
