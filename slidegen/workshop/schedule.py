"""A workshop's timetable: when each episode and break starts and ends, day by day.

Every output that shows times (the handout's schedule page, each deck's title slide, the
instructor's script) takes them from here, so they always agree. Times come from the episodes'
teaching, exercise and break minutes. Where the workshop starts, and how long its days are, come
from `--start 09:00` and `--day 09:00-17:00`, else from the lesson config's `slidegen:` section
(`start: "09:00"`, `day: "09:00-17:00"`), else from a styles lesson's `start_time` (minutes
after midnight); without any, times are offsets from the start (0:00, 0:45 …).

An episode that would run past the end of a day starts the next day instead (a break that would
open a day is left out: a day does not start with one); an episode longer than a whole day gets
a day of its own and runs over.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import t

CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*$")
DAY = 24 * 60


class ScheduleError(ValueError):
    """A start or day setting that is not a time of day; the message says what is expected."""


@dataclass(frozen=True)
class Workshop:
    """When the workshop starts and ends each day, in minutes after midnight."""
    start: int | None = None         # None: times are offsets from the start
    day_end: int | None = None       # None: one day, however long

    @property
    def clock(self) -> bool:
        return self.start is not None


def clock_minutes(text: str, what: str = "a time") -> int:
    """'09:00' (or '9:00', '9.00', '9h00') as minutes after midnight."""
    m = CLOCK.match(str(text))
    if not m:
        raise ScheduleError(f"{what} must be a time of day such as 09:00, not {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def day_window(text: str) -> tuple[int, int]:
    """'09:00-17:00' as (start, end) minutes after midnight."""
    parts = re.split(r"\s*[-–]\s*", str(text).strip())
    if len(parts) != 2:
        raise ScheduleError("a day must be written as start-end, such as 09:00-17:00, "
                            f"not {text!r}")
    start, end = (clock_minutes(p, "a day's start and end") for p in parts)
    if end <= start:
        raise ScheduleError(f"a day must end after it starts: {text!r}")
    return start, end


def workshop(variables=None, start: str | None = None, day: str | None = None) -> Workshop:
    """The workshop's times: options first, then the config's `slidegen:` section, then a
    styles lesson's `start_time`. Raises ScheduleError for a value that is not a time."""
    section = (variables or {}).get("slidegen") or {}
    section = section if isinstance(section, dict) else {}
    day = day if day is not None else section.get("day")
    start = start if start is not None else section.get("start")
    if day is not None:
        first, end = day_window(day)
        return Workshop(clock_minutes(start, "the start") if start is not None else first, end)
    if start is not None:
        return Workshop(clock_minutes(start, "the start"))
    return Workshop(_start_time((variables or {}).get("start_time")))


def _start_time(value) -> int | None:
    """A styles `_config.yml`'s `start_time`: a positive number of minutes after midnight."""
    if isinstance(value, bool):
        return None
    try:
        minutes = int(float(value))
    except (TypeError, ValueError):
        return None
    return minutes if 0 < minutes < DAY else None


@dataclass(frozen=True)
class Slot:
    """One taught episode or break: its day (from 1) and its start and end, in minutes (after
    midnight on a clock, else from the start of the workshop)."""
    source: str
    title: str
    day: int
    start: int
    end: int
    teaching: int
    exercises: int
    is_break: bool

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]
    workshop: Workshop

    @property
    def clock(self) -> bool:
        return self.workshop.clock

    @property
    def days(self) -> int:
        return max((s.day for s in self.slots), default=1)

    @property
    def teaching(self) -> int:
        return sum(s.teaching for s in self.slots)

    @property
    def exercises(self) -> int:
        return sum(s.exercises for s in self.slots)

    @property
    def breaks(self) -> int:
        return sum(s.minutes for s in self.slots if s.is_break)

    @property
    def total(self) -> int:
        return self.teaching + self.exercises + self.breaks

    @property
    def end(self) -> int:
        """When the last slot ends (minutes, as the slots count them)."""
        return self.slots[-1].end if self.slots else (self.workshop.start or 0)

    def of(self, source: str) -> Slot | None:
        """The slot of an episode (by its lesson-relative source), if it is taught."""
        return next((s for s in self.slots if s.source == source), None)

    def time(self, minutes: int) -> str:
        return hours(minutes, self.clock)


UNSET = Workshop()      # no start, no day: times are offsets from the start


def plan(episodes, times: Workshop = UNSET) -> Schedule:
    """Every taught episode and break in order (hidden pages and redirects are not taught)."""
    day, now = 1, times.start or 0
    slots: list[Slot] = []
    for ep in episodes:
        if ep.skipped:
            continue
        teaching = 0 if ep.is_break else ep.meta.teaching or 0
        exercises = 0 if ep.is_break else ep.meta.exercises or 0
        length = (ep.meta.break_minutes or 0) if ep.is_break else teaching + exercises
        opened = any(s.day == day for s in slots)
        if times.day_end is not None and opened and now + length > times.day_end:
            day, now = day + 1, times.start
            if ep.is_break:
                continue
        slots.append(Slot(ep.source, ep.title, day, now, now + length, teaching, exercises,
                          ep.is_break))
        now += length
    return Schedule(tuple(slots), times)


def lesson_schedule(lesson) -> Schedule:
    """The timetable of `lesson`: the build's, made from every episode's front matter, else
    planned from the episodes at hand (a whole lesson read at once)."""
    table = lesson.config.timetable
    if isinstance(table, Schedule):
        return table
    return plan(lesson.episodes, workshop(lesson.config.variables))


def clock_line(schedule: Schedule, source: str, offsets: bool = True) -> str:
    """When an episode is taught: '09:00–09:45', 'Day 2 · 13:30–14:15', or without a clock
    '0:45–1:30 from the start' ('' when `offsets` is false, or it is not taught)."""
    slot = schedule.of(source)
    if slot is None or not (schedule.clock or offsets):
        return ""
    span = f"{schedule.time(slot.start)}–{schedule.time(slot.end)}"
    if not schedule.clock:
        return t("{span} from the start", span=span)
    return (t("Day {n}", n=slot.day) + " · " + span) if schedule.days > 1 else span


def hours(minutes: int, clock: bool = False) -> str:
    """'1:05' for an offset, '09:05' for a time of day (wrapping past midnight)."""
    if clock:
        minutes %= DAY
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{minutes // 60}:{minutes % 60:02d}"


def duration(minutes: int) -> str:
    """'45 min', '2 h', '2 h 25 min' (in the language of the output, i18n.speaking)."""
    h, m = divmod(minutes, 60)
    if not h:
        return t("{n} min", n=m)
    return t("{n} h", n=h) + (" " + t("{n} min", n=m) if m else "")


def with_settings(config: dict, start: str | None = None, day: str | None = None,
                  lang: str | None = None) -> dict:
    """The lesson config with a build's `--start`, `--day` and `--lang` in place of its own
    (every writer then reads one config). Raises ScheduleError for a value that is not a time,
    the config's own values included."""
    config = dict(config or {})
    section = config.get("slidegen")
    section = dict(section) if isinstance(section, dict) else {}
    if start is not None:
        section["start"] = start
    if day is not None:
        section["day"] = day
    if lang:
        section["lang"] = lang            # the labels' language; the lesson's text keeps its own
    if section:
        config["slidegen"] = section
    workshop(config)
    return config
