"""Property-based fuzzing: episodes generated from the grammar of both lesson formats.

Reading and building must never raise anything but slidegen's own error type, and a solution
must never reach learner handout HTML (the only way text gets into a learner PDF).

Every run draws the same examples (the "ci" profile in conftest.py derandomizes); fuzz longer
and afresh by hand with `pytest tests/test_fuzz.py --hypothesis-profile=fuzz`.
"""
from __future__ import annotations

import io
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidegen.errors import Diagnostics, SlidegenError
from slidegen.handout import HandoutOptions
from slidegen.handout.html import episode_html
from slidegen.model import Lesson
from slidegen.pptx import write_deck
from slidegen.read import find_lesson, read_one
from slidegen.theme import load_theme

THEME = load_theme()
SECRET = "ZQXSECRET"

words = st.sampled_from(["alpha", "beta", "`code`", "**bold**", "*it*", "[link](https://x.org)",
                         "$x^2$", "$$y$$", "{{ page.root }}", "{{ site.title }}",
                         "{% raw %}{{x}}{% endraw %}", "<kbd>Ctrl</kbd>",
                         "<img src='../fig/a.png' alt='a'>", "&amp;", "\\*", "|", ">",
                         "{: .callout}", ":::", "~~~", "```", "#", "-", "1.", "\t", "é", "→",
                         "\u200b", "{% include links.md %}", "{% if x %}y{% endif %}",
                         "{% if site.title %}", "![img](../fig/a.png)", "<!-- c -->",
                         "<script>x</script>", "$", "\\", "{", "}", "[", "]"])
line = st.lists(words, min_size=0, max_size=8).map(" ".join)
# Inside a div, a line of bare colons is the author closing it: generated content must not
# close blocks by accident, or the "secret" would rightly end up outside its solution.
div_line = line.filter(lambda text: not re.match(r"^\s*:{3,}\s*(\{.*\})?\s*$", text))


@st.composite
def code_block(draw):
    fence = draw(st.sampled_from(["~~~", "```", "````"]))
    body = "\n".join(draw(st.lists(line, max_size=4)))
    info = draw(st.sampled_from(["", "python", "output", "error", "bash"]))
    close = draw(st.sampled_from([fence, fence, fence, ""]))        # sometimes never closed
    ial = draw(st.sampled_from(["", "{: .language-python}", "{: .output}", "{: language-bash}",
                                "{: .error }"]))
    return f"{fence}{info}\n{body}\n{close}\n{ial}"


def styles_block(depth):
    @st.composite
    def make(draw):
        kind = draw(st.sampled_from(["challenge", "callout", "discussion", "hint", "solution",
                                     "prereq", "instructor", "checklist", "weird-class"]))
        marker = "> " * depth
        title = draw(line)
        lines = [f"{marker}## {title}"]
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 4))
            if choice == 0 and depth < 4:
                inner = draw(styles_block(depth + 1))
                lines.append(inner)
            elif choice == 1:
                lines.extend(marker + code for code in draw(code_block()).split("\n"))
            elif choice == 2 and kind == "solution":
                lines.append(f"{marker}{SECRET} {draw(line)}")
            else:
                text = draw(line)
                # sloppy authors drop quote markers on continuation lines
                lines.append(text if draw(st.booleans()) and depth else marker + text)
        if kind == "solution":
            lines.append(f"{marker}{SECRET}")
        close = "> " * (depth - 1) + "{: ." + kind + draw(st.sampled_from(["", " "])) + "}"
        return "\n".join(lines) + "\n" + close
    return make()


def workbench_block(depth):
    @st.composite
    def make(draw):
        kind = draw(st.sampled_from(["challenge", "callout", "solution", "hint", "instructor",
                                     "spoiler", "keypoints", "discussion"]))
        colons = ":" * draw(st.integers(3, 12))
        parts = [f"{colons} {kind}", "", f"## {draw(line)}", ""]
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 3))
            if choice == 0 and depth < 4:
                parts.append(draw(workbench_block(depth + 1)))
            elif choice == 1:
                parts.append(draw(code_block()))
            else:
                parts.append(draw(div_line))
            parts.append("")
        if kind in ("solution", "instructor"):
            parts.append(f"{SECRET} {draw(line)}")
        if draw(st.integers(0, 9)):                      # mostly closed
            parts.append(":" * draw(st.integers(3, 12)))
        return "\n".join(parts)
    return make()


@st.composite
def front_matter(draw):
    title = draw(st.sampled_from(['"A title"', "Plain", "'quoted: colon'", "123", "[list]", "",
                                  '"unclosed']))
    teaching = draw(st.sampled_from(["10", "ten", "", "-5", "3.5", "null"]))
    lists = draw(st.sampled_from(['\n- "one"\n- two', " just text", " null", " []",
                                  "\n- - nested"]))
    extra = draw(st.sampled_from(["", "colour: \"#FAFAC8\"", "colour: red", "start: true",
                                  "layout: break\nbreak: 15", "hidden: true",
                                  "redirect_to: https://x.org", "a: &a [1, 2]\nb: *a"]))
    return (f"---\ntitle: {title}\nteaching: {teaching}\nexercises: 5\n"
            f"objectives:{lists}\nkeypoints:{lists}\n{extra}\n---\n")


@st.composite
def episode(draw):
    fmt = draw(st.sampled_from(["styles", "workbench"]))
    parts = [draw(front_matter()) if draw(st.integers(0, 9)) else ""]
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            parts.append(f"## {draw(line)}")
        elif choice == 1:
            parts.append(draw(code_block()))
        elif choice == 2:
            parts.append(draw(styles_block(1)) if fmt == "styles" else draw(workbench_block(0)))
        elif choice == 3:
            parts.append("| a | b |\n|---|---|\n| " + draw(line) + " | x |")
        else:
            parts.append(draw(line))
        parts.append("")
    return fmt, "\n".join(parts)


def _lesson_dir(root: str, fmt: str) -> str:
    folder = "_episodes" if fmt == "styles" else "episodes"
    os.makedirs(os.path.join(root, folder))
    os.makedirs(os.path.join(root, "fig"))
    os.makedirs(os.path.join(root, "_includes"))
    with open(os.path.join(root, "_includes", "links.md"), "w") as f:
        f.write("[x]: https://example.org\n")
    with open(os.path.join(root, "fig", "a.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\nnot really")
    cfg = "_config.yml" if fmt == "styles" else "config.yaml"
    with open(os.path.join(root, cfg), "w") as f:
        f.write("title: Fuzz\n" + ("episodes:\n- 01-fuzz.md\n" if fmt == "workbench" else ""))
    return root


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> dict:
    """One small lesson per format, in pytest's temporary folder (cleaned up by pytest)."""
    return {fmt: _lesson_dir(str(tmp_path_factory.mktemp(f"fuzz-{fmt}")), fmt)
            for fmt in ("styles", "workbench")}


def _outside_code(html: str) -> str:
    return re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S)


@settings(deadline=None, suppress_health_check=list(HealthCheck))
@given(case=episode())
def test_reading_and_building_never_crash_nor_leak(roots, case):
    fmt, text = case
    root = roots[fmt]
    path = os.path.join(root, "_episodes" if fmt == "styles" else "episodes", "01-fuzz.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        source = find_lesson(root)
        ep, diags = read_one(path, source)
    except SlidegenError:
        return
    assert all(d.path and d.severity in ("error", "warning") for d in diags)
    if ep is None or any(d.severity == "error" for d in diags):
        # The build writes nothing for an episode with errors (an unclosed fence could have
        # swallowed a solution into code): nothing to check beyond the error itself.
        assert ep is not None or any(d.severity == "error" for d in diags)
        return
    lesson = Lesson(root, source.lesson_config, (ep,))
    write_deck(lesson, ep, THEME, io.BytesIO())
    html = episode_html(lesson, ep, THEME, HandoutOptions(), Diagnostics(ep.source))
    assert SECRET not in _outside_code(html)
    if SECRET in html:
        # Read as code, as the lesson's own site shows it: a solution opener swallowed by a
        # fence left open above it. It is shown, and `check` must tell the author why.
        assert any("is inside a code block" in d.message for d in diags), diags
