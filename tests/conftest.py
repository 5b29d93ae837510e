"""Shared test helpers: where the real corpus lessons are, and small lessons written on the fly."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap

import pytest
from hypothesis import settings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# What a wheel or an install from git is made of (tests copy these to build from a clean tree).
PACKAGE_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "slidegen", "themes")


def copy_sources(dest) -> None:
    """The package's sources (PACKAGE_SOURCES) copied into the folder `dest`, without caches."""
    for name in PACKAGE_SOURCES:
        path = os.path.join(REPO, name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(dest, name),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(path, os.path.join(dest, name))
CORPUS = os.path.normpath(os.path.join(REPO, "..", "shared", "corpus"))
LESSONS = ["lesson-example", "python-intermediate-development-uva",
           "python-novice-inflammation-styles", "python-novice-inflammation-workbench"]


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """LibreOffice converting decks to PDF, with one user profile for the whole session (each
    fresh profile costs seconds). Skipped where LibreOffice is missing, except in CI (CI=true),
    where .ci/setup installs it and a missing renderer is a failure."""
    exe = shutil.which("soffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/setup --with tests (or "
                        "--all) installs it")
        pytest.skip("LibreOffice is not installed")
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def convert(paths, outdir) -> None:
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                       check=True, capture_output=True, timeout=900)
    return convert


def corpus_path(name: str) -> str:
    path = os.path.join(CORPUS, name)
    if not os.path.isdir(path):
        pytest.skip(f"corpus lesson {name} not available (no ../shared/corpus in this clone)")
    return path


@pytest.fixture
def make_lesson(tmp_path):
    """Write a small lesson: make_lesson({"_episodes/01-x.md": "..."}, fmt="styles")."""
    def make(files: dict, fmt: str = "styles", config: str | None = None) -> str:
        root = tmp_path / "lesson"
        root.mkdir(exist_ok=True)
        if fmt == "styles":
            (root / "_episodes").mkdir(exist_ok=True)
            (root / "_config.yml").write_text(config or 'title: "Test Lesson"\n')
        else:
            (root / "episodes").mkdir(exist_ok=True)
            names = [os.path.basename(k) for k in files if k.startswith("episodes/")]
            (root / "config.yaml").write_text(config or "title: 'Test Lesson'\nepisodes:\n" +
                                              "".join(f"- {n}\n" for n in names))
        for rel, content in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(textwrap.dedent(content).lstrip("\n"))
        return str(root)
    return make


def marked_counts(path: str) -> dict:
    """How many blocks of each kind the author marked: attribute lines (styles) or div openers
    (Workbench) outside fenced code, however the quote markers are written."""
    counts: dict = {}
    fence = None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    body = (re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)[-1] if text.startswith("---")
            else text)
    for line in body.splitlines():
        bare = re.sub(r"^(\s*>\s?)+", "", line)
        m = re.match(r"^\s*(`{3,}|~{3,})(.*)$", bare)
        if m:
            if fence is None:
                fence = m.group(1)
            elif (m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
                  and not m.group(2).strip()):
                fence = None
            continue
        if fence:
            continue
        m = re.match(r"^\s*\{:\s*\.?([A-Za-z][\w-]*)[^}]*\}\s*$", bare) or \
            re.match(r"^\s*:{3,}\s*\{?\s*\.?([A-Za-z][\w-]*)\s*\}?\s*:*\s*$", bare)
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return counts


def copy_lesson(name: str, dest, episodes=None) -> str:
    """A copy of a corpus lesson (optionally only some episodes) that a test may modify."""
    src = corpus_path(name)
    root = os.path.join(str(dest), name)
    shutil.copytree(src, root)
    if episodes is not None:
        for sub in ("_episodes", "episodes"):
            d = os.path.join(root, sub)
            if os.path.isdir(d):
                for f in os.listdir(d):
                    if f.endswith(".md") and os.path.splitext(f)[0] not in episodes:
                        os.remove(os.path.join(d, f))
    return root


# Property tests draw the same examples on every run ("ci"): two CI runs of one commit test the
# same thing. Fuzz longer and afresh by hand: pytest tests/test_fuzz.py --hypothesis-profile=fuzz
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None,
                          print_blob=True)
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def mermaid_renderer():
    """mermaid-cli with a browser, as .ci/setup installs them; skipped where missing, except
    in CI, where a missing renderer is a failure."""
    from slidegen.media.diagrams import renderer
    if renderer() is None:
        if os.environ.get("CI"):
            pytest.fail("mermaid-cli (mmdc) or Chromium is not installed; .ci/setup --with "
                        "diagrams (or --all) installs them")
        pytest.skip("mermaid-cli (mmdc) or Chromium is not installed")
    return renderer()


@pytest.fixture(scope="session")
def knitr():
    """R with its knitr package, as .ci/setup installs them (for `build --knit`); skipped where
    missing, except in CI, where a missing R is a failure."""
    from slidegen.workshop.knit import available
    why = available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; .ci/setup --with knit (or --all) installs r-base-core and "
                        "r-cran-knitr")
        pytest.skip(why)
