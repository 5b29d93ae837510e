"""Nothing printed off the page, in the handout or in large print: a 12-column table, a
200-character code line without a space, a table wide for large print; and a box that meets a
page break never leaves a scrap of itself alone on a page."""
from __future__ import annotations

import io
import re

import pytest

from slidegen.handout import HandoutOptions, answer_key_pdf, render_episode
from slidegen.handout.largeprint import large_print
from slidegen.read import read_lesson
from slidegen.theme import load_theme

pdfplumber = pytest.importorskip("pdfplumber")

OPTIONS = HandoutOptions(source_date_epoch=1_700_000_000)
COLUMNS = [f"measurement_{k}" for k in range(12)]
ROWS = [[f"site{r}_{k}" for k in range(12)] for r in range(3)]
WIDE_TABLE = ("| " + " | ".join(COLUMNS) + " |\n|" + "---|" * 12 + "\n"
              + "".join("| " + " | ".join(row) + " |\n" for row in ROWS))
PENGUINS = ("| species | island | bill_length_mm | bill_depth_mm | flipper_length_mm | body_mass_g "
            "| sex |\n|---|---|---|---|---|---|---|\n"
            "| Adelie | Torgersen | 39.1 | 18.7 | 181 | 3750.0 | Male |\n"
            "| Gentoo | Biscoe | 46.1 | 13.2 | 211 | 4500.0 | Female |\n")
LONG_CODE = ("model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001),loss=keras.losses."
             "SparseCategoricalCrossentropy(from_logits=True),metrics=[keras.metrics."
             "SparseCategoricalAccuracy(name='accuracy')],jit_compile=False,steps_per_execution=1)")
THEMES = {"handout": lambda: load_theme(None), "large print": lambda: large_print(load_theme(None))}


def _pdf(make_lesson, body: str, theme) -> bytes:
    root = make_lesson({"_episodes/01-wide.md": f"---\ntitle: Wide things\n---\n\n{body}\n"})
    lesson = read_lesson(root).lesson
    return render_episode(lesson, lesson.episodes[0], theme, OPTIONS).pdf


def _pages(pdf: bytes) -> list:
    """Each page's characters, and whether any is drawn past the paper's left or right edge."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            off = [c["text"] for c in page.chars if c["x1"] > page.width - 2 or c["x0"] < 2]
            out.append(("".join(c["text"] for c in page.chars), off, page))
    return out


def _text(pdf: bytes) -> str:
    return "".join(text for text, _, _ in _pages(pdf))


@pytest.mark.parametrize("kind", THEMES)
def test_a_twelve_column_table_stays_on_the_page_with_every_cell(make_lesson, kind):
    pdf = _pdf(make_lesson, "## Sites\n\n" + WIDE_TABLE, THEMES[kind]())
    assert all(not off for _, off, _ in _pages(pdf)), [off for _, off, _ in _pages(pdf)]
    text = _text(pdf)
    for row in ROWS:
        for cell in row:
            assert cell in text
    # set one row per block: each row's cells beside their column's header
    assert text.count("measurement_11") == len(ROWS)


def test_large_print_sets_a_wide_table_by_rows_and_never_breaks_its_words(make_lesson):
    pdf = _pdf(make_lesson, "## Penguins\n\n" + PENGUINS, large_print(load_theme(None)))
    assert all(not off for _, off, _ in _pages(pdf))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = [w["text"] for page in doc.pages for w in page.extract_words()]
    for word in ("Torgersen", "flipper_length_mm", "body_mass_g", "Female"):
        assert word in words, f"{word} broken or lost"
    assert words.count("flipper_length_mm") == 2            # under each row


def test_the_handout_keeps_a_table_that_fits_a_table(make_lesson):
    """Only a table that cannot fit is set by rows: the penguins fit the normal handout."""
    pdf = _pdf(make_lesson, "## Penguins\n\n" + PENGUINS, load_theme(None))
    text = _text(pdf)
    assert text.count("flipper_length_mm") == 1
    assert all(not off for _, off, _ in _pages(pdf))


@pytest.mark.parametrize("kind", THEMES)
def test_a_200_character_code_line_wraps_inside_the_page(make_lesson, kind):
    assert len(LONG_CODE) >= 200 and " " not in LONG_CODE
    body = f"## Compile\n\n~~~\n{LONG_CODE}\nprint('done')\n~~~\n{{: .language-python}}\n"
    pdf = _pdf(make_lesson, body, THEMES[kind]())
    pages = _pages(pdf)
    assert all(not off for _, off, _ in pages), [off for _, off, _ in pages]
    # every character of the line is printed (wrapped lines carry no extra characters)
    assert LONG_CODE in re.sub(r"\s", "", _text(pdf))


BOX = """
> ## Count the greetings (5 min)
>
> Run the program below and say what it prints.
>
> ~~~
> greet <- function(name) {{
>   paste("Hi", name)
> }}
{calls}> ~~~
> {{: .language-r}}
>
> Then change it so that it greets two people at once, each by name, and print the result.
>
> ~~~
> [1] "Hi!"
> ~~~
> {{: .output}}
{{: .challenge}}
"""


@pytest.mark.parametrize("kind", THEMES)
def test_a_box_that_meets_a_page_break_leaves_no_scrap_on_either_page(make_lesson, kind):
    """However far down the page the box starts (the filler sweeps it across the page end),
    no page holds fewer than three lines of the episode but its very last line."""
    calls = "".join(f'> greet("person number {i}")\n' for i in range(14))
    sweep = range(0, 30, 3) if kind == "handout" else range(0, 14, 2)
    for n in sweep:
        filler = "\n\n".join(f"Paragraph {i}: learners read this sentence and one more to fill "
                             "the line." for i in range(n))
        body = f"{filler}\n{BOX.format(calls=calls)}\nA closing sentence.\n"
        pdf = _pdf(make_lesson, body, THEMES[kind]())
        for number, (_, _, page) in enumerate(_pages(pdf)[1:], 2):
            lines = {round(w["top"]) for w in page.extract_words()
                     if 50 < w["top"] < page.height - 50}
            words = " ".join(w["text"] for w in page.extract_words()
                             if 50 < w["top"] < page.height - 50)
            assert len(lines) >= 3 or words == "A closing sentence.", (n, number, words)


ANSWER_KEY_EPISODE = '''---
title: Writing Functions
---

> ## Joining Words
>
> Joining two words with a plus sign makes one longer word: `'a' + 'b'` is `'ab'`. Write a
> function called `frame` that takes two parameters called `word` and `edge` and returns a new
> word that has the edge character at the beginning and the end of the word. A call to your
> function should look like this:
>
> ~~~
> print(frame('name', '*'))
> ~~~
> {: .language-python}
>
> ~~~
> *name*
> ~~~
> {: .output}
>
> > ## Solution
> > ~~~
> > def frame(word, edge):
> >     return edge + word + edge
> > ~~~
> > {: .language-python}
> {: .solution}
{: .challenge}

> ## Returning or printing
>
> Note that `return` and `print` are not the same. `print` is a function that shows data on the
> screen, for the people using the program; `return`, on the other hand, hands data back to the
> program. Let us look at the following function:
>
> ~~~
> def add(a, b):
>     print(a + b)
> ~~~
> {: .language-python}
>
> **Question**: What will we see if we run the following commands?
> ~~~
> A = add(7, 3)
> print(A)
> ~~~
> {: .language-python}
>
> > ## Solution
> > Python will first run the function `add` with `a = 7` and `b = 3`, and so print `10`.
> > However, because `add` has no line that starts with `return` (no return statement), it
> > will return nothing, which in Python is called `None`. So `A` will be `None` and the last
> > line (`print(A)`) will print `None`. As a result, we will see:
> > ~~~
> > 10
> > None
> > ~~~
> > {: .output}
> {: .solution}
{: .challenge}
'''


def test_a_box_with_short_listings_is_not_broken_early(make_lesson):
    """Two exercises that fill more than a page between them: the page breaks inside the
    second, not after two lines of the first with the rest of the page left empty (as the
    keep-two-lines rules on every short listing inside a split box made WeasyPrint do)."""
    root = make_lesson({"_episodes/01-f.md": ANSWER_KEY_EPISODE})
    lesson = read_lesson(root).lesson
    pdf = answer_key_pdf(lesson, load_theme(None), OPTIONS)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = doc.pages[0].extract_text()
        assert len(doc.pages) >= 2
    assert "*name*" in first and "return edge + word + edge" in first


CHAIN = """
## Plotting differences

> ## Differences between two days
>
> Plot the difference between the average inflammations of the first two data sets. Load
> each one with NumPy, take the mean over the patients of each, and plot the difference with
> matplotlib. Label both axes, and say what the plot shows about the two days.
>
> ~~~
{code}> ~~~
> {{: .language-python}}
{{: .challenge}}

A closing sentence.
"""


@pytest.mark.parametrize("kind", THEMES)
def test_a_kept_listing_and_what_leads_to_it_leave_no_page_half_empty(make_lesson, kind):
    """A heading, a box's title and opening sentence and a short listing stay together; taller
    together than the room left on a page, they went to the next page whole and left the page
    before it half empty. The laid-out pages are checked and the chain allowed to break, and
    the box's part on the first page closes after its last line."""
    code = "".join(f"> data_{i} = numpy.loadtxt(fname=filenames[{i}], delimiter=',')\n"
                   for i in range(16 if kind == "handout" else 7))
    sweep = range(6, 30, 2) if kind == "handout" else range(3, 14)
    for n in sweep:
        filler = "\n\n".join(f"Paragraph {i}: learners read this sentence and one more to fill "
                             "the line." for i in range(n))
        pdf = _pdf(make_lesson, filler + "\n" + CHAIN.format(code=code), THEMES[kind]())
        pages = _pages(pdf)
        for number, (_, _, page) in enumerate(pages, 1):
            bottom = max(w["bottom"] for w in page.extract_words() if w["top"] < page.height - 50)
            if number < len(pages):
                assert bottom > 0.55 * page.height, (n, number, f"{bottom / page.height:.0%}")
            # and no coloured box stands empty below its last line, down to the page's foot
            boxes = [r["bottom"] for r in page.rects if r["height"] > 3      # not a ruled line
                     and r.get("non_stroking_color") not in (None, (1.0, 1.0, 1.0))]
            assert max(boxes, default=0) < bottom + 60, (n, number, "an empty box")


def _png(width: int, height: int) -> bytes:
    from PIL import Image as PILImage
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (70, 110, 160)).save(buf, "PNG")
    return buf.getvalue()


def test_an_exercise_with_a_figure_is_not_moved_whole_to_leave_a_page_half_empty(make_lesson):
    """An exercise's title, its sentence, its figure and the first answer lines stay together;
    taller together than the room left, they went to the next page and left the page before it
    half empty. The laid-out pages are checked and the box may break before its figure."""
    for n in range(14, 24):
        filler = "\n\n".join(f"Paragraph {i}: learners read this sentence and one more to fill "
                             "the line." for i in range(n))
        root = make_lesson({"_episodes/01-plot.md": f"---\ntitle: Plots\n---\n\n{filler}\n\n"
                            "## Plotting\n\n> ## Make this plot\n>\n> Make the plot below, "
                            "with the mean of each day in blue:\n>\n"
                            "> ![A blue rectangle](../fig/plot.png)\n{: .challenge}\n\n"
                            "A closing sentence.\n",
                            "fig/plot.png": _png(900, 600)})
        lesson = read_lesson(root).lesson
        pdf = render_episode(lesson, lesson.episodes[0], load_theme(None), OPTIONS).pdf
        pages = _pages(pdf)
        for number, (_, _, page) in enumerate(pages[:-1], 1):
            bottom = max([w["bottom"] for w in page.extract_words()
                          if w["top"] < page.height - 50] + [im["bottom"] for im in page.images])
            assert bottom > 0.55 * page.height, (n, number, f"{bottom / page.height:.0%}")
        assert any(page.images for _, _, page in pages)


TWO_EXERCISES = """
> ## Arithmetic on the command line
>
> Write a Python program that adds, subtracts, multiplies, or divides two numbers given on
> the command line.
{{: .challenge}}

> ## Finding particular files
>
> Using the `glob` module introduced earlier, write a simple version of `ls` that shows files
> in the current directory with a particular suffix. A call to this script should look like:
>
{steps}>
> ~~~
> $ python my_ls.py py
> ~~~
> {{: .language-bash}}
{{: .challenge}}

A closing sentence.
"""


MARGIN_Y = 22 / 25.4 * 72                # the theme's page_margin_y (22 mm), in points
SLACK = 40           # what a page's top does not show: the title's top margin, the box's bottom


def _opening(page) -> float:
    """How tall the second exercise's opening is where it begins a page: from its box's top
    to the end of its lead sentence (a box may break after it, not before)."""
    words = page.extract_words()
    title = next(w for w in words if w["text"] == "Finding")
    lead_end = next(w for w in words if w["text"] == "like:")
    box_top = max(r["top"] for r in page.rects if r["height"] > 3 and r["top"] <= title["top"])
    return lead_end["bottom"] - box_top


@pytest.mark.parametrize("kind", THEMES)
def test_answer_space_does_not_push_the_next_exercise_off_a_half_empty_page(make_lesson, kind):
    """An exercise's ruled answer space, then an exercise too tall for the rest of the page:
    the second went to the next page whole, and the page before it ended in a few answer lines
    and blank paper. Where the next exercise's title and lead sentence fit, it starts there;
    where they do not, the answer space is ruled down to the page's foot."""
    steps = "".join(f"> {i}. Step {i}: list the files, keep those whose name ends with the "
                    "suffix, and print each on a line of its own.\n" for i in range(1, 9))
    sweep = range(10, 30) if kind == "handout" else range(2, 14)
    for n in sweep:
        filler = "\n\n".join(f"Paragraph {i}: learners read this sentence and one more to fill "
                             "the line." for i in range(n))
        body = filler + "\n" + TWO_EXERCISES.format(steps=steps)
        pages = _pages(_pdf(make_lesson, body, THEMES[kind]()))
        pairs = zip(pages, pages[1:], strict=False)
        for number, ((_, _, page), (_, _, after)) in enumerate(pairs, 1):
            words = [w for w in page.extract_words() if w["top"] < page.height - MARGIN_Y]
            bottom = max(w["bottom"] for w in words)
            if bottom > 0.55 * page.height:
                continue
            ruled = sorted(r["bottom"] for r in page.rects if r["height"] < 2
                           and r["bottom"] > bottom)
            room = page.height - MARGIN_Y - max([bottom, *ruled])
            where = (n, number, f"{bottom / page.height:.0%}")
            assert room < 0.1 * page.height, (*where, "blank below the answer space", room)
            # the lines added below the exercise's own five: room its opening would have had
            added = (len(ruled) - 5) * (ruled[1] - ruled[0]) if len(ruled) > 5 else 0
            assert room + added < _opening(after) + SLACK, (*where, "room for the next one")


def _plot_lesson(make_lesson, n: int, after: str) -> bytes:
    """A Workbench episode: `n` paragraphs, a picture (a figure, as pandoc makes it), `after`."""
    filler = "\n\n".join(f"Paragraph {i}: learners read this sentence and one more to fill "
                         "the line." for i in range(n))
    root = make_lesson({"episodes/01-plot.md": f"---\ntitle: Plots\n---\n\n{filler}\n\n"
                        "The plot of the training:\n\n![A tall plot](fig/plot.png)\n\n"
                        f"{after}\n\nA closing sentence.\n",
                        "episodes/fig/plot.png": _png(600, 800)}, fmt="workbench")
    lesson = read_lesson(root).lesson
    return render_episode(lesson, lesson.episodes[0], load_theme(None), OPTIONS).pdf


def _drawn_end(page) -> float:
    return max([w["bottom"] for w in page.extract_words() if w["top"] < page.height - 50]
               + [im["bottom"] for im in page.images])


def test_a_list_after_a_picture_may_begin_on_the_next_page(make_lesson):
    """WeasyPrint keeps a list with what leads to it; after a picture that moved the picture and
    the list's first item to a new page together, leaving the page before half empty."""
    items = "\n".join(f"{i}. Step {i}: in the pop-up window, start from one of the featured "
                      "templates or from scratch, with one of the three standard views."
                      for i in range(1, 7))
    for n in range(0, 40, 3):
        pages = _pages(_plot_lesson(make_lesson, n, items))
        for number, (_, _, page) in enumerate(pages[:-1], 1):
            assert _drawn_end(page) > 0.55 * page.height, (n, number)
