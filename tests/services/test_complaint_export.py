"""Export of a filtered list of complaints to .xlsx: masked by default, in clear only for someone with
the right who gives a reason (audited without the data), Chinese headers, dates as dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from desktop_app.domain.complaints import Category, Channel, IdType
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.complaints import ComplaintFilter, ListOrder
from desktop_app.services.complaints.export import HEADERS
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from tests.builders import audit_entries, resident_id
from tests.complaint_builders import People, people, phone_complaint

ID_NUMBER = resident_id("11010519491231002")
ADDRESS = "天河市滨江路18号3栋502室"


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    crew = people(services, admin)
    for i, (received, category) in enumerate(
        [
            ("2026-11-02T09:15", Category.EFFICIENCY),
            ("2026-11-10T14:40", Category.ATTITUDE),
            ("2026-11-17T16:05", Category.ATTITUDE),
        ]
    ):
        data = phone_complaint(
            at(received),
            phone=f"1391234{i:04d}",
            category=category,
            id_type=IdType.RESIDENT,
            id_number=ID_NUMBER,
            address=ADDRESS,
            facts='=HYPERLINK("http://x") 窗口工作人员态度生硬'
            if i == 2
            else f"第{i}件：办事拖延，多次往返。",
        )
        services.complaints.register(crew.clerk, data, receipt=False)
    return crew


def _sheet(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(r) for r in book.active.iter_rows(values_only=True)]


def test_masked_by_default_with_title_headers_and_dates(
    services: Services, crew: People, tmp_path: Path
) -> None:
    path = tmp_path / "list.xlsx"
    where = ComplaintFilter(categories=frozenset({Category.ATTITUDE}))
    count = services.complaints.export_xlsx(crew.clerk, where, ListOrder("received_at", False), path)
    assert count == 2
    rows = _sheet(path)
    title, subtitle, headers, *body = rows
    assert "投诉列表" in str(title[0]) and "类别：服务态度" in str(title[0])
    assert (
        "肖晓雨" in str(subtitle[0])
        and "2026年11月18日" in str(subtitle[0])
        and "共 2 件" in str(subtitle[0])
    )
    assert headers == HEADERS and headers[:3] == ("投诉编号", "收到时间", "渠道")
    assert [r[0] for r in body] == ["TS2026-000002", "TS2026-000003"]
    first = dict(zip(headers, body[0], strict=True))
    # Dates are dates, in the hall's wall-clock time.
    assert first["收到时间"] == datetime(2026, 11, 10, 14, 40)
    assert isinstance(first["办结期限"], datetime) and first["办结期限"].date() == date(2026, 11, 17)
    assert first["渠道"] == "电话" and first["类别"] == "服务态度" and first["状态"] == "登记"
    assert first["联系电话"] == "139****0001"
    assert first["证件号码"] != ID_NUMBER and "*" in str(first["证件号码"])
    assert first["地址"] != ADDRESS
    flat = str(rows)
    assert ID_NUMBER not in flat and "13912340001" not in flat and ADDRESS not in flat
    # A text that would be a formula stays text.
    assert str(body[1][headers.index("投诉事项")]).startswith("'=HYPERLINK")
    entry = audit_entries(services.db, "complaint.export")[-1]
    assert entry["rows"] == 2 and entry["filter"] == "类别：服务态度"
    assert not audit_entries(services.db, "complaint.export.unmasked")


def test_clear_only_with_the_right_and_a_reason_and_audited_without_the_data(
    services: Services, crew: People, tmp_path: Path
) -> None:
    path = tmp_path / "clear.xlsx"
    with pytest.raises(PermissionDenied):
        services.complaints.export_xlsx(
            crew.clerk, ComplaintFilter(), ListOrder(), path, reveal_reason="核对"
        )
    assert not path.exists()
    assert crew.leader.can(Permission.UNMASK_PERSONAL_DATA)
    with pytest.raises(ValidationError) as refused:
        services.complaints.export_xlsx(crew.leader, ComplaintFilter(), ListOrder(), path, reveal_reason=" ")
    assert refused.value.field == "reason" and not path.exists()

    count = services.complaints.export_xlsx(
        crew.leader, ComplaintFilter(), ListOrder(), path, reveal_reason="12345 回访核对联系方式"
    )
    assert count == 3
    _title, subtitle, headers, *body = _sheet(path)
    assert "个人信息：完整" in str(subtitle[0])
    phones = [r[headers.index("联系电话")] for r in body]
    assert phones == ["13912340002", "13912340001", "13912340000"]  # newest first
    assert {r[headers.index("证件号码")] for r in body} == {ID_NUMBER}
    assert {r[headers.index("地址")] for r in body} == {ADDRESS}
    entry = audit_entries(services.db, "complaint.export.unmasked")[-1]
    assert entry["rows"] == 3 and entry["reason"] == "12345 回访核对联系方式"
    assert entry["username"] == "tsleader"
    assert ID_NUMBER not in str(entry) and "1391234" not in str(entry) and ADDRESS not in str(entry)


def test_a_filter_that_matches_nothing_writes_the_headers_only(
    services: Services, crew: People, tmp_path: Path
) -> None:
    path = tmp_path / "none"  # the extension is added
    where = ComplaintFilter(channels=frozenset({Channel.LETTER}), overdue=True, text="无此事")
    assert services.complaints.export_xlsx(crew.clerk, where, ListOrder(), path) == 0
    rows = _sheet(tmp_path / "none.xlsx")
    assert len(rows) == 3 and rows[2] == HEADERS
    assert "渠道：信函；逾期未办结；关键词：无此事" in str(rows[0][0])
