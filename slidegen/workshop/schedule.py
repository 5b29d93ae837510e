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

A workshop with days (`day:`) has the breaks a Carpentries workshop has: coffee at 10:30 and
15:00 (15 min) and lunch at 12:00 (60 min), each taken at the episode boundary nearest its time
and only inside the day; the config's `slidegen: breaks:` sets others (a list of `at`, `minutes`
and `name`: coffee or lunch) or none (`breaks: []`). A break episode of the lesson's own near a
break's time stands for it. `days:` (or `--days`) says how many days there are: a lesson that
needs more, or a day that runs past its end, is reported with how much does not fit.
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
class Break:
    """A break the workshop takes each day: its kind ("coffee" or "lunch"), when (minutes after
    midnight) and for how long."""
    kind: str
    at: int
    minutes: int


DEFAULT_BREAKS = (Break("coffee", 10 * 60 + 30, 15), Break("lunch", 12 * 60, 60),
                  Break("coffee", 15 * 60, 15))
NEAR = 60        # a lesson's own break this close to a workshop break's time stands for it


@dataclass(frozen=True)
class Workshop:
    """When the workshop starts and ends each day, in minutes after midnight."""
    start: int | None = None         # None: times are offsets from the start
    day_end: int | None = None       # None: one day, however long
    breaks: tuple[Break, ...] = ()   # taken each day (a workshop with days has the usual ones)
    days: int | None = None          # how many days there are (None: as many as it takes)

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
        return Workshop(clock_minutes(start, "the start") if start is not None else first, end,
                        _breaks(section.get("breaks", DEFAULT_BREAKS)), _days(section.get("days")))
    if start is not None:
        return Workshop(clock_minutes(start, "the start"))
    return Workshop(_start_time((variables or {}).get("start_time")))


def _breaks(value) -> tuple[Break, ...]:
    """The config's `breaks:` (a list of {at, minutes, name}), checked."""
    if isinstance(value, tuple) and all(isinstance(b, Break) for b in value):
        return value
    if value in (None, False):
        return ()
    if not isinstance(value, list):
        raise ScheduleError("breaks must be a list such as [{at: '10:30', minutes: 15}], "
                            f"not {value!r}")
    out = []
    for item in value:
        if not isinstance(item, dict) or "at" not in item:
            raise ScheduleError(f"a break must say when it is (at: '10:30'), not {item!r}")
        minutes = item.get("minutes", 15)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes < DAY:
            raise ScheduleError(f"a break's minutes must be a whole number, not {minutes!r}")
        kind = "lunch" if str(item.get("name", "")).lower() == "lunch" else "coffee"
        out.append(Break(kind, clock_minutes(item["at"], "a break's time"), minutes))
    return tuple(sorted(out, key=lambda b: b.at))


def _days(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScheduleError(f"days must be a whole number of days, not {value!r}")
    return value


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
    kind: str = ""                   # a workshop break's kind ("coffee", "lunch"); "": the lesson's

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> str:
        """What the slot is called in the language being spoken."""
        if self.kind == "lunch":
            return t("Lunch")
        return t("Coffee break") if self.kind else self.title


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

    def overruns(self) -> list[str]:
        """What does not fit the days given, and by how much (for warnings, in English)."""
        w, out = self.workshop, []
        if w.day_end is None or w.start is None:
            return out
        for d in range(1, self.days + 1):
            last = max((s.end for s in self.slots if s.day == d), default=w.start)
            if last > w.day_end:
                out.append(f"day {d} runs to {hours(last, True)}, {duration(last - w.day_end)} "
                           f"past its end at {hours(w.day_end, True)} (an episode longer than "
                           "the day)")
        if w.days is not None and self.days > w.days:
            over = [s for s in self.slots if s.day > w.days]
            given = "1 day is" if w.days == 1 else f"{w.days} days are"
            out.append(f"the lesson needs {self.days} days of {hours(w.start, True)}–"
                       f"{hours(w.day_end, True)} but {given} given: "
                       f"{duration(sum(s.minutes for s in over))} does not fit, from "
                       f"'{over[0].label}' on")
        return out

    def of(self, source: str) -> Slot | None:
        """The slot of an episode (by its lesson-relative source), if it is taught."""
        return next((s for s in self.slots if s.source == source), None)

    def time(self, minutes: int) -> str:
        return hours(minutes, self.clock)


UNSET = Workshop()      # no start, no day: times are offsets from the start


def plan(episodes, times: Workshop = UNSET) -> Schedule:
    """Every taught episode and break in order (hidden pages and redirects are not taught),
    with the workshop's own breaks where they fall."""
    day, now = 1, times.start or 0
    slots: list[Slot] = []
    taken: set[int] = set()          # the workshop breaks of the day so far
    for ep in episodes:
        if ep.skipped:
            continue
        teaching = 0 if ep.is_break else ep.meta.teaching or 0
        exercises = 0 if ep.is_break else ep.meta.exercises or 0
        length = (ep.meta.break_minutes or 0) if ep.is_break else teaching + exercises
        opened = any(s.day == day for s in slots)
        if ep.is_break:              # the lesson's own break stands for the workshop's near it
            taken |= {k for k, b in enumerate(times.breaks) if abs(b.at - now) <= NEAR}
        else:
            now = _take_breaks(times, day, now, length, opened, taken, slots)
        if times.day_end is not None and opened and now + length > times.day_end:
            while slots and slots[-1].day == day and slots[-1].kind:
                now = slots.pop().start          # a day does not end with a break
            day, now, taken = day + 1, times.start, set()
            if ep.is_break:
                continue
            now = _take_breaks(times, day, now, length, False, taken, slots)
        slots.append(Slot(ep.source, ep.title, day, now, now + length, teaching, exercises,
                          ep.is_break))
        now += length
    return Schedule(tuple(slots), times)


def _take_breaks(times: Workshop, day: int, now: int, length: int, opened: bool,
                 taken: set[int], slots: list[Slot]) -> int:
    """The workshop breaks due before an episode of `length` starting at `now`: those whose
    time is nearer this boundary than the next (the episode's middle is past it). One due as
    a day opens is not taken (the day starts after it). Returns when the episode starts."""
    for k, b in enumerate(times.breaks):
        if k in taken or now + length / 2 <= b.at:
            continue
        taken.add(k)
        ends = now + b.minutes
        if opened and (times.day_end is None or ends < times.day_end):
            slots.append(Slot("", b.kind, day, now, ends, 0, 0, True, b.kind))
            now = ends
    return now


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


def shown(schedule: Schedule, source: str) -> list | None:
    """What `clock_line` can show of an episode, as data (None: not taught): the build records
    it as an input of the files that show it, so that a change to another episode's minutes
    makes them again only when it moves this one's times."""
    slot = schedule.of(source)
    if slot is None:
        return None
    return [schedule.clock, slot.day if schedule.days > 1 else 0, slot.start, slot.end]


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
                  lang: str | None = None, days: int | None = None) -> dict:
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
    if days is not None:
        section["days"] = days
    if lang:
        section["lang"] = lang            # the labels' language; the lesson's text keeps its own
    if section:
        config["slidegen"] = section
    workshop(config)
    return config
