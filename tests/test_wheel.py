"""The wheel a user installs works on its own: built from the sources, installed into a fresh
virtual environment, it builds the sample lesson with the themes, templates and fonts it carries
(an editable install hides anything pyproject.toml forgets to package).

Dependencies come from this machine (`--system-site-packages`), so no network is needed; slidegen
itself must come from the wheel, which the test checks."""
from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO

SAMPLE = ("_config.yml", "_includes", "fig", "_episodes")
SOURCES = ("pyproject.toml", "README.md", "slidegen")
TEACHING = ["00-intro", "01-building", "02-schedule", "04-automation-intro", "05-ci"]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("venv") is None or importlib.util.find_spec("pip") is None,
    reason="needs the venv and pip modules to build and install a wheel")


def run(*cmd, cwd, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def source_files(folder: str) -> set[str]:
    """Files under the source folder `folder`, relative to the repository, as the wheel names
    them would be without the package-dir mapping."""
    out = set()
    for dirpath, dirnames, filenames in os.walk(os.path.join(REPO, folder)):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for f in filenames:
            if not f.endswith(".pyc"):
                out.add(os.path.relpath(os.path.join(dirpath, f), REPO).replace(os.sep, "/"))
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    """A wheel built from a copy of the sources (pip writes build/ and *.egg-info next to them)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        path = os.path.join(REPO, name)
        if os.path.isdir(path):
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(path, src / name)
    result = run(sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q",
                 "-w", str(tmp / "dist"), cwd=tmp)
    if result.returncode and "satisfies the requirement" in result.stderr:
        pytest.skip("pip cannot get the build backend (setuptools) here: " + result.stderr[-300:])
    assert result.returncode == 0, result.stderr
    (path,) = glob.glob(str(tmp / "dist" / "carpentries_slidegen-*.whl"))
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> str:
    """A fresh virtual environment that sees this machine's packages but gets slidegen from the
    wheel; pip from the system site runs inside it, so the venv needs no pip of its own."""
    root = tmp_path_factory.mktemp("venv")
    env = str(root / "env")
    result = run(sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", env,
                 cwd=root)
    assert result.returncode == 0, result.stderr
    python = os.path.join(env, "bin", "python")
    # --ignore-installed: an editable slidegen in the system site must not count as installed.
    result = run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                 "-q", wheel, cwd=root)
    assert result.returncode == 0, result.stderr
    return env


def test_wheel_holds_every_package_theme_file_and_font(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for init in glob.glob(os.path.join(REPO, "slidegen", "**", "__init__.py"), recursive=True):
        rel = os.path.relpath(init, REPO).replace(os.sep, "/")
        assert rel in names, f"package {os.path.dirname(rel)} is missing from the wheel"
    themes = source_files("slidegen/themes")
    assert themes and themes <= names, sorted(themes - names)
    assert any(n.startswith("slidegen/themes/carpentries/handout/") for n in names)
    fonts = {f for f in source_files("slidegen/fonts") if f.endswith(".ttf")}
    assert fonts and fonts <= names, sorted(fonts - names)


def test_installed_wheel_builds_the_sample_lesson(venv, tmp_path):
    python = os.path.join(venv, "bin", "python")
    where = run(python, "-c", "import slidegen, slidegen.theme as t; "
                "print(slidegen.__file__); print(t.builtin_dir()); print(t.FONT_DIR)",
                cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    package, themes, fonts = where.stdout.split()
    site = os.path.realpath(venv) + os.sep
    for path in (package, themes, fonts):
        assert os.path.realpath(path).startswith(site), f"{path} is not from the wheel"
    assert os.path.isfile(os.path.join(themes, "carpentries", "theme.toml"))
    assert glob.glob(os.path.join(fonts, "*.ttf"))

    lesson = tmp_path / "lesson"
    lesson.mkdir()
    for name in SAMPLE:
        path = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(path) else shutil.copy)(path, lesson / name)
    out = tmp_path / "out"
    result = run(os.path.join(venv, "bin", "slidegen"), "build", "lesson", "-o", "out",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for stem in TEACHING:
        with open(out / "slides" / f"{stem}.pptx", "rb") as f:
            assert f.read(2) == b"PK"
        with open(out / "handouts" / f"{stem}.pdf", "rb") as f:
            assert f.read(5) == b"%PDF-"
    assert (out / "handout.pdf").stat().st_size > 10_000
