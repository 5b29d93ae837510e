"""The time written into every output, for reproducible builds: SOURCE_DATE_EPOCH when it is a
whole number of seconds, else the epoch itself (never before it), so that identical input gives
identical bytes (https://reproducible-builds.org/specs/source-date-epoch/)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone


def source_date_epoch() -> int:
    try:
        return max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), 0)
    except ValueError:
        return 0


def as_datetime(epoch: int) -> datetime:
    """`epoch` as an aware UTC datetime."""
    return datetime.fromtimestamp(max(int(epoch), 0), timezone.utc)


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
