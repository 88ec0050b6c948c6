"""The evaluation's papers read back: the 评标专家现场考评表 (header, items, marks, totals, remarks,
signature lines, the revision label; 9 experts on one landscape page, more over pages), the
考评结果告知书, the yearly ranking, and the year's .xlsx (openpyxl) — first from plain data, then
through the services on a finalised and reopened session."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.errors import Conflict
from desktop_app.domain.evaluations import (
    PoolState,
    PoolStatus,
    ProposalAction,
    ProposalReason,
    SessionState,
    TradeCategory,
)
from desktop_app.notices import documents
from desktop_app.notices.base import IssueStamp
from desktop_app.paths import db_dir
from desktop_app.services.evaluations.papers import (
    Mark,
    form_document,
    notice_document,
    ranking_document,
)
from desktop_app.services.evaluations.types import (
    ExpertStatus,
    GridInput,
    GridMark,
    ItemLine,
    RankingRow,
    ReachedInfo,
    SessionExpert,
    SessionInfo,
)
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from tests.complaint_builders import people
from tests.conftest import ADMIN_PASSWORD
from tests.evaluation_builders import experts, session_input
from tests.notices.support import page_count, pdf_fonts, pdf_text, pdf_words, render_pages, save

HALL = timezone(timedelta(hours=8))
CENTER = "天河市公共资源交易中心"
STAMP = IssueStamp("KB2026-000001", "ABCD-EFGH-JKLM", datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
NOV_16 = date(2026, 11, 16)
NAMES = ("王堃", "张喆", "李昇", "陈珺", "欧阳晓明", "赵六", "孙七", "周八", "吴九", "郑十", "钱十一")


def catalogue() -> list[ItemLine]:
    seed = json.loads((db_dir() / "seed" / "evaluation_catalogue.json").read_text(encoding="utf-8"))
    return [
        ItemLine(i["code"], i["text"], i["default_points"], i["min_points"], i["max_points"], i["serious"])
        for i in seed["items"]
    ]


def session_info(experts: int = 9) -> SessionInfo:
    at = datetime(2026, 11, 18, 9, 0, tzinfo=HALL)
    return SessionInfo(
        id=1,
        number="KP2026-000123",
        project_code="TH-GC-2026-0457",
        project_name="天河市第三中学食堂及学生宿舍改造工程施工总承包",
        category=TradeCategory.CONSTRUCTION,
        room="第3评标室",
        scheduled_start=at,
        scheduled_end=at + timedelta(hours=3),
        actual_start=at + timedelta(minutes=12),
        actual_end=at + timedelta(hours=3, minutes=40),
        evaluation_date=date(2026, 11, 18),
        witness_staff_id=5,
        witness_name="李晓珺",
        state=SessionState.FINALISED,
        revision=1,
        finalised_at=at + timedelta(hours=4),
        finalised_by="李晓珺",
        due_on=None,
        due_provisional=False,
        overdue=False,
        source="app",
        experts=tuple(
            SessionExpert(100 + i, NAMES[i], f"Z{1001 + i}", "建筑工程", "4401**********1234", i)
            for i in range(experts)
        ),
        marks_count=3,
        points_total=22,
        created_by="clerk1",
        version=1,
    )


MARKS = [
    Mark(100, "E01", "迟到（超过15分钟）或早退", 2, False, "迟到25分钟"),
    Mark(101, "E04", "携带或使用通讯工具，未按规定存放", 5, False, "评标期间在评标室内使用手机接听电话"),
    Mark(108, "E14", "私下接触投标人", 15, True, ""),
]


def test_the_form_of_nine_experts_is_one_landscape_page_with_everything_on_it(tmp_path: Path) -> None:
    form = form_document(session_info(), catalogue(), MARKS, {101: "经提醒后改正"}, CENTER, "第2版（更正）")
    pdf = save(documents.render("evaluation_form", form, STAMP), tmp_path, "form.pdf")
    assert page_count(pdf) == 1
    assert all(font.embedded for font in pdf_fonts(pdf))
    text = pdf_text(pdf)
    flat = "".join(text.split())
    for expected in (
        "评标专家现场考评表",
        "第2版（更正）",
        "KP2026-000123",
        "TH-GC-2026-0457",
        "天河市第三中学食堂及学生宿舍改造工程施工总承包",
        "建设工程",
        "第3评标室",
        "2026年11月18日",
        "李晓珺",
        "9 人",
        "E01",
        "E17",
        "拒不配合质疑、投诉处理和监督检查",
        "10–15分",
        "合计扣分",
        "欧阳晓明",
        "Z1009",
        "王堃 E01：迟到25分钟",
        "张喆（总体）：经提醒后改正",
        "见证人签字",
        "监督人员签字",
        "KB2026-000001",
    ):
        assert "".join(expected.split()) in flat, expected
    # The totals row, expert by expert: 2, 5, then 0 for the unmarked, 15 for the ninth.
    words = pdf_words(pdf)[0].words
    label = next(w for w in words if w.text == "合计扣分")
    totals = [
        w.text for w in sorted(words, key=lambda w: w.x0) if abs(w.y0 - label.y0) < 3 and w.x0 > label.x1
    ]
    assert totals == ["2", "5", "0", "0", "0", "0", "0", "0", "15"]
    # The times in the hall's clock (the process's zone, as every paper writes them).
    local = session_info().scheduled_start.astimezone()
    assert local.strftime("%H:%M") in text
    pngs, errors = render_pages(pdf, 80, tmp_path)
    assert len(pngs) == 1 and errors == ""
    assert documents.from_content("evaluation_form", documents.to_content(form)) == form


def test_more_experts_go_on_over_pages_and_many_remarks_on_a_page_of_their_own(tmp_path: Path) -> None:
    long = "评审过程中多次离开评标室接打电话，经提醒后仍未改正，见证人已当场制止并记录在案"
    marks = [*MARKS, *(Mark(100 + n % 11, "E06", "擅离职守", 5, False, f"{n}：{long}") for n in range(11))]
    form = form_document(session_info(11), catalogue(), marks, {}, CENTER, "")
    pdf = save(documents.render("evaluation_form", form, STAMP), tmp_path, "form.pdf")
    assert page_count(pdf) == 3
    first, second, third = (pdf_text(pdf, page) for page in (1, 2, 3))
    assert "赵六" in first and "孙七" not in first  # 11 experts: 6 and 5
    assert "评标专家现场考评表（续）" in second and "钱十一" in second and "E17" in second
    assert "见证人签字" not in first + second and "见证人签字" in third
    assert "备注（续）" in third
    assert "第3页共3页" in "".join(third.split())


def test_the_result_notice_names_the_marks_the_year_and_what_it_calls_for(tmp_path: Path) -> None:
    status = ExpertStatus(
        subject_id=108,
        name="吴九",
        expert_no="Z1009",
        specialty="建筑工程",
        id_number_masked="4401**********1234",
        year=2026,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        points=18,
        sessions=4,
        marks=(),
        reached=(
            ReachedInfo(
                ProposalAction.NOTIFY, ProposalReason.POINTS, 8, "累计扣分 18 分，达到 8 分：通报并公开"
            ),
            ReachedInfo(
                ProposalAction.SUSPEND, ProposalReason.POINTS, 12, "累计扣分 18 分，达到 12 分：暂停评标资格"
            ),
        ),
        actions=("通报并公开", "暂停评标资格"),
        proposals=(),
        pool=PoolStatus(PoolState.ACTIVE),
    )
    marks = [MARKS[2], Mark(108, "E05", "吸烟等违反评标区管理规定", 3, False, "在走廊吸烟")]
    notice = notice_document(
        session_info(), "吴九", "Z1009", marks, status, CENTER, "天公资交", date(2026, 11, 20)
    )
    pdf = save(documents.render("official", notice, STAMP), tmp_path, "notice.pdf")
    text = "".join(pdf_text(pdf).split())
    for expected in (
        "评标专家现场考评结果告知书",
        "天公资交考评〔2026〕123-9号",
        "吴九（专家编号：Z1009）：",
        "天河市第三中学食堂及学生宿舍改造工程施工总承包",
        "KP2026-000123",
        "（一）E14私下接触投标人（严重违规项），扣15分。",
        "（二）E05吸烟等违反评标区管理规定，扣3分。现场记录：在走廊吸烟。",
        "本次考评合计扣18分。截至2026年11月20日，您2026年度累计扣18分",
        "达到12分：暂停评标资格",
        "书面申请复核",
        "2026年11月20日",
    ):
        assert expected.replace(" ", "") in text, expected


def test_the_ranking_lists_the_experts_with_points_in_order(tmp_path: Path) -> None:
    def row(rank: int, name: str, points: int, serious: int = 0) -> RankingRow:
        pool = (
            PoolStatus(PoolState.SUSPENDED, date(2027, 5, 17))
            if points >= 12
            else PoolStatus(PoolState.ACTIVE)
        )
        return RankingRow(rank, rank, name, f"Z{rank:04d}", "市政工程", points, 3, 2, serious, pool)

    rows = [row(1, "吴九", 18, 1), row(2, "王堃", 5), row(3, "陈珺", 0)]
    report = ranking_document(2026, rows, CENTER, datetime(2026, 11, 18, 2, 30, tzinfo=UTC))
    pdf = save(documents.render("table", report, STAMP), tmp_path, "ranking.pdf")
    text = "".join(pdf_text(pdf).split())
    assert "2026年度评标专家考评扣分排名表" in text
    assert text.index("吴九") < text.index("王堃") and "陈珺" not in text
    assert "暂停至2027年5月17日" in text and "在库" in text
    assert "有扣分的专家2名（参加考评的专家3名）" in text
    assert "23" in text  # the points' total


# -- through the services ---------------------------------------------------------------------------
@pytest.fixture
def desk(sqlite_database: Database) -> Services:
    """The papers only read: SQLite is enough."""
    return Services(sqlite_database)


def test_a_session_on_paper_through_the_services(desk: Services, tmp_path: Path) -> None:
    desk.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    team = people(desk, desk.auth.login("sysadmin", ADMIN_PASSWORD))
    ids = experts(desk, team.leader, 9)
    ev = desk.evaluations
    info = ev.create_session(team.clerk, session_input(NOV_16, ids, room="第5评标室"))
    grid = GridInput(
        (GridMark(ids[0], "E04", 5, "手机未交存"), GridMark(ids[0], "E01", 2), GridMark(ids[8], "E14", 10)),
        {ids[1]: "认真负责"},
    )
    ev.save_draft(team.clerk, info.id, grid)
    draft = ev.evaluation_form(team.clerk, info.id)
    assert "草稿（未定稿）" in pdf_text(save(draft.pdf, tmp_path, "draft.pdf"))

    ev.finalise(team.clerk, info.id, grid, ev.session(info.id).version)
    form = ev.evaluation_form(team.clerk, info.id)
    assert form.number.startswith("KB2026-") and not form.reprint
    text = "".join(pdf_text(save(form.pdf, tmp_path, "form.pdf")).split())
    for expected in (
        info.number,
        "GC2026-017",
        "天河大道改造工程施工",
        "第5评标室",
        "张三",
        "Z1009",
        "E04",
        "手机未交存",
    ):
        assert expected in text, expected
    assert "草稿" not in text and "见证人签字" in text and "监督人员签字" in text
    again = ev.evaluation_form(team.clerk, info.id)  # the same content: the archived one, reprinted
    assert again.reprint and again.number == form.number

    notice = ev.result_notice(team.clerk, info.id, ids[0])
    told = "".join(pdf_text(save(notice.pdf, tmp_path, "notice.pdf")).split())
    assert notice.number.startswith("KG2026-") and "张三（专家编号：Z1001）" in told
    assert "扣5分" in told and "本次考评合计扣7分" in told and "2026年度累计扣7分" in told
    with pytest.raises(Conflict):
        ev.result_notice(team.clerk, info.id, ids[1])  # no deductions

    # A reopen: the current version is a draft of the second; the first stays printable, marked.
    ev.reopen(team.leader, info.id, "E04 扣分录入错误", ev.session(info.id).version)
    assert "第2版草稿" in pdf_text(save(ev.evaluation_form(team.clerk, info.id).pdf, tmp_path, "r2.pdf"))
    first = "".join(
        pdf_text(save(ev.evaluation_form(team.clerk, info.id, 1).pdf, tmp_path, "r1.pdf")).split()
    )
    assert "第1版（已被更正，仅供查阅）" in first and "E04扣分录入错误" in first
    corrected = GridInput((GridMark(ids[0], "E04", 3), GridMark(ids[8], "E14", 10)))
    ev.finalise(team.clerk, info.id, corrected, ev.session(info.id).version)
    second = "".join(pdf_text(save(ev.evaluation_form(team.clerk, info.id).pdf, tmp_path, "f2.pdf")).split())
    assert "第2版（更正）" in second and "第1版于" in second

    ranking = ev.ranking_report(team.clerk, 2026)
    ranked = "".join(pdf_text(save(ranking.pdf, tmp_path, "ranking.pdf")).split())
    assert ranking.number.startswith("KM2026-")
    assert ranked.index("郑一") < ranked.index("张三") and "有扣分的专家2名（参加考评的专家9名）" in ranked

    written = ev.export_year(team.clerk, 2026, tmp_path / "考评2026")
    assert written.name == "考评2026.xlsx"
    book = load_workbook(written)
    assert book.sheetnames == ["扣分明细", "考评场次", "专家排名", "考评项汇总", "交易类别汇总"]
    marks = [row for row in book["扣分明细"].iter_rows(min_row=4, values_only=True)]
    assert [(r[0], r[10], r[12], r[15], r[8]) for r in marks] == [
        (info.number, "张三", "E04", 3, 2),
        (info.number, "郑一", "E14", 10, 2),
    ]
    assert marks[0][1] == datetime(2026, 11, 16) and marks[1][14] == "是"
    sessions = list(book["考评场次"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[10], r[12], r[13], r[14]) for r in sessions] == [(info.number, "已定稿", 9, 2, 13)]
    ranking_rows = list(book["专家排名"].iter_rows(min_row=4, values_only=True))
    assert ranking_rows[0][1:5] == ("郑一", "Z1009", "土建", 10) and len(ranking_rows) == 9
