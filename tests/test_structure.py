"""The code stays easy to live in: small modules and functions, printing only in the CLI, and
no package folder named like build output (tools and ignore files skip `build/`)."""
from __future__ import annotations

import ast
import os

from conftest import REPO

PACKAGE = os.path.join(REPO, "slidegen")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules():
    for base, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for f in files:
            if f.endswith(".py"):
                yield os.path.relpath(os.path.join(base, f), REPO)


def test_no_package_folder_is_named_build():
    assert not [base for base, dirs, _ in os.walk(PACKAGE) if "build" in dirs]


def test_modules_and_functions_are_small_and_only_the_cli_prints():
    problems = []
    for rel in modules():
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            source = f.read()
        if source.count("\n") > MAX_MODULE_LINES:
            problems.append(f"{rel}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    problems.append(f"{rel}:{node.lineno} {node.name}() is {length} lines")
            if os.path.basename(rel) != "cli.py" and isinstance(node, ast.Call) and (
                    isinstance(node.func, ast.Name) and node.func.id == "print"
                    or isinstance(node.func, ast.Attribute)
                       and node.func.attr in ("echo", "secho")):
                problems.append(f"{rel}:{node.lineno} prints (only cli.py does)")
    assert problems == []
