"""The build manifest: what each output was built from, so unchanged outputs are not rebuilt.

Kept as JSON in OUT/.slidegen/manifest.json. It is read as untrusted data (OUT may sit inside a
lesson repository that came from anyone): a damaged or hostile manifest only causes a rebuild.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import sys
import time
from functools import lru_cache

from .. import __version__
from ..errors import SlidegenError
from . import outdir
from .outputs import STATE_DIR, file_sha, write_atomic

NAME = "manifest.json"
RENDERERS = "renderers.json"     # the renderers' versions as last found (renderer_versions)
FORMAT = 1
MAX_BYTES = 50_000_000
CHANGED = "changed-while-building"     # a dep edited during its job: never equal to a hash
SHA = re.compile(r"^[0-9a-f]{64}$")


def empty() -> dict:
    return {"format": FORMAT, "episodes": {}, "lesson": {}}


def load(out: str) -> dict:
    """The manifest, or an empty one when it is missing or fails validation in any way (so a
    hostile one cannot make slidegen delete or trust anything)."""
    raw = outdir.read(out, f"{STATE_DIR}/{NAME}", MAX_BYTES)
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        data = None
    return data if valid(data) else empty()


def valid(data) -> bool:
    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            set(data) - {"owner"} != {"format", "episodes", "lesson"}:
        return False
    owner = data.get("owner", {})
    if not (isinstance(owner, dict) and set(owner) <= {"root", "title"}
            and all(isinstance(v, str) for v in owner.values())):
        return False
    episodes, lesson = data["episodes"], data["lesson"]
    if not isinstance(episodes, dict) or not isinstance(lesson, dict):
        return False
    if not all(_rel(rel) and _episode(e) for rel, e in episodes.items()):
        return False
    return lesson == {} or (set(lesson) - {"writers"} == {"key", "outputs"}
                            and _key(lesson["key"], True) and _outputs(lesson["outputs"])
                            and _parts(lesson.get("writers", {})))


OPTIONAL = {"parts", "writers", "summary"}     # fields older manifests do not have


def _episode(e) -> bool:
    return (isinstance(e, dict)
            and set(e) - OPTIONAL == {"key", "deps", "outputs", "diagnostics", "wanted"}
            and _parts(e.get("parts", {})) and _parts(e.get("writers", {}))
            and summary_valid(e.get("summary", {}))
            and _key(e["key"]) and isinstance(e["deps"], dict)
            and all(_rel(k) and (v is None or v == CHANGED or _key(v))
                    for k, v in e["deps"].items())
            and _outputs(e["outputs"])
            and isinstance(e["diagnostics"], list) and isinstance(e["wanted"], list)
            and all(isinstance(w, str) and _rel(w) for w in e["wanted"]))


SUMMARY = {"title": str, "layout": str, "redirect_to": str, "teaching": int, "exercises": int,
           "break": int, "hidden": bool}


def summary_valid(value) -> bool:
    """An episode's last good front matter, as the timetable needs it (depends.py)."""
    return isinstance(value, dict) and all(
        k in SUMMARY and (v is None or (type(v) is SUMMARY[k])) for k, v in value.items())


def _parts(value) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and _key(v)
                                           for k, v in value.items())


def _outputs(value) -> bool:
    return isinstance(value, dict) and all(_rel(k) and _key(v) for k, v in value.items())


def _key(value, nullable: bool = False) -> bool:
    return (value is None and nullable) or (isinstance(value, str) and bool(SHA.match(value)))


def _rel(value) -> bool:
    return (isinstance(value, str) and bool(value) and not value.startswith("/")
            and ".." not in value.split("/") and "\\" not in value and "\0" not in value)


def owner(root: str, title: str) -> dict:
    """Which lesson an OUT's outputs belong to: where it was and its title."""
    return {"root": os.path.realpath(root), "title": title}


def claimed(data: dict) -> frozenset[str]:
    """Every output the manifest says slidegen wrote."""
    found = set(data["lesson"].get("outputs", {}))
    for entry in data["episodes"].values():
        found.update(entry["outputs"])
    return frozenset(found)


def recorded(data: dict) -> dict[str, str]:
    """Every output and cached part the manifest says slidegen wrote, with its hash: a part in
    the cache is used only as it was written (cache.py)."""
    found = dict(data["lesson"].get("outputs", {}))
    for entry in data["episodes"].values():
        found.update(entry["outputs"])
    return found


def save(out: str, episodes: dict, lesson: dict, owner: dict) -> None:
    """The manifest: each episode's entry, the lesson files' entry, and whose lesson it is."""
    data = {"format": FORMAT, "episodes": episodes, "lesson": lesson, "owner": owner}
    write_atomic(out, f"{STATE_DIR}/{NAME}",
                 json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


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


# What shapes the outputs besides slidegen's own code: the Python packages that write them and
# the libraries WeasyPrint sets text with (a HarfBuzz upgrade moves glyphs).
RENDERER_PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "python-pptx", "pikepdf",
                     "pillow", "fonttools", "lxml")
NATIVE = {"pango": (("pango-1.0", "libpango-1.0.so.0", "libpango-1.0.0.dylib"),
                    "pango_version_string"),
          "harfbuzz": (("harfbuzz", "libharfbuzz.so.0", "libharfbuzz.0.dylib"),
                       "hb_version_string"),
          "fontconfig": (("fontconfig", "libfontconfig.so.1", "libfontconfig.1.dylib"),
                         "FcGetVersion")}


@lru_cache(maxsize=1)
def renderer_versions(out: str | None = None) -> list:
    """The versions of the renderers, as (name, version) pairs ("" when not found). The Python
    packages' are kept in OUT with the folders they were found in, as those folders were, and
    taken from there while none of the folders changed (installing, upgrading or removing a
    package changes its folder): importing importlib.metadata and reading nine packages'
    metadata was a tenth of a rebuild with nothing to do."""
    folders = _package_folders()
    found = _kept_versions(out, folders) if out else None
    if found is None:
        found = _package_versions()
        if out:
            _keep_versions(out, folders, found)
    return found + [(name, _native_version(libraries, function))
                    for name, (libraries, function) in NATIVE.items()]


def _package_versions() -> list:
    import importlib.metadata
    found = []
    for name in RENDERER_PACKAGES:
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            found.append((name, ""))
    return found


def _package_folders() -> list:
    """Where Python finds packages, each with the time it last changed."""
    found = []
    for path in sys.path:
        with contextlib.suppress(OSError):
            found.append([path, os.stat(path or ".").st_mtime_ns])
    return found


def _kept_versions(out: str, folders: list) -> list | None:
    try:
        kept = json.loads(outdir.read(out, f"{STATE_DIR}/{RENDERERS}", MAX_BYTES) or "null")
    except (ValueError, OSError, SlidegenError):
        return None
    if not isinstance(kept, dict) or kept.get("folders") != folders:
        return None
    versions = kept.get("versions")
    if not isinstance(versions, list) or [v[0] if isinstance(v, list) and len(v) == 2 else None
                                          for v in versions] != list(RENDERER_PACKAGES) \
            or not all(isinstance(v[1], str) for v in versions):
        return None
    return [(name, version) for name, version in versions]


def _keep_versions(out: str, folders: list, versions: list) -> None:
    data = json.dumps({"folders": folders, "versions": versions}).encode("utf-8")
    with contextlib.suppress(OSError, SlidegenError):      # (only a saving is lost)
        write_atomic(out, f"{STATE_DIR}/{RENDERERS}", data, durable=False)


def _native_version(libraries: tuple, function: str) -> str:
    """A shared library's own version string (or number), as this process loads it."""
    def names():
        yield from libraries[1:]
        yield ctypes.util.find_library(libraries[0])
    for library in names():
        try:
            call = getattr(ctypes.CDLL(library), function) if library else None
        except (OSError, AttributeError):
            continue
        if call is None:
            continue
        if function == "FcGetVersion":
            call.restype = ctypes.c_int
            return str(call())
        call.restype = ctypes.c_char_p
        return (call() or b"").decode("ascii", "replace")
    return ""


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


def keys(**parts) -> dict[str, str]:
    """A key for each named part of what every output is built from, so that a rebuild can
    say which of them changed (`--verbose`)."""
    return {name: key(value) for name, value in parts.items()}


def hashes_as_used(root: str, rels, before: dict, since_ns: int) -> dict[str, str | None]:
    """The hash of each file a job read as it was when the job used it, or CHANGED when that
    is uncertain, so that the next build builds the episode again. `before` holds hashes taken
    as the job began: a file that still hashes the same was the same all along. A file not
    hashed then (an image the edit added) counts as changed if it was modified since the job
    began (hashed first, its time checked after, so an edit at any moment is caught)."""
    out: dict[str, str | None] = {}
    for r in sorted(set(rels)):
        p = os.path.join(root, r)
        digest = file_sha(p)
        if r in before:
            out[r] = digest if before[r] == digest else CHANGED
            continue
        try:
            edited = os.stat(p).st_mtime_ns >= since_ns
        except OSError:
            edited = False
        out[r] = CHANGED if edited else digest
    return out


TICK_WAIT_S = 0.1      # longer than a tick of any kernel's coarse clock (HZ 100: 10 ms)


def job_clock(out: str) -> int:
    """Now, as the file system stamps a file: a time that every file written before this call
    has stamped lower and every file changed after it has stamped the same or higher. The
    kernel's clocks cannot promise both: file times come from a coarse clock that runs behind
    them, or (Linux 6.13 and later, once a file's time was read) from a fine one that runs ahead
    of the coarse clock. Nor can one file's time: where times are coarse (every file system
    before Linux 6.13, and ramfs and others since), a figure knitted a moment before the job
    shares the time of a file written as it begins. So a probe file in OUT's state folder is
    written until the file system gives it a later time than its first write (at once where
    times are fine, its time being read before each write; within a tick where they are
    coarse): that later time is the job's start. Where times are coarser still (FAT's two
    seconds), the wait stops at TICK_WAIT_S and a file written in the same interval counts as
    changed: one needless rebuild, never a missed edit."""
    try:
        fd = outdir.open_folder(out, STATE_DIR)
        try:
            name = f".tmp-clock-{os.getpid()}"
            probe = os.open(name, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
                            | os.O_CLOEXEC, 0o600, dir_fd=fd)
            try:
                first = _stamp(probe)
                give_up = time.monotonic() + TICK_WAIT_S
                while True:
                    later = _stamp(probe)
                    if later > first or time.monotonic() > give_up:
                        return later
                    time.sleep(0.0005)
            finally:
                os.close(probe)
                os.unlink(name, dir_fd=fd)
        finally:
            os.close(fd)
    except (OSError, outdir.OutputError):
        return time.time_ns() - 50_000_000      # a tick of the coarse clock earlier, to be safe


def _stamp(fd: int) -> int:
    """The time the file system gives a write to the open file `fd` (its time read first, so
    that a file system with fine times gives a fine one)."""
    os.fstat(fd)
    os.pwrite(fd, b"t", 0)
    return os.fstat(fd).st_mtime_ns
