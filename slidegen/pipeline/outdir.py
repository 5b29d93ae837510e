"""Files in OUT, reached one folder at a time through descriptors that never follow a link.

OUT may sit inside a lesson repository that came from anyone, so any folder or file in it may be
a symbolic link planted to send slidegen's writes, reads or deletions elsewhere. Every operation
here walks down from OUT with O_NOFOLLOW: a link at any depth is refused, never followed. Writes
go to a unique temporary name (pid and random), are fsynced, renamed into place, and the folder
is fsynced, so a crash or a kill leaves either the old file or the new one, never half of one.
(Cache entries, which are checked when read and made again when damaged, skip the fsyncs.)
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat

from ..errors import SlidegenError

TEMP_PREFIX = ".tmp-slidegen-"
OWN_TEMP = re.compile(r"^\.tmp-slidegen-\d+-[0-9a-f]+$")
# In slidegen's own state folder, also the names earlier versions used (mkstemp's ".tmp-…",
# the fixed "manifest.json.tmp"): only ever left behind by a build that was killed.
STATE_TEMP = re.compile(r"^(\.tmp-.+|manifest\.json\.tmp)$")
DISK_ERRORS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
               errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
               errno.EPERM: "operation not permitted", errno.EIO: "input/output error"}
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class OutputError(SlidegenError):
    """OUT cannot be used (usage error)."""


class LinkInOut(OutputError):
    """A symbolic link where slidegen would write, read or delete in OUT."""


class DiskError(SlidegenError):
    """OUT cannot be written: the disk is full or read-only, or permission is denied."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def disk_error(e: OSError, what: str) -> SlidegenError | None:
    """A DiskError for an OSError that is about the disk, with one message naming `what`."""
    reason = DISK_ERRORS.get(e.errno or 0)
    return DiskError(f"cannot write {what}: {reason}", reason) if reason else None


def _split(rel: str) -> list[str]:
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if rel.startswith("/") or ".." in parts or not parts:
        raise ValueError(f"not a path inside OUT: {rel!r}")
    return parts


def open_folder(out: str, rel_folder: str = "", create: bool = True) -> int:
    """A descriptor of OUT/rel_folder, made when missing; raises LinkInOut when any part of
    it is a link (or not a folder). The caller closes it."""
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    walked = []
    try:
        for name in _split(rel_folder) if rel_folder else []:
            walked.append(name)
            try:
                sub = os.open(name, _DIR, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o755, dir_fd=fd)
                sub = os.open(name, _DIR, dir_fd=fd)
            except (NotADirectoryError, OSError) as e:
                if isinstance(e, NotADirectoryError) or e.errno == errno.ELOOP:
                    raise _not_a_folder(out, "/".join(walked), fd, name) from None
                raise
            os.close(fd)
            fd = sub
        return fd
    except BaseException:
        os.close(fd)
        raise


def _not_a_folder(out: str, rel: str, parent: int, name: str) -> OutputError:
    shown = os.path.join(out, rel)
    if stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode):
        return LinkInOut(f"{shown} is a symbolic link; slidegen never writes through links in "
                         "its output folder (remove the link, or choose another output folder)")
    return OutputError(f"{shown} is not a folder; slidegen needs a folder there (move it away)")


def write(out: str, rel: str, data: bytes, may_replace=None, durable: bool = True) -> str:
    """Write OUT/rel atomically; return the content's sha256. `may_replace(folder_fd, name)`
    says whether an existing entry may be replaced (None: always). Not `durable`: a kill still
    leaves the old file or the new one, but a power cut may leave neither (for what is checked
    when read back: the fsyncs cost a cold build a sixth of a second)."""
    *folder, name = _split(rel)
    try:
        dfd = open_folder(out, "/".join(folder))
    except OSError as e:
        raise (disk_error(e, os.path.join(out, rel)) or e) from None
    tmp = f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    try:
        if may_replace is not None and _exists(dfd, name) and not may_replace(dfd, name):
            raise OutputError(f"{os.path.join(out, rel)} exists and slidegen did not write it; "
                              "it is left as it is (move it away, or choose another output folder)")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o644, dir_fd=dfd)
        try:
            os.fchmod(fd, 0o644)
            _fill(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        if durable:
            os.fsync(dfd)
    except OSError as e:
        _unlink_quietly(dfd, tmp)
        if e.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
            raise OutputError(f"{os.path.join(out, rel)} is a folder; slidegen writes a file "
                              "there (move it away)") from None
        raise (disk_error(e, os.path.join(out, rel)) or e) from None
    except BaseException:
        _unlink_quietly(dfd, tmp)
        raise
    finally:
        os.close(dfd)
    return hashlib.sha256(data).hexdigest()


def _fill(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _exists(dfd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=dfd, follow_symlinks=False)
        return True
    except FileNotFoundError:
        return False


def _unlink_quietly(dfd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=dfd)


def open_file(dfd: int, name: str) -> int | None:
    """A descriptor of a regular file in an open folder, or None (missing, a link, a FIFO…)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def _open_existing(out: str, rel: str) -> int | None:
    """A descriptor of OUT/rel, or None: missing, or not a regular file reached without links."""
    *folder, name = _split(rel)
    try:
        dfd = open_folder(out, "/".join(folder), create=False)
    except (OSError, OutputError):
        return None
    try:
        return open_file(dfd, name)
    finally:
        os.close(dfd)


def read(out: str, rel: str, limit: int | None = None) -> bytes | None:
    """OUT/rel's bytes, or None when it is missing, unreadable, not a regular file, reached
    through a link, or larger than `limit`."""
    fd = _open_existing(out, rel)
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read() if limit is None else f.read(limit + 1)
    except OSError:
        return None
    return None if limit is not None and len(data) > limit else data


def sha(out: str, rel: str) -> str | None:
    """The sha256 of OUT/rel (None: missing, or not a regular file reached without links)."""
    fd = _open_existing(out, rel)
    return None if fd is None else fd_sha(fd)


def fd_sha(fd: int) -> str | None:
    """The sha256 of an open file's content; closes it."""
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def remove(out: str, rel: str, expected_sha: str) -> bool:
    """Delete OUT/rel only when it is a regular file, reached without links, whose content is
    exactly `expected_sha`."""
    *folder, name = _split(rel)
    try:
        dfd = open_folder(out, "/".join(folder), create=False)
    except (OSError, OutputError):
        return False
    try:
        fd = open_file(dfd, name)
        if fd is None or fd_sha(fd) != expected_sha:
            return False
        os.unlink(name, dir_fd=dfd)
        return True
    except OSError:
        return False
    finally:
        os.close(dfd)


def clean(out: str, folders) -> list[str]:
    """Remove temporary files that killed builds left in `folders` (OUT-relative; "" is OUT
    itself, a trailing "/**" means slidegen's own state tree below, which holds only regular
    files and folders, so links, FIFOs and the like there go too). Only called while the
    build holds OUT's lock, so no other build's file is touched."""
    removed = []
    for spec in folders:
        deep = spec.endswith("/**")
        rel = spec[:-3] if deep else spec
        try:
            dfd = open_folder(out, rel, create=False)
        except (OSError, OutputError):
            continue
        try:
            removed += _clean_folder(dfd, rel, deep)
        finally:
            os.close(dfd)
    return removed


def _clean_folder(dfd: int, rel: str, deep: bool) -> list[str]:
    removed = []
    for entry in os.scandir(dfd):
        kind = os.stat(entry.name, dir_fd=dfd, follow_symlinks=False).st_mode
        where = f"{rel}/{entry.name}" if rel else entry.name
        if stat.S_ISDIR(kind):
            if deep:
                sub = os.open(entry.name, _DIR, dir_fd=dfd)
                try:
                    removed += _clean_folder(sub, where, True)
                finally:
                    os.close(sub)
        elif (stat.S_ISREG(kind) and (STATE_TEMP if deep else OWN_TEMP).match(entry.name)) or \
                (deep and not stat.S_ISREG(kind)):
            _unlink_quietly(dfd, entry.name)
            removed.append(where)
    return removed
