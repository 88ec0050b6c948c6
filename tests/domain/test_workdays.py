"""Working-day deadlines (DOMAIN.md §5) on the 2026 schedule written out from DOMAIN.md itself, not
from the seed: around every holiday, counting the make-up days, received on a holiday, on a make-up
day, late on a Friday, and into 2027, which has no schedule (provisional). Then properties over
random calendars: deadlines are working days, grow with n, and ``working_days_between`` counts them
back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.workdays import (
    CalendarDay,
    DayKind,
    Deadline,
    WorkCalendar,
    check_day,
    deadline_text,
    first_year_without_schedule,
    parse_day_kind,
    weekdays_between,
)

HALL = ZoneInfo("Asia/Shanghai")
PROPERTY = settings(max_examples=300, deadline=None, database=None)

# DOMAIN.md §5, literally.
OFF_2026 = (
    ((1, 1), (1, 3), "元旦"),
    ((2, 15), (2, 23), "春节"),
    ((4, 4), (4, 6), "清明节"),
    ((5, 1), (5, 5), "劳动节"),
    ((6, 19), (6, 21), "端午节"),
    ((9, 25), (9, 27), "中秋节"),
    ((10, 1), (10, 7), "国庆节"),
)
WORK_2026 = ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))


def domain_2026() -> list[CalendarDay]:
    days = []
    for (m1, d1), (m2, d2), name in OFF_2026:
        day = date(2026, m1, d1)
        while day <= date(2026, m2, d2):
            days.append(CalendarDay(day, DayKind.OFF, name))
            day += timedelta(days=1)
    days += [CalendarDay(date(2026, m, d), DayKind.WORK, "调休") for m, d in WORK_2026]
    return days


CAL = WorkCalendar(domain_2026())


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# -- around every holiday of 2026 --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        # 元旦: 1/1–1/3 off, Sunday 1/4 worked.
        (d(12, 31, 2025), 1, d(1, 4)),
        (d(12, 31, 2025), 2, d(1, 5)),
        (d(1, 4), 1, d(1, 5)),
        # 春节: Saturday 2/14 worked, 2/15–2/23 off, Saturday 2/28 worked.
        (d(2, 13), 1, d(2, 14)),
        (d(2, 13), 2, d(2, 24)),
        (d(2, 13), 5, d(2, 27)),
        (d(2, 13), 6, d(2, 28)),
        (d(2, 13), 7, d(3, 2)),
        (d(2, 12), 10, d(3, 4)),
        # 清明节: Saturday 4/4 – Monday 4/6.
        (d(4, 3), 1, d(4, 7)),
        (d(4, 2), 2, d(4, 7)),
        # 劳动节: Friday 5/1 – Tuesday 5/5 off, Saturday 5/9 worked.
        (d(4, 30), 1, d(5, 6)),
        (d(4, 30), 4, d(5, 9)),
        (d(4, 30), 5, d(5, 11)),
        (d(4, 29), 2, d(5, 6)),
        # 端午节: Friday 6/19 – Sunday 6/21.
        (d(6, 18), 1, d(6, 22)),
        (d(6, 17), 2, d(6, 22)),
        # 中秋节: Sunday 9/20 worked, Friday 9/25 – Sunday 9/27 off.
        (d(9, 18), 1, d(9, 20)),
        (d(9, 18), 2, d(9, 21)),
        (d(9, 24), 1, d(9, 28)),
        (d(9, 23), 2, d(9, 28)),
        # 国庆节: Thursday 10/1 – Wednesday 10/7 off, Saturday 10/10 worked.
        (d(9, 30), 1, d(10, 8)),
        (d(9, 30), 3, d(10, 10)),
        (d(9, 30), 5, d(10, 13)),
        (d(9, 29), 10, d(10, 19)),
        # An ordinary week: Friday to Monday.
        (d(3, 6), 1, d(3, 9)),
        (d(3, 2), 5, d(3, 9)),
    ],
)
def test_deadlines_around_the_2026_holidays(received: date, n: int, due: date) -> None:
    assert CAL.add_working_days(received, n) == Deadline(due, False)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(received, due) == n


def test_days_of_2026_as_domain_md_says() -> None:
    assert not CAL.is_working_day(d(1, 2))  # a Friday off
    assert CAL.is_working_day(d(1, 4))  # a Sunday worked
    assert CAL.is_working_day(d(2, 14)) and CAL.is_working_day(d(2, 28))
    assert not CAL.is_working_day(d(2, 23))  # a Monday off
    assert not CAL.is_working_day(d(3, 7))  # an ordinary Saturday
    assert CAL.is_working_day(d(3, 9))
    assert CAL.has_schedule(2026) and not CAL.has_schedule(2027) and not CAL.has_schedule(2025)


# -- the day of receipt never counts ------------------------------------------------------------
def test_received_on_a_holiday_counts_from_the_first_working_day_after_it() -> None:
    assert CAL.add_working_days(d(2, 17), 1) == Deadline(d(2, 24), False)  # mid-春节
    assert CAL.add_working_days(d(10, 1), 1) == Deadline(d(10, 8), False)
    assert CAL.add_working_days(d(10, 7), 3) == Deadline(d(10, 10), False)  # the last day off


def test_received_on_a_make_up_day_that_day_does_not_count() -> None:
    assert CAL.add_working_days(d(2, 14), 1) == Deadline(d(2, 24), False)
    assert CAL.add_working_days(d(9, 20), 1) == Deadline(d(9, 21), False)
    assert CAL.add_working_days(d(1, 4), 2) == Deadline(d(1, 6), False)


def test_received_late_on_a_friday_counting_starts_on_saturday() -> None:
    late = datetime(2026, 3, 6, 17, 55, tzinfo=HALL)
    assert CAL.add_working_days(late, 1) == Deadline(d(3, 9), False)
    assert CAL.add_working_days(late, 2) == Deadline(d(3, 10), False)
    # A stored instant (UTC) is a date in the hall: 16:30 UTC Friday is 00:30 Saturday there.
    saturday_in_the_hall = datetime(2026, 3, 6, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert CAL.add_working_days(saturday_in_the_hall, 1) == Deadline(d(3, 9), False)
    assert CAL.add_working_days(saturday_in_the_hall, 2) == Deadline(d(3, 10), False)
    # Friday before the 春节 make-up Saturday: the Saturday is day 1.
    assert CAL.add_working_days(datetime(2026, 2, 13, 23, 59, tzinfo=HALL), 1) == Deadline(d(2, 14), False)


# -- a year without schedule --------------------------------------------------------------------
def test_across_the_year_end_into_a_year_without_schedule_is_provisional() -> None:
    assert CAL.add_working_days(d(12, 28), 3) == Deadline(d(12, 31), False)
    # 2027-01-01 is a Friday: Monday–Friday counting takes it, and says it is provisional.
    assert CAL.add_working_days(d(12, 28), 4) == Deadline(d(1, 1, 2027), True)
    assert CAL.add_working_days(d(12, 31), 1) == Deadline(d(1, 1, 2027), True)
    assert CAL.add_working_days(d(12, 31), 2) == Deadline(d(1, 4, 2027), True)
    assert CAL.add_working_days(d(12, 24), 5) == Deadline(d(12, 31), False)
    # Received in a year without schedule, counted into one with: the counted days decide.
    assert CAL.add_working_days(d(12, 31, 2025), 1) == Deadline(d(1, 4), False)
    assert CAL.add_working_days(d(12, 30, 2025), 1) == Deadline(d(12, 31, 2025), True)
    assert first_year_without_schedule(CAL, d(12, 28), d(1, 4, 2027)) == 2027
    assert first_year_without_schedule(CAL, d(12, 28), d(12, 31)) is None
    assert CAL.working_days_between(d(12, 31), d(1, 4, 2027)) == 2


def test_an_empty_calendar_is_monday_to_friday_and_provisional() -> None:
    empty = WorkCalendar()
    assert empty.add_working_days(d(3, 6), 1) == Deadline(d(3, 9), True)
    assert empty.add_working_days(d(9, 30), 1) == Deadline(d(10, 1), True)


def test_n_must_be_positive() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(d(3, 6), 0)


def test_between_is_zero_when_not_past() -> None:
    assert CAL.working_days_between(d(3, 9), d(3, 9)) == 0
    assert CAL.working_days_between(d(3, 9), d(3, 2)) == 0
    assert CAL.working_days_between(d(2, 13), d(2, 24)) == 2  # 2/14 worked, 2/24


def test_kinds_and_checks() -> None:
    assert parse_day_kind("休") == DayKind.OFF and parse_day_kind(" 班 ") == DayKind.WORK
    assert parse_day_kind("补班") == DayKind.WORK and parse_day_kind("放假") == DayKind.OFF
    assert parse_day_kind("上午") is None
    assert check_day(CalendarDay(d(2, 14), DayKind.WORK)) is None
    assert "周六或周日" in (check_day(CalendarDay(d(2, 13), DayKind.WORK)) or "")
    assert check_day(CalendarDay(d(3, 7), DayKind.OFF)) is None


# -- properties -----------------------------------------------------------------------------------
START = date(2024, 12, 1)
SPAN = 900


def naive_count(calendar: WorkCalendar, start: date, end: date) -> int:
    return sum(
        1 for k in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=k))
    )


calendars = st.lists(st.tuples(st.integers(0, SPAN), st.sampled_from(list(DayKind))), max_size=120).map(
    lambda entries: WorkCalendar(CalendarDay(START + timedelta(days=o), k) for o, k in entries)
)


@PROPERTY
@given(calendars, st.integers(0, SPAN), st.integers(1, 40), st.integers(1, 40))
def test_deadlines_are_working_days_and_grow_with_n(
    calendar: WorkCalendar, offset: int, n: int, m: int
) -> None:
    received = START + timedelta(days=offset)
    first, second = calendar.add_working_days(received, n), calendar.add_working_days(received, m)
    assert calendar.is_working_day(first.day) and first.day > received
    assert (first.day < second.day) == (n < m) and (first.day == second.day) == (n == m)
    assert calendar.working_days_between(received, first.day) == n
    # Monday–Friday years reached make it provisional, and nothing else does.
    years = range((received + timedelta(days=1)).year, first.day.year + 1)
    assert first.provisional == any(not calendar.has_schedule(y) for y in years)


@PROPERTY
@given(calendars, st.integers(0, SPAN), st.integers(-20, 400))
def test_between_counts_what_a_day_by_day_walk_counts(
    calendar: WorkCalendar, offset: int, length: int
) -> None:
    start = START + timedelta(days=offset)
    end = start + timedelta(days=length)
    assert calendar.working_days_between(start, end) == naive_count(calendar, start, end)


@PROPERTY
@given(st.integers(0, 4000), st.integers(-10, 800))
def test_weekdays_between_counts_mondays_to_fridays(offset: int, length: int) -> None:
    start = date(2020, 1, 1) + timedelta(days=offset)
    end = start + timedelta(days=length)
    assert weekdays_between(start, end) == naive_count(WorkCalendar(), start, end)


def test_a_provisional_deadline_says_so_on_paper() -> None:
    assert deadline_text(CAL.add_working_days(d(9, 30), 5)) == "2026年10月13日"
    assert deadline_text(CAL.add_working_days(d(12, 31), 2)) == "2027年1月4日（暂定）"
