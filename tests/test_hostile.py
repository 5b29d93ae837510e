"""Bad input never crashes, hangs, leaks or destroys: one test per kind of bad episode.

Each case builds a lesson with a good episode and an episode that was good, then turns bad: the
build must name the file and line, exit 1 for errors (0 for warnings), keep the bad episode's
earlier outputs byte for byte, and still build the good one.
"""
from __future__ import annotations

import hashlib
import http.server
import io
import os
import threading
import zipfile

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage
from pptx import Presentation

from slidegen.cli import main

GOOD = """---
title: "Good"
teaching: 5
exercises: 5
keypoints:
- "Good things."
---

## Start

Some text.
"""


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build(root, out, *extra):
    result = CliRunner().invoke(main, ["build", root, "-o", out, "-j", "1", *extra])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


@pytest.fixture
def lesson(make_lesson, tmp_path):
    root = make_lesson({"_episodes/00-good.md": GOOD,
                        "_episodes/01-case.md": GOOD.replace("Good", "Case"),
                        "fig/ok.png": _png(40, 30)})
    out = str(tmp_path / "out")
    first = build(root, out, "--only", "slides")
    assert first.exit_code == 0, first.output
    return root, out


def _png(w, h, colour=(200, 80, 40)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (w, h), colour).save(buf, "PNG")
    return buf.getvalue()


def _write(root, rel, content):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)


def _deck_text(path) -> str:
    prs = Presentation(path)
    parts = []
    for s in prs.slides:
        for shp in s.shapes:
            if shp.has_text_frame:
                parts.append(shp.text_frame.text)
        if s.has_notes_slide:
            parts.append(s.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


ALIAS_BOMB = "---\ntitle: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\n" \
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + \
    "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("bcdefgh", "cdefghi", strict=True)) + "---\n\nBody.\n"

ERRORS = {
    "invalid YAML": ("---\ntitle: \"Case\nteaching: 5\n---\n\nBody.\n", "_episodes/01-case.md:",
                     "invalid YAML"),
    "teaching: ten": ("---\ntitle: Case\nteaching: ten\n---\n\nBody.\n", "_episodes/01-case.md:3:",
                      "'teaching' must be a number of minutes, not 'ten'"),
    "objectives as text": ("---\ntitle: Case\nobjectives: learn things\n---\n\nBody.\n",
                           "_episodes/01-case.md:3:", "'objectives' must be a list"),
    "no front matter": ("## Just a heading\n\nBody.\n", "_episodes/01-case.md:1:",
                        "no front matter"),
    "empty file": ("", "_episodes/01-case.md:1:", "empty file"),
    "not UTF-8": ("---\ntitle: Case\n---\n\nCaf\xe9 au lait.\n".encode("latin-1"),
                  "_episodes/01-case.md:5:", "not valid UTF-8"),
    "binary junk": (bytes(range(256)) * 20, "_episodes/01-case.md:1:", "not a text file"),
    "unclosed fence": ("---\ntitle: Case\n---\n\n~~~\ncode\n\nProse.\n", "_episodes/01-case.md:5:",
                       "code fence '~~~' is never closed"),
    "unclosed div": ("---\ntitle: Case\n---\n\n::::: callout\n## Note\ntext\n",
                     "_episodes/01-case.md:5:", "'::: callout' is never closed"),
    "YAML alias bomb": (ALIAS_BOMB, "_episodes/01-case.md:", "YAML aliases (an alias bomb?)"),
    "5 MB episode": ("---\ntitle: Case\n---\n\n"
                     + ("A line of pasted data, 0123456789.\n" * 150_000),
                     "_episodes/01-case.md", "slidegen reads episodes up to 2 MB"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_bad_episode_is_reported_and_keeps_its_outputs(lesson, case):
    root, out = lesson
    content, where, message = ERRORS[case]
    deck, good = (os.path.join(out, "slides", "01-case.pptx"),
                  os.path.join(out, "slides", "00-good.pptx"))
    before = sha(deck)
    _write(root, "_episodes/01-case.md", content)
    _write(root, "_episodes/00-good.md", GOOD + "\nA change to the good episode.\n")
    result = build(root, out, "--only", "slides")
    assert result.exit_code == 1, result.output
    line = [ln for ln in result.output.splitlines() if message in ln]
    assert line and line[0].startswith(where), result.output
    assert sha(deck) == before                            # the earlier good deck is untouched
    assert "A change to the good episode." in _deck_text(good)   # the good one still built


WARNINGS = {
    "keypoints: null": ("---\ntitle: Case\nkeypoints: null\n---\n\nBody.\n",
                        "_episodes/01-case.md:3:", "'keypoints' is empty"),
    "solution outside a challenge": ("---\ntitle: Case\n---\n\n> ## Solution\n"
                                     "> The answer is 42.\n{: .solution}\n",
                                     "_episodes/01-case.md:5:", "solution outside a challenge"),
    "100-deep blockquotes": ("---\ntitle: Case\n---\n\n"
                             + "".join("> " * i + f"level {i}\n" + "> " * i + "\n"
                                       for i in range(1, 101)) + "\nAfter.\n",
                             "_episodes/01-case.md:", "blockquotes nested"),
    "missing image": ("---\ntitle: Case\n---\n\n![A chart](../fig/nothing.png)\n",
                      "_episodes/01-case.md:5:", "image '../fig/nothing.png' is not in the lesson"),
    "unknown Liquid tag": ("---\ntitle: Case\n---\n\n{% gallery photos %}\n\nText.\n",
                           "_episodes/01-case.md:5:",
                           "'{% gallery %}' is not a Liquid tag slidegen knows"),
}


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_questionable_episode_builds_with_a_warning(lesson, case):
    root, out = lesson
    content, where, message = WARNINGS[case]
    _write(root, "_episodes/01-case.md", content)
    result = build(root, out, "--only", "slides")
    assert result.exit_code == 0, result.output
    line = [ln for ln in result.output.splitlines() if message in ln]
    assert line and line[0].startswith(where), result.output
    assert os.path.exists(os.path.join(out, "slides", "01-case.pptx"))


def test_solution_outside_challenge_stays_out_of_slides_and_handouts(lesson):
    root, out = lesson
    _write(root, "_episodes/01-case.md", WARNINGS["solution outside a challenge"][0])
    assert build(root, out).exit_code == 0
    prs = Presentation(os.path.join(out, "slides", "01-case.pptx"))
    visible = "\n".join(shp.text_frame.text for s in prs.slides for shp in s.shapes
                        if shp.has_text_frame)
    assert "The answer is 42." not in visible
    import pdfplumber
    with pdfplumber.open(os.path.join(out, "handouts", "01-case.pdf")) as pdf:
        assert "42" not in "".join(p.extract_text() or "" for p in pdf.pages)


def test_broken_and_huge_images(lesson):
    root, out = lesson
    _write(root, "fig/broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    _write(root, "fig/huge.png", _png(6000, 4000))
    _write(root, "_episodes/01-case.md", "---\ntitle: Case\n---\n\n## Pictures\n\n"
                                         "![A broken one](../fig/broken.png)\n\n"
                                         "![A huge one](../fig/huge.png)\n")
    result = build(root, out)
    assert result.exit_code == 0, result.output
    assert "_episodes/01-case.md:7: warning: image '../fig/broken.png' not shown on the slide: " \
           "not a readable image" in result.output
    deck = os.path.join(out, "slides", "01-case.pptx")
    assert "[Image: A broken one]" in _deck_text(deck)
    with zipfile.ZipFile(deck) as z:
        media = [n for n in z.namelist() if n.startswith("ppt/media/")]
        sizes = [PILImage.open(io.BytesIO(z.read(n))).size for n in media if not n.endswith(".svg")]
    assert sizes and max(max(s) for s in sizes) <= 2400          # downscaled for the slide
    assert os.path.getsize(deck) < 1_500_000
    assert os.path.exists(os.path.join(out, "handouts", "01-case.pdf"))


def test_control_characters_and_ansi_escapes_in_output(lesson):
    root, out = lesson
    _write(root, "_episodes/01-case.md", "---\ntitle: Case\n---\n\n"
                                         "~~~\n\x1b[31mFAILED\x1b[0m test_x\x07\x0b\n~~~\n"
                                         "{: .output}\n")
    result = build(root, out)
    assert result.exit_code == 0, result.output
    deck = os.path.join(out, "slides", "01-case.pptx")
    text = _deck_text(deck)
    assert "FAILED test_x" in text and "\x1b" not in text and "[31m" not in text


def test_same_stem_twice_builds_one_with_a_warning_naming_both(make_lesson, tmp_path):
    """Both would write 01-x.pptx: the R Markdown source is the episode (issue 31)."""
    root = make_lesson({"_episodes/01-x.md": GOOD,
                        "_episodes/01-x.Rmd": GOOD.replace("Good", "Other")})
    result = build(root, str(tmp_path / "out"), "--only", "slides")
    assert result.exit_code == 0, result.output
    assert ("_episodes/01-x.md: warning: _episodes/01-x.Rmd and _episodes/01-x.md are the same "
            "episode") in result.output
    assert "built 1 deck" in result.output
    assert os.path.exists(os.path.join(str(tmp_path / "out"), "slides", "01-x.pptx"))


def test_both_formats_in_one_folder(make_lesson, tmp_path):
    root = make_lesson({"_episodes/01-x.md": GOOD,
                        "episodes/01-x.md": GOOD.replace("Good", "Workbench")},
                       config='title: "Both"\n')
    result = build(root, str(tmp_path / "out"), "--only", "slides")
    assert result.exit_code == 0
    assert "both '_episodes/' and 'episodes/' exist" in result.output


def test_output_inside_the_lesson_is_never_read_back(make_lesson):
    root = make_lesson({"_episodes/01-x.md": GOOD})
    out = os.path.join(root, "_episodes", "built")
    assert build(root, out, "--only", "slides").exit_code == 0
    again = build(root, out, "--only", "slides")
    assert again.exit_code == 0 and "1 up to date" in again.output


def test_mixed_lesson_builds_every_good_episode(make_lesson, tmp_path):
    files = {f"_episodes/0{i}-good.md": GOOD for i in range(3)}
    files.update({"_episodes/05-bad.md": ERRORS["teaching: ten"][0],
                  "_episodes/06-bad.md": ERRORS["binary junk"][0]})
    root = make_lesson(files)
    out = str(tmp_path / "out")
    result = build(root, out)
    assert result.exit_code == 1
    assert "_episodes/05-bad.md:3: error:" in result.output
    assert "_episodes/06-bad.md:1: error:" in result.output
    for i in range(3):
        assert os.path.exists(os.path.join(out, "slides", f"0{i}-good.pptx"))
        assert os.path.exists(os.path.join(out, "handouts", f"0{i}-good.pdf"))
    assert not os.path.exists(os.path.join(out, "slides", "05-bad.pptx"))
    assert os.path.exists(os.path.join(out, "handout.pdf"))


# -- nothing outside the lesson, nothing from the network -----------------------------------------

class _Server:
    """A local web server that counts the requests it gets."""

    def __init__(self):
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = _png(10, 10)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


def test_no_outside_file_and_no_request_reaches_any_output(make_lesson, tmp_path, server):
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "secret.md").write_text("TOPSECRET-INCLUDE\n")
    (secret_dir / "secret.png").write_bytes(_png(20, 20, (1, 2, 3)))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="100" height="50">'
           f'<image xlink:href="file://{secret_dir}/secret.png" width="50" height="50"/>'
           f'<image href="{server.url}/from-svg.png" x="50" width="50" height="50"/></svg>')
    root = make_lesson({
        "_episodes/01-x.md": f"""---
title: Outside
---

{{% include ../../private/secret.md %}}

![remote]({server.url}/remote.png)

![escape](../../private/secret.png)

![absolute]({secret_dir}/secret.png)

<img src="file:///etc/passwd" alt="passwd">

![link](../fig/link.png)

![svg](../fig/refs.svg)

<p style="color:red" onclick="x()">styled <script>alert("TOPSECRET-SCRIPT")</script></p>
""",
        "fig/refs.svg": svg,
    })
    os.symlink(secret_dir / "secret.png", os.path.join(root, "fig", "link.png"))
    out = str(tmp_path / "out")
    result = build(root, out, "--answer-key")
    assert server.requests == []                       # no request without --allow-remote
    assert "outside the lesson" in result.output
    blobs = []
    for base, _, files in os.walk(out):
        for f in files:
            with open(os.path.join(base, f), "rb") as fh:
                blobs.append(fh.read())
            if f.endswith(".pptx"):
                with zipfile.ZipFile(os.path.join(base, f)) as z:
                    blobs.extend(z.read(n) for n in z.namelist())
    everything = b"\n".join(blobs)
    assert b"TOPSECRET" not in everything and b"root:x:0:0" not in everything
    secret_png = (secret_dir / "secret.png").read_bytes()
    assert secret_png not in everything
    import pdfplumber
    with pdfplumber.open(os.path.join(out, "handouts", "01-x.pdf")) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "styled" in text and "alert" not in text


def test_allow_remote_does_fetch(make_lesson, tmp_path, server):
    root = make_lesson({"_episodes/01-x.md": f"---\ntitle: Remote\n---\n\n"
                                             f"![remote]({server.url}/remote.png)\n"})
    result = build(root, str(tmp_path / "out"), "--allow-remote", "--only", "slides")
    assert result.exit_code == 0, result.output
    assert server.requests == ["/remote.png"]


def test_episode_linking_outside_the_lesson_is_not_read(make_lesson, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: SECRET-TITLE\n---\n\nSECRET-BODY\n")
    root = make_lesson({"_episodes/00-good.md": GOOD})
    os.symlink(outside, os.path.join(root, "_episodes", "01-link.md"))
    out = str(tmp_path / "out")
    result = build(root, out, "--only", "slides")
    assert result.exit_code == 1
    assert "_episodes/01-link.md: error: links to a file outside the lesson; not read" \
        in result.output
    assert not os.path.exists(os.path.join(out, "slides", "01-link.pptx"))


def test_hostile_manifest_only_causes_a_rebuild(make_lesson, tmp_path):
    """OUT may sit in a lesson repository someone else filled: its manifest is untrusted."""
    import json
    root = make_lesson({"_episodes/01-x.md": GOOD})
    out = str(tmp_path / "out")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.makedirs(os.path.join(out, ".slidegen"))
    with open(os.path.join(out, ".slidegen", "manifest.json"), "w") as f:
        json.dump({"format": 1, "lesson": [], "episodes": {
            "_episodes/01-x.md": {"key": 5, "deps": "x", "outputs": ["a"], "summary": {"title": 3}},
            "_episodes/gone.md": {"outputs": {"../../victim.txt": None,
                                              "slides/../../victim.txt": None,
                                              "slides/x.pptx": 7}}}}, f)
    result = build(root, out, "--only", "slides")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert os.path.exists(os.path.join(out, "slides", "01-x.pptx"))
