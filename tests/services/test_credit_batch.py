"""批量核验: a bid opening's list checked at once (SQLite and PostgreSQL), and ``certify`` of one query."""

from __future__ import annotations

import csv
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop_app.domain.credit import Verdict
from desktop_app.domain.errors import Conflict, PermissionDenied, ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import (
    BatchPreview,
    Decision,
    LineState,
    UndecidedQuery,
    write_list_template,
)
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import RowStatus
from desktop_app.store.credit_models import EntryCheck
from desktop_app.store.notice_models import IssuedNotice
from tests.builders import (
    audit_actions,
    audit_entries,
    bad,
    ban,
    born_on,
    chain_intact,
    company,
    company_code,
    expert,
    last_audit_seq,
)

ON = date(2026, 5, 6)  # inside the ban of tests.builders.ban
HEADERS = ["序号", "名称", "统一社会信用代码", "身份证号"]
EXPERT_ID = born_on(date(1975, 3, 9))


@dataclass
class Center:
    huajian: int
    qihang: int
    qingfeng: int
    twins: tuple[int, int]
    hengtong: int
    zhang: int


@pytest.fixture
def center(services: Services, leader: CurrentUser) -> Center:
    huajian = company(services, leader, "天河华建建筑工程有限公司", 1, "华建建设集团")
    services.credit.add_record(leader, ban(huajian))
    qihang = company(services, leader, "启航招标代理有限公司", 2)
    services.credit.add_record(leader, bad(qihang))
    qingfeng = company(services, leader, "清风建设有限公司", 3)
    twins = (
        company(services, leader, "同名建设有限公司", 4),
        company(services, leader, "同名建设有限公司", 5),
    )
    hengtong = company(services, leader, "恒通建设工程有限公司", 6)
    zhang = expert(services, leader, "张三丰", EXPERT_ID)
    return Center(huajian, qihang, qingfeng, twins, hengtong, zhang)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return path


# Row numbers as Excel shows them: the header is row 1.
LIST = [
    ["1", "天河华建建筑工程有限公司", company_code(1), ""],  # 2 banned, code and name agree
    ["2", "启航招标代理有限公司", "", ""],  # 3 by name: records
    ["3", "", company_code(3), ""],  # 4 by code alone: clear
    ["4", "同名建设有限公司", "", ""],  # 5 ambiguous
    ["5", "华建建设集团", company_code(2), ""],  # 6 conflict: the code is 启航's, the name 华建's alias
    ["6", "没有这家公司", "", ""],  # 7 not found
    ["7", "恒通建设", "", ""],  # 8 similar: only inside a longer name
    ["8", "张 三 丰", "", EXPERT_ID.lower()],  # 9 an expert by ID number (lower-case x, spaces)
    ["9", "", company_code(1), ""],  # 10 the same subject as line 2
    ["10", "坏代码公司", "12345", ""],  # 11 a malformed code
    ["11", "不存在建设公司", company_code(99), ""],  # 12 a code not on file, a name not on file
    ["12", "天河华建建筑工程有限公司", company_code(98), ""],  # 13 a code not on file, a name that is
]


def list_file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "开标名单.csv", LIST)


def counted(services: Services, model: type) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def states(preview: BatchPreview) -> dict[int, LineState]:
    return {line.row: line.state for line in preview.lines}


def test_the_preview_names_each_line_and_records_nothing(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    seq = last_audit_seq(services.db)
    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    assert states(preview) == {
        2: LineState.MATCHED,
        3: LineState.MATCHED,
        4: LineState.MATCHED,
        5: LineState.AMBIGUOUS,
        6: LineState.CONFLICT,
        7: LineState.NOT_FOUND,
        8: LineState.SIMILAR,
        9: LineState.MATCHED,
        10: LineState.DUPLICATE,
        11: LineState.ERROR,
        12: LineState.NOT_FOUND,
        13: LineState.CONFLICT,
    }
    line = {line.row: line for line in preview.lines}
    assert line[2].subject.subject_id == center.huajian and line[2].verdict == Verdict.BANNED
    assert line[2].subject.how == "uscc"
    assert line[3].subject.subject_id == center.qihang and line[3].verdict == Verdict.RECORDS
    assert line[4].subject.subject_id == center.qingfeng and line[4].verdict == Verdict.CLEAR
    assert {c.subject_id for c in line[5].candidates} == set(center.twins)
    assert "2 个主体" in line[5].note
    assert [c.subject_id for c in line[6].candidates] == [center.qihang, center.huajian]
    assert "启航招标代理有限公司" in line[6].note and "华建建设集团" in line[6].note
    assert [c.subject_id for c in line[8].candidates] == [center.hengtong]
    assert line[9].subject.subject_id == center.zhang and line[9].subject.how == "id"
    # An ID number is masked wherever the line is shown.
    assert EXPERT_ID not in line[9].listed and EXPERT_ID[:4] in line[9].code and "*" in line[9].code
    assert line[10].same_as == 2 and line[10].subject.subject_id == center.huajian
    assert line[11].column == "统一社会信用代码" and "18 位" in line[11].note
    assert [c.subject_id for c in line[13].candidates] == [center.huajian]
    assert "不在档案中" in line[13].note
    # The shared import report: checked lines NEW, the repeat PRESENT, the lines to decide ERROR.
    statuses = {row.row: row.status for row in preview.file.rows}
    assert statuses[2] == statuses[7] == RowStatus.NEW
    assert statuses[10] == RowStatus.PRESENT
    assert {r for r, s in statuses.items() if s == RowStatus.ERROR} == {5, 6, 8, 11, 13}
    assert preview.file.ignored_columns == ("序号",)
    assert [line.row for line in preview.undecided] == [5, 6, 8, 11, 13]
    assert not preview.ready({})
    # Nothing written: no check, no notice, no audit entry.
    assert counted(services, EntryCheck) == 0 and counted(services, IssuedNotice) == 0
    assert last_audit_seq(services.db) == seq


def choices_for(center: Center) -> dict[int, int | Decision]:
    return {
        5: center.twins[1],
        6: Decision.NOT_FOUND,
        8: center.hengtong,
        11: Decision.LEAVE_OUT,
        13: center.huajian,  # the same subject as line 2: checked once
    }


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_confirming_records_every_line_and_the_summary_in_one_go(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    seq = last_audit_seq(services.db)
    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    with pytest.raises(ValidationError, match="5、6、8、11、13") as refused:
        services.credit.certify_list(clerk, preview)
    assert refused.value.field == "choices"
    assert counted(services, EntryCheck) == 0

    choices = choices_for(center)
    assert preview.ready(choices)
    result = services.credit.certify_list(clerk, preview, choices)
    by_row = {line.line.row: line for line in result.lines}
    recorded = [2, 3, 4, 5, 6, 7, 8, 9, 12]
    assert [line.line.row for line in result.certificates] == recorded
    assert counted(services, EntryCheck) == len(recorded)
    assert by_row[2].verdict == Verdict.BANNED and by_row[2].notice_number.startswith("XY")
    assert by_row[10].same_as == 2 and by_row[10].notice_number == by_row[2].notice_number
    assert by_row[13].same_as == 2 and by_row[13].verdict == Verdict.BANNED
    assert by_row[11].verdict is None and by_row[11].check is None
    assert by_row[5].subject.subject_id == center.twins[1]
    assert by_row[6].verdict == Verdict.NOT_FOUND and by_row[6].check.match_count == 2
    assert by_row[7].check.match_count == 0
    assert by_row[8].subject.subject_id == center.hengtong and by_row[8].check.query == "恒通建设"
    assert result.count(Verdict.BANNED) == 3 and result.count(Verdict.NOT_FOUND) == 3
    assert result.count(None) == 1

    with services.db.session() as session:
        checks = {c.notice_number: c for c in session.scalars(select(EntryCheck))}
    # The query recorded is what named the subject: its code, or the name; an ID number masked.
    assert checks[by_row[2].notice_number].query == company_code(1)
    assert checks[by_row[3].notice_number].query == "启航招标代理有限公司"
    expert_query = checks[by_row[9].notice_number].query
    assert EXPERT_ID not in expert_query and "*" in expert_query
    assert checks[by_row[12].notice_number].query == f"不存在建设公司（{company_code(99)}）"
    assert {c.checked_on for c in checks.values()} == {ON}

    # The audit trail: per line its check, the batch; then (drawn after the commit) every notice.
    written = audit_actions(services.db, seq)
    assert written == ["credit.entry_check"] * len(recorded) + ["credit.batch_check"] + ["notice.issue"] * (
        len(recorded) + 1
    )
    issued = [e["object_id"] for e in audit_entries(services.db, "notice.issue")]
    assert issued == [line.notice_number for line in result.certificates] + [result.summary.number]
    entry = audit_entries(services.db, "credit.batch_check")[0]
    assert entry["username"] == "clerk1" and entry["object_id"] == result.summary.number
    assert entry["file"] == "开标名单.csv" and entry["sha256"] == preview.sha256
    assert (entry["rows"], entry["checked"], entry["banned"], entry["not_found"]) == (12, 9, 3, 3)
    assert (entry["records"], entry["clear"], entry["left_out"], entry["decided"]) == (1, 4, 1, 5)
    assert EXPERT_ID not in str(audit_entries(services.db, "credit.entry_check"))
    assert chain_intact(services.db)

    # The summary: banned lines first, then not found, the line left out, records, clear.
    assert result.summary.number.startswith("BB")
    text = pdf_text(result.summary.pdf, tmp_path)
    assert "批量信用核验汇总表" in text and "2026年5月6日" in text and "开标名单.csv" in text
    rows = [int(m.group(1)) for m in re.finditer(r"^ {0,4}(\d{1,3}) \S", text, re.MULTILINE)]
    assert rows == [2, 10, 13, 6, 7, 12, 11, 3, 4, 5, 8, 9]
    for line in result.certificates:
        assert line.notice_number in text
    assert EXPERT_ID not in text and "经查询人确认" in text and "未核验" in text

    # Every PDF drawn after the commit is archived as the original, and verifies as one.
    for notice in [line.notice for line in result.certificates] + [result.summary]:
        assert services.notices.archived(notice.number).pdf == notice.pdf
        assert services.notices.verify(clerk, notice.number, notice.verify_code, notice.pdf).genuine

    certificate = pdf_text(by_row[2].notice.pdf, tmp_path, "c.pdf")
    assert "信用查询结果告知单" in certificate and "禁止入场" in certificate
    assert "天建罚〔2026〕3号" in certificate


def test_all_or_nothing(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services.notices import NoticeService

    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    seq = last_audit_seq(services.db)
    issue = NoticeService.issue_in

    def failing(self, session, actor, doc_type, document, title=""):
        if doc_type == "table_report":
            raise RuntimeError("disk full while rendering the summary")
        return issue(self, session, actor, doc_type, document, title)

    monkeypatch.setattr(NoticeService, "issue_in", failing)
    with pytest.raises(RuntimeError):
        services.credit.certify_list(clerk, preview, choices_for(center))
    assert counted(services, EntryCheck) == 0 and counted(services, IssuedNotice) == 0
    assert last_audit_seq(services.db) == seq
    monkeypatch.setattr(NoticeService, "issue_in", issue)
    # No number was used up: the next certificate is the year's first.
    first = services.credit.entry_check(clerk, "清风建设有限公司", center.qingfeng)
    assert first.check.notice_number.endswith("-000001")


def test_a_list_must_still_read_as_previewed(
    services: Services, center: Center, clerk: CurrentUser, leader: CurrentUser, tmp_path: Path
) -> None:
    path = list_file(tmp_path)
    preview = services.credit.preview_check_list(clerk, path, ON)
    # A new subject under the name of a not-found line: the preview no longer holds.
    company(services, leader, "没有这家公司", 7)
    with pytest.raises(Conflict, match="重新预览"):
        services.credit.certify_list(clerk, preview, choices_for(center))
    preview = services.credit.preview_check_list(clerk, path, ON)
    path.write_text(path.read_text(encoding="utf-8-sig") + "13,清风建设有限公司,,\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="修改过") as changed:
        services.credit.certify_list(clerk, preview, choices_for(center))
    assert changed.value.field == "file"
    assert counted(services, EntryCheck) == 0


def test_a_verdict_that_changed_since_the_preview_is_the_one_recorded(
    services: Services, center: Center, clerk: CurrentUser, leader: CurrentUser, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "名单.csv", [["1", "清风建设有限公司", "", ""]])
    preview = services.credit.preview_check_list(clerk, path, ON)
    assert preview.lines[0].verdict == Verdict.CLEAR
    services.credit.add_record(leader, ban(center.qingfeng))
    result = services.credit.certify_list(clerk, preview)
    assert result.lines[0].verdict == Verdict.BANNED


def test_wrong_choices_are_refused(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    wrong_subject = {**choices_for(center), 5: center.qingfeng}
    with pytest.raises(ValidationError, match="第 5 行所选的主体不在候选之中"):
        services.credit.certify_list(clerk, preview, wrong_subject)
    decided_line = {**choices_for(center), 2: center.huajian}
    with pytest.raises(ValidationError, match="第 2 行无需确认"):
        services.credit.certify_list(clerk, preview, decided_line)
    error_line = {**choices_for(center), 11: Decision.NOT_FOUND}
    with pytest.raises(ValidationError, match="第 11 行有误"):
        services.credit.certify_list(clerk, preview, error_line)
    everything_out = {line.row: Decision.LEAVE_OUT for line in preview.lines}
    assert not preview.ready(everything_out)
    with pytest.raises(ValidationError, match="没有要核验的行"):
        services.credit.certify_list(clerk, preview, everything_out)
    assert counted(services, EntryCheck) == 0


def test_leaving_out_the_first_of_two_lines_checks_the_second(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    result = services.credit.certify_list(clerk, preview, {**choices_for(center), 2: Decision.LEAVE_OUT})
    by_row = {line.line.row: line for line in result.lines}
    assert by_row[2].verdict is None
    assert by_row[10].check is not None and by_row[10].check.subject_id == center.huajian
    assert by_row[13].same_as == 10


def test_permissions(services: Services, center: Center, admin: CurrentUser, tmp_path: Path) -> None:
    path = list_file(tmp_path)
    with pytest.raises(PermissionDenied):
        services.credit.preview_check_list(admin, path, ON)
    with pytest.raises(PermissionDenied):
        services.credit.certify(admin, company_code(1), ON)


def test_permission_is_checked_again_on_confirm(
    services: Services, center: Center, clerk: CurrentUser, admin: CurrentUser, tmp_path: Path
) -> None:
    preview = services.credit.preview_check_list(clerk, list_file(tmp_path), ON)
    with pytest.raises(PermissionDenied):
        services.credit.certify_list(admin, preview, choices_for(center))


def test_an_xlsx_list_with_a_title_row_and_only_codes(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["某某工程施工招标 投标人名单"])
    sheet.append(["统一社会信用代码", "名称"])
    sheet.append([company_code(2), "启航招标代理有限公司"])
    sheet.append([company_code(3)])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    preview = services.credit.preview_check_list(clerk, path, ON)
    assert [(line.row, line.state) for line in preview.lines] == [
        (3, LineState.MATCHED),
        (4, LineState.MATCHED),
    ]
    assert [line.verdict for line in preview.lines] == [Verdict.RECORDS, Verdict.CLEAR]


def test_file_problems_are_the_shared_imports(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("序号,联系人\n1,王五\n", encoding="utf-8")
    preview = services.credit.preview_check_list(clerk, path, ON)
    assert preview.file_errors and "名称" in preview.file_errors[0]
    assert not preview.ready({})
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match="不支持旧版"):
        services.credit.preview_check_list(clerk, old, ON)
    with pytest.raises(ValidationError, match="找不到文件"):
        services.credit.preview_check_list(clerk, tmp_path / "没有.csv", ON)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_reads_back_as_an_empty_list(
    services: Services, clerk: CurrentUser, tmp_path: Path, suffix: str
) -> None:
    path = write_list_template(tmp_path / f"模板{suffix}")
    preview = services.credit.preview_check_list(clerk, path, ON)
    assert preview.file_errors == () and preview.lines == ()
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["核验名单", "说明"]
        assert [c.value for c in book["核验名单"][1]] == ["名称", "统一社会信用代码", "身份证号"]


# -- certify: one query ----------------------------------------------------------------------------
def test_certify_one_query(services: Services, center: Center, clerk: CurrentUser) -> None:
    banned = services.credit.certify(clerk, company_code(1).lower(), ON)
    assert banned.check.verdict == Verdict.BANNED and banned.check.subject_id == center.huajian
    assert banned.notice is not None and banned.check.query == company_code(1)
    by_alias = services.credit.certify(clerk, "華建建設集團", ON)  # traditional characters fold
    assert by_alias.check.subject_id == center.huajian
    person = services.credit.certify(clerk, EXPERT_ID, ON)
    assert person.check.subject_id == center.zhang and EXPERT_ID not in person.check.query
    missing = services.credit.certify(clerk, "没有这家公司", ON)
    assert missing.check.verdict == Verdict.NOT_FOUND and missing.notice is not None
    code_missing = services.credit.certify(clerk, company_code(97), ON)
    assert code_missing.check.verdict == Verdict.NOT_FOUND
    assert counted(services, EntryCheck) == 5


@pytest.mark.parametrize(
    ("query", "state"), [("同名建设有限公司", LineState.AMBIGUOUS), ("恒通建设", LineState.SIMILAR)]
)
def test_certify_refuses_a_query_that_names_no_one_subject(
    services: Services, center: Center, clerk: CurrentUser, query: str, state: LineState
) -> None:
    with pytest.raises(UndecidedQuery) as refused:
        services.credit.certify(clerk, query, ON)
    assert refused.value.line.state == state and refused.value.line.candidates
    assert refused.value.field == "query"
    assert counted(services, EntryCheck) == 0


# -- notices drawn after the commit (services.notices.render_later_in) ------------------------------
def test_a_notice_whose_pdf_was_never_stored_verifies_and_is_drawn_from_its_content(
    services: Services, clerk: CurrentUser, tmp_path: Path
) -> None:
    from desktop_app.notices.table_report import Column, TableReport
    from desktop_app.services.notices import NoticeService, render_later_in

    report = TableReport("某市公共资源交易中心", "批量信用核验汇总表", (Column("行号"),), (("2",),))
    with services.db.session(write=True) as session:
        pending = render_later_in(session)
        issued = NoticeService(services.db).issue_in(session, clerk, "table_report", report)
    assert issued.pdf == b"" and [p.number for p in pending] == [issued.number]
    # The program stopped before complete(): the notice still verifies, and is drawn when viewed.
    assert services.notices.verify(clerk, issued.number, issued.verify_code).genuine
    shown = services.notices.archived(issued.number)
    assert "批量信用核验汇总表" in pdf_text(shown.pdf, tmp_path) and issued.number in pdf_text(
        shown.pdf, tmp_path
    )
    copies = audit_entries(services.db, "notice.issue")
    assert copies == []

    done = services.notices.complete(clerk, pending)[issued.number]
    assert services.notices.archived(issued.number).pdf == done.pdf
    assert services.notices.verify(clerk, issued.number, issued.verify_code, done.pdf).genuine
    again = services.notices.complete(clerk, pending)  # a second completion stores nothing twice
    assert len(audit_entries(services.db, "notice.issue")) == 1
    assert not services.notices.verify(
        clerk, issued.number, issued.verify_code, again[issued.number].pdf
    ).genuine


def test_an_unknown_name_listed_twice_is_one_not_found_check(
    services: Services, center: Center, clerk: CurrentUser, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "名单.csv", [["1", "没有这家公司", "", ""], ["2", "没有 这家公司", "", ""]])
    preview = services.credit.preview_check_list(clerk, path, ON)
    assert [line.state for line in preview.lines] == [LineState.NOT_FOUND, LineState.DUPLICATE]
    assert [line.verdict for line in preview.lines] == [Verdict.NOT_FOUND, Verdict.NOT_FOUND]
    result = services.credit.certify_list(clerk, preview)
    assert [line.verdict for line in result.lines] == [Verdict.NOT_FOUND, Verdict.NOT_FOUND]
    assert result.lines[1].same_as == 2 and counted(services, EntryCheck) == 1


def test_an_id_number_never_shows_in_what_a_line_prints(
    services: Services, center: Center, clerk: CurrentUser
) -> None:
    from desktop_app.services.credit.batch_lines import LineQueries

    line, queries = services.credit.query_line(EXPERT_ID, ON)
    assert line.subject is not None and queries.by_code[line.subject.subject_id] == EXPERT_ID
    assert EXPERT_ID not in repr(line) + repr(queries) + line.listed
    assert isinstance(queries, LineQueries)
