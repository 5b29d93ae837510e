"""Where outputs go and how they are written: only inside OUT, atomically, and never deleting
anything slidegen did not write (which files a writer writes is its own business: writer.py)."""
from __future__ import annotations

import hashlib
import os
import tempfile

from ..errors import SlidegenError

DEFAULT_OUT = "_slidegen"
STATE_DIR = ".slidegen"            # the manifest and writers' caches, inside OUT
CACHE_DIR = f"{STATE_DIR}/cache"


class OutputError(SlidegenError):
    """OUT cannot be used (usage error)."""


def resolve_out(lesson_root: str, out: str | None) -> tuple[str, bool]:
    """(absolute OUT, whether it is the default) after checking it is usable."""
    default = out is None
    path = os.path.abspath(out if out else os.path.join(lesson_root, DEFAULT_OUT))
    root = os.path.realpath(lesson_root)
    real = os.path.realpath(path)
    if real == root:
        raise OutputError(f"the output directory {path} is the lesson itself; slidegen would "
                          f"write among the lesson's sources (choose another, e.g. the default "
                          f"'{DEFAULT_OUT}')")
    for sub in ("_episodes", "episodes", "_includes", "fig", "_extras", "learners", "instructors"):
        if real == os.path.join(root, sub):
            raise OutputError(f"the output directory {path} is the lesson's '{sub}' folder; "
                              "choose a folder of its own")
    if os.path.exists(path) and not os.path.isdir(path):
        raise OutputError(f"the output path {path} exists and is not a directory")
    return path, default


def prepare(out: str, default: bool) -> None:
    created = not os.path.isdir(out)
    os.makedirs(os.path.join(out, STATE_DIR, "cache"), exist_ok=True)
    if created and default:
        # A lesson repository should not commit build output: ignore it from inside.
        with open(os.path.join(out, ".gitignore"), "w") as f:
            f.write("# written by slidegen: build outputs are not committed\n*\n")


def write_atomic(out: str, rel: str, data: bytes) -> str:
    """Write OUT/rel through a temporary file and a rename; return the content's sha256."""
    if rel.startswith("/") or ".." in rel.split("/"):
        raise ValueError(f"not a path inside OUT: {rel}")
    target = os.path.join(out, rel)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return sha256(data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def remove_owned(out: str, rel: str, expected_sha: str | None, owned) -> bool:
    """Delete OUT/rel only if `owned(rel)` (a writer writes that name) and the file is still
    what it wrote."""
    if ".." in rel.split("/") or not owned(rel):
        return False
    path = os.path.join(out, rel)
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    if expected_sha is not None and file_sha(path) != expected_sha:
        return False
    os.unlink(path)
    return True

