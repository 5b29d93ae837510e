"""Pictures of handouts and of the workshop kit for the README, as slidegen builds them now:

    python docs/handout_pictures.py [LESSON]    # writes the docs/images/ files named in PAGES

The handout pictures show this repository's sample lesson; the workshop pictures (a schedule
over two days, the instructor's script) a longer lesson, by default the corpus's
python-novice-inflammation-styles beside this repository (../shared/corpus/), else LESSON.
Each lesson is built once into a temporary folder; each page is found by a phrase on it and
rendered with poppler's pdftoppm. The before/after pictures of the README's "Handouts" section
show earlier builds and are not remade.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pypdf

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
IMAGES = os.path.join(HERE, "images")

WORKSHOP = os.path.join(os.path.dirname(REPO), "shared", "corpus",
                        "python-novice-inflammation-styles")

# picture -> (which build, the PDF in its OUT, a phrase on the page (None: the first page),
# which of the pages with it (from 0), dpi)
PAGES = {
    "handout-cover": ("sample", "handout.pdf", None, 0, 100),
    "handout-page": ("sample", "handout.pdf", "Read the Check Report", 0, 100),
    "handout-large-print": ("sample", "large-print/handout.pdf", "Read the Check Report", 0, 72),
    "workshop-schedule": ("workshop", "handout.pdf", "Schedule", 0, 80),
    "workshop-script": ("workshop", "instructor/03-matplotlib.pdf", None, 0, 80),
    "workshop-script-exercise": ("workshop", "instructor/03-matplotlib.pdf",
                                 "solutions on hidden slides", 0, 80),
}

BUILDS = {
    "sample": ["--large-print"],
    "workshop": ["--instructor", "--start", "09:00", "--day", "09:00-16:30"],
}


def build(lesson: str, out: str, options: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "slidegen", "build", lesson, "-o", out, "--force",
                    "-q", *options], check=True)


def page_with(pdf: str, phrase: str | None, nth: int) -> int:
    """The 1-based number of the `nth` page (from 0) on which `phrase` is printed."""
    if phrase is None:
        return 1
    found = [i for i, page in enumerate(pypdf.PdfReader(pdf).pages, 1)
             if phrase in " ".join((page.extract_text() or "").split())]
    if len(found) <= nth:
        raise SystemExit(f"'{phrase}' is on {len(found)} pages of {pdf}; the README needs "
                         f"page {nth + 1} of them: change PAGES")
    return found[nth]


def render(pdf: str, page: int, dpi: int, name: str) -> None:
    prefix = os.path.join(IMAGES, name)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    "-singlefile", pdf, prefix], check=True)
    print(f"docs/images/{name}.png: page {page} of {os.path.basename(pdf)}")


def main() -> None:
    lessons = {"sample": REPO, "workshop": sys.argv[1] if len(sys.argv) > 1 else WORKSHOP}
    with tempfile.TemporaryDirectory() as folder:
        for which, options in BUILDS.items():
            build(lessons[which], os.path.join(folder, which), options)
        for name, (which, rel, phrase, nth, dpi) in PAGES.items():
            pdf = os.path.join(folder, which, rel)
            render(pdf, page_with(pdf, phrase, nth), dpi, name)


if __name__ == "__main__":
    main()
