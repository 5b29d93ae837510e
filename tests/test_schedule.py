"""The workshop timetable: clock times that add up, breaks counted, days split where they end."""
from __future__ import annotations

import pytest

from slidegen.model import Episode, EpisodeMeta
from slidegen.workshop.schedule import (
    DEFAULT_BREAKS,
    Break,
    ScheduleError,
    Workshop,
    day_window,
    plan,
    workshop,
)


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
    # functions (90) would end 14:00, past 12:30: day 2 at 09:00; the day's coffee (10:30,
    # the lesson's own stood for day 1's) before errors, until 11:30.
    assert table(s) == [("intro", 1, "09:00", "09:15"), ("loops", 1, "09:15", "10:15"),
                        ("coffee", 1, "10:15", "10:30"), ("lists", 1, "10:30", "11:30"),
                        ("lunch", 1, "11:30", "12:30"), ("functions", 2, "09:00", "10:30"),
                        ("coffee", 2, "10:30", "10:45"), ("errors", 2, "10:45", "11:30")]
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
    usual = DEFAULT_BREAKS                 # a workshop with days has the usual breaks
    assert workshop(config) == Workshop(600, 960, usual)
    assert workshop(config, start="08:30") == Workshop(510, 960, usual)
    assert workshop(config, day="13:00-17:00") == Workshop(600, 1020, usual)
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


def slots(schedule):
    return [(s.label, s.day, schedule.time(s.start), schedule.time(s.end)) for s in schedule.slots]


FULL_DAY = [ep(f"e{k}", 45, 15) for k in range(1, 8)]        # seven hours of teaching


def test_a_full_day_has_coffee_lunch_and_coffee_at_the_nearest_boundaries():
    """Hand-computed, 09:00-17:00: coffee is due at 10:30, between e1 (ends 10:00) and e2
    (10:00-11:00, its middle at 10:30 is not past it) it is taken after e2; lunch (12:00) after
    e3 (ends 12:15, nearer than 11:15); the afternoon coffee (15:00) after e5 (ends 15:15,
    whose middle, 14:45, was before 15:00)."""
    s = plan(FULL_DAY, workshop(start="09:00", day="09:00-18:00"))
    assert slots(s) == [
        ("e1", 1, "09:00", "10:00"), ("e2", 1, "10:00", "11:00"),
        ("Coffee break", 1, "11:00", "11:15"), ("e3", 1, "11:15", "12:15"),
        ("Lunch", 1, "12:15", "13:15"), ("e4", 1, "13:15", "14:15"),
        ("e5", 1, "14:15", "15:15"), ("Coffee break", 1, "15:15", "15:30"),
        ("e6", 1, "15:30", "16:30"), ("e7", 1, "16:30", "17:30")]
    assert s.breaks == 90 and s.overruns() == []


def test_a_half_day_gets_its_coffee_and_no_lunch_at_its_end():
    s = plan([ep("a", 60, 20), ep("b", 50, 20), ep("c", 40)], workshop(day="09:00-12:00"))
    assert slots(s) == [("a", 1, "09:00", "10:20"), ("Coffee break", 1, "10:20", "10:35"),
                        ("b", 1, "10:35", "11:45"), ("c", 2, "09:00", "09:40")]


def test_the_lessons_own_break_stands_for_the_workshops_and_breaks_can_be_set():
    s = plan([ep("a", 60), ep("tea", brk=20), ep("b", 60)], workshop(day="09:00-12:00"))
    assert [x.label for x in s.slots] == ["a", "tea", "b"]
    config = {"slidegen": {"day": "09:00-17:00",
                           "breaks": [{"at": "11:00", "minutes": 10, "name": "coffee"},
                                      {"at": "12:30", "minutes": 45, "name": "lunch"}]}}
    assert workshop(config).breaks == (Break("coffee", 660, 10), Break("lunch", 750, 45))
    assert workshop({"slidegen": {"day": "09:00-17:00", "breaks": []}}).breaks == ()
    with pytest.raises(ScheduleError, match="a break must say when it is"):
        workshop({"slidegen": {"day": "09:00-17:00", "breaks": [{"minutes": 10}]}})


def test_what_does_not_fit_is_said_with_how_much():
    s = plan([ep("long", 200)], workshop(start="09:00", day="09:00-12:00"))
    assert s.overruns() == ["day 1 runs to 12:20, 20 min past its end at 12:00 (an episode "
                            "longer than the day)"]
    config = {"slidegen": {"day": "09:00-12:00", "days": 1, "breaks": []}}
    s = plan([ep("a", 120), ep("b", 60), ep("c", 100)], workshop(config))
    assert s.overruns() == ["the lesson needs 2 days of 09:00–12:00 but 1 day is given: "
                            "1 h 40 min does not fit, from 'c' on"]
