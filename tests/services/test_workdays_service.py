"""The working-day calendar as a service (DOMAIN.md §5): the seed checked against DOMAIN.md literally,
deadlines for other modules inside their transaction, the system admin's edits (validated at the
field, audited, stale edits refused, seen by the next deadline on this and another workstation), and
the import of a year (preview, row-level errors, nothing while a row is bad). SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from desktop_app import paths
from desktop_app.domain.errors import PermissionDenied, StaleEdit, ValidationError, ValidationErrors
from desktop_app.domain.workdays import DayKind, Deadline
from desktop_app.services.calendar import DayInput, calendar_in, deadline_in, write_template
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from tests.builders import audit_actions, audit_entries, chain_intact
from tests.conftest import open_test_database

# DOMAIN.md §5, literally.
OFF_2026 = "1/1–1/3, 2/15–2/23, 4/4–4/6, 5/1–5/5, 6/19–6/21, 9/25–9/27, 10/1–10/7"
WORK_2026 = "1/4, 2/14, 2/28, 5/9, 9/20, 10/10"


def days_of(text: str) -> set[date]:
    found: set[date] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("–")
        start = date(2026, *map(int, first.split("/")))
        end = date(2026, *map(int, (last or first).split("/")))
        while start <= end:
            found.add(start)
            start += timedelta(days=1)
    return found


def test_the_2026_seed_is_domain_md(services: Services) -> None:
    schedule = services.calendar.year(2026)
    off = {d.day for d in schedule.days if d.kind == DayKind.OFF}
    work = {d.day for d in schedule.days if d.kind == DayKind.WORK}
    assert off == days_of(OFF_2026)
    assert work == days_of(WORK_2026)
    assert all(d.name for d in schedule.days)
    assert {d.name for d in schedule.days} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }
    assert services.calendar.year(2025).has_schedule
    assert services.calendar.scheduled_years() == [2025, 2026]
    assert not services.calendar.year(2027).has_schedule


def test_the_2025_seed_knows_its_holidays(services: Services) -> None:
    calendar = services.calendar.calendar()
    assert not calendar.is_working_day(date(2025, 10, 8))  # 国庆节、中秋节 together: eight days
    assert calendar.is_working_day(date(2025, 9, 28)) and calendar.is_working_day(date(2025, 10, 11))
    assert calendar.is_working_day(date(2025, 1, 26)) and not calendar.is_working_day(date(2025, 2, 4))


def test_deadlines_for_other_modules(services: Services, database: Database) -> None:
    hall = ZoneInfo("Asia/Shanghai")
    with database.session() as session:
        assert deadline_in(session, database, date(2026, 9, 30), 5) == Deadline(date(2026, 10, 13), False)
        late_friday = datetime(2026, 2, 13, 17, 55, tzinfo=hall)
        assert deadline_in(session, database, late_friday, 2) == Deadline(date(2026, 2, 24), False)
        assert deadline_in(session, database, date(2026, 12, 30), 2) == Deadline(date(2027, 1, 1), True)
        # One read per transaction.
        assert calendar_in(session, database) is calendar_in(session, database)
    assert services.calendar.deadline(date(2026, 4, 30), 4) == Deadline(date(2026, 5, 9), False)
    with pytest.raises(ValidationError):
        services.calendar.deadline(date(2026, 4, 30), 0)
    with pytest.raises(ValidationError):
        services.calendar.deadline(date(2026, 4, 30), 1001)


def test_the_admin_lists_changes_and_removes_a_day(
    services: Services, database: Database, admin: CurrentUser
) -> None:
    assert services.calendar.deadline(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 1), True)
    # 2027's schedule begins: New Year's Day off; 2027 is no longer provisional.
    added = services.calendar.save_day(admin, DayInput(date(2027, 1, 1), DayKind.OFF, " 元旦 "))
    assert (added.day, added.kind, added.name, added.updated_by) == (
        date(2027, 1, 1),
        DayKind.OFF,
        "元旦",
        admin.username,
    )
    assert services.calendar.deadline(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), False)
    assert services.calendar.scheduled_years() == [2025, 2026, 2027]

    # A make-up Saturday added to 2026: a deadline counts it.
    assert services.calendar.deadline(date(2026, 12, 11), 1) == Deadline(date(2026, 12, 14), False)
    saturday = services.calendar.save_day(admin, DayInput(date(2026, 12, 12), DayKind.WORK, "测试调休"))
    assert services.calendar.deadline(date(2026, 12, 11), 1) == Deadline(date(2026, 12, 12), False)

    changed = services.calendar.save_day(
        admin, DayInput(date(2026, 12, 13), DayKind.WORK, "测试调休"), saturday.id, saturday.version
    )
    assert changed.day == date(2026, 12, 13) and changed.version == saturday.version + 1
    with pytest.raises(StaleEdit):
        services.calendar.save_day(
            admin, DayInput(date(2026, 12, 12), DayKind.WORK, "测试"), saturday.id, saturday.version
        )
    services.calendar.remove_day(admin, changed.id, changed.version)
    services.calendar.remove_day(admin, added.id, added.version)
    assert services.calendar.deadline(date(2026, 12, 11), 1) == Deadline(date(2026, 12, 14), False)
    assert services.calendar.deadline(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 1), True)

    assert audit_actions(database)[-5:] == [
        "calendar.day.create",
        "calendar.day.create",
        "calendar.day.update",
        "calendar.day.delete",
        "calendar.day.delete",
    ]
    [update] = audit_entries(database, "calendar.day.update")
    assert update["day"] == ["2026-12-12", "2026-12-13"] and update["username"] == admin.username
    assert chain_intact(database)


def test_a_change_on_another_workstation_is_seen_by_the_next_deadline(
    services: Services, database: Database, admin: CurrentUser, isolated_home: paths.Locations
) -> None:
    assert services.calendar.deadline(date(2026, 12, 11), 1).day == date(2026, 12, 14)
    other = open_test_database(database.url, isolated_home, "ws-other")
    try:
        Services(other).calendar.save_day(admin, DayInput(date(2026, 12, 14), DayKind.OFF, "测试放假"))
    finally:
        other.dispose()
    assert services.calendar.deadline(date(2026, 12, 11), 1).day == date(2026, 12, 15)


def test_every_fault_of_a_day_is_reported_at_its_field(services: Services, admin: CurrentUser) -> None:
    with pytest.raises(ValidationErrors) as caught:
        services.calendar.save_day(admin, DayInput(None, None, ""))
    assert [e.field for e in caught.value.errors] == ["day", "kind", "name"]
    with pytest.raises(ValidationError) as weekday:
        services.calendar.save_day(admin, DayInput(date(2026, 12, 15), DayKind.WORK, "调休"))
    assert weekday.value.field == "kind" and "周六或周日" in weekday.value.message
    with pytest.raises(ValidationError) as taken:
        services.calendar.save_day(admin, DayInput(date(2026, 10, 1), DayKind.OFF, "国庆节"))
    assert taken.value.field == "day" and "已登记" in taken.value.message
    with pytest.raises(ValidationError) as long_name:
        services.calendar.save_day(admin, DayInput(date(2026, 12, 19), DayKind.OFF, "长" * 31))
    assert long_name.value.field == "name"


def test_only_the_system_admin_edits(services: Services, leader: CurrentUser) -> None:
    with pytest.raises(PermissionDenied):
        services.calendar.save_day(leader, DayInput(date(2027, 1, 1), DayKind.OFF, "元旦"))
    [first] = services.calendar.year(2026).days[:1]
    with pytest.raises(PermissionDenied):
        services.calendar.remove_day(leader, first.id, first.version)


# -- importing a year ----------------------------------------------------------------------------
SCHEDULE_2027 = [
    ["日期", "类型", "名称"],
    ["2027-01-01", "休", "元旦"],
    ["2027/1/2", "休", "元旦"],
    ["2027年1月3日", "休", "元旦"],
    ["2027-02-06", "休", "春节"],
    ["2027-02-20", "班", "春节"],
]


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_year_is_imported_from_csv(
    services: Services, database: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "2027.csv", [*SCHEDULE_2027, ["2026-10-01", "休", "国庆节"]])
    preview = services.calendar_import.preview(admin, "days", source)
    assert [r.status.value for r in preview.rows] == ["new"] * 5 + ["present"]
    assert preview.rows[0].summary == "2027-01-01 休 元旦"
    assert not services.calendar.year(2027).has_schedule  # a preview writes nothing
    report = services.calendar_import.commit(admin, preview, skip_bad=False)
    assert report.committed and (report.created, report.present) == (5, 1)
    schedule = services.calendar.year(2027)
    assert [(d.day, d.kind) for d in schedule.days][-1] == (date(2027, 2, 20), DayKind.WORK)
    assert services.calendar.deadline(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), False)
    [entry] = audit_entries(database, "calendar.import.days")
    assert (entry["created"], entry["present"], entry["kind"]) == (5, 1, "days")
    # Again: everything is there already.
    again = services.calendar_import.commit(admin, source, skip_bad=False, kind="days")
    assert not again.committed and again.present == 6


def test_nothing_is_imported_while_a_row_is_bad(
    services: Services, admin: CurrentUser, tmp_path: Path
) -> None:
    rows = [
        *SCHEDULE_2027,
        ["2027-02-22", "班", "春节"],  # a Monday
        ["2027-13-01", "休", "春节"],
        ["2027-02-07", "上午", "春节"],
        ["2027-02-08", "休", ""],
        ["2027-01-01", "休", "元旦"],  # the same day twice
        ["2026-10-10", "班", "中秋节"],  # listed otherwise
    ]
    source = write_csv(tmp_path / "有误.csv", rows)
    preview = services.calendar_import.preview(admin, "days", source)
    bad = {r.row: (r.column, r.reason) for r in preview.bad_rows}
    assert sorted(bad) == [7, 8, 9, 10, 11, 12]
    assert bad[7][0] == "类型" and "周六或周日" in bad[7][1]
    assert bad[8] == ("日期", "日期“2027-13-01”不存在。")
    assert bad[9][0] == "类型" and "“上午”无效" in bad[9][1]
    assert bad[10][0] == "名称"
    assert bad[11] == ("日期", "与第 2 行是同一天。")
    assert bad[12][0] == "日期" and "已登记为“班”（国庆节）" in bad[12][1]
    report = services.calendar_import.commit(admin, preview, skip_bad=False)
    assert not report.committed and not services.calendar.year(2027).has_schedule
    skipped = services.calendar_import.commit(admin, preview, skip_bad=True)
    assert skipped.committed and skipped.created == 5 and skipped.bad == 6


def test_a_year_is_imported_from_the_xlsx_template(
    services: Services, admin: CurrentUser, leader: CurrentUser, tmp_path: Path
) -> None:
    template = write_template(tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["日期", "类型", "名称"]
    sheet.append([datetime(2027, 1, 1), "休", "元旦"])
    sheet.append([date(2027, 2, 20), "班", "春节"])
    book.save(template)
    with pytest.raises(PermissionDenied):
        services.calendar_import.preview(leader, "days", template)
    report = services.calendar_import.commit(admin, template, skip_bad=False, kind="days")
    assert report.committed and report.created == 2


def test_the_system_admin_is_reminded_of_a_missing_schedule(
    services: Services, admin: CurrentUser, leader: CurrentUser, fixed_clock: Any
) -> None:
    def reminder(actor: CurrentUser) -> tuple[int, str] | None:
        found = [i for i in services.todo.items(actor) if i.key == "calendar.schedule"]
        return (found[0].count, found[0].target) if found else None

    assert services.db.today() == date(2026, 11, 18)  # October on: next year's schedule is due
    assert reminder(admin) == (1, "calendar:2027")
    assert reminder(leader) is None
    services.calendar.save_day(admin, DayInput(date(2027, 1, 1), DayKind.OFF, "元旦"))
    assert reminder(admin) == (0, "calendar")
    fixed_clock.advance(timedelta(days=800))  # 2029-01: this year's schedule missing, next not due yet
    assert reminder(admin) == (1, "calendar:2029")
