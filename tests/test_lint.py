"""The house stays clean by itself: ruff (pyflakes, pycodestyle, bugbear, pyupgrade, simplify,
isort; pyproject.toml's [tool.ruff]) finds nothing in the code, the tests and the scripts, and
mypy finds nothing, strictly, in the model and the writer interface ([tool.mypy])."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *cmd], cwd=REPO, capture_output=True, text=True,
                          timeout=600)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_the_model_and_the_writer_interface():
    result = run("mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
