"""The workshop timetable: clock times that add up, breaks counted, days split where they end."""
from __future__ import annotations

import pytest

from slidegen.model import Episode, EpisodeMeta
from slidegen.workshop.schedule import ScheduleError, Workshop, day_window, plan, workshop


def ep(name, teaching=0, exercises=0, brk=None, hidden=False):
    meta = EpisodeMeta(title=name, teaching=teaching, exercises=exercises,
                       layout="break" if brk else None, break_minutes=brk, hidden=hidden)
    return Episode(f"episodes/{name}.md", meta, ())


LESSON = [ep("intro", 10, 5), ep("loops", 40, 20), ep("coffee", brk=15), ep("lists", 30, 30),
          ep("old", 30, 0, hidden=True), ep("lunch", brk=60), ep("functions", 60, 30),
          ep("errors", 30, 15)]


def table(schedule):
    return [(s.title, s.day, schedule.time(s.start), schedule.time(s.end)) for s in schedule.slots]


def test_offsets_without_a_start():
    s = plan(LESSON)
    assert table(s) == [("intro", 1, "0:00", "0:15"), ("loops", 1, "0:15", "1:15"),
                        ("coffee", 1, "1:15", "1:30"), ("lists", 1, "1:30", "2:30"),
                        ("lunch", 1, "2:30", "3:30"), ("functions", 1, "3:30", "5:00"),
                        ("errors", 1, "5:00", "5:45")]
    assert (s.teaching, s.exercises, s.breaks, s.total) == (170, 100, 75, 345)


def test_clock_times_and_days():
    s = plan(LESSON, workshop(start="09:00", day="09:00-12:30"))
    # Hand-computed: 09:00 + 15 + 60 + 15 + 60 = 11:30; lunch (60) would end 12:30 — it fits;
    # functions (90) would end 14:00, past 12:30: day 2 at 09:00, then errors until 11:15.
    assert table(s) == [("intro", 1, "09:00", "09:15"), ("loops", 1, "09:15", "10:15"),
                        ("coffee", 1, "10:15", "10:30"), ("lists", 1, "10:30", "11:30"),
                        ("lunch", 1, "11:30", "12:30"), ("functions", 2, "09:00", "10:30"),
                        ("errors", 2, "10:30", "11:15")]
    assert s.days == 2 and s.clock


def test_a_break_never_opens_a_day_and_a_long_episode_gets_its_own():
    s = plan([ep("a", 100), ep("tea", brk=15), ep("b", 300), ep("c", 10)],
             Workshop(start=9 * 60, day_end=11 * 60))
    assert table(s) == [("a", 1, "09:00", "10:40"), ("tea", 1, "10:40", "10:55"),
                        ("b", 2, "09:00", "14:00"), ("c", 3, "09:00", "09:10")]
    s = plan([ep("a", 110), ep("tea", brk=15), ep("b", 30)],
             Workshop(start=9 * 60, day_end=11 * 60))
    assert [(x.title, x.day) for x in s.slots] == [("a", 1), ("b", 2)]


def test_settings_come_from_options_then_config_then_start_time():
    config = {"slidegen": {"start": "10:00", "day": "10:00-16:00"}, "start_time": 540}
    assert workshop(config) == Workshop(600, 960)
    assert workshop(config, start="08:30") == Workshop(510, 960)
    assert workshop(config, day="13:00-17:00") == Workshop(600, 1020)
    assert workshop({"start_time": 540}) == Workshop(540, None)
    assert workshop({}) == Workshop(None, None)
    assert day_window("9h00 – 17.30") == (540, 1050)


@pytest.mark.parametrize("start, day, message", [
    ("25:00", None, "the start must be a time of day such as 09:00, not '25:00'"),
    (None, "09:00", "a day must be written as start-end"),
    (None, "17:00-09:00", "a day must end after it starts"),
])
def test_bad_settings_say_what_is_expected(start, day, message):
    with pytest.raises(ScheduleError, match=message):
        workshop({}, start=start, day=day)
