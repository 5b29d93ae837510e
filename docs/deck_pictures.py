"""Pictures of decks for the README, from this repository's sample lesson:

    python docs/deck_pictures.py        # writes docs/images/deck-*.png

deck-title, deck-exercise and deck-solution show episode `01-building` (the solution slide
unhidden); deck-teaching and deck-full show one of its sections as a teaching slide (the
default) and as full slides (`--slides full`), side by side when it takes more than one.
LibreOffice renders each deck to PDF and poppler's pdftoppm turns its pages into PNGs at 50 dpi.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from PIL import Image  # noqa: E402
from slides_pdf import deck_pdf  # noqa: E402

from slidegen.pptx import Options, plan_deck  # noqa: E402
from slidegen.read import read_lesson  # noqa: E402
from slidegen.theme import load_theme  # noqa: E402

EPISODE = "01-building"
SECTION = "Checking the lesson first"
GAP = 12            # pixels between slides shown side by side


def rendered(lesson, episode, theme, mode: str, tmp: str):
    """(plans, PDF path) of the episode's deck in `mode`, every slide shown."""
    options = Options(slides=mode)
    plans, _ = plan_deck(lesson, episode, theme, options)
    return plans, deck_pdf(lesson, episode, theme, mode, tmp, options)


def page(pdf: str, number: int, tmp: str) -> Image.Image:
    target = os.path.join(tmp, f"page-{os.path.basename(pdf)}-{number}")
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", str(number),
                    "-l", str(number), pdf, target], check=True)
    return Image.open(target + ".png")


def side_by_side(pictures: list[Image.Image]) -> Image.Image:
    w, h = pictures[0].size
    out = Image.new("RGB", (len(pictures) * w + (len(pictures) - 1) * GAP, h), "#9aa3b5")
    for n, pic in enumerate(pictures):
        out.paste(pic, (n * (w + GAP), 0))
    return out


def save(picture: Image.Image, name: str) -> str:
    path = os.path.join(HERE, "images", f"{name}.png")
    picture.save(path, optimize=True)
    return path


def main() -> None:
    reading = read_lesson(REPO)
    episode = next(e for e in reading.lesson.episodes if e.stem == EPISODE)
    theme = load_theme()
    with tempfile.TemporaryDirectory() as tmp:
        plans, pdf = rendered(reading.lesson, episode, theme, "teaching", tmp)
        first = {}
        for n, p in enumerate(plans, 1):
            first.setdefault(p.kind, n)
        print(save(page(pdf, 1, tmp), "deck-title"))
        print(save(page(pdf, first["exercise"], tmp), "deck-exercise"))
        print(save(page(pdf, first["solution"], tmp), "deck-solution"))
        for mode in ("teaching", "full"):
            plans, pdf = rendered(reading.lesson, episode, theme, mode, tmp)
            pages = [n for n, p in enumerate(plans, 1) if p.title.startswith(SECTION)]
            print(save(side_by_side([page(pdf, n, tmp) for n in pages]), f"deck-{mode}"))


if __name__ == "__main__":
    main()
