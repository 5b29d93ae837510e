"""Reading the CI recipes in examples/: shared by the tests of what they run and install."""
from __future__ import annotations

import os

import yaml
from conftest import REPO

EXAMPLES = os.path.join(REPO, "examples")


def load(name: str) -> dict:
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


def shell_scripts(node, key=None):
    """Every shell script in a CI file: GitHub's `run:` values, Bitbucket's `script:` items."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from shell_scripts(v, k)
    elif isinstance(node, list):
        for item in node:
            if key == "script" and isinstance(item, str):
                yield item
            else:
                yield from shell_scripts(item, key)
    elif key == "run" and isinstance(node, str):
        yield node
