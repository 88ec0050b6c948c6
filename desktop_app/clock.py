"""The application's one clock: every "now" and "today" comes from here.

Services read it through ``Database.now()``; the UI and the pure rules that need today's date call
``today()``. Tests set a fixed clock (``set_clock``) so that no result depends on the day or the
hour the suite runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

_clock: Callable[[], datetime] | None = None


def now() -> datetime:
    """The current instant, aware, in UTC (microseconds: what both databases keep)."""
    return _clock() if _clock is not None else datetime.now(UTC)


def today() -> date:
    """Today's date where this workstation is (the hall's local time zone)."""
    return now().astimezone().date()


def local_now() -> datetime:
    return now().astimezone()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the clock (None: the system clock again). The clock must return aware datetimes."""
    global _clock
    _clock = clock


class SteppingClock:
    """A clock that starts at a fixed instant and moves one microsecond per reading: deterministic,
    and yet no two readings are equal, so "newest first" orders stay strict."""

    def __init__(self, start: datetime, step: timedelta = timedelta(microseconds=1)) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's start must be an aware datetime")
        self.current = start.astimezone(UTC)
        self.step = step

    def __call__(self) -> datetime:
        value = self.current
        self.current += self.step
        return value

    def advance(self, delta: timedelta) -> None:
        self.current += delta
