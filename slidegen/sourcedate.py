"""The time written into every output, for reproducible builds: SOURCE_DATE_EPOCH when it is a
whole number of seconds, else the epoch itself (never before it), so that identical input gives
identical bytes (https://reproducible-builds.org/specs/source-date-epoch/)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import UTC, datetime

from .errors import SlidegenError

LATEST = 253402300799           # 9999-12-31T23:59:59Z: the last second a document date can hold


class SourceDateError(SlidegenError):
    """SOURCE_DATE_EPOCH is set to something that is not a time (usage error)."""


def source_date_epoch() -> int:
    try:
        value = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    except ValueError:
        return 0
    return value if 0 <= value <= LATEST else 0


def checked_epoch() -> int:
    """SOURCE_DATE_EPOCH for a build; as the specification asks, a malformed value is an error
    rather than a silent 1970 (and tools that read it themselves would fail on it)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return 0
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if not 0 <= value <= LATEST:
        raise SourceDateError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds "
                              "since 1970-01-01 (unset it, or set it to e.g. the last commit's "
                              "time: git log -1 --format=%ct)")
    return value


def as_datetime(epoch: int) -> datetime:
    """`epoch` as an aware UTC datetime."""
    return datetime.fromtimestamp(min(max(int(epoch), 0), LATEST), UTC)


@contextmanager
def reproducible(epoch: int):
    """SOURCE_DATE_EPOCH set to `epoch` meanwhile: font subsets stamp their `head` table with the
    time they were made unless it is set (fontTools reads it then)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(max(int(epoch), 0))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
