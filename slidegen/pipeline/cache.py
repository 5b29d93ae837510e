"""The pipeline's side of a writer's `Cache` (writer.py): files in OUT/.slidegen/cache/,
written atomically and recorded with the episode that made them.

A cached part is used only as the manifest recorded it (its hash, under the episode that wrote
it): a part that was swapped, replaced or left by another build is absent, and made again."""
from __future__ import annotations

import os

from . import outdir
from .outputs import CACHE_DIR, LAYOUT_DIR, sha256, write_atomic


class OutCache:
    """A writer's cache in OUT (see `writer.Cache`); `written` is what was put, by hash, for
    the manifest; `trusted` (OUT-relative path -> sha256) is what may be read back."""

    def __init__(self, out: str, trusted: dict[str, str] | None = None):
        self.out = out
        self.written: dict[str, str] = {}          # OUT-relative path -> sha256
        self.trusted: dict[str, str] = dict(trusted or {})

    @property
    def scratch(self) -> str:
        """A folder a writer may use freely (small layouts it wants to keep)."""
        return os.path.join(self.out, LAYOUT_DIR)

    def put(self, name: str, data: bytes) -> None:
        rel = self._rel(name)
        # (read back only by its recorded hash: a damaged entry is made again, so no fsync)
        self.written[rel] = self.trusted[rel] = write_atomic(self.out, rel, data, durable=False)

    def get(self, name: str) -> bytes | None:
        return self._read(self._rel(name))

    def output(self, rel: str) -> bytes | None:
        """An output as an earlier build wrote it (`handouts/01-intro.pdf`), or None."""
        if rel.startswith(".") or "\\" in rel or ".." in rel.split("/"):
            return None
        return self._read(rel)

    def _read(self, rel: str) -> bytes | None:
        expected = self.trusted.get(rel)
        data = outdir.read(self.out, rel) if expected else None
        return data if data is not None and sha256(data) == expected else None

    @staticmethod
    def _rel(name: str) -> str:
        if "/" in name or name.startswith(".") or not name:
            raise ValueError(f"not a cache file name: {name!r}")
        return f"{CACHE_DIR}/{name}"
