"""The monthly scoring's papers read back (pdftotext): the department's 月度考核评分表 (a row per
staff member, employee numbers and grades whole, averages, the signature lines on the page of the
last rows), the 考核结果通知 (each deduction and bonus with its reason and source), the quarterly
服务示范岗标兵通报 — first from plain data, then through the services on a locked month, with the
month's .xlsx (openpyxl)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.errors import Conflict, PermissionDenied, ValidationError
from desktop_app.notices import documents
from desktop_app.notices.base import IssueStamp
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring import EntryInput, SheetInput
from desktop_app.services.scoring.papers import (
    chosen_candidates,
    honours_document,
    result_document,
    sheet_document,
    sheet_remark,
)
from tests.builders import audit_entries
from tests.complaint_builders import People, people
from tests.notices.support import page_count, pdf_fonts, pdf_text, pdf_words, save
from tests.scoring_paper_data import candidates, department_month, employee_no, sheet_info

CENTER = "天河市公共资源交易中心"
STAMP = IssueStamp("KH2026-000001", "ABCD-EFGH-JKLM", datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
TODAY = date(2026, 11, 18)
OCTOBER = "2026-10"


def _sheet_pdf(tmp_path: Path, count: int, revision: int = 1) -> Path:
    info = department_month(count, revision=revision)
    remarks = {100 + i: sheet_remark(sheet_info(i)) for i in range(count)}
    document = sheet_document(info, remarks, CENTER, "合格")
    return save(documents.render("table", document, STAMP), tmp_path, f"sheet{count}.pdf")


def test_a_department_of_twelve_is_one_landscape_page_with_every_figure_whole(tmp_path: Path) -> None:
    pdf = _sheet_pdf(tmp_path, 12)
    assert page_count(pdf) == 1
    assert all(font.embedded for font in pdf_fonts(pdf))
    (page,) = pdf_words(pdf)
    assert page.width > page.height
    words = [w.text for w in page.words]
    # An employee number, a grade or a total never breaks across lines.
    for index in range(12):
        assert employee_no(index) in words
    for grade in ("优秀", "良好", "合格", "基本合格", "不合格"):
        assert grade in words
    assert {"93.5", "110", "89.67", "9.96", "德", "廉", "总分", "等次", "否决", "备注"} <= set(words)
    flat = "".join(pdf_text(pdf).split())
    for expected in (
        "综合窗口服务科月度考核评分表（2026年10月）",
        "状态：已锁定（周主任2026年11月5日",
        "欧阳晓明",
        "投诉经查属实−2（TS2026-000123）",
        "投诉超期办结（TS2026-000131）已撤销",
        "政务失信记录（一票否决）−10",
        "超出110分的部分不计",
        "10月下旬病假3天",
        "平均12人",
        "等次分布：优秀5人、良好3人、合格2人、基本合格1人、不合格1人；优秀限额2人，一票否决1人。",
        "当月等次不高于合格",
        "科室负责人：",
        "分管领导：",
        "日期：",
    ):
        assert expected in flat, expected


def test_thirty_staff_run_over_two_pages_and_the_signatures_stay_with_the_last_rows(tmp_path: Path) -> None:
    pdf = _sheet_pdf(tmp_path, 30, revision=2)
    assert page_count(pdf) == 2
    first, last = pdf_text(pdf, 1), "".join(pdf_text(pdf, 2).split())
    assert "分管领导" not in first
    assert "TH20150030" in last and "分管领导：" in last and "平均30人" in last
    assert "（第2版，周主任" in "".join(first.split())
    assert "本月考核经重新打开更正（理由：D04投诉经复查不属实，撤销扣分），本表为第2版。" in last


def test_the_result_notice_gives_each_adjustment_with_its_reason_and_source(tmp_path: Path) -> None:
    notice = result_document(sheet_info(0, revision=2), CENTER, "天公资交", TODAY, "合格")
    pdf = save(documents.render("official", notice, STAMP), tmp_path, "result.pdf")
    flat = "".join(pdf_text(pdf).split())
    for expected in (
        "天公资交考核〔2026〕500号",
        "关于2026年10月份月度考核结果的通知",
        "王堃（工号：TH20150001）：",
        "考核总分93.5分，等次为良好。各维度得分：德15分、能15分、勤9.5分、绩44分、廉10分。",
        "（一）“绩”项：工作实绩基本分满分50分，得46分。事由：10月受理量未达岗位目标。",
        "（二）“绩”项：投诉经查属实，扣2分。来源：投诉属实（TS2026-000123），由系统自动计入。",
        "2026年11月18日",
    ):
        assert expected in flat, expected
    assert notice.paragraphs[5:8] == (
        "（三）“勤”项：投诉超期办结，扣1分。来源：超期办结（TS2026-000131），由系统自动计入。经申诉已撤销，不计入总分。",
        "（四）“勤”项：迟到、早退，扣0.5分。事由：10月12日迟到20分钟（考勤记录）。",
        "三、本结果为本月考核重新打开更正后的第2版，此前通知的本月考核结果同时作废。",
    )
    veto = result_document(sheet_info(1), CENTER, "天公资交", TODAY, "合格")
    text = "".join(veto.paragraphs)
    assert "“廉”项：政务失信记录（一票否决），扣10分。" in text
    assert "三、因存在政务失信记录，本月考核等次不高于合格。" in text
    assert "二、本月无加分、扣分事项。" in "".join(
        result_document(sheet_info(4), CENTER, "", TODAY).paragraphs
    )


def test_the_honours_list_the_best_eligible_of_each_department_or_those_chosen(tmp_path: Path) -> None:
    chosen = chosen_candidates(candidates())
    assert [c.staff_name for c in chosen] == ["张喆", "欧阳晓明", "司马相如"]  # 陈珺: a true complaint
    notice = honours_document(2026, 3, chosen, CENTER, "天公资交", TODAY)
    pdf = save(documents.render("official", notice, STAMP), tmp_path, "honours.pdf")
    flat = "".join(pdf_text(pdf).split())
    for expected in (
        "关于2026年第三季度服务示范岗标兵的通报",
        "中心各科室：",
        "（7月至9月）",
        "以下3名同志",
        "1．综合窗口服务科张喆（投诉受理，99.5分）；",
        "3．信息技术科司马相如（窗口受理，96.5分）。",
        "特此通报。",
    ):
        assert expected in flat, expected
    assert [c.staff_name for c in chosen_candidates(candidates(), [103])] == ["李昇"]
    with pytest.raises(ValidationError, match="陈珺不符合服务示范岗标兵条件：季度内有投诉经查属实"):
        chosen_candidates(candidates(), [104])


# -- through the services ---------------------------------------------------------------------------
def locked_month(services: Services, crew: People) -> None:
    """评审科's October: 王五 with 工作实绩 45/50 and a late arrival (−1), 罗浩 and 周敏 full marks;
    submitted, and locked by the leader over the quota (3 staff: none may be 优秀)."""
    scoring = services.scoring
    month = scoring.department_month(crew.supervisor, crew.department_id, OCTOBER)
    sheet = scoring.sheet(crew.supervisor, crew.respondent_staff_id, OCTOBER)
    lines = [
        EntryInput(e.item_code, 45 if e.item_code == "B04" else e.points, "10月受理量未达目标", "", e.id)
        for e in sheet.entries
        if e.auto_source is None
    ]
    lines.append(EntryInput("D01", 1, "10月12日迟到20分钟"))
    scoring.save_sheet(crew.supervisor, sheet.id, SheetInput(tuple(lines)), sheet.version)
    month = scoring.department_month(crew.supervisor, crew.department_id, OCTOBER)
    month = scoring.submit_month(crew.supervisor, crew.department_id, OCTOBER, month.version)
    scoring.lock_month(crew.leader, crew.department_id, OCTOBER, month.version, "两人承担重大项目见证")


def test_the_papers_and_the_export_of_a_locked_month(
    services: Services, admin: CurrentUser, tmp_path: Path
) -> None:
    crew = people(services, admin)
    scoring = services.scoring
    draft = scoring.department_paper(crew.supervisor, crew.department_id, OCTOBER)
    assert "考核状态为“填写中”" in "".join(pdf_text(save(draft.pdf, tmp_path, "draft.pdf")).split())
    with pytest.raises(Conflict, match="尚未锁定"):
        scoring.result_notice(crew.leader, crew.respondent_staff_id, OCTOBER)
    locked_month(services, crew)

    sheet = scoring.department_paper(crew.leader, crew.department_id, OCTOBER)
    flat = "".join(pdf_text(save(sheet.pdf, tmp_path, "sheet.pdf")).split())
    for expected in (
        "评审科月度考核评分表（2026年10月）",
        "王五",
        "E-resp",
        "94",
        "良好",
        "迟到",
        "分管领导：",
    ):
        assert expected in flat, expected
    assert "理由：两人承担重大项目见证" in flat
    again = scoring.department_paper(crew.supervisor, crew.department_id, OCTOBER)
    assert again.reprint and again.number == sheet.number
    with pytest.raises(PermissionDenied):
        scoring.department_paper(crew.other_supervisor, crew.department_id, OCTOBER)

    notice = scoring.result_notice(crew.leader, crew.respondent_staff_id, OCTOBER)
    flat = "".join(pdf_text(save(notice.pdf, tmp_path, "notice.pdf")).split())
    assert notice.number.startswith("KT2026-") and "考核总分94分，等次为良好" in flat
    assert "扣1分。事由：10月12日迟到20分钟。" in flat
    own = crew.handler.staff_id
    assert own is not None
    assert scoring.result_notice(crew.handler, own, OCTOBER).title.startswith("考核结果通知 周敏")
    with pytest.raises(PermissionDenied):
        scoring.result_notice(crew.handler, crew.respondent_staff_id, OCTOBER)

    honours = scoring.honours_notice(crew.leader, 2026, 4)
    flat = "".join(pdf_text(save(honours.pdf, tmp_path, "honours.pdf")).split())
    assert "关于2026年第四季度服务示范岗标兵的通报" in flat and "评审科罗浩" in flat and "周敏" in flat
    assert "王五" not in flat
    with pytest.raises(PermissionDenied):
        scoring.honours_notice(crew.supervisor, 2026, 4)

    written = scoring.export_month(crew.leader, OCTOBER, tmp_path / "all")
    assert written.name == "all.xlsx"
    book = load_workbook(written)
    rows = list(book["月度考核"].iter_rows(min_row=4, values_only=True))
    assert [r[:3] + r[9:13] for r in rows if r[2] == "王五"] == [
        ("评审科", "E-resp", "王五", 94, "良好", None, "已锁定")
    ]
    assert len(rows) == 3
    summary = {r[0]: r[1:4] for r in book["科室汇总"].iter_rows(min_row=4, values_only=True)}
    assert summary["评审科"] == ("已锁定", 1, 3) and summary["办公室"][2] == 0
    mine = scoring.export_month(crew.supervisor, OCTOBER, tmp_path / "mine.xlsx")
    assert len(list(load_workbook(mine)["月度考核"].iter_rows(min_row=4))) == 3
    with pytest.raises(PermissionDenied, match="只能导出本科室"):
        scoring.export_month(crew.supervisor, OCTOBER, tmp_path / "x.xlsx", crew.office_id)
    with pytest.raises(PermissionDenied):
        scoring.export_month(crew.handler, OCTOBER, tmp_path / "x.xlsx")
    assert [e["exported_rows"] for e in audit_entries(services.db, "scoring.export")] == [3, 3]
