"""How the screens show dates: one format per kind of place, the same on every page.

- tables and lists (columns that line up and sort by eye): ``table_date`` 2026-12-06 and
  ``table_time`` 2026-12-06 14:05;
- forms (what a date field shows and accepts): ``FORM_DATE_FORMAT`` yyyy-MM-dd, with the time
  ``FORM_DATETIME_FORMAT`` yyyy-MM-dd HH:mm;
- headings, banners and running text (what a person reads as a sentence): ``text_date``
  2026年12月6日 and ``text_time`` 2026年12月6日 14:05 — in the English interface 2026-12-06.

Paper uses ``desktop_app.domain.dates`` (always Chinese). Nothing in ``desktop_app/ui`` formats a
date any other way (a test scans for strftime/isoformat/toString on dates outside this module).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

FORM_DATE_FORMAT = "yyyy-MM-dd"
FORM_DATETIME_FORMAT = "yyyy-MM-dd HH:mm"  # a moment typed in a form (when a complaint came in)


def table_date(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def table_time(moment: datetime | None, seconds: bool = False) -> str:
    """Local time to the minute, or the second where a record needs it (the audit trail); aware
    datetimes are shown in this workstation's zone."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def text_date(day: date | None) -> str:
    """2026年12月6日 in Chinese, 2026-12-06 in English."""
    if day is None:
        return ""
    return QCoreApplication.translate("Dates", "{year}-{month:02d}-{day:02d}").format(
        year=day.year, month=day.month, day=day.day
    )


def text_month(year: int, month: int) -> str:
    """2026年11月 in Chinese, 2026-11 in English (a month picker's entries, a statistics heading)."""
    return QCoreApplication.translate("Dates", "{year}-{month:02d}").format(year=year, month=month)


def text_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return f"{text_date(local.date())} {local:%H:%M}"


def text_deadline(day: date, provisional: bool) -> str:
    """A deadline in running text; a provisional one (counted Monday–Friday in a year without
    holiday schedule) says so."""
    shown = text_date(day)
    if provisional:
        shown += QCoreApplication.translate("Dates", " (provisional)")
    return shown
