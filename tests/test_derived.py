"""Pictures and formulae are derived once per content and kept in OUT/.slidegen/derived/, so an
edited episode's next build, and the other workers of one build, do not draw them again; and
whatever is found there is checked before it reaches a deck (OUT is anyone's folder)."""
from __future__ import annotations

import hashlib
import os

import pytest
from click.testing import CliRunner
from pptx import Presentation

from slidegen.cli import main
from slidegen.media import mathrender
from slidegen.pptx import pictures

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">'
       b'<rect width="300" height="200" fill="#3366cc"/><circle cx="150" cy="100" r="60" '
       b'fill="#ffcc00"/></svg>')
EPISODE = """---
title: "Shapes"
---

## A figure

![A yellow circle on a blue square](../fig/shape.svg)

## A formula

$$\\frac{a}{b} + \\sum_{i=1}^{n} x_i$$
"""


@pytest.fixture
def lesson(make_lesson):
    return make_lesson({"_episodes/01-shapes.md": EPISODE, "fig/shape.svg": SVG})


def _build(root, out, *extra):
    pictures._decoded.cache_clear()          # as a new process would start
    mathrender.typeset.cache_clear()
    result = CliRunner().invoke(main, ["build", root, "-o", out, "--only", "slides", *extra])
    assert result.exit_code == 0, result.output
    return Presentation(os.path.join(out, "slides", "01-shapes.pptx"))


def _images(deck) -> list[bytes]:
    return [shape.image.blob for slide in deck.slides for shape in slide.shapes
            if shape.shape_type == 13]                                  # PICTURE


def _kept(out) -> list[str]:
    return sorted(os.listdir(os.path.join(out, ".slidegen", "derived")))


def test_a_later_build_uses_what_an_earlier_one_drew(lesson, tmp_path, monkeypatch):
    out = str(tmp_path / "out")
    first = _images(_build(lesson, out))
    kept = _kept(out)
    assert any(k.startswith("slide-picture-") for k in kept)
    assert any(k.startswith("math-") for k in kept)

    def never(*_args, **_kwargs):
        raise AssertionError("drawn again although an earlier build kept it")
    monkeypatch.setattr(pictures, "_svg", never)
    monkeypatch.setattr(mathrender, "_typeset", never)
    assert _images(_build(lesson, out, "--force")) == first


def test_what_is_found_in_the_store_is_checked_before_use(lesson, tmp_path):
    out = str(tmp_path / "out")
    first = _images(_build(lesson, out))
    folder = os.path.join(out, ".slidegen", "derived")
    planted = b"slidegen-picture\n{\"ext\": \"png\", \"w\": 1, \"h\": 1, \"svg\": false}\n" \
        b"<script>not a picture</script>"
    for k, name in enumerate(_kept(out)):      # planted or damaged entries, some led by their hash
        with open(os.path.join(folder, name), "wb") as f:
            f.write((hashlib.sha256(planted).digest() if k % 2 else b"") + planted)
    again = _images(_build(lesson, out, "--force"))
    assert again == first
    for blob in again:
        assert blob.startswith(b"\x89PNG") or blob.startswith(b"<svg") or blob.startswith(b"<?xml")
    with open(os.path.join(folder, _kept(out)[0]), "rb") as f:
        assert b"<script>" not in f.read()          # made again and kept again


def test_an_entry_cut_short_is_made_again(lesson, tmp_path):
    """Entries are written without fsync (they are checked when read): one a power cut left
    half written is drawn again, never used."""
    out = str(tmp_path / "out")
    first = _images(_build(lesson, out))
    folder = os.path.join(out, ".slidegen", "derived")
    for name in _kept(out):
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data[:len(data) // 2])
    assert _images(_build(lesson, out, "--force")) == first


def test_a_link_in_the_store_is_never_followed(lesson, tmp_path):
    out = tmp_path / "out"
    _build(lesson, str(out))
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\nOUTSIDE")
    for name in _kept(str(out)):
        entry = out / ".slidegen" / "derived" / name
        entry.unlink()
        entry.symlink_to(outside)
    deck = _build(lesson, str(out), "--force")
    assert all(b"OUTSIDE" not in blob for blob in _images(deck))
    assert outside.read_bytes() == b"\x89PNG\r\n\x1a\nOUTSIDE"
