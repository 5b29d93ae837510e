"""A branch of the lesson's git clone read without a checkout: the knitted episodes that
Workbench lessons publish on `md-outputs`.

The branch's episodes, config and figures are copied out of git's object store (`git ls-tree`,
`git cat-file --batch`) into a cache folder named by the commit, so the working tree, the index
and HEAD stay as they are, and a commit is copied once. The copy is written to a temporary
folder and renamed into place, so a reader never sees half of it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

BRANCH = "md-outputs"
# What a knitted lesson needs: its episodes and config at the top, and the pictures they show.
TOP_LEVEL = (".md", ".yaml", ".yml", ".txt")
PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
MAX_BLOB = 30_000_000
TIMEOUT_S = 120


@dataclass(frozen=True)
class BranchCopy:
    folder: str          # the copied tree (absolute)
    ref: str             # the ref it came from, as git names it ("origin/md-outputs")
    commit: str
    date: str            # the commit's date, YYYY-MM-DD


def knitted_branch(repo: str) -> BranchCopy | None:
    """The `md-outputs` branch of the git clone at `repo` (its top level), copied into the cache;
    None when `repo` is not the top of a clone or the branch is not there locally."""
    if not os.path.exists(os.path.join(repo, ".git")):
        return None
    ref = _find_ref(repo)
    if ref is None:
        return None
    commit, date = _git(repo, "log", "-1", "--format=%H %cs", ref, "--").split()
    folder = os.path.join(cache_root(), "knitted", commit)
    if not os.path.isdir(folder):
        _copy_tree(repo, commit, folder)
    short = ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")
    return BranchCopy(folder, short, commit, date)


def cache_root() -> str:
    """slidegen's cache: $XDG_CACHE_HOME/slidegen (~/.cache/slidegen), else a temporary folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    root = os.path.join(base, "slidegen")
    try:
        os.makedirs(root, exist_ok=True)
        if os.access(root, os.W_OK):
            return root
    except OSError:
        pass
    root = os.path.join(tempfile.gettempdir(),
                        f"slidegen-{os.getuid() if hasattr(os, 'getuid') else 0}")
    os.makedirs(root, exist_ok=True)
    return root


def _find_ref(repo: str) -> str | None:
    """The local branch, else a remote-tracking one (origin's first)."""
    out = _git(repo, "for-each-ref", "--format=%(refname)",
               f"refs/heads/{BRANCH}", f"refs/remotes/*/{BRANCH}")
    refs = out.split()
    if not refs:
        return None
    refs.sort(key=lambda r: (not r.startswith("refs/heads/"),
                             r != f"refs/remotes/origin/{BRANCH}", r))
    return refs[0]


def _wanted(path: str, size: int) -> bool:
    name = path.lower()
    if "/" not in path and name.endswith(TOP_LEVEL):
        return size <= MAX_BLOB
    return name.endswith(PICTURES) and size <= MAX_BLOB and ".." not in path.split("/")


def _copy_tree(repo: str, commit: str, folder: str) -> None:
    listing = _git(repo, "ls-tree", "-r", "-l", "-z", commit)
    blobs = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, sha, size = meta.split()
        if kind == "blob" and mode in ("100644", "100755") and _wanted(path, int(size)):
            blobs.append((sha, path))
    os.makedirs(os.path.dirname(folder), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".partial-", dir=os.path.dirname(folder))
    try:
        for (_sha, path), data in zip(blobs, _cat(repo, [s for s, _ in blobs]), strict=True):
            target = os.path.join(tmp, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        try:
            os.rename(tmp, folder)
        except OSError:
            if not os.path.isdir(folder):     # another build copied it meanwhile: fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _cat(repo: str, shas: list[str]) -> list[bytes]:
    """The blobs' contents, from one `git cat-file --batch`."""
    if not shas:
        return []
    run = subprocess.run(["git", "-C", repo, "cat-file", "--batch"],
                         input="\n".join(shas).encode() + b"\n",
                         capture_output=True, timeout=TIMEOUT_S, check=True)
    out, pos, blobs = run.stdout, 0, []
    for _ in shas:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        blobs.append(out[end + 1:end + 1 + size])
        pos = end + 1 + size + 1
    return blobs


def _git(repo: str, *args: str) -> str:
    run = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                         timeout=TIMEOUT_S, check=True)
    return run.stdout
