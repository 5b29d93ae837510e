"""Teaching decks built from hand-made models (no LibreOffice): what goes on a slide and what goes
to the notes, and each splitting rule, checked as an instructor would in the .pptx."""
from __future__ import annotations

import pytest
from deckkit import body, code, content, deck, h, items, notes, para, title, visible, words_of
from pptx.util import Emu

from slidegen.model import (
    Episode,
    EpisodeMeta,
    Heading,
    Lesson,
    LessonConfig,
    ListBlock,
    Paragraph,
    Span,
    Special,
)
from slidegen.pptx import Options
from slidegen.theme import load_theme

NARRATIVE = ("Version control keeps every change you make. It lets a team work on one project at "
             "the same time without losing anything, and it records who changed what and why, "
             "which matters a great deal when something breaks months later.")


# -- teaching decks: the narrative in the notes, a lead on the slide -------------------------------

def test_narrative_goes_to_the_notes_and_the_introducing_sentence_stays_with_its_code():
    prs, _ = deck([h(2, "Saving changes"), para(NARRATIVE),
                   para("Git needs to know who you are before it records anything. Tell it:"),
                   code("git config --global user.name 'Ada'", lang="bash")])
    slide = content(prs)[0]
    assert title(slide) == "Saving changes"
    shown = words_of(body(slide))
    assert "Tell it:" in shown and "git config --global user.name 'Ada'" in shown
    assert "Version control keeps every change" not in shown
    assert "Git needs to know who you are" not in shown        # the lead is one whole sentence
    assert words_of(NARRATIVE) in words_of(notes(slide))       # the narrative, in full
    assert "Git needs to know who you are before it records anything." in notes(slide)


def test_a_part_with_nothing_to_show_keeps_its_opening_sentences():
    prs, _ = deck([h(2, "Why version control"), para(NARRATIVE)])
    (slide,) = content(prs)
    # the first sentence alone (7 words) would leave the slide all but empty: whole sentences
    # follow it up to a dozen words, and never a piece of one
    assert words_of(body(slide)) == words_of(NARRATIVE)
    short = "Version control keeps every change you make, whoever makes it and wherever. " + \
        NARRATIVE.split(". ", 1)[1]
    prs, _ = deck([h(2, "Why version control"), para(short)])
    (slide,) = content(prs)
    assert words_of(body(slide)) == words_of(short.split(". ")[0] + ".")
    assert words_of(short) in words_of(notes(slide))


def test_full_slides_keep_every_word():
    prs, _ = deck([h(2, "Why version control"), para(NARRATIVE), para("A second paragraph here.")],
                  slides="full")
    shown = words_of(" ".join(body(s) for s in content(prs)))
    assert words_of(NARRATIVE) in shown and "A second paragraph here." in shown


def test_a_list_keeps_every_item_whole_where_it_fits_over_two_slides():
    long = ("where the requirements are translated into an overall design for the software, its "
            "components and how they fit together, and the tools that will be used")
    prs, _ = deck([h(2, "Stages"), ListBlock(False, 1, (
        (Paragraph((Span("Design:", bold=True), Span(" " + long)), 1),),
        (para("Testing the software"),)), 1)])
    (slide,) = content(prs)
    assert words_of("Design: " + long) in words_of(body(slide))       # not cut to its term
    assert "Testing the software" in body(slide)


def test_a_list_too_long_for_two_slides_keeps_each_items_first_sentence():
    item = ("Item {n} opens with a sentence that says what it is about. It then goes on at length "
            "about details that belong in the notes, with more and more words that the room does "
            "not need to read from the slide while the instructor explains the point in full.")
    prs, _ = deck([h(2, "Details"), items(*[item.format(n=n) for n in range(24)])])
    shown = words_of(" ".join(body(s) for s in content(prs)))
    for n in range(24):
        assert words_of(f"Item {n} opens with a sentence that says what it is about.") in shown
    assert "at length" not in shown
    assert "goes on at length" in " ".join(notes(s) for s in content(prs))


# -- splits between paragraphs and list items, never inside a sentence -----------------------------

def sentence_paragraphs(n: int) -> list:
    return [para(f"Paragraph {i} says one thing about the topic in a sentence of some length, "
                 f"and it then goes on to say a second thing so that it wraps onto a second line.")
            for i in range(n)]


@pytest.mark.parametrize("slides", ["teaching", "full"])
def test_text_splits_between_paragraphs_only(slides):
    prs, _ = deck([h(2, "Many points"), items(*[f"Point {i} is a short item" for i in range(30)])]
                  + ([] if slides == "teaching" else sentence_paragraphs(12)), slides=slides)
    slides_ = content(prs)
    assert len(slides_) > 1
    for s in slides_:
        for shp in s.shapes:
            if shp.has_text_frame and shp != s.shapes.title and shp.name.startswith("Text"):
                for p in shp.text_frame.paragraphs:
                    text = "".join(r.text for r in p.runs)
                    assert text.startswith(("Point", "Paragraph")), text          # whole items only
                    assert text.endswith(("item", "line.")), text
    texts = [t for s in slides_ for t in body(s).split("\n") if t.startswith("Point")]
    assert texts == [f"Point {i} is a short item" for i in range(30)]


def test_a_paragraph_taller_than_a_slide_splits_between_sentences():
    huge = " ".join(f"Sentence number {i} is here to make a very long paragraph indeed."
                    for i in range(60))
    prs, _ = deck([h(2, "Wall of text"), para(huge)], slides="full")
    parts = [body(s) for s in content(prs)]
    assert len(parts) > 1
    for text in parts:
        assert text.startswith("Sentence number") and text.rstrip().endswith("indeed.")
    assert words_of(" ".join(parts)) == words_of(huge)


def test_an_introducing_sentence_never_ends_a_slide():
    prs, _ = deck([h(2, "Steps"), items(*[f"Step {i} of the procedure" for i in range(16)]),
                   para("Here is the whole script:"),
                   code("\n".join(f"step_{i}()" for i in range(14)))],
                  slides="full")
    for s in content(prs):
        lines = [t for t in body(s).split("\n") if t.strip()]
        assert lines[-1] != "Here is the whole script:"
    holder = next(s for s in content(prs) if "Here is the whole script:" in body(s))
    assert "step_0()" in body(holder)


def test_never_fewer_than_four_code_lines_on_a_slide_and_no_stub():
    for n in (23, 25, 41, 60):
        prs, _ = deck([h(2, "Listing"),
                       code("\n".join(f"value_{i} = compute({i})" for i in range(n)))])
        parts = [[p for p in shp.text_frame.paragraphs] for s in content(prs) for shp in s.shapes
                 if shp.name.startswith("Code")]
        assert sum(len(p) for p in parts) == n
        assert all(len(p) >= 4 for p in parts), [len(p) for p in parts]


def test_code_stays_with_its_output_when_both_fit():
    prs, _ = deck([h(2, "Run it"), code("\n".join(f"x{i} = {i}" for i in range(14))),
                   code("print(x0)"), code("\n".join(str(i) for i in range(8)), role="output")])
    holder = next(s for s in content(prs) if "print(x0)" in body(s))
    assert any(shp.name.startswith("Output") for shp in holder.shapes)


def test_a_subsection_that_starts_a_slide_titles_it_with_its_section_as_breadcrumb():
    blocks = [h(2, "Branches"), para("Branches let you work apart."),
              code("git branch", lang="bash")]
    for name in ("Creating a branch", "Switching branches", "Merging"):
        blocks += [h(3, name), para("Run this:"),
                   code("\n".join(f"git step {i}" for i in range(14)), lang="bash")]
    prs, _ = deck(blocks)
    titles = [title(s) for s in content(prs)]
    assert "Switching branches" in titles and "Merging" in titles
    assert not any(t.startswith("Branches (cont.)") for t in titles)
    merging = content(prs)[titles.index("Merging")]
    crumbs = [shp.text_frame.text for shp in merging.shapes if shp.name.startswith("Breadcrumb")]
    assert crumbs == ["Branches"]
    assert all(run.font.size.pt >= 18 for shp in merging.shapes if shp.name.startswith("Breadcrumb")
               for p in shp.text_frame.paragraphs for run in p.runs)


def test_key_points_and_overview_keep_their_labels_when_they_continue():
    many = tuple((Span(f"Objective number {i}: learners will be able to do a thing well"),)
                 for i in range(14))
    prs, _ = deck([para("Body.")], questions=((Span("Why?"),),), objectives=many, keypoints=many)
    overview = [s for s in visible(prs) if title(s).startswith("Overview")]
    assert len(overview) > 1
    assert body(overview[-1]).startswith("Objectives (cont.)")
    keypoints = [title(s) for s in visible(prs) if title(s).startswith("Key Points")]
    assert keypoints[0] == "Key Points" and keypoints[1:] \
        and all(t == "Key Points (cont.)" for t in keypoints[1:])


# -- exercise slides that teach --------------------------------------------------------------------

def exercise(*children, title="Exercise: Loops (15 min)", minutes=15, solution=True):
    kids = list(children)
    if solution:
        kids.append(Special("solution", "Solution", None, (para("The answer is 42."),), 1))
    return Special("challenge", title, minutes, tuple(kids), 1)


def test_exercise_title_badge_and_solution_title():
    prs, result = deck([h(2, "Practice"), para("Some text."),
                        exercise(para("Write a loop that counts."))])
    slides = list(prs.slides)
    ex = next(s for s in slides if title(s).startswith("Exercise"))
    assert title(ex) == "Exercise: Loops"                   # the time is on the badge, not twice
    assert [shp.text_frame.text for shp in ex.shapes if shp.name.startswith("Time")] == ["15 min"]
    sol = slides[slides.index(ex) + 1]
    assert sol._element.get("show") == "0" and title(sol) == "Solution — Loops"
    assert "The answer is 42." in notes(ex)
    assert "The answer is 42." not in "\n".join(body(s) for s in visible(prs))


def test_an_exercise_shows_its_whole_task_and_a_long_listing_in_part():
    listing = "\n".join(f"step_{i}: run the thing number {i}" for i in range(70))
    task = ("Read the pipeline below. It was written by a colleague who has since left, and "
            "nobody is quite sure any more why it runs some of its steps more than once.")
    prs, _ = deck([h(2, "Pipelines"), exercise(para(task),
                                               items("Which steps run twice?",
                                                     "What is an artifact?", ordered=True),
                                               code(listing, lang="yaml"), solution=False)])
    ex = [s for s in visible(prs) if title(s).startswith("Exercise")]
    assert 1 <= len(ex) <= 2
    shown = words_of(" ".join(body(s) for s in ex))
    assert words_of(task) in shown                    # every sentence of the task
    assert "Which steps run twice?" in shown and "What is an artifact?" in shown
    code_lines = [line for s in ex for shp in s.shapes if shp.name.startswith("Code")
                  for line in shp.text_frame.text.split("\n")]
    assert code_lines[:24] == listing.split("\n")[:24]
    assert code_lines[-1] == "… 46 more lines (in the notes)"
    assert listing in " ".join(notes(s) for s in ex)  # the listing whole, for the instructor


def test_a_section_that_opens_with_an_exercise_has_no_blank_slide():
    prs, _ = deck([h(2, "Practice first"), exercise(para("Do it.")),
                   h(2, "Notes only"),
                   Special("instructor", "", None, (para("Say this aloud."),), 1),
                   h(2, "After"), para("Text after."), code("x = 1")])
    for s in content(prs):
        assert body(s).strip(), f"blank slide '{title(s)}'"
    ex = next(s for s in visible(prs) if title(s).startswith("Exercise"))
    assert [shp.text_frame.text for shp in ex.shapes if shp.name.startswith("Breadcrumb")] \
        == ["Practice first"]
    assert any("Say this aloud." in notes(s) for s in prs.slides)
    assert "Say this aloud." not in "\n".join(body(s) for s in visible(prs))


# -- readable from the back of the room ------------------------------------------------------------

def test_code_never_below_14_pt_and_wraps_at_spaces_with_a_mark():
    line = "result = combine(" + ", ".join(f"argument_number_{i}" for i in range(12)) + ")"
    prs, _ = deck([h(2, "Wide"), code(line)])
    shp = next(shp for s in content(prs) for shp in s.shapes if shp.name.startswith("Code"))
    sizes = {r.font.size.pt for p in shp.text_frame.paragraphs for r in p.runs}
    assert min(sizes) >= 14
    lines = ["".join(r.text for r in p.runs) for p in shp.text_frame.paragraphs]
    assert len(lines) > 1 and all(x.startswith("→ ") for x in lines[1:])
    words = line.replace(",", " ").replace("(", " ").replace(")", " ").split()
    rejoined = " ".join(x[2:] if x.startswith("→ ") else x for x in lines)
    for w in words:
        assert w in rejoined                               # no word broken across lines


def test_output_is_marked_by_a_rule_not_only_a_shade():
    prs, _ = deck([h(2, "Run"), code("print(1)"), code("1", role="output"),
                   code("oops", role="error")])
    names = [shp.name for s in content(prs) for shp in s.shapes]
    assert any(n.startswith("Output rule") for n in names)
    assert any(n.startswith("Error rule") for n in names)
    assert not any(n.startswith("Code rule") for n in names)


def test_every_body_run_is_at_least_18_pt_and_code_14_pt():
    prs, _ = deck([h(2, "Sizes"), para(NARRATIVE), items("a", "b"), code("x = 1"),
                   code("1", role="output")],
                  keypoints=((Span("One"),),), questions=((Span("Why?"),),))
    for s in visible(prs):
        for shp in s.shapes:
            if shp.has_text_frame and shp != s.shapes.title:
                for p in shp.text_frame.paragraphs:
                    for r in p.runs:
                        if r.text.strip():
                            mono = "Courier" in (r.font.name or "")
                            assert r.font.size.pt >= (14 if mono else 18), (shp.name, r.text)


def test_slide_is_16_by_9():
    prs, _ = deck([para("x")])
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))


def test_a_break_keeps_what_its_page_says_in_the_notes():
    prs, _ = deck([para("Use the break layout for coffee breaks and lunches.")], title="Coffee",
                  layout="break", break_minutes=15)
    (slide,) = list(prs.slides)
    assert "15 min" in body(slide) + title(slide)
    assert "Use the break layout for coffee breaks and lunches." in notes(slide)


def test_the_plan_names_each_slides_kind_title_section_and_notes():
    """plan_deck is the planner's public interface (an instructor's script reads it)."""
    from slidegen.pptx import plan_deck
    m = EpisodeMeta(title="An Episode", keypoints=((Span("Loops repeat."),),))
    blocks = (h(2, "Loops"), para(NARRATIVE), code("for x in y:\n    print(x)"),
              exercise(para("Write a loop that counts.")))
    lesson = Lesson("/nonexistent", LessonConfig("A Lesson", "styles"),
                    (Episode("_episodes/01-x.md", m, blocks),))
    plans, _ = plan_deck(lesson, lesson.episodes[0], load_theme(), Options())
    assert [(p.kind, p.section, p.hidden) for p in plans] == [
        ("title", "", False), ("content", "Loops", False), ("exercise", "Loops", False),
        ("solution", "Loops", True), ("keypoints", "", False)]
    assert plans[1].title == "Loops" and NARRATIVE in plans[1].notes
    assert plans[3].title == "Solution — Loops"


def test_a_heading_inside_a_box_never_stands_alone_on_a_slide():
    long = "\n".join(f"step_{i} <- run(step_{i - 1})  # stage {i}" for i in range(1, 20))
    tab = Special("tab", "Option 1: Download", None,
                  (code("data <- read_csv('https://example.org/data.csv')", lang="r"),
                   Heading(3, (Span("Option 2: Create the data"),), 1), code(long, lang="r")), 1)
    prs, _ = deck([h(2, "Getting the data"), para("Either download it or create it."), tab])
    holder = next(s for s in content(prs) if "Option 2: Create the data" in body(s))
    assert "step_1 <- run(step_0)" in body(holder)              # the heading with its code
    shown = [line for s in content(prs) for line in body(s).split("\n") if line.startswith("step_")]
    assert shown == long.split("\n")


def test_a_table_of_paragraphs_keeps_each_cells_first_sentence_and_the_notes_keep_the_table():
    from slidegen.model import Table
    long = ("Renders a data frame with cells formatted by rules. It uses a tidy evaluation syntax "
            "and supports many output formats, including HTML, PDF and Word documents alike.")
    rows = tuple(((Span(f"pkg{i}"),), (Span(long),)) for i in range(3))
    table = Table(((Span("Name"),), (Span("Description"),)), rows, (None, None), 1)
    prs, _ = deck([h(2, "Table packages"), para("Some packages are listed below:"), table])
    slide = content(prs)[0]
    assert "Renders a data frame with cells formatted by rules." in body(slide)
    assert "tidy evaluation syntax" not in body(slide)
    assert "tidy evaluation syntax" in notes(slide)
    full, _ = deck([h(2, "Table packages"), para("Some packages are listed below:"), table],
                   slides="full")
    assert "tidy evaluation syntax" in body(content(full)[0])


def test_a_lead_and_the_short_list_it_introduces_share_a_slide_over_the_word_budget():
    lead = ("So far so good, as this is in line with our knowledge of the clinical trial and "
            "the claims:")
    prs, _ = deck([h(2, "Claims"), para(lead),
                   items("the patients take their medication once their inflammation "
                         "flare-ups begin",
                         "it takes around three weeks for the medication to take effect and "
                         "reduce flare-ups",
                         "and flare-ups appear to drop to zero by the end of the clinical trial"),
                   para("Now let us take a look at the average inflammation over time:"),
                   code("ave = numpy.mean(data, axis=0)\nplot(ave)")])
    holder = next(s for s in content(prs) if lead in body(s))
    assert "the patients take their medication" in body(holder)
    assert "drop to zero by the end" in body(holder)
