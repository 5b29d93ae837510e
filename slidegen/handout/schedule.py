"""A workshop timetable from the episodes' teaching, exercise and break minutes.

Start times are offsets from the beginning (0:00, 0:45 …) unless the lesson config's
`start_time` is a positive number of minutes after midnight (540 = 09:00), as in the styles
template's `_config.yml`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    start: str
    title: str
    teaching: int
    exercises: int
    minutes: int             # the slot's whole length
    is_break: bool


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]
    teaching: int
    exercises: int
    breaks: int
    end: str
    clock: bool              # start times are times of day

    @property
    def total(self) -> int:
        return self.teaching + self.exercises + self.breaks


def start_minutes(config_variables) -> int | None:
    """The config's `start_time` when it is a positive number of minutes after midnight."""
    value = (config_variables or {}).get("start_time")
    if isinstance(value, bool):
        return None
    try:
        minutes = int(float(value))
    except (TypeError, ValueError):
        return None
    return minutes if 0 < minutes < 24 * 60 else None


def hours(minutes: int, clock: bool = False) -> str:
    """'1:05' for an offset, '09:05' for a time of day (wrapping past midnight)."""
    if clock:
        minutes %= 24 * 60
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(minutes: int) -> str:
    """'45 min', '2 h', '2 h 25 min'."""
    h, m = divmod(minutes, 60)
    if not h:
        return f"{m} min"
    return f"{h} h" + (f" {m} min" if m else "")


def schedule(lesson) -> Schedule:
    """Every taught episode and break in order (hidden pages and redirects are not taught)."""
    begin = start_minutes(lesson.config.variables)
    clock = begin is not None
    now = begin or 0
    slots = []
    teaching = exercises = breaks = 0
    for ep in lesson.episodes:
        if ep.skipped:
            continue
        if ep.is_break:
            length = ep.meta.break_minutes or 0
            slots.append(Slot(hours(now, clock), ep.title, 0, 0, length, True))
            breaks += length
        else:
            t, e = ep.meta.teaching or 0, ep.meta.exercises or 0
            length = t + e
            slots.append(Slot(hours(now, clock), ep.title, t, e, length, False))
            teaching += t
            exercises += e
        now += length
    return Schedule(tuple(slots), teaching, exercises, breaks, hours(now, clock), clock)
