"""Declared = imported: every third-party module slidegen/ imports is a dependency in
pyproject.toml, and every dependency is imported (deptry, configured in pyproject.toml). A package
installed by hand once made CI green while every fresh install crashed; this check fails first."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import REPO


def deptry(root: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "deptry", "."], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_every_import_is_declared_and_every_dependency_used():
    result = deptry(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No dependency issues found" in result.stdout + result.stderr


def test_an_undeclared_import_fails_the_check(tmp_path):
    """The check is not vacuous: drop one dependency that slidegen imports from a copy of the
    project, and deptry names the import that a fresh install would lack."""
    shutil.copytree(os.path.join(REPO, "slidegen"), tmp_path / "slidegen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(os.path.join(REPO, "pyproject.toml"), encoding="utf-8") as f:
        toml = f.read()
    assert '"unicodeit>=' in toml
    (tmp_path / "pyproject.toml").write_text(
        "\n".join(line for line in toml.splitlines() if '"unicodeit>=' not in line))
    result = deptry(str(tmp_path))
    assert result.returncode == 1
    assert "'unicodeit' imported but" in result.stdout + result.stderr
