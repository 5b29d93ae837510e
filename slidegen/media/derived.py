"""Work derived from content — a picture scaled and encoded for slides, a formula typeset —
done once per content and kept.

Within a process, callers keep their own in-memory caches; across processes and builds (the
workers of one build, a rebuild after an edit) the results are kept in a store the pipeline
provides (`use`), keyed by a hash of what was asked: the same picture in ten decks, or in an
edited episode's next build, is decoded, scaled and encoded once. The store lives in OUT,
which anyone may have written: a result read back is checked by the caller before it is
trusted, and anything unreadable is simply made again.
"""
from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Protocol


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


_store: Store | None = None
VERSION = b"2"      # bump when what is derived changes, so older results are not used


def use(store: Store | None) -> None:
    """Keep results in `store` from now on (None: keep nothing beyond this process)."""
    global _store
    _store = store


def key(kind: str, *parts: bytes) -> str:
    h = hashlib.sha256(VERSION + b"\0" + kind.encode())
    for p in parts:
        h.update(b"\0" + hashlib.sha256(p).digest())
    return f"{kind}-{h.hexdigest()}"


def remember(name: str, make: Callable[[], bytes], valid: Callable[[bytes], bool]) -> bytes:
    """The stored result for `name` (from `key`) when there is a valid one, else `make()`,
    stored for next time. A store that fails never fails the caller."""
    store = _store
    if store is not None:
        try:
            data = store.get(name)
        except Exception:          # a damaged or refused store entry: make it again
            data = None
        if data is not None and valid(data):
            return data
    data = make()
    if store is not None:
        # A full disk or a link in OUT: only the saving is lost.
        with contextlib.suppress(Exception):
            store.put(name, data)
    return data
