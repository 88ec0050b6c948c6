"""Dates as documents handed to outsiders write them (GB/T 9704: 2026年12月6日), never 2026-12-06."""

from __future__ import annotations

from datetime import date, datetime

from desktop_app.domain.errors import ValidationError

# The days the application reasons about: a date typed outside them is a slip (20260 for 2026,
# 1926 for 2026), and dates before 1990 or after 2100 are beyond every record and period it keeps.
FIRST_YEAR = 1990
LAST_YEAR = 2100


def check_year_range(day: date, field: str, label: str) -> date:
    """``day``, or ValidationError at ``field`` when it is outside FIRST_YEAR–LAST_YEAR."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            f"{label}“{day.isoformat()}”不在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间：请核对年份。", field=field
        )
    return day


def chinese_date(day: date) -> str:
    """2026年12月6日 (no leading zeros, as official documents write it)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime, seconds: bool = False) -> str:
    """2026年12月6日 14:05 in local time (the hall's), seconds where a record needs them."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    clock_text = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{chinese_date(local.date())} {clock_text}"


def chinese_period(start: date, end: date | None) -> str:
    """2026年3月10日至2027年3月9日; an open end reads 起 (from that day on)."""
    if end is None:
        return f"{chinese_date(start)}起"
    return f"{chinese_date(start)}至{chinese_date(end)}"
