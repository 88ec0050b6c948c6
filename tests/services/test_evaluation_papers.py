"""The evaluation's papers read back: the 评标专家现场考评表 (header, items, marks, totals, remarks,
signature lines, the revision label; 9 experts on one landscape page, more over pages), the
考评结果告知书, the yearly ranking, and the year's .xlsx (openpyxl) — first from plain data, then
through the services on a finalised and reopened session."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

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
    ItemLine,
    RankingRow,
    ReachedInfo,
    SessionExpert,
    SessionInfo,
)
from tests.notices.support import page_count, pdf_fonts, pdf_text, pdf_words, render_pages, save

HALL = timezone(timedelta(hours=8))
CENTER = "天河市公共资源交易中心"
STAMP = IssueStamp("KB2026-000001", "ABCD-EFGH-JKLM", datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
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
