"""Knitted R Markdown lessons: the md-outputs layout, site/built/, the md-outputs branch of a git
clone read without a checkout, knitted episodes older than their sources, and `build --knit`."""
from __future__ import annotations

import hashlib
import os
import subprocess
import textwrap

import pytest
from click.testing import CliRunner
from conftest import corpus_path

from slidegen.cli import main
from slidegen.model import Code, Image, walk
from slidegen.read import find_lesson, read_lesson

SOURCE = textwrap.dedent("""\
    ---
    title: Plots
    teaching: 10
    exercises: 0
    ---

    The data has `r nrow(cars)` rows.

    ```{r scatter, fig.alt="Speed against distance"}
    plot(cars)
    ```
    """)
KNITTED = textwrap.dedent("""\
    ---
    title: Plots
    teaching: 10
    exercises: 0
    ---

    The data has 50 rows.


    ``` r
    plot(cars)
    ```

    <img src="fig/01-plots-rendered-scatter-1.png" alt="Speed against distance" \
style="display: block; margin: auto;" />
    """)
CONFIG = "title: 'Knit Test'\nepisodes:\n- 01-plots.Rmd\n"


def png() -> bytes:
    import io

    from PIL import Image as PILImage
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def knitted_files(source_text: str = SOURCE) -> dict:
    md5 = hashlib.md5(source_text.encode()).hexdigest()
    return {"config.yaml": CONFIG, "01-plots.md": KNITTED,
            "fig/01-plots-rendered-scatter-1.png": png(),
            "md5sum.txt": '"file" "checksum" "built" "date"\n'
                          f'"episodes/01-plots.Rmd" "{md5}" "site/built/01-plots.md" '
                          '"2026-06-19"\n'}


def write(root, files: dict) -> None:
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(content, bytes) else "w") as f:
            f.write(content)


def git(repo, *args) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def clone(tmp_path, cache):
    """A Workbench lesson in git: sources on main, the knitted lesson on md-outputs (an orphan
    branch, as sandpaper makes it), then cloned so that only origin/md-outputs is there."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write(origin, {"config.yaml": CONFIG, "episodes/01-plots.Rmd": SOURCE})
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "sources")
    git(origin, "checkout", "-q", "--orphan", "md-outputs")
    git(origin, "rm", "-rqf", ".")
    write(origin, knitted_files())
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "knitted")
    git(origin, "checkout", "-q", "main")
    subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / "lesson")], check=True,
                   env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    return tmp_path / "lesson"


def images(episode):
    return [b for b, _ in walk(episode.blocks) if isinstance(b, Image)]


def test_md_outputs_folder_is_a_knitted_lesson():
    root = corpus_path("r-novice-gapminder-md-outputs")
    reading = read_lesson(root)
    assert reading.lesson.config.format == "knitted"
    assert not reading.has_errors
    assert [e.source for e in reading.lesson.episodes][:2] == ["01-rstudio-intro.md",
                                                              "02-project-intro.md"]
    assert len(reading.lesson.episodes) == 15
    plots = next(e for e in reading.lesson.episodes if e.stem == "08-plot-ggplot2")
    rendered = [i for i in images(plots) if "-rendered-" in i.src]
    assert len(rendered) >= 10 and all(i.path for i in rendered)
    outputs = [b for b, _ in walk(plots.blocks) if isinstance(b, Code) and b.role == "output"]
    assert outputs and all(e.origin == "knitted" for e in reading.lesson.episodes)
    assert reading.lesson.config.notices == ()


def test_knitted_corpus_build_has_the_plots(tmp_path):
    root = corpus_path("r-novice-gapminder-md-outputs")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", os.path.join(root, "08-plot-ggplot2.md"), "-o",
                                       str(out), "--only", "slides", "-q"])
    assert result.exit_code == 0, result.output
    from pptx import Presentation
    deck = Presentation(str(out / "slides" / "08-plot-ggplot2.pptx"))
    pictures = [sh for s in deck.slides if s._element.get("show") != "0" for sh in s.shapes
                if sh.shape_type == 13]
    assert len(pictures) >= 5


def test_md_outputs_branch_is_read_from_git_without_a_checkout(clone, cache, tmp_path):
    status_before = git(clone, "status", "--porcelain", "--branch")
    source = find_lesson(str(clone))
    assert source.format == "knitted" and source.home == str(clone)
    assert len(source.notes) == 1
    assert "git branch origin/md-outputs" in source.notes[0]
    assert "git fetch origin md-outputs" in source.notes[0]
    assert git(clone, "status", "--porcelain", "--branch") == status_before
    assert git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    reading = read_lesson(str(clone))
    (episode,) = reading.lesson.episodes
    assert "The data has 50 rows." in [b.text for b in episode.blocks if hasattr(b, "text")]
    assert [i.path for i in images(episode)] == ["fig/01-plots-rendered-scatter-1.png"]
    (code,) = [b for b, _ in walk(episode.blocks) if isinstance(b, Code)]
    assert code.chunk.label == "scatter" and episode.origin == "knitted"   # its source's chunk
    assert not [d for d in reading.diagnostics if "knitted before" in d.message]
    out = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", str(clone), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "note: reading the knitted episodes from git branch origin/md-outputs" in result.output
    assert result.output.count("reading the knitted episodes") == 1      # said once
    assert (out / "slides" / "01-plots.pptx").is_file()
    default = CliRunner().invoke(main, ["build", str(clone), "--only", "slides", "-q"])
    assert default.exit_code == 0 and (clone / "_slidegen" / "slides" / "01-plots.pptx").is_file()


def test_a_source_changed_after_knitting_is_named(clone, cache):
    (clone / "episodes" / "01-plots.Rmd").write_text(SOURCE + "\nA new paragraph.\n")
    result = CliRunner().invoke(main, ["check", str(clone)])
    assert "01-plots.md: warning: knitted before its source last changed: " \
           "episodes/01-plots.Rmd is newer" in result.output


def test_site_built_is_used_before_the_sources(make_lesson):
    root = make_lesson({"episodes/01-plots.Rmd": SOURCE}, fmt="workbench", config=CONFIG)
    write(os.path.join(root, "site", "built"), knitted_files())
    reading = read_lesson(root)
    assert reading.lesson.config.format == "knitted" and "site/built/" in reading.notes[0]
    (episode,) = reading.lesson.episodes
    assert images(episode)[0].path == "fig/01-plots-rendered-scatter-1.png"


def test_without_a_knitted_version_the_sources_are_read(make_lesson, cache):
    root = make_lesson({"episodes/01-plots.Rmd": SOURCE}, fmt="workbench", config=CONFIG)
    reading = read_lesson(root)
    assert reading.lesson.config.format == "workbench"
    assert "R Markdown read from its sources" in reading.notes[0]
    (code,) = [b for b, _ in walk(reading.lesson.episodes[0].blocks) if isinstance(b, Code)]
    assert code.text == "plot(cars)" and code.chunk.label == "scatter"


def test_not_a_lesson_names_the_knitted_layout(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "md5sum.txt of a knitted lesson" in result.output


# -- build --knit ---------------------------------------------------------------------------------

FAILING = textwrap.dedent("""\
    ---
    title: Broken
    teaching: 5
    exercises: 0
    ---

    ```{r fine}
    1 + 1
    ```

    ```{r explode}
    stop("the data file is missing")
    ```
    """)


def test_knit_runs_knitr_with_results_and_plots(make_lesson, tmp_path, knitr):
    root = make_lesson({"episodes/01-plots.Rmd": SOURCE.replace("plot(cars)",
                                                                "mean(1:10)\nplot(cars)"),
                        "episodes/02-broken.Rmd": FAILING}, fmt="workbench",
                       config=CONFIG + "- 02-broken.Rmd\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", root, "-o", str(out), "--knit", "-j", "2"])
    assert result.exit_code == 1
    assert "episodes/02-broken.Rmd:11: error: knitting failed in chunk 'explode' (lines 12-13)" \
           in result.output
    assert "the data file is missing" in result.output
    assert not (out / "slides" / "02-broken.pptx").exists()        # never half an episode
    from pptx import Presentation
    deck = Presentation(str(out / "slides" / "01-plots.pptx"))
    text = " ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    assert "[1] 5.5" in text and "The data has 50 rows." in text
    assert any(sh.shape_type == 13 for s in deck.slides for sh in s.shapes)
    cached = sorted(os.listdir(out / ".slidegen" / "knit"))
    again = CliRunner().invoke(main, ["build", root, "-o", str(out), "--knit", "-j", "2"])
    assert "1 up to date" in again.output, again.output
    assert sorted(os.listdir(out / ".slidegen" / "knit")) == cached   # knitted once, kept by hash


def test_knit_without_r_says_why(make_lesson, tmp_path, monkeypatch):
    root = make_lesson({"episodes/01-plots.Rmd": SOURCE}, fmt="workbench", config=CONFIG)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["build", root, "-o", str(tmp_path / "out"), "--knit"])
    assert result.exit_code == 1
    assert "--knit: R is not installed" in result.output
    assert "Traceback" not in result.output


def test_new_episode_goes_to_the_sources_not_the_knitted_copy(clone, cache):
    result = CliRunner().invoke(main, ["new", "Next steps", str(clone)])
    assert result.exit_code == 0, result.output
    assert (clone / "episodes" / "02-next-steps.md").is_file()
    assert "02-next-steps.md" in (clone / "config.yaml").read_text()
    knitted = CliRunner().invoke(main, ["new", "More",
                                        corpus_path("r-novice-gapminder-md-outputs")])
    assert knitted.exit_code == 1 and "is a knitted lesson" in knitted.output
