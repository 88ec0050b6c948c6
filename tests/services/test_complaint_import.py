"""Import of 12345 transfers: .xlsx, .csv and JSON lines through the intake's own checks; bad rows by row
and column; nothing imported while a row is bad unless skipped; 被投诉对象 resolved or refused with
its candidates; numbers in file order; no receipt; a second import of the same file creates nothing."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_app.domain.complaints import Channel, RespondentKind, State
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.complaints.importing import parse_received_at, write_template
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import RowError
from desktop_app.store.complaint_models import Complaint
from desktop_app.store.models import AuditEntry
from tests.builders import company, resident_id, uscc
from tests.complaint_builders import People, department_id, people

HEADERS = [
    "渠道",
    "收到时间",
    "投诉人",
    "联系电话",
    "身份证号",
    "被投诉对象",
    "类别",
    "时限类别",
    "事实",
    "诉求",
]
HUAJIAN = uscc("91440101MA5CXXXX0")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def row(**changes: object) -> list[object]:
    base: dict[str, object] = {
        "渠道": "12345转办",
        "收到时间": "2026-11-17 09:30",
        "投诉人": "李四",
        "联系电话": "13912345678",
        "身份证号": "",
        "被投诉对象": "评审科",
        "类别": "服务态度",
        "时限类别": "一般",
        "事实": "评审科工作人员接听电话态度生硬。",
        "诉求": "要求道歉",
    }
    base.update(changes)
    return [base[h] for h in HEADERS]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["12345政务服务便民热线转办单"])  # a title line above the headers
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[list[object]]) -> Path:
    lines = [json.dumps(dict(zip(HEADERS, values, strict=True)), ensure_ascii=False) for values in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def case_count(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Complaint)) or 0)


@pytest.mark.parametrize("writer", [write_xlsx, write_csv, write_jsonl], ids=["xlsx", "csv", "jsonl"])
def test_each_format_imports_the_transfers_numbered_in_file_order(
    services: Services, crew: People, tmp_path: Path, writer: object
) -> None:
    suffix = {write_xlsx: ".xlsx", write_csv: ".csv", write_jsonl: ".jsonl"}[writer]  # type: ignore[index]
    subject = company(services, crew.leader, name="天河华建建筑工程有限公司", code=HUAJIAN)
    rows = [
        row(),
        row(
            投诉人="",
            联系电话="",
            被投诉对象="王五",
            事实="王五办理业务时推诿。",
            类别="推诿拖延",
            时限类别="简易",
        ),
        row(被投诉对象=HUAJIAN, 事实="该公司在开标现场扰乱秩序。", 时限类别="复杂", 投诉人="赵六"),
        row(被投诉对象="天河华建建筑工程有限公司", 事实="同一公司另一事。", 时限类别="3"),
        row(被投诉对象="3号窗口", 事实="3号窗口午休提前离岗。", 身份证号=resident_id("11010519491231002")),
    ]
    path = writer(tmp_path / f"transfers{suffix}", rows)  # type: ignore[operator]
    report, cases = services.complaint_import.import_file(crew.clerk, path, skip_bad=False)
    assert report.committed and report.created == 5 and report.bad == 0
    assert [c.number for c in cases] == [f"TS2026-{n:06d}" for n in range(1, 6)]
    assert [c.row for c in cases] == (
        [3, 4, 5, 6, 7] if suffix == ".xlsx" else [2, 3, 4, 5, 6] if suffix == ".csv" else [1, 2, 3, 4, 5]
    )
    # Received Tuesday 17 November: 一般 5 → 24 November, 简易 2 → 19 November, 复杂 10 → 1 December.
    assert [c.deadline for c in cases] == [
        date(2026, 11, 24),
        date(2026, 11, 19),
        date(2026, 12, 1),
        date(2026, 11, 20),
        date(2026, 11, 24),
    ]
    assert not any(c.provisional for c in cases)
    first = services.complaints.find(crew.clerk, cases[0].number)
    assert first.channel is Channel.HOTLINE and first.state is State.REGISTERED
    assert first.respondent_kind is RespondentKind.DEPARTMENT and first.department_id == crew.department_id
    assert first.phone_masked == "139****5678" and first.receipt_numbers == ()  # transfers: no receipt
    assert first.received_at == datetime.fromisoformat("2026-11-17T09:30:00+08:00")
    second = services.complaints.find(crew.clerk, cases[1].number)
    assert second.anonymous and second.respondent_staff_id == crew.respondent_staff_id
    third = services.complaints.find(crew.clerk, cases[2].number)
    assert third.respondent_subject_id == subject and third.time_limit_days == 10
    assert services.complaints.find(crew.clerk, cases[3].number).respondent_subject_id == subject
    fifth = services.complaints.find(crew.clerk, cases[4].number)
    assert fifth.respondent_kind is RespondentKind.WINDOW and fifth.id_number_masked == "1101**********002X"
    with services.db.session() as session:
        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("complaint.%")))
        )
    assert actions.count("complaint.register") == 5 and actions.count("complaint.import.complaints") == 1
    with services.db.session() as session:
        summaries = " ".join(session.scalars(select(AuditEntry.summary)))
    assert "13912345678" not in summaries  # personal data never reaches the audit log

    again, created = services.complaint_import.import_file(crew.clerk, path, skip_bad=False)
    assert not again.committed and again.present == 5 and created == []
    assert all("已登记为 TS2026-" in r.reason for r in again.rows)
    assert case_count(services) == 5


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_imported(
    services: Services, crew: People, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            row(),
            row(联系电话="12345", 类别="态度不好", 事实="第二件"),
            row(收到时间="去年冬天", 事实="第三件"),
            row(联系电话="1381234567", 事实=""),
            row(被投诉对象="不存在的人", 事实="第五件"),
            row(收到时间="2027-01-05 09:00", 事实="第六件"),
            row(渠道="传真", 事实="第七件"),
        ],
    )
    report, cases = services.complaint_import.import_file(crew.clerk, path, skip_bad=False)
    assert not report.committed and cases == [] and case_count(services) == 0
    bad = {r.row: (r.column, r.reason) for r in report.bad_rows}
    assert set(bad) == {4, 5, 6, 7, 8, 9}
    assert bad[4][0] == "类别" and "态度不好" in bad[4][1]
    assert bad[5][0] == "收到时间" and "去年冬天" in bad[5][1]
    assert bad[6][0] == "联系电话、事实"  # both refusals of the intake, each named by its column
    assert "找不到“不存在的人”" in bad[7][1] and bad[7][0] == "被投诉对象"
    assert bad[8][0] == "收到时间" and "晚于现在" in bad[8][1]
    assert bad[9][0] == "渠道" and "传真" in bad[9][1]

    skipped, created = services.complaint_import.import_file(crew.clerk, path, skip_bad=True)
    assert skipped.committed and skipped.created == 1 and skipped.bad == 6
    assert [c.number for c in created] == ["TS2026-000001"]


def test_a_staff_name_must_name_one_active_person(
    services: Services, crew: People, admin: CurrentUser, tmp_path: Path
) -> None:
    services.organisation.save_staff(
        admin, employee_no="E-wang2", name="王五", department_id=department_id(services, "财务科")
    )
    path = write_csv(
        tmp_path / "staff.csv",
        [
            row(被投诉对象="王五", 事实="重名"),
            row(被投诉对象="王五（财务科）", 事实="写明科室"),
            row(被投诉对象="王五（信息科）", 事实="科室不对"),
        ],
    )
    preview = services.complaint_import.preview(crew.clerk, "complaints", path)
    first, second, third = preview.rows
    assert first.bad and first.column == "被投诉对象"
    assert "2 位“王五”" in first.reason and "王五（评审科，工号 E-resp）" in first.reason
    assert "王五（财务科，工号 E-wang2）" in first.reason
    assert not second.bad
    assert third.bad and "信息科没有名为“王五”" in third.reason


def test_a_company_name_shared_by_two_subjects_is_refused_with_both(
    services: Services, crew: People, tmp_path: Path
) -> None:
    other = uscc("91440101MA5CQQQQ0")
    company(services, crew.leader, name="天河宏达建设有限公司", code=HUAJIAN)
    company(services, crew.leader, name="天河宏达建设有限公司", code=other)
    path = write_jsonl(tmp_path / "twins.jsonl", [row(被投诉对象="天河宏达建设有限公司")])
    preview = services.complaint_import.preview(crew.clerk, "complaints", path)
    (only,) = preview.rows
    assert only.bad and HUAJIAN in only.reason and other in only.reason
    unknown = write_jsonl(tmp_path / "unknown.jsonl", [row(被投诉对象=uscc("91440101MA5CYYYY0"))])
    (missing,) = services.complaint_import.preview(crew.clerk, "complaints", unknown).rows
    assert missing.bad and "没有统一社会信用代码为" in missing.reason


def test_json_lines_file_faults_and_rights(
    services: Services, crew: People, admin: CurrentUser, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"事实": "a"}, ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="第 2 行不是有效的 JSON"):
        services.complaint_import.preview(crew.clerk, "complaints", broken)
    missing = write_jsonl(tmp_path / "few.jsonl", [row()])
    missing.write_text(json.dumps({"投诉人": "李四"}, ensure_ascii=False) + "\n", encoding="utf-8")
    preview = services.complaint_import.preview(crew.clerk, "complaints", missing)
    assert preview.file_errors and "收到时间" in preview.file_errors[0]
    with pytest.raises(PermissionDenied):
        services.complaint_import.preview(admin, "complaints", missing)
    other = tmp_path / "x.txt"
    other.write_text("渠道\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"\.xlsx、\.csv 或 \.jsonl"):
        services.complaint_import.preview(crew.clerk, "complaints", other)


def test_received_at_forms_and_the_template(tmp_path: Path) -> None:
    expected = datetime.fromisoformat("2026-03-01T09:05:00+08:00")
    for text in ("2026-03-01 09:05", "2026/3/1 9:05", "2026年3月1日 9时5分", "2026-03-01T09:05:00+08:00"):
        assert parse_received_at(text) == expected, text
    assert parse_received_at(datetime(2026, 3, 1, 9, 5)) == expected
    assert parse_received_at(date(2026, 3, 1)) == datetime.fromisoformat("2026-03-01T00:00:00+08:00")
    with pytest.raises(RowError):
        parse_received_at("2026-02-30 10:00")
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
