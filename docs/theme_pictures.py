"""Pictures of one slide in every built-in theme, and in a template made with LibreOffice
Impress, for the README:

    python docs/theme_pictures.py        # writes docs/images/theme-<name>.png

The slide is the sample lesson's first exercise (`_episodes/01-building.md`); LibreOffice
renders the deck to PDF and poppler's pdftoppm turns that slide into a PNG at 50 dpi.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)

from slides_pdf import deck_pdf  # noqa: E402

from slidegen.pptx import plan_deck  # noqa: E402
from slidegen.read import read_lesson  # noqa: E402
from slidegen.theme import builtin_names, load_theme  # noqa: E402

EPISODE = "01-building"
TEMPLATE = os.path.join(REPO, "tests", "fixtures", "template-impress.pptx")


def themes(tmp: str) -> dict:
    out = {name: load_theme(name) for name in builtin_names()}
    folder = os.path.join(tmp, "template")
    os.makedirs(folder)
    shutil.copyfile(TEMPLATE, os.path.join(folder, "corporate.pptx"))
    with open(os.path.join(folder, "theme.toml"), "w") as f:
        f.write('description = "Impress template"\n[deck]\ntemplate = "corporate.pptx"\n')
    out["template"] = load_theme(folder)
    return out


def picture(lesson, episode, theme, name: str, tmp: str) -> str:
    plans, _ = plan_deck(lesson, episode, theme)
    page = next(n for n, p in enumerate(plans, 1) if p.kind == "exercise")
    deck_pdf(lesson, episode, theme, name, tmp)
    target = os.path.join(HERE, "images", f"theme-{name}")
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    os.path.join(tmp, f"{name}.pdf"), target], check=True)
    return target + ".png"


def main() -> None:
    reading = read_lesson(REPO)
    episode = next(e for e in reading.lesson.episodes if e.stem == EPISODE)
    with tempfile.TemporaryDirectory() as tmp:
        for name, theme in themes(tmp).items():
            print(picture(reading.lesson, episode, theme, name, tmp))


if __name__ == "__main__":
    main()
