"""Work bounded by the input's size, not its shape (issue 31, items 14, 15, 17, 18): one
unbroken word of prose, one code line without a space, an SVG declaring 20000 × 20000 pixels
and a server that trickles its answer each give a result or a clear message within 10 s of CPU
and 500 MB.

The pathological builds run as real processes under a memory cap (RLIMIT_AS) and a CPU limit,
so a regression fails the test instead of taking the machine down; their CPU time and largest
resident size come from the kernel (getrusage), as the machine running the tests is shared.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
import time

import pytest
from buildkit import measured_argv, pdf_text
from pptx import Presentation

from slidegen.media import remote
from slidegen.media.svgsize import declared_size

CAP_BYTES = 1_500_000_000       # address space for a build (a plain build needs < 600 MB)
CPU_S = 15                      # the budget is 10 s; headroom for a loaded machine
RSS_MB = 600                    # the budget is 500 MB


def _lesson(root, body: str, files: dict | None = None) -> str:
    root = str(root)
    os.makedirs(os.path.join(root, "_episodes"), exist_ok=True)
    with open(os.path.join(root, "_config.yml"), "w") as f:
        f.write('title: "Bounded"\n')
    with open(os.path.join(root, "_episodes", "01-long.md"), "w") as f:
        f.write('---\ntitle: "Long"\nteaching: 5\nexercises: 0\n---\n\n## Section\n\n'
                f"A short lead.\n\n{body}")
    for rel, data in (files or {}).items():
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    return root


def bounded_build(lesson, out, *args, timeout: float = 120):
    """`slidegen build` as a capped, measured process: (exit code, output, CPU seconds, peak
    resident MB)."""
    code, output, cpu, rss = measured_argv(
        [sys.executable, "-m", "slidegen", "build", str(lesson), "-o", str(out), "--force",
         "-j", "1", *args], cap_bytes=CAP_BYTES, cpu_s=60, timeout=timeout, merge=True)
    assert "Traceback" not in output, output
    return code, output, cpu, rss


def within_budget(cpu: float, rss: float, output: str) -> None:
    assert cpu < CPU_S, f"{cpu:.1f} s of CPU\n{output}"
    assert rss < RSS_MB, f"{rss:.0f} MB\n{output}"


def deck_pictures(path) -> int:
    return sum(1 for slide in Presentation(path).slides for shape in slide.shapes
               if shape.shape_type == 13)


# -- 14, 15: one word of prose, one code line without a space -------------------------------

def deck_text(path) -> tuple[str, str]:
    """(the text on the slides, the speaker notes) of a deck."""
    prs = Presentation(path)
    shown = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                      if shape.has_text_frame)
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in prs.slides
                      if slide.has_notes_slide)
    return shown, notes


@pytest.mark.parametrize("length", [400_000, 1_900_000])
def test_one_unbroken_word_in_prose_is_cut_and_the_rest_of_the_paragraph_kept(tmp_path, length):
    lesson = _lesson(tmp_path / "lesson", f"Before {'a' * length} after the word.\n")
    code, output, cpu, rss = bounded_build(lesson, tmp_path / "out", "--slides", "full")
    assert code == 0, output
    within_budget(cpu, rss, output)
    assert (f"01-long.md:11: warning: a word of {length} characters without a space is cut "
            "to its first 2000") in output
    shown, notes = deck_text(tmp_path / "out" / "slides" / "01-long.pptx")
    assert "a" * 240 + "… (1760 more characters in the notes) after the word." in shown
    assert "a" * 241 not in shown                     # nothing runs off the slide
    assert "a" * 2000 + f"… ({length - 2000} characters cut) after the word." in notes
    handout = pdf_text(tmp_path / "out" / "handouts" / "01-long.pdf")
    assert f"({length - 2000} characters cut) after the word." in handout
    assert handout.count("a") < 2000 + 100


@pytest.mark.parametrize("length", [100_000, 1_900_000])
def test_one_code_line_without_spaces_is_cut_with_a_mark(tmp_path, length):
    lesson = _lesson(tmp_path / "lesson", f"~~~\nx = 1\n{'b' * length}\ny = 2\n~~~\n"
                     "{: .language-python}\n")
    code, output, cpu, rss = bounded_build(lesson, tmp_path / "out")
    assert code == 0, output
    within_budget(cpu, rss, output)
    assert (f"01-long.md:11: warning: line 2 of this code has {length} characters: it is cut "
            "to its first 2000") in output
    handout = pdf_text(tmp_path / "out" / "handouts" / "01-long.pdf")
    assert f"({length - 2000} characters cut)" in handout and "y = 2" in handout
    assert handout.count("b") < 2000 + 100
    shown, notes = deck_text(tmp_path / "out" / "slides" / "01-long.pptx")
    assert "… (1680 more characters in the notes)" in shown and "y = 2" in shown
    assert "b" * 2000 + f"… ({length - 2000} characters cut)\ny = 2" in notes


# -- 17: an SVG that declares 20000 × 20000 pixels ------------------------------------------

def test_huge_declared_svg_is_drawn_small_with_a_warning(tmp_path):
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="20000">'
           b'<rect width="20000" height="20000" fill="teal"/></svg>')
    lesson = _lesson(tmp_path / "lesson", "![A big square](../fig/big.svg)\n",
                     {"fig/big.svg": svg})
    code, output, cpu, rss = bounded_build(lesson, tmp_path / "out")
    assert code == 0, output
    within_budget(cpu, rss, output)
    assert "01-long.md:11: warning: image '../fig/big.svg' declares 20000 × 20000 pixels" \
        in output
    assert deck_pictures(tmp_path / "out" / "slides" / "01-long.pptx") == 1


@pytest.mark.parametrize("attrs, size", [
    ('width="20000" height="10000"', (20000, 10000)),
    ('width="100%" height="100%" viewBox="0 0 30000 20000"', (30000, 20000)),
    ('viewBox="0,0,300,200"', (300, 200)),
    ('width="10in" height="5cm"', (960, 5 * 96 / 2.54)),
    ('width="72pt" height="2em"', (96, 32)),
    ('width="auto"', None),
])
def test_declared_svg_size_reads_units_and_view_box(attrs, size):
    got = declared_size(f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}/>'.encode())
    assert got == pytest.approx(size) if size else got is None


# -- 18: a server that sends one byte every half second --------------------------------------

class _Trickle:
    """A server that answers every request one byte at a time, never finishing its headers."""

    def __init__(self, pause: float):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.pause, self.closed = pause, False
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow.png"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        with conn:
            try:
                conn.recv(4096)
                for byte in b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nX-Slow: " + b"a" * 9999:
                    if self.closed:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(self.pause)
            except OSError:
                return

    def close(self):
        self.closed = True
        self.sock.close()


@pytest.fixture
def trickle():
    server = _Trickle(0.5)
    yield server
    server.close()


def test_a_trickling_server_cannot_outlast_the_download_deadline(trickle, monkeypatch):
    monkeypatch.setattr(remote, "TIMEOUT_S", 2)
    outcome: list = []

    def get():
        try:
            outcome.append(remote.fetch(trickle.url))
        except Exception as e:
            outcome.append(e)
    started = time.monotonic()
    worker = threading.Thread(target=get, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the download is still waiting on the server"
    assert time.monotonic() - started < 2 + 2
    assert isinstance(outcome[0], remote.FetchRefused)
    assert "took longer than 2 s" in str(outcome[0])


def test_a_build_with_allow_remote_ends_despite_a_trickling_server(tmp_path, trickle):
    lesson = _lesson(tmp_path / "lesson", f"![A slow picture]({trickle.url})\n")
    started = time.monotonic()
    code, output, _, _ = bounded_build(lesson, tmp_path / "out", "--allow-remote", timeout=90)
    assert time.monotonic() - started < 60, output
    assert code == 0, output
    assert f"took longer than {remote.TIMEOUT_S} s" in output
    assert "A slow picture" in pdf_text(tmp_path / "out" / "handouts" / "01-long.pdf")
