"""Where a build keeps derived work (derived.py: pictures scaled and encoded, formulae
typeset): OUT/.slidegen/derived/, one file per key, read and written through outdir, which
never follows a link. Workers forked by the build inherit the store."""
from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager

from ..media import derived
from . import outdir
from .outputs import DERIVED_DIR

_KEY = re.compile(r"^[a-z][a-z-]*-[0-9a-f]{64}$")
MAX_ENTRY = 32_000_000
_HASH = 32                # the sha256 each entry begins with


class OutStore:
    def __init__(self, out: str):
        self.out = out

    def get(self, key: str) -> bytes | None:
        stored = outdir.read(self.out, self._rel(key), limit=MAX_ENTRY + _HASH)
        if stored is None or len(stored) < _HASH:
            return None
        data = stored[_HASH:]
        return data if hashlib.sha256(data).digest() == stored[:_HASH] else None

    def put(self, key: str, data: bytes) -> None:
        # Led by its hash and checked when read: an entry a power cut left half written is
        # made again, so it needs no fsync.
        outdir.write(self.out, self._rel(key), hashlib.sha256(data).digest() + data,
                     durable=False)

    @staticmethod
    def _rel(key: str) -> str:
        if not _KEY.match(key):
            raise ValueError(f"not a derived-work key: {key!r}")
        return f"{DERIVED_DIR}/{key}"


@contextmanager
def kept_in(out: str):
    """Derived work of everything inside the block is kept in OUT."""
    derived.use(OutStore(out))
    try:
        yield
    finally:
        derived.use(None)
