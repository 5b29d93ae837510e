"""The build manifest: what each output was built from, so unchanged outputs are not rebuilt.

Kept as JSON in OUT/.slidegen/manifest.json. It is read as untrusted data (OUT may sit inside a
lesson repository that came from anyone): a damaged or hostile manifest only causes a rebuild.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache

from .. import __version__
from .outputs import STATE_DIR, file_sha

NAME = "manifest.json"
FORMAT = 1


def load(out: str) -> dict:
    try:
        with open(os.path.join(out, STATE_DIR, NAME), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {"format": FORMAT, "episodes": {}, "lesson": {}}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {"format": FORMAT, "episodes": {}, "lesson": {}}
    if not isinstance(data.get("episodes"), dict):
        data["episodes"] = {}
    if not isinstance(data.get("lesson"), dict):
        data["lesson"] = {}
    return data


def save(out: str, data: dict) -> None:
    path = os.path.join(out, STATE_DIR, NAME)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """slidegen's version and its own source files: new code means new outputs."""
    h = hashlib.sha256(__version__.encode())
    pkg = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, dirs, files in sorted(os.walk(pkg)):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                h.update(name.encode())
                h.update((file_sha(os.path.join(folder, name)) or "").encode())
    return h.hexdigest()


def theme_fingerprint(theme) -> str:
    h = hashlib.sha256()
    for folder in theme.folders:
        for base, dirs, files in sorted(os.walk(folder)):
            dirs.sort()
            for name in sorted(files):
                p = os.path.join(base, name)
                h.update(os.path.relpath(p, folder).encode())
                h.update((file_sha(p) or "").encode())
    return h.hexdigest()


def deps_hashes(root: str, rels) -> dict[str, str | None]:
    return {r: file_sha(os.path.join(root, r)) for r in sorted(set(rels))}


def key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
