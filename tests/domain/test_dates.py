"""Dates on paper: 2026年12月6日, the local day of an instant, and periods."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desktop_app.domain.dates import chinese_date, chinese_datetime, chinese_period


def test_documents_write_dates_the_chinese_way() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_period(date(2026, 3, 10), date(2027, 3, 9)) == "2026年3月10日至2027年3月9日"
    assert chinese_period(date(2026, 3, 10), None) == "2026年3月10日起"


def test_an_instant_is_written_in_the_halls_day() -> None:
    # 16:30 UTC on 31 December is already 1 January in the hall (the suite runs in Asia/Shanghai).
    late = datetime(2026, 12, 31, 16, 30, 5, tzinfo=UTC)
    assert chinese_datetime(late) == "2027年1月1日 00:30"
    assert chinese_datetime(late, seconds=True) == "2027年1月1日 00:30:05"
