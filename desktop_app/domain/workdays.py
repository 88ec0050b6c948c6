"""Working days (DOMAIN.md §5): weekends and statutory holidays are off, 调休 make-up workdays count.

A ``WorkCalendar`` is built from the calendar table's rows: each listed day is off (休, a holiday,
weekend days inside it included) or a make-up workday (班, a weekend day worked). A day not listed
is a working day from Monday to Friday. A year *has a schedule* when the table lists at least one
of its days: the State Council publishes the next year's schedule each October–December, and until
an admin enters or imports it, a deadline reaching into that year is counted Monday–Friday and
marked **provisional**.

Counting (``add_working_days``): a deadline of n working days is the n-th working day *after* the
day of receipt. The day of receipt never counts, whatever it is and whatever the hour:

- received on a holiday or a weekend: the first working day after it is day 1;
- received on a make-up workday (a working Sunday): that Sunday does not count, the next working
  day is day 1 (the hall was open; receipt day is receipt day);
- received late on a Friday (17:55, after closing): no cut-off hour — counting starts on Saturday,
  so the following Monday (if a working day) is day 1.

A datetime is taken in the hall's time zone (the workstation's local zone) before its date is used.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from desktop_app.domain.dates import chinese_date


class DayKind(StrEnum):
    OFF = "off"  # 休: a day off (holiday), weekend days inside a holiday included
    WORK = "work"  # 班: a make-up workday (a weekend day worked)


DAY_KIND_LABELS: dict[DayKind, str] = {DayKind.OFF: "休", DayKind.WORK: "班"}
DAY_KIND_DESCRIPTIONS: dict[DayKind, str] = {DayKind.OFF: "休（放假）", DayKind.WORK: "班（调休上班）"}
# What an import file or a typist may write for each kind.
DAY_KIND_WORDS: dict[str, DayKind] = {
    "休": DayKind.OFF,
    "休息": DayKind.OFF,
    "放假": DayKind.OFF,
    "假": DayKind.OFF,
    "off": DayKind.OFF,
    "班": DayKind.WORK,
    "上班": DayKind.WORK,
    "补班": DayKind.WORK,
    "调休上班": DayKind.WORK,
    "work": DayKind.WORK,
}
NAME_LIMIT = 30


def parse_day_kind(text: str) -> DayKind | None:
    """休/班 (or the longer words people write), None when it is neither."""
    return DAY_KIND_WORDS.get("".join(text.split()).lower())


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: DayKind
    name: str = ""

    @property
    def kind_label(self) -> str:
        return DAY_KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Deadline:
    day: date
    # Some day counted lies in a year the calendar has no schedule for: counted Monday–Friday,
    # to be confirmed once that year's schedule is entered.
    provisional: bool


PROVISIONAL_MARK = "（暂定）"


def deadline_text(deadline: Deadline) -> str:
    """A deadline as paper writes it: 2026年10月13日, or 2027年1月4日（暂定） when provisional."""
    return chinese_date(deadline.day) + (PROVISIONAL_MARK if deadline.provisional else "")


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def local_date(moment: date | datetime) -> date:
    """The hall's date of a moment (an aware datetime in the local zone; a naive one as it is)."""
    if isinstance(moment, datetime):
        return (moment.astimezone() if moment.tzinfo is not None else moment).date()
    return moment


def weekdays_between(start: date, end: date) -> int:
    """Monday–Friday days d with start < d <= end (0 when end <= start)."""
    if end <= start:
        return 0

    def through(day: date) -> int:
        # Monday–Friday days from 0001-01-01 (a Monday, ordinal 1) through ``day``.
        weeks, rest = divmod(day.toordinal(), 7)
        return weeks * 5 + min(rest, 5)

    return through(end) - through(start)


class WorkCalendar:
    """The schedule of days off and make-up workdays; immutable once built."""

    def __init__(self, days: Iterable[CalendarDay] = ()) -> None:
        self.days: dict[date, CalendarDay] = {}
        for entry in days:
            self.days[entry.day] = entry
        self.years: frozenset[int] = frozenset(d.year for d in self.days)
        # The listed days that change a weekday's or a weekend's nature, sorted, for counting ranges.
        self._off_weekdays = sorted(
            d for d, e in self.days.items() if e.kind == DayKind.OFF and not is_weekend(d)
        )
        self._worked_weekends = sorted(
            d for d, e in self.days.items() if e.kind == DayKind.WORK and is_weekend(d)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkCalendar) and self.days == other.days

    __hash__ = None  # type: ignore[assignment]

    def has_schedule(self, year: int) -> bool:
        return year in self.years

    def entry(self, day: date) -> CalendarDay | None:
        return self.days.get(day)

    def days_of_year(self, year: int) -> list[CalendarDay]:
        return sorted((e for d, e in self.days.items() if d.year == year), key=lambda e: e.day)

    def is_working_day(self, day: date) -> bool:
        listed = self.days.get(day)
        if listed is not None:
            return listed.kind == DayKind.WORK
        return not is_weekend(day)

    def provisional_between(self, start: date, end: date) -> bool:
        """Whether a day after ``start`` up to ``end`` lies in a year without a schedule."""
        if end <= start:
            return False
        return any(year not in self.years for year in range((start + timedelta(days=1)).year, end.year + 1))

    def add_working_days(self, received: date | datetime, n: int) -> Deadline:
        """The n-th working day after the day of receipt (n >= 1); see the module's text."""
        if n < 1:
            raise ValueError("a deadline counts at least one working day")
        start = local_date(received)
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return Deadline(day, self.provisional_between(start, day))

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days d with start < d <= end: how far past a deadline ``end`` is (0 when not
        past). ``working_days_between(r, add_working_days(r, n).day) == n``."""
        first, last = local_date(start), local_date(end)
        if last <= first:
            return 0
        count = weekdays_between(first, last)
        count -= bisect_right(self._off_weekdays, last) - bisect_right(self._off_weekdays, first)
        count += bisect_right(self._worked_weekends, last) - bisect_right(self._worked_weekends, first)
        return count

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1).day


def check_day(entry: CalendarDay) -> str | None:
    """Why a calendar entry makes no sense (in Chinese), or None: a make-up workday must be a
    weekend day (a weekday is a working day already)."""
    if entry.kind == DayKind.WORK and not is_weekend(entry.day):
        return "调休上班日应为周六或周日：工作日本来就要上班，无需登记。"
    return None


def first_year_without_schedule(calendar: WorkCalendar, start: date, end: date) -> int | None:
    """The first year after ``start`` through ``end`` that has no schedule (for the note on screen)."""
    for year in range((start + timedelta(days=1)).year, end.year + 1):
        if not calendar.has_schedule(year):
            return year
    return None
