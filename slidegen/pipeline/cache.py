"""The pipeline's side of a writer's `Cache` (writer.py): files in OUT/.slidegen/cache/,
written atomically and recorded with the episode that made them."""
from __future__ import annotations

import os

from . import outdir
from .outputs import CACHE_DIR, LAYOUT_DIR, write_atomic


class OutCache:
    """A writer's cache in OUT (see `writer.Cache`); `written` is what was put, by hash, for
    the manifest."""

    def __init__(self, out: str):
        self.out = out
        self.written: dict[str, str] = {}          # OUT-relative path -> sha256

    @property
    def scratch(self) -> str:
        """A folder a writer may use freely (small layouts it wants to keep)."""
        return os.path.join(self.out, LAYOUT_DIR)

    def put(self, name: str, data: bytes) -> None:
        rel = self._rel(name)
        self.written[rel] = write_atomic(self.out, rel, data)

    def get(self, name: str) -> bytes | None:
        return outdir.read(self.out, self._rel(name))

    @staticmethod
    def _rel(name: str) -> str:
        if "/" in name or name.startswith(".") or not name:
            raise ValueError(f"not a cache file name: {name!r}")
        return f"{CACHE_DIR}/{name}"
