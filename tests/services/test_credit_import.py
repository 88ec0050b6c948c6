"""Batch import of credit subjects and records (xlsx and csv, UTF-8 and GBK), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_app.domain.credit import RecordKind, RecordStatus, Severity, SubjectKind, Verdict
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput, SubjectInput
from desktop_app.services.credit.importing import RECORD_COLUMNS, SUBJECT_COLUMNS, write_template
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import RowStatus, normalize_header, parse_date
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.models import AuditEntry
from desktop_app.store.sealing import failing_ids
from tests.builders import company, expert, resident_id, uscc, wrong_check

SUBJECT_HEADERS = ["主体类型", "名称", "统一社会信用代码", "身份证号", "曾用名", "法定代表人", "联系电话"]
RECORD_HEADERS = [
    "主体名称或代码",
    "记录类别",
    "严重程度",
    "事实",
    "依据",
    "决定机关",
    "决定文号",
    "决定日期",
    "公示截止日期",
    "禁入开始日期",
    "禁入截止日期",
    "分值",
]


HUAJIAN = uscc("91440101MA5CXXXX0")
QIHANG = uscc("91440101MA5CQQQQ0")
BAD_USCC = wrong_check(HUAJIAN)
EXPERT_ID = resident_id("11010519800101123")


def write_xlsx(path: Path, rows: list[list[object]], title_rows: int = 0) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(title_rows):
        sheet.append(["信用主体批量导入"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def subject_rows() -> list[list[object]]:
    # Columns in another order than the template, with an extra one that is ignored.
    return [
        ["名称", "备注（不导入）", "主体类型", "统一社会信用代码", "身份证号", "曾用名", "联系电话"],
        ["天河华建建筑工程有限公司", "x", "投标人", HUAJIAN, "", "华建建设集团；天河华建", "13812345678"],
        ["启航招标代理有限公司", "", "代理机构", QIHANG, "", "", ""],
        ["张三丰", "", "评标专家", "", EXPERT_ID.lower(), "", ""],
    ]


def count(services: Services, model: type) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_subjects_xlsx_preview_then_commit(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    rows = subject_rows()
    rows.append(["", "", "", "", "", "", ""])  # a blank line is not a row
    rows.append(["某某公司", "", "投标人", BAD_USCC, "", "", ""])
    rows.append(["某某个人", "", "外星人", "", "", "", ""])
    rows.append(["重复的华建", "", "投标人", HUAJIAN, "", "", ""])
    path = write_xlsx(tmp_path / "主体.xlsx", rows, title_rows=1)
    preview = services.credit_import.preview(leader, "subjects", path)
    assert preview.file_errors == ()
    assert preview.ignored_columns == ("备注(不导入)",)
    assert [(r.row, r.status) for r in preview.rows] == [
        (3, RowStatus.NEW),
        (4, RowStatus.NEW),
        (5, RowStatus.NEW),
        (7, RowStatus.ERROR),
        (8, RowStatus.ERROR),
        (9, RowStatus.ERROR),
    ]
    bad = {r.row: r for r in preview.bad_rows}
    assert bad[7].column == "统一社会信用代码" and "校验位" in bad[7].reason
    assert bad[8].column == "主体类型" and "外星人" in bad[8].reason and "投标人" in bad[8].reason
    assert bad[9].column == "统一社会信用代码" and "第 3 行" in bad[9].reason
    assert "张三丰（1101**********" in preview.rows[2].summary  # the ID number is masked
    assert (preview.new_count, preview.present_count, preview.bad_count) == (3, 0, 3)
    assert not preview.importable(skip_bad=False) and preview.importable(skip_bad=True)
    assert count(services, CreditSubject) == 0  # a preview writes nothing

    refused = services.credit_import.commit(leader, preview, skip_bad=False)
    assert not refused.committed and refused.created == 0 and refused.bad == 3
    assert count(services, CreditSubject) == 0

    report = services.credit_import.commit(leader, preview, skip_bad=True)
    assert report.committed and (report.created, report.present, report.bad) == (3, 0, 3)
    assert count(services, CreditSubject) == 3
    hits = services.credit.search(leader, "华建建设集团").hits
    assert hits and hits[0].name == "天河华建建筑工程有限公司"  # the alias was imported
    with services.db.session() as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.summary).where(AuditEntry.action.like("credit.%"))
        ).all()
    actions = [a for a, _ in entries]
    assert actions.count("credit.subject.create") == 3 and actions[-1] == "credit.import.subjects"
    assert report.sha256 in entries[-1][1] and "主体.xlsx" in entries[-1][1]

    again = services.credit_import.preview(leader, "subjects", path)
    # The row that repeated a code of the file now repeats one on file: skipped, not wrong.
    assert (again.new_count, again.present_count, again.bad_count) == (0, 4, 2)
    assert again.rows[0].reason == "已存在，跳过"
    assert again.rows[-1].reason == "已存在，跳过（档案中名称为“天河华建建筑工程有限公司”）"
    second = services.credit_import.commit(leader, path, skip_bad=True, kind="subjects")
    assert not second.committed and second.created == 0 and second.present == 4
    assert count(services, CreditSubject) == 3


def test_experts_with_number_and_specialty(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    """评标专家 rows take 专家编号 and 专业; a number is one expert's only, and only experts have one."""
    services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.EXPERT, "李四", id_number=resident_id("11010519800101456"), expert_no="Z0009"
        ),
    )
    headers = ["主体类型", "名称", "身份证号", "统一社会信用代码", "专家编号", "专业"]
    rows: list[list[object]] = [
        headers,
        ["评标专家", "张三丰", EXPERT_ID, "", "Z1001", "房屋建筑工程"],
        ["评标专家", "王五", resident_id("11010519800101789"), "", "Z1001", ""],
        ["评标专家", "赵六", resident_id("11010519800101987"), "", "Z0009", ""],
        ["投标人", "天河华建建筑工程有限公司", "", HUAJIAN, "Z2000", ""],
    ]
    preview = services.credit_import.preview(leader, "subjects", write_csv(tmp_path / "专家.csv", rows))
    assert [(r.status, r.column) for r in preview.rows] == [
        (RowStatus.NEW, ""),
        (RowStatus.ERROR, "专家编号"),
        (RowStatus.ERROR, "专家编号"),
        (RowStatus.ERROR, "专家编号"),
    ]
    assert "第 2 行" in preview.rows[1].reason and "李四" in preview.rows[2].reason
    assert "只有评标专家" in preview.rows[3].reason
    services.credit_import.commit(leader, preview, skip_bad=True)
    with services.db.session() as session:
        imported = session.scalars(select(CreditSubject).where(CreditSubject.name == "张三丰")).one()
        assert (imported.expert_no, imported.specialty, imported.pool_status) == (
            "Z1001",
            "房屋建筑工程",
            "active",
        )


def test_csv_in_utf8_and_gbk(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    for encoding in ("utf-8-sig", "gbk"):
        path = write_csv(tmp_path / f"主体-{encoding}.csv", subject_rows(), encoding)
        preview = services.credit_import.preview(leader, "subjects", path)
        assert preview.bad_count == 0, preview.bad_rows
        assert preview.rows[0].summary.startswith("天河华建建筑工程有限公司")
        if encoding == "utf-8-sig":
            assert preview.new_count == 3
            services.credit_import.commit(leader, preview, skip_bad=False)
        else:
            assert preview.present_count == 3  # the same subjects, read from GBK
    assert count(services, CreditSubject) == 3


def test_missing_header_is_a_file_error(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["主体名称或代码", "事实"], [HUAJIAN, "迟到"]])
    preview = services.credit_import.preview(leader, "records", path)
    assert (
        preview.file_errors and "记录类别" in preview.file_errors[0] and "决定日期" in preview.file_errors[0]
    )
    assert preview.rows == () and not preview.importable(True)
    with pytest.raises(ValidationError, match="xls"):
        services.credit_import.preview(leader, "records", tmp_path / "old.xls")
    with pytest.raises(ValidationError, match="找不到文件"):
        services.credit_import.preview(leader, "records", tmp_path / "none.csv")


def test_headers_are_matched_loosely() -> None:
    assert normalize_header(" 主体 类型 ") == "主体类型"
    assert normalize_header("名称＊") == "名称"  # full-width asterisk
    assert normalize_header("决定日期（必填）") == "决定日期"


@pytest.mark.parametrize(
    "value", ["2026-03-01", "2026/3/1", "2026年3月1日", "2026.3.1", "20260301", datetime(2026, 3, 1), 46082]
)
def test_dates(value: object) -> None:
    assert parse_date(value, "决定日期") == date(2026, 3, 1)


def seed_subjects(services: Services, actor: CurrentUser) -> dict[str, int]:
    ids = {}
    ids["huajian"] = company(services, actor, "天河华建建筑工程有限公司", HUAJIAN)
    ids["qihang"] = company(services, actor, "启航招标代理有限公司", QIHANG, kind=SubjectKind.AGENCY)
    ids["zhang"] = expert(services, actor, "张三丰", EXPERT_ID)
    # Two subjects named alike: the short name alone is ambiguous.
    for body in ("91440101MA5CAAAA0", "91440101MA5CBBBB0"):
        company(services, actor, "同名供应商有限公司" + body[-5:], uscc(body), kind=SubjectKind.SUPPLIER)
    company(services, actor, "重名公司甲", uscc("91440101MA5CCCCC0"), kind=SubjectKind.SUPPLIER)
    company(services, actor, "重名公司乙", uscc("91440101MA5CDDDD0"), kind=SubjectKind.SUPPLIER)
    return ids


def record_rows() -> list[list[object]]:
    return [
        RECORD_HEADERS,
        [
            HUAJIAN,
            "禁止入场",
            "一般",
            "串通投标",
            "招标投标法",
            "天河市住建局",
            "天建罚〔2026〕3号",
            "2026/3/1",
            "",
            "2026年3月10日",
            datetime(2026, 9, 9),
            "",
        ],
        [
            "启航招标代理有限公司",
            "不良行为",
            "一般",
            "未按规定提交资料",
            "",
            "",
            "",
            "2026-02-01",
            "2026-08-01",
            "",
            "",
            5,
        ],
        [EXPERT_ID, "良好", "轻微", "评审认真", "", "", "", "2026-01-10", "2026-04-09", "", "", "3"],
        ["不存在的公司", "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-08-01", "", "", ""],
        [HUAJIAN, "严重失信", "严重", "弄虚作假", "", "", "", "2026-02-01", "", "", "", ""],
        [QIHANG, "不良行为", "一般", "迟到", "", "", "", "2026-02-30", "", "", "", ""],
        [QIHANG, "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-01-01", "", "", ""],
        [QIHANG, "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-08-01", "", "", "很多"],
    ]


def test_records_preview_rows_and_columns(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    seed_subjects(services, leader)
    path = write_xlsx(tmp_path / "记录.xlsx", record_rows())
    preview = services.credit_import.preview(leader, "records", path)
    assert [r.status for r in preview.rows[:3]] == [RowStatus.NEW] * 3
    bad = {r.row: (r.column, r.reason) for r in preview.bad_rows}
    assert bad[5][0] == "主体名称或代码" and "不存在的公司" in bad[5][1]
    assert bad[6][0] in ("决定文号", "决定机关") and "文号" in bad[6][1] + bad[6][0]
    assert bad[7] == ("决定日期", "日期“2026-02-30”不存在。")
    assert bad[8][0] == "公示截止日期" and "早于" in bad[8][1]
    assert bad[9][0] == "分值" and "很多" in bad[9][1]
    assert count(services, CreditRecord) == 0


def test_ambiguous_names_and_aliases(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    seed_subjects(services, leader)
    services.credit.create_subject(
        leader, SubjectInput(SubjectKind.BIDDER, "另一家公司", uscc=uscc("91440101MA5CEEEE0"), aliases=())
    )
    from desktop_app.services.credit import AliasInput

    services.credit.create_subject(
        leader,
        SubjectInput(
            SubjectKind.BIDDER,
            "改名后的公司",
            uscc=uscc("91440101MA5CFFFF0"),
            aliases=(AliasInput("重名公司甲"),),
        ),
    )
    path = write_csv(
        tmp_path / "r.csv",
        [
            RECORD_HEADERS,
            ["重名公司甲", "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-08-01", "", "", ""],
            ["重名公司乙", "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-08-01", "", "", ""],
            ["重名公司", "不良行为", "一般", "迟到", "", "", "", "2026-02-01", "2026-08-01", "", "", ""],
        ],
    )
    preview = services.credit_import.preview(leader, "records", path)
    first, second, third = preview.rows
    assert first.status == RowStatus.ERROR and "2 个主体" in first.reason  # a name and another's alias
    assert second.status == RowStatus.NEW and second.summary.startswith("重名公司乙")
    assert third.status == RowStatus.ERROR and "没有名称" in third.reason  # a part of a name is not enough


def test_leader_import_confirms_supervisor_waits(
    services: Services, leader: CurrentUser, supervisor: CurrentUser, tmp_path: Path
) -> None:
    seed_subjects(services, leader)
    rows = record_rows()[:4]
    path = write_xlsx(tmp_path / "记录.xlsx", rows)
    report = services.credit_import.commit(
        supervisor, services.credit_import.preview(supervisor, "records", path), False
    )
    assert report.committed and report.created == 3 and report.pending == 1
    with services.db.session() as session:
        statuses = dict(session.execute(select(CreditRecord.kind, CreditRecord.status)).all())
        sources = set(session.scalars(select(CreditRecord.source)))
    assert statuses == {"ban": "pending", "bad": "confirmed", "good": "confirmed"}
    assert sources == {"import"}
    sid = services.credit.search(leader, HUAJIAN).hits[0].subject_id
    assert services.credit.assess(sid, date(2026, 5, 1)).verdict != Verdict.BANNED
    # Re-importing (by the leader) creates nothing new.
    again = services.credit_import.commit(leader, path, skip_bad=False, kind="records")
    assert not again.committed and again.present == 3 and count(services, CreditRecord) == 3

    # A leader's own import counts at once.
    other = tmp_path / "记录2.xlsx"
    ban = list(rows[1])
    ban[6] = "天建罚〔2026〕9号"
    write_xlsx(other, [RECORD_HEADERS, ban])
    made = services.credit_import.commit(
        leader, services.credit_import.preview(leader, "records", other), False
    )
    assert made.created == 1 and made.pending == 0
    record = services.credit.record(made.created_ids[0])
    assert record.status == RecordStatus.CONFIRMED and record.confirmed_by == "leader1"
    assert services.credit.assess(sid, date(2026, 5, 1)).verdict == Verdict.BANNED
    # Imported rows are sealed like rows saved one by one (issue 10, item 3).
    with services.db.session() as session:
        assert failing_ids(session, CreditSubject) == [] and failing_ids(session, CreditRecord) == []


def test_duplicate_rows_in_one_file_and_existing_records(
    services: Services, leader: CurrentUser, tmp_path: Path
) -> None:
    ids = seed_subjects(services, leader)
    services.credit.add_record(
        leader,
        RecordInput(
            ids["qihang"],
            RecordKind.BAD,
            Severity.GENERAL,
            date(2026, 2, 1),
            facts="未按规定提交资料",
            publicity_end=date(2026, 8, 1),
        ),
    )
    rows = [RECORD_HEADERS, record_rows()[2], record_rows()[3], record_rows()[3]]
    preview = services.credit_import.preview(leader, "records", write_csv(tmp_path / "r.csv", rows))
    assert [(r.status, r.reason) for r in preview.rows] == [
        (RowStatus.PRESENT, "已存在，跳过"),
        (RowStatus.NEW, ""),
        (RowStatus.PRESENT, "与第 3 行是同一条记录，跳过"),
    ]


def test_permission_and_file_changed(
    services: Services, leader: CurrentUser, clerk: CurrentUser, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "s.csv", subject_rows())
    with pytest.raises(PermissionDenied):
        services.credit_import.preview(clerk, "subjects", path)
    preview = services.credit_import.preview(leader, "subjects", path)
    with pytest.raises(PermissionDenied):
        services.credit_import.commit(clerk, preview, skip_bad=False)
    write_csv(path, subject_rows()[:2])
    with pytest.raises(ValidationError, match="预览之后被修改"):
        services.credit_import.commit(leader, preview, skip_bad=False)
    assert count(services, CreditSubject) == 0


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_round_trip(services: Services, leader: CurrentUser, tmp_path: Path, suffix: str) -> None:
    subjects = write_template("subjects", tmp_path / f"主体模板{suffix}")
    records = write_template("records", tmp_path / f"记录模板{suffix}")
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(subjects)
        assert book.sheetnames == ["信用主体", "说明"]
        data = book["信用主体"]
        assert [c.value for c in data[1]] == [s.header for s in SUBJECT_COLUMNS]
        assert data.max_row == 1  # the example lives in 说明, not in the data sheet
        assert data["A1"].font.bold and data.column_dimensions["B"].width >= 30
        assert data.column_dimensions["C"].number_format == "@"  # codes typed stay text
        notes = [row for row in book["说明"].iter_rows(values_only=True) if row[0]]
        assert any(row[0] == "统一社会信用代码" and "18 位" in row[2] for row in notes)
        data.append(
            ["投标人", "天河华建建筑工程有限公司", HUAJIAN, None, "华建建设集团", "张三", "13812345678"]
        )
        book.save(subjects)
        book = openpyxl.load_workbook(records)
        assert [c.value for c in book.worksheets[0][1]] == [s.header for s in RECORD_COLUMNS]
        book.worksheets[0].append(
            [HUAJIAN, "不良行为", "一般", "迟到", None, None, None, datetime(2026, 2, 1)]
        )
        book.save(records)
    else:
        with subjects.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(
                ["投标人", "天河华建建筑工程有限公司", HUAJIAN, "", "华建建设集团", "张三", ""]
            )
        with records.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow([HUAJIAN, "不良行为", "一般", "迟到", "", "", "", "2026-02-01"])
    preview = services.credit_import.preview(leader, "subjects", subjects)
    assert (preview.new_count, preview.bad_count, preview.file_errors) == (1, 0, ()), preview.bad_rows
    assert services.credit_import.commit(leader, preview, skip_bad=False).created == 1
    preview = services.credit_import.preview(leader, "records", records)
    assert (preview.new_count, preview.bad_count) == (1, 0), preview.bad_rows
    assert services.credit_import.commit(leader, preview, skip_bad=False).created == 1


def test_a_large_file_imports_in_one_go(services: Services, leader: CurrentUser, tmp_path: Path) -> None:
    rows: list[list[object]] = [SUBJECT_HEADERS]
    # 2,000 rows keep the suite quick; 10,000 were measured by hand (see the import module's notes).
    for n in range(2_000):
        body = f"9144010{n:06d}MA5C"[:17]
        rows.append(["投标人", f"测试建设工程第{n}号有限公司", uscc(body), "", "", "", ""])
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    # How long it takes is measured in benchmarks/import_lock_bench.py, not asserted here.
    preview = services.credit_import.preview(leader, "subjects", path)
    report = services.credit_import.commit(leader, preview, skip_bad=False)
    assert report.created == 2_000, preview.bad_rows[:3]


def test_a_commendation_needs_no_severity_but_bad_conduct_does(
    services: Services, leader: CurrentUser, tmp_path: Path
) -> None:
    """良好 is not graded: an empty 严重程度 is accepted for it (the catalogue lists it as "none"),
    while a bad-behaviour row without one is refused at that column."""
    seed_subjects(services, leader)
    rows = [
        RECORD_HEADERS,
        [
            HUAJIAN,
            "良好",
            "",
            "获评守信激励对象",
            "",
            "天河市公共资源交易中心",
            "",
            "2026-01-10",
            "",
            "",
            "",
            "",
        ],
        [QIHANG, "不良行为", "", "迟到", "", "", "", "2026-02-01", "", "", "", ""],
    ]
    preview = services.credit_import.preview(leader, "records", write_csv(tmp_path / "r.csv", rows))
    assert [r.status for r in preview.rows] == [RowStatus.NEW, RowStatus.ERROR]
    assert preview.rows[1].column == "严重程度" and "请填写严重程度" in preview.rows[1].reason
    report = services.credit_import.commit(leader, preview, skip_bad=True)
    assert report.created == 1
    with services.db.session() as session:
        good = session.scalars(select(CreditRecord)).one()
    assert (good.kind, good.severity, good.points) == ("good", "none", 3)
    assert good.publicity_end == date(2027, 1, 9)  # the catalogue's 12 months for good records
