"""Where outputs go and how they are written: only inside OUT (never through a link), atomically,
never over a file slidegen did not write, and never deleting one whose content is not exactly
what slidegen recorded (which files a writer writes is its own business: writer.py)."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import os
import stat

from ..writer import TEXT_MARK
from . import outdir
from .outdir import DiskError, LinkInOut, OutputError

DEFAULT_OUT = "_slidegen"
# The last line of a text output slidegen writes (exercises.md): invisible where Markdown is
# rendered, and how a build knows the file is its own.
STATE_DIR = ".slidegen"            # the manifest, the lock and writers' caches, inside OUT
CACHE_DIR = f"{STATE_DIR}/cache"
LAYOUT_DIR = f"{STATE_DIR}/layouts"
DERIVED_DIR = f"{STATE_DIR}/derived"      # pictures and formulae by content (derived.py)
STATE_FOLDERS = (STATE_DIR, CACHE_DIR, LAYOUT_DIR, DERIVED_DIR)
KNIT_FOLDERS = (f"{STATE_DIR}/knit", f"{STATE_DIR}/knitted")   # --knit's (workshop/knit.py)
LOCK = "lock"
LESSON_FOLDERS = ("_episodes", "episodes", "_includes", "fig", "_extras", "learners",
                  "instructors")

__all__ = ["DEFAULT_OUT", "DiskError", "LinkInOut", "OutputError"]


def inside_lesson(lesson_root: str, out: str) -> bool:
    root = os.path.realpath(lesson_root)
    return os.path.realpath(out).startswith(root.rstrip(os.sep) + os.sep)


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
    if root.startswith(real.rstrip(os.sep) + os.sep):
        raise OutputError(f"the output directory {path} contains the lesson ({lesson_root}); "
                          "slidegen would write among the lesson's sources or over files next to "
                          f"it (choose a folder of its own, e.g. the default '{DEFAULT_OUT}')")
    for sub in LESSON_FOLDERS:
        if real == os.path.join(root, sub):
            raise OutputError(f"the output directory {path} is the lesson's '{sub}' folder; "
                              "choose a folder of its own")
    if default and os.path.islink(path):
        raise LinkInOut(f"{path} is a symbolic link (from the lesson repository?); slidegen does "
                        "not write through it (remove the link, or choose a folder with -o)")
    if os.path.exists(path) and not os.path.isdir(path):
        raise OutputError(f"the output path {path} exists and is not a directory")
    return path, default


def prepare(out: str, in_lesson: bool, output_folders=()) -> None:
    """Make OUT and slidegen's state folders in it; refuse links where outputs go. An OUT made
    inside the lesson (the default, or one given with -o) gets a .gitignore of its own."""
    created = not os.path.isdir(out)
    try:
        os.makedirs(out, exist_ok=True)
        for rel in STATE_FOLDERS:
            _unlink_link(out, rel)
            os.close(outdir.open_folder(out, rel))
    except OSError as e:
        raise _unusable(out, e) from None
    for rel in output_folders:
        with contextlib.suppress(FileNotFoundError):
            os.close(outdir.open_folder(out, rel, create=False))
    if created and in_lesson:
        # A lesson repository should not commit build output: ignore it from inside.
        outdir.write(out, ".gitignore",
                     b"# written by slidegen: build outputs are not committed\n*\n")


def _unlink_link(out: str, rel: str) -> None:
    """A link where slidegen keeps its own state (planted, or left by something else) is
    removed — the link only, never what it points to — and a real folder made in its place."""
    parent, _, name = rel.rpartition("/")
    try:
        dfd = outdir.open_folder(out, parent)
    except LinkInOut:
        return                       # the parent is handled first (STATE_FOLDERS is in order)
    try:
        mode = os.stat(name, dir_fd=dfd, follow_symlinks=False).st_mode
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            os.unlink(name, dir_fd=dfd)
    except FileNotFoundError:
        pass
    finally:
        os.close(dfd)


def _unusable(out: str, e: OSError) -> Exception:
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return OutputError(f"cannot write to the output directory {out}: "
                           f"{outdir.DISK_ERRORS[e.errno]} (choose another with -o)")
    return outdir.disk_error(e, out) or e


def knit_work(out: str) -> str:
    """OUT's state folder for `--knit`, whose knit cache and knitted lesson are real folders:
    a link planted there (or inside the cache, where knitting reads) is removed, never followed,
    as knitting writes by path."""
    try:
        for rel in KNIT_FOLDERS:
            _unlink_link(out, rel)
            os.close(outdir.open_folder(out, rel))
    except OSError as e:
        raise _unusable(out, e) from None
    outdir.clean(out, [KNIT_FOLDERS[0] + "/**"])
    return os.path.join(out, STATE_DIR)


class Lock:
    """OUT/.slidegen/lock, held for the whole build: a second build into the same OUT waits
    (the kernel releases the lock when a build ends or is killed)."""

    def __init__(self, out: str):
        self.out = out
        self.fd: int | None = None

    def acquire(self, waiting=lambda: None) -> None:
        try:
            dfd = outdir.open_folder(self.out, STATE_DIR)
            try:
                self.fd = self._open(dfd)
            finally:
                os.close(dfd)
        except OSError as e:
            raise _unusable(self.out, e) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def _open(self, dfd: int) -> int:
        """The lock file; a link, FIFO or socket planted in its place (a repository can commit
        a link) is removed, the link only, and a file made; a folder there is refused."""
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(LOCK, flags, 0o644, dir_fd=dfd)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                return fd
            os.close(fd)
        except OSError as e:
            if e.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP):
                raise
        if stat.S_ISDIR(os.stat(LOCK, dir_fd=dfd, follow_symlinks=False).st_mode):
            raise OutputError(f"{os.path.join(self.out, STATE_DIR, LOCK)} is a folder; slidegen "
                              "keeps its lock file there (remove the folder)")
        os.unlink(LOCK, dir_fd=dfd)
        return os.open(LOCK, flags, 0o644, dir_fd=dfd)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def clean_stale(out: str, output_folders) -> list[str]:
    """Temporary files of killed builds, in the output folders and slidegen's state."""
    return outdir.clean(out, ["", *output_folders, STATE_DIR + "/**"])


def write_atomic(out: str, rel: str, data: bytes, claimed: frozenset | None = None,
                 durable: bool = True) -> str:
    """Write OUT/rel through a temporary file and a rename; return the content's sha256.

    With `claimed` (the outputs the manifest says slidegen wrote), an existing file is
    replaced only when it is claimed or carries slidegen's mark (a build killed before it
    recorded its outputs): never a file somebody else put there."""
    def may_replace(dfd, name):
        return rel in claimed or made_by_slidegen(dfd, name)
    return outdir.write(out, rel, data, None if claimed is None else may_replace, durable)


def conflicts(out: str, rels, claimed: frozenset) -> list[str]:
    """The outputs in `rels` that exist in OUT and were not written by slidegen."""
    found = []
    for rel in rels:
        if rel in claimed:
            continue
        *folder, name = rel.split("/")
        try:
            dfd = outdir.open_folder(out, "/".join(folder), create=False)
        except (OSError, OutputError):
            continue
        try:
            os.stat(name, dir_fd=dfd, follow_symlinks=False)
            if not made_by_slidegen(dfd, name):
                found.append(rel)
        except FileNotFoundError:
            pass
        finally:
            os.close(dfd)
    return found


def made_by_slidegen(dfd: int, name: str) -> bool:
    """Whether a file carries the mark slidegen puts in what it writes (the PDF's Creator, the
    deck's last author); a link, or a file someone saved again, does not."""
    fd = outdir.open_file(dfd, name)
    if fd is None:
        return False
    with os.fdopen(fd, "rb") as f:
        data = f.read(200_000_000)
    try:
        if name.endswith(".pdf"):
            import pikepdf
            with pikepdf.open(io.BytesIO(data)) as pdf:
                return str(pdf.docinfo.get("/Creator", "")) == "slidegen"
        if name.endswith(".pptx"):
            import zipfile
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                core = z.read("docProps/core.xml")
            return b"<cp:lastModifiedBy>slidegen</cp:lastModifiedBy>" in core
        if name.endswith(".md"):
            return data.rstrip().endswith(TEXT_MARK)
    except Exception:          # anything unreadable is not ours
        return False
    return False


def remove_owned(out: str, rel: str, expected_sha, owned) -> bool:
    """Delete OUT/rel only if `owned(rel)` (a writer writes that name) and the file is still
    exactly what slidegen recorded writing."""
    if not isinstance(expected_sha, str) or not owned(rel):
        return False
    try:
        return outdir.remove(out, rel, expected_sha)
    except ValueError:
        return False


def output_sha(out: str, rel: str) -> str | None:
    try:
        return outdir.sha(out, rel)
    except ValueError:
        return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: str) -> str | None:
    """The sha256 of a lesson or theme file (links followed: the reader confines those), or
    None when it is missing or not a regular file — a FIFO is never opened for reading."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return outdir.fd_sha(fd)


def owned_by(writers, rel: str) -> bool:
    """Whether `rel` (from a manifest, so untrusted) names a file some writer writes."""
    if ".." in rel.split("/"):
        return False
    if rel.startswith(CACHE_DIR + "/"):
        name = rel[len(CACHE_DIR) + 1:]
        return bool(name) and "/" not in name and not name.startswith(".")
    stem = os.path.splitext(os.path.basename(rel))[0]
    return any(rel in w.outputs(stem) or rel in w.lesson_outputs() for w in writers)
