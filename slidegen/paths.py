"""Confinement of file access to the lesson directory.

Lessons arrive from forks and pull requests; nothing outside the lesson (absolute paths, `../`
escapes, symlinks that lead out) may be read into an output.
"""
from __future__ import annotations

import errno
import os
import stat
from urllib.parse import unquote, urlsplit

from .media.remote import is_remote


def inside(root: str, path: str) -> bool:
    """True when `path`, with symlinks resolved, lies within `root`."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def resolve_local(root: str, base_dir: str, src: str) -> str | None:
    """The lesson-relative path of a local reference, or None when it is remote, not a plain
    file reference, outside the lesson or missing.

    `base_dir` is the directory of the file that holds the reference; a leading "/" means the
    lesson root (as on the lesson's web site)."""
    for c in _candidates(root, base_dir, src):
        if inside(root, c) and os.path.isfile(c):
            return os.path.relpath(os.path.realpath(c), os.path.realpath(root)).replace(os.sep, "/")
    return None


def local_candidates(root: str, base_dir: str, src: str) -> list[str]:
    """Every lesson-relative place a local reference may name (those that stay in the lesson
    as written): where a missing file would be found if it appeared."""
    found = []
    for c in _candidates(root, base_dir, src):
        rel = os.path.relpath(os.path.normpath(c), os.path.normpath(root)).replace(os.sep, "/")
        if rel != "." and not rel.startswith("../") and rel != ".." and rel not in found:
            found.append(rel)
    return found


def why_not_local(root: str, base_dir: str, src: str) -> str:
    """Why a local reference names no lesson file (for the warning): the first candidate that
    exists in some form says what it is instead."""
    for c in _candidates(root, base_dir, src):
        if not os.path.lexists(c):
            continue
        if not inside(root, c):
            return "is outside the lesson"
        try:
            mode = os.stat(c).st_mode
        except OSError as e:
            return "is a symbolic link in a loop" if e.errno == errno.ELOOP else "is a broken link"
        if stat.S_ISDIR(mode):
            return "is a folder, not a file"
        if not stat.S_ISREG(mode):
            return "is not a regular file (a FIFO, socket or device)"
    return "is not in the lesson"


def _candidates(root: str, base_dir: str, src: str) -> list[str]:
    if not src or is_remote(src):
        return []
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:         # file:, data:, mailto: … are never read
        return []
    rel = unquote(parts.path)
    if not rel:
        return []
    if rel.startswith("/"):
        return [os.path.join(root, rel.lstrip("/"))]
    # Jekyll pages live one level below their source: '../fig/x.png' from an episode
    # means the lesson's fig/, and Workbench figures sit beside the episodes.
    stripped = rel
    while stripped.startswith(("../", "./")):
        stripped = stripped.split("/", 1)[1]
    return [os.path.join(base_dir, rel), os.path.join(root, stripped),
            os.path.join(base_dir, stripped)]
