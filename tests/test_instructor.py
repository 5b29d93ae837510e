"""The instructor's script, judged from the PDF's text: every solution and instructor note,
every exercise with its time, every slide in teaching order, the code to type, and the clock
times of a hand-computed schedule with breaks."""
from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from conftest import LESSONS, corpus_path
from test_handout import secret_lines, squash, text_of

from slidegen.cli import main
from slidegen.errors import Diagnostics
from slidegen.handout import HandoutOptions
from slidegen.handout.learner import exercises
from slidegen.instructor.script import script_pdf
from slidegen.pptx.plan import plan_deck
from slidegen.read import read_lesson
from slidegen.theme import load_theme

pikepdf = pytest.importorskip("pikepdf")


def body_text(pdf: bytes) -> str:
    """The script's text without its page furniture (running heads, page numbers, the marks
    of a box that goes on over a page), so that a paragraph read across a page break reads on."""
    furniture = re.compile(r"^(Instructor's script · .*|page \d+ of \d+|(continued\s*)+)$")
    return "\n".join(line for line in text_of(pdf).splitlines() if not furniture.match(line))


@pytest.mark.parametrize("name", LESSONS + ["r-novice-gapminder"])
def test_corpus_script_has_every_secret_exercise_and_time(name):
    lesson = read_lesson(corpus_path(name)).lesson
    pdf = script_pdf(lesson, lesson.episodes, load_theme(), HandoutOptions(), "Script",
                     Diagnostics(""))
    flat = squash(body_text(pdf))
    missing = [line for ep in lesson.episodes if not ep.skipped
               for line in secret_lines(ep) if line not in flat]
    assert missing == []
    titled = [ex for ep in lesson.episodes if not (ep.skipped or ep.is_break)
              for ex in exercises(ep.blocks)]
    for ex in titled:
        title = squash(ex.title)
        assert title in flat, ex.title
        if ex.minutes:
            assert f"{title}{ex.minutes}min" in flat, (ex.title, ex.minutes)
    with pikepdf.open(io.BytesIO(pdf)) as doc, doc.open_outline() as outline:
        marks = [item.title for item in outline.root]
    assert marks == [ep.title for ep in lesson.episodes if not (ep.skipped or ep.is_break)]


WORKSHOP = {
    "_episodes/01-shell.md": """
        ---
        title: "Shell basics"
        teaching: 30
        exercises: 15
        ---

        ## Moving around

        Type this and watch the prompt.

        ~~~
        cd /tmp && ls -la
        ~~~
        {: .language-bash}

        > ## Where am I? (10 min)
        >
        > Which command prints the working directory?
        >
        > > ## Solution
        > >
        > > It is pwd, print working directory, SECRET-SOLUTION-LINE-ONE.
        > {: .solution}
        {: .challenge}

        > ## Tell the room
        > Learners confuse / and ~ here: SECRET-INSTRUCTOR-NOTE-TWO.
        {: .instructor}
        """,
    "_episodes/02-coffee.md": '---\ntitle: "Coffee"\nlayout: break\nbreak: 15\n---\n',
    "_episodes/03-pipes.md": '---\ntitle: "Pipes"\nteaching: 40\nexercises: 20\n---\nPipes.\n',
    "_episodes/04-lunch.md": '---\ntitle: "Lunch"\nlayout: break\nbreak: 60\n---\n',
    "_episodes/05-loops.md": '---\ntitle: "Loops"\nteaching: 45\nexercises: 15\n---\nLoops.\n',
}


def test_clock_times_and_days_agree_with_a_hand_computed_schedule(make_lesson, tmp_path):
    """09:00 start, days 09:00-11:30: Shell 09:00-09:45, Coffee 09:45-10:00, Pipes
    10:00-11:00; Lunch would run to 12:00 and Loops to 13:00, past 11:30, so day 2 opens with
    Loops (not with the break) at 09:00-10:00."""
    root = make_lesson(WORKSHOP)
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--instructor",
                                       "--start", "09:00", "--day", "09:00-11:30"])
    assert result.exit_code == 0, result.output
    with open(f"{out}/instructor.pdf", "rb") as f:
        script = text_of(f.read())
    flat = squash(script)
    for expected in ("Day1·09:00–09:45", "Day1·10:00–11:00", "Day2·09:00–10:00"):
        assert expected in flat, expected
    assert "Coffee" not in script and "Lunch" not in script          # breaks have no script
    for secret in ("SECRET-SOLUTION-LINE-ONE", "SECRET-INSTRUCTOR-NOTE-TWO"):
        assert secret in flat
    assert "Where am I? 10 min" in script       # the title, its time once (beside it, issue 27)
    assert squash("cd /tmp && ls -la") in flat                        # the code to type
    # every slide of the deck, in its order, by number and title
    lesson = read_lesson(root).lesson
    slides, _ = plan_deck(lesson, lesson.episodes[0], load_theme())
    with open(f"{out}/instructor/01-shell.pdf", "rb") as f:
        one = squash(text_of(f.read()))
    at = 0
    for n, s in enumerate(slides, 1):
        if s.kind == "solution":
            continue
        at = one.find(squash(s.title), at)
        assert at >= 0, (n, s.title)
    with open(f"{out}/handout.pdf", "rb") as f:
        handout = squash(text_of(f.read()))
    for row in ("Day1", "09:00–09:45Shellbasics", "09:45–10:00Coffee", "10:00–11:00Pipes",
                "Day2", "09:00–10:00Loops", "10:00Finish·total3h(breaks15min)"):
        assert row in handout, row
    assert "Lunch" not in handout.split("Contents")[0]     # a day does not open with a break


def test_a_start_that_is_not_a_time_is_a_usage_error(make_lesson, tmp_path):
    root = make_lesson(WORKSHOP)
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "o"), "--start", "9am"])
    assert result.exit_code == 2
    assert "--start must be a time of day such as 09:00, not '9am'" in result.output


def test_a_config_start_that_is_not_a_time_names_the_config(make_lesson, tmp_path):
    root = make_lesson(WORKSHOP, config='title: "T"\nslidegen:\n  start: "late"\n')
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 1
    assert re.search(r"_config\.yml: error: the start must be a time of day", result.output)


def test_an_earlier_episodes_new_length_moves_a_later_decks_clock_times(make_lesson, tmp_path):
    """A deck's title slide shows its episode's times, which depend on every episode before
    it: an edit to one episode's minutes rebuilds the decks whose times it moves."""
    from pptx import Presentation
    root = make_lesson(WORKSHOP)
    out = str(tmp_path / "out")

    def title_slide(stem):
        slide = Presentation(f"{out}/slides/{stem}.pptx").slides[0]
        return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    args = ["build", root, "-o", out, "-q", "--only", "slides", "--start", "09:00"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert "10:00–11:00" in title_slide("03-pipes")
    path = f"{root}/_episodes/01-shell.md"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("teaching: 30", "teaching: 40"))
    assert CliRunner().invoke(main, args).exit_code == 0
    assert "10:10–11:10" in title_slide("03-pipes")


def _long_task(n: int) -> str:
    return "\n".join(f"> {k}. Step {k} of the task: open the file, read every line of it "
                     f"carefully and write down what the function returns for input {k}."
                     for k in range(1, n + 1))


WRAPS = ("print(name)  # a comment long enough that this line must wrap on the slide, "
         "even at the smallest size")
NUMBERED = {
    "_episodes/01-loops.md": f"""
---
title: "Loops"
teaching: 20
exercises: 20
---

## Looping

A loop repeats its body for every item of a collection.

~~~
for name in ["Ada", "Grace"]:
    {WRAPS}
~~~
{{: .language-python}}

~~~
Ada
Grace
~~~
{{: .output}}

> ## A long task (10 min)
>
{_long_task(14)}
>
> > ## Solution
> >
> > SECRET-ANSWER-ONE is the answer.
> {{: .solution}}
{{: .challenge}}

## After the task

Loops nest.

~~~
for row in table:
    for cell in row:
        print(cell)
~~~
{{: .language-python}}

> ## A short task (5 min)
>
> What does the nested loop print?
>
> > ## Solution
> >
> > SECRET-ANSWER-TWO: every cell.
> {{: .solution}}
{{: .challenge}}
""",
}


def _deck_exercises(path: str) -> dict[str, list[int]]:
    """Exercise title -> the deck's visible slide numbers that show it (title "T" or "T (k/n)")."""
    from pptx import Presentation
    out: dict[str, list[int]] = {}
    for n, slide in enumerate(Presentation(path).slides, 1):
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        if slide._element.get("show") != "0" and title.startswith(("A long", "A short")):
            out.setdefault(re.sub(r" \(\d+/\d+\)$", "", title), []).append(n)
    return out


@pytest.mark.parametrize("mode", ["teaching", "full"])
def test_the_script_numbers_every_exercise_as_the_built_deck_does(make_lesson, tmp_path, mode):
    """An exercise on two slides ("1/2", "2/2") is one entry under the deck's own numbers,
    with its hidden solution's number; the exercise after it keeps its own number (the script
    once took "2/2" for the next exercise); in a full deck too."""
    root = make_lesson(NUMBERED)
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--instructor",
                                       "--slides", mode])
    assert result.exit_code == 0, result.output
    shown = _deck_exercises(f"{out}/slides/01-loops.pptx")
    assert len(shown["A long task"]) == 2 and len(shown) == 2      # the fixture does split
    with open(f"{out}/instructor/01-loops.pdf", "rb") as f:
        script = body_text(f.read())
    for title, numbers in shown.items():
        first, last = numbers[0], numbers[-1]
        head = f"Slides {first}–{last} exercise" if last > first else f"Slide {first} exercise"
        solution = f"solution on hidden slide {last + 1}"
        assert re.search(rf"{head} · {solution}\n{re.escape(title)}", script), (title, script)


def test_every_code_box_on_a_visible_slide_is_in_the_script(make_lesson, tmp_path):
    """Code, its output and the exercises' code are in the script as the lesson wrote them,
    a line the slide wraps included (it was matched by its text on the slide, and lost)."""
    from pptx import Presentation
    root = make_lesson(NUMBERED)
    out = str(tmp_path / "out")
    assert CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--instructor"]).exit_code == 0
    boxes = [shape.text_frame.text for slide in Presentation(f"{out}/slides/01-loops.pptx").slides
             if slide._element.get("show") != "0" for shape in slide.shapes
             if shape.name.split(" ")[0] in ("Code", "Output")]
    assert any("→" in box for box in boxes)                  # a line wrapped on the slide
    with open(f"{out}/instructor/01-loops.pdf", "rb") as f:
        script = squash(body_text(f.read()))
    for box in boxes:
        assert squash(box.replace("→", "")) in script, box
    for line in ('print(name)#acommentlongenoughthatthislinemustwrapontheslide', "AdaGrace",
                 "forcellinrow:print(cell)"):
        assert line in script


def test_a_workshop_that_does_not_fit_its_days_says_so_and_breaks_show_their_times(
        make_lesson, tmp_path):
    """Hand-computed for --day 09:00-11:00 --days 1: Shell 09:00-09:45, Coffee (the lesson's)
    09:45-10:00, Pipes 10:00-11:00; Lunch would open day 2 (left out), Loops 09:00-10:00 is on
    day 2, which the workshop does not have: 1 h does not fit."""
    from pptx import Presentation
    root = make_lesson(WORKSHOP)
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", root, "-o", out, "--start", "09:00",
                                       "--day", "09:00-11:00", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert ("warning: the schedule does not fit: the lesson needs 2 days of 09:00–11:00 but 1 day "
            "is given: 1 h does not fit, from 'Loops' on") in result.output
    brk = Presentation(f"{out}/slides/02-coffee.pptx").slides[0]
    assert "09:45–10:00 · 15 min" in "\n".join(s.text_frame.text for s in brk.shapes
                                               if s.has_text_frame)


def test_a_full_day_has_the_workshops_own_breaks_on_the_schedule(make_lesson, tmp_path):
    files = {f"_episodes/0{k}-part{k}.md": f'---\ntitle: "Part {k}"\nteaching: 50\n'
             f'exercises: 10\n---\nText {k}.\n' for k in range(1, 7)}
    root = make_lesson(files)
    out = str(tmp_path / "out")
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-q", "--only", "handouts",
                                       "--day", "09:00-17:00"])
    assert result.exit_code == 0, result.output
    with open(f"{out}/handout.pdf", "rb") as f:
        schedule = squash(text_of(f.read()).split("Contents")[0])
    for row in ("10:00–11:00Part2", "11:00–11:15Coffeebreakbreak15min", "11:15–12:15Part3",
                "12:15–13:15Lunchbreak60min", "15:15–15:30Coffeebreakbreak15min",
                "16:30Finish·total7h30min(breaks90min)"):
        assert row in schedule, row
