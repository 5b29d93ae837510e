"""The wheel a user installs works on its own: built from the sources and installed, with
nothing but the dependencies it declares, into a brand-new virtual environment that sees none of
this machine's packages, it builds the sample lesson with the themes, templates and fonts it
carries. An editable install hides anything pyproject.toml forgets to package, and a package
installed by hand hides a dependency it forgets to declare; this test sees both.

uv (in the test extra) builds and installs: the dependencies come from the package index, and
uv's cache makes repeated runs quick."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO, copy_sources
from uv import find_uv_bin

SAMPLE = ("_config.yml", "_includes", "fig", "_episodes")
TEACHING = ["00-intro", "01-building", "02-schedule", "04-automation-intro", "05-ci"]

UV = find_uv_bin()


def run(*cmd, cwd, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def source_files(folder: str) -> set[str]:
    """Files under the source folder `folder`, relative to the repository."""
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
    copy_sources(src)
    result = run(UV, "build", "--wheel", "-q", "--out-dir", str(tmp / "dist"), str(src), cwd=tmp)
    assert result.returncode == 0, result.stderr
    (path,) = glob.glob(str(tmp / "dist" / "carpentries_slidegen-*.whl"))
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> str:
    """A brand-new virtual environment (no system site-packages) holding the wheel and only
    what the wheel declares: no extras, nothing else."""
    root = tmp_path_factory.mktemp("venv")
    env = str(root / "env")
    result = run(UV, "venv", "-q", "--python", sys.executable, env, cwd=root)
    assert result.returncode == 0, result.stderr
    python = os.path.join(env, "bin", "python")
    result = run(UV, "pip", "install", "-q", "--python", python, wheel, cwd=root, timeout=900)
    assert result.returncode == 0, result.stderr
    return env


def test_wheel_holds_every_package_theme_file_and_font(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for init in glob.glob(os.path.join(REPO, "slidegen", "**", "__init__.py"), recursive=True):
        rel = os.path.relpath(init, REPO).replace(os.sep, "/")
        assert rel in names, f"package {os.path.dirname(rel)} is missing from the wheel"
    themes = {"slidegen/" + f for f in source_files("themes")}    # mapped into the package
    assert themes and themes <= names, sorted(themes - names)
    assert any(n.startswith("slidegen/themes/carpentries/handout/") for n in names)
    fonts = {f for f in source_files("slidegen/fonts") if f.endswith(".ttf")}
    assert fonts and fonts <= names, sorted(fonts - names)
    # the licence the metadata names travels with the code (MIT), and the fonts' own (OFL)
    licences = {n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n}
    assert {"LICENSE", "OFL.txt"} <= licences, licences


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

    no_site = run(python, "-c",
                  "import sys; print(sys.flags.no_site, sys.prefix != sys.base_prefix)",
                  cwd=tmp_path)
    assert no_site.stdout.split() == ["0", "True"]
    for extra in ("pytest", "hypothesis", "pdfplumber", "pypdf", "deptry"):   # the test extra
        missing = run(python, "-c", f"import {extra}", cwd=tmp_path)
        assert missing.returncode != 0, f"{extra} is in the wheel's environment"

    lesson = tmp_path / "lesson"
    lesson.mkdir()
    for name in SAMPLE:
        path = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(path) else shutil.copy)(path, lesson / name)
    out = tmp_path / "out"
    result = run(os.path.join(venv, "bin", "slidegen"), "build", "lesson", "-o", "out",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stems = sorted(os.path.splitext(n)[0] for n in os.listdir(lesson / "_episodes"))
    assert sorted(os.listdir(out / "slides")) == [f"{s}.pptx" for s in stems]   # the break too
    for stem in stems:
        with open(out / "slides" / f"{stem}.pptx", "rb") as f:
            assert f.read(2) == b"PK"
    for stem in TEACHING:
        with open(out / "handouts" / f"{stem}.pdf", "rb") as f:
            assert f.read(5) == b"%PDF-"
    assert (out / "handout.pdf").stat().st_size > 10_000


def test_installed_wheel_builds_with_every_builtin_theme(venv, tmp_path):
    """Each theme the repository's themes/ folder holds is in the wheel and builds a deck and a
    handout from there (a theme that extends another, a template, CSS)."""
    names = sorted(n for n in os.listdir(os.path.join(REPO, "themes"))
                   if os.path.isfile(os.path.join(REPO, "themes", n, "theme.toml")))
    listed = run(os.path.join(venv, "bin", "slidegen"), "themes", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == names
    lesson = tmp_path / "lesson"
    (lesson / "_episodes").mkdir(parents=True)
    for name in ("_config.yml", "_includes", "fig"):
        path = os.path.join(REPO, name)
        (shutil.copytree if os.path.isdir(path) else shutil.copy)(path, lesson / name)
    shutil.copy(os.path.join(REPO, "_episodes", "00-intro.md"), lesson / "_episodes")
    for name in names:
        out = tmp_path / name
        result = run(os.path.join(venv, "bin", "slidegen"), "build", "lesson", "-o", str(out),
                     "--theme", name, cwd=tmp_path)
        assert result.returncode == 0, (name, result.stderr)
        with open(out / "slides" / "00-intro.pptx", "rb") as f:
            assert f.read(2) == b"PK", name
        with open(out / "handouts" / "00-intro.pdf", "rb") as f:
            assert f.read(5) == b"%PDF-", name
