"""The complaints service: intake with number, code, deadline and receipt; handling to closure and
回访; consequences on staff months and credit files; rights; the list and the workload counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app import clock
from desktop_app.domain.complaints import (
    Action,
    Category,
    Channel,
    DeductionKind,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    Statutory,
    TimeLimit,
)
from desktop_app.domain.credit import RecordSource
from desktop_app.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
    refusals_of,
)
from desktop_app.services.complaints import Assignment, Closure, ComplaintFilter, ListOrder
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from tests.builders import audit_entries, company, resident_id
from tests.complaint_builders import People, people, phone_complaint
from tests.notices.support import pdf_text

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def test_intake_numbers_the_case_counts_the_deadline_and_issues_the_receipt(
    services: Services, crew: People, tmp_path: Path
) -> None:
    data = phone_complaint(HALL, id_number=resident_id("11010519491231002"))
    result = services.complaints.register(crew.clerk, data)
    info = result.complaint
    assert info.number == "TS2026-000001"
    assert len(info.lookup_code) == 9 and info.lookup_code[4] == "-"
    # Received Wednesday 18 November: five working days from the day after → Wednesday 25 November.
    assert info.deadline == date(2026, 11, 25) and not info.deadline_provisional
    assert info.acceptance_deadline == date(2026, 11, 23)
    assert info.state is State.REGISTERED
    assert info.receiver_name == "肖晓雨"
    assert info.phone_masked == "138****5678"
    assert info.id_number_masked.startswith("1101") and "*" in info.id_number_masked
    assert [e.action for e in info.events] == ["register"]
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(result.receipt_pdf)
    text = pdf_text(pdf)
    assert "投诉受理回执" in text and "TS2026-000001" in text and info.lookup_code in text
    assert "2026年11月25日" in text
    assert "138****5678" in text and "13812345678" not in text
    assert resident_id("11010519491231002") not in text
    second = services.complaints.register(crew.clerk, phone_complaint(HALL, phone="13900001111"))
    assert second.complaint.number == "TS2026-000002"
    entry = audit_entries(services.db, "complaint.register")[0]
    assert "13812345678" not in str(entry)


def test_every_fault_of_the_form_is_reported_at_its_field(services: Services, crew: People) -> None:
    bad = phone_complaint(
        HALL, channel=None, category=None, phone="1381234", facts="  ", complainant_name="", id_number="123"
    )
    with pytest.raises(ValidationErrors) as caught:
        services.complaints.register(crew.clerk, bad)
    fields = {e.field for e in caught.value.errors}
    assert {"channel", "category", "phone", "facts", "complainant_name", "id_number"} <= fields
    assert services.complaints.count(crew.clerk, ComplaintFilter()) == 0


def test_anonymous_complaint_needs_no_name_and_future_receipt_is_refused(
    services: Services, crew: People
) -> None:
    info = services.complaints.register(
        crew.clerk, phone_complaint(HALL, anonymous=True, complainant_name="", phone="")
    ).complaint
    assert info.complainant_display == "匿名"
    with pytest.raises(ValidationError) as caught:
        services.complaints.register(crew.clerk, phone_complaint(clock.now() + timedelta(hours=2)))
    assert {e.field for e in refusals_of(caught.value)} == {"received_at"}


def test_statutory_complaint_is_transferred_at_once_with_its_clocks(services: Services, crew: People) -> None:
    with pytest.raises(ValidationError) as caught:
        services.complaints.register(crew.clerk, phone_complaint(HALL, statutory=Statutory.BIDDING))
    assert {e.field for e in refusals_of(caught.value)} == {"project_code"}
    info = services.complaints.register(
        crew.clerk, phone_complaint(HALL, statutory=Statutory.BIDDING, project_code="GC2026-118")
    ).complaint
    assert info.state is State.TRANSFERRED and info.transfer_to == "行政监督部门"
    assert [what for what, _, _ in info.statutory_clocks] == ["受理决定", "作出处理决定"]
    assert info.statutory_clocks[0][1] == date(2026, 11, 23)


def test_duplicates_by_phone_and_by_respondent_with_similar_facts(services: Services, crew: People) -> None:
    first = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    same_phone = services.complaints.duplicates(crew.clerk, phone_complaint(HALL, facts="另一件事"))
    assert [(h.number, h.reason) for h in same_phone] == [(first.number, "同一联系电话")]
    similar = services.complaints.duplicates(
        crew.clerk,
        phone_complaint(HALL, phone="13900001111", facts="窗口工作人员态度生硬，拒绝一次性告知材料"),
    )
    assert [h.reason for h in similar] == ["同一被投诉对象且事实相近"]
    unrelated = services.complaints.duplicates(
        crew.clerk, phone_complaint(HALL, phone="13900001111", facts="系统无法上传投标文件")
    )
    assert unrelated == []
    linked = services.complaints.register(crew.clerk, phone_complaint(HALL), link_to_id=first.id).complaint
    assert linked.linked_to_number == first.number


def test_a_clerk_finds_a_case_by_number_or_code_as_typed(services: Services, crew: People) -> None:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    assert services.complaints.find(crew.clerk, " ts2026-000001 ").id == info.id
    typed = info.lookup_code.replace("-", "").lower()
    assert services.complaints.find(crew.clerk, typed).id == info.id
    with pytest.raises(NotFound):
        services.complaints.find(crew.clerk, "TS2026-000099")
    with pytest.raises(NotFound):
        services.complaints.find(crew.clerk, "ABC")


def _to_investigation(services: Services, crew: People, **changes: object) -> int:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL, **changes)).complaint
    info = services.complaints.accept(
        crew.supervisor, info.id, info.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    info = services.complaints.investigate(crew.handler, info.id, info.version, "已调取录像")
    assert info.state is State.INVESTIGATING and info.handler_name == "周敏"
    return info.id


def test_closing_true_against_staff_stores_the_deduction_for_scoring(
    services: Services, crew: People
) -> None:
    case_id = _to_investigation(
        services, crew, respondent_kind=RespondentKind.STAFF, respondent_staff_id=crew.respondent_staff_id
    )
    info = services.complaints.get(crew.handler, case_id)
    closed = services.complaints.close(
        crew.handler,
        case_id,
        info.version,
        Closure(Outcome.TRUE, "经调查属实，已批评教育。", note="当事人已认错"),
    )
    assert closed.state is State.CLOSED and closed.outcome is Outcome.TRUE
    assert [(d.staff_name, d.points, d.kind, d.month) for d in closed.deductions] == [
        ("王五", -3, DeductionKind.FOUND_TRUE, "2026-11")
    ]
    # The internal note is in the history, marked internal, and not in the reply.
    assert any(e.internal and e.text == "当事人已认错" for e in closed.events)
    assert "认错" not in closed.reply


def test_an_overdue_closure_costs_the_handler_five(
    services: Services, crew: People, fixed_clock: clock.SteppingClock
) -> None:
    case_id = _to_investigation(services, crew)
    fixed_clock.advance(timedelta(days=14))  # 2 December, past the 25 November deadline
    info = services.complaints.get(crew.handler, case_id)
    assert info.overdue
    closed = services.complaints.close(
        crew.handler, case_id, info.version, Closure(Outcome.FALSE, "经核实不属实。")
    )
    assert [(d.staff_name, d.points, d.kind) for d in closed.deductions] == [
        ("周敏", -5, DeductionKind.OVERDUE)
    ]
    assert closed.deductions[0].month == "2026-12"


def test_only_allowed_moves_and_only_by_those_who_may(services: Services, crew: People) -> None:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    with pytest.raises(PermissionDenied):
        services.complaints.accept(crew.clerk, info.id, info.version)
    with pytest.raises(Conflict) as caught:
        services.complaints.close(crew.supervisor, info.id, info.version, Closure(Outcome.TRUE, "答复"))
    assert "登记" in str(caught.value) and "受理" in str(caught.value)
    accepted = services.complaints.accept(
        crew.supervisor, info.id, info.version, Assignment(crew.department_id, None)
    )
    # Another department's supervisor may not direct a case of 评审科.
    with pytest.raises(PermissionDenied):
        services.complaints.transfer(crew.other_supervisor, accepted.id, accepted.version, "财务科")
    assert Action.INVESTIGATE in accepted.allowed_actions
    rejected_case = services.complaints.register(
        crew.clerk, phone_complaint(HALL, phone="13900001111")
    ).complaint
    with pytest.raises(ValidationError):
        services.complaints.reject(crew.supervisor, rejected_case.id, rejected_case.version, " ")
    rejected = services.complaints.reject(
        crew.supervisor, rejected_case.id, rejected_case.version, "不属于本中心职责"
    )
    assert rejected.state is State.REJECTED and rejected.allowed_actions == ()
    actions = audit_entries(services.db, "complaint.reject")
    assert actions and "不属于本中心职责" in str(actions[0])


def test_a_stale_version_is_refused(services: Services, crew: People) -> None:
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    services.complaints.accept(crew.supervisor, info.id, info.version)
    with pytest.raises(Exception, match="修改"):
        services.complaints.reject(crew.leader, info.id, info.version, "重复投诉")


def test_visit_with_bad_rating_opens_the_follow_up(services: Services, crew: People) -> None:
    case_id = _to_investigation(services, crew)
    info = services.complaints.get(crew.handler, case_id)
    info = services.complaints.close(
        crew.handler, case_id, info.version, Closure(Outcome.PARTLY, "部分属实，已整改。")
    )
    visited = services.complaints.visit(
        crew.handler, case_id, info.version, Satisfaction.DISSATISFIED, "认为处理过轻"
    )
    assert visited.state is State.VISITED
    # Visited Wednesday 18 November: contact by Thursday 19, rectify within 15 working days.
    assert visited.followup_contact_deadline == date(2026, 11, 19)
    assert visited.followup_rectify_deadline == date(2026, 12, 9)
    assert services.complaints.workload(crew.handler).followups_due == 1
    done = services.complaints.followup(
        crew.handler, case_id, visited.version, "rectified", "已整改并电话告知"
    )
    assert done.followup_done_at is not None and done.followup_contacted_at is not None
    assert services.complaints.workload(crew.handler).followups_due == 0


def test_extension_needs_a_reason_and_another_persons_approval(services: Services, crew: People) -> None:
    case_id = _to_investigation(services, crew)
    with pytest.raises(ValidationError):
        services.complaints.request_extension(crew.handler, case_id, 3, "")
    info = services.complaints.request_extension(crew.handler, case_id, 3, "需调取外单位材料")
    extension = info.extensions[0]
    assert services.complaints.workload(crew.supervisor).extensions_waiting == 1
    approved = services.complaints.decide_extension(crew.supervisor, extension.id, True)
    # 25 November + 3 working days = 30 November (Monday).
    assert approved.deadline == date(2026, 11, 30)
    assert approved.extensions[0].new_deadline == date(2026, 11, 30)


def test_found_true_against_a_company_drafts_a_credit_record_with_the_case_as_source(
    services: Services, crew: People, leader: CurrentUser
) -> None:
    subject_id = company(services, crew.leader, "天元建设工程有限公司", 7)
    case_id = _to_investigation(
        services,
        crew,
        respondent_kind=RespondentKind.SUBJECT,
        respondent_subject_id=subject_id,
        respondent_text="",
    )
    info = services.complaints.get(crew.handler, case_id)
    with pytest.raises(Conflict):
        services.complaints.credit_draft(crew.supervisor, case_id)
    info = services.complaints.close(crew.handler, case_id, info.version, Closure(Outcome.TRUE, "属实。"))
    draft = services.complaints.credit_draft(crew.supervisor, case_id)
    assert draft.subject_id == subject_id and draft.source is RecordSource.COMPLAINT
    assert info.number in draft.facts
    done = services.complaints.draft_credit_record(crew.supervisor, case_id, draft)
    assert done.credit_record_id is not None
    file = services.credit.subject_file(crew.leader, subject_id)
    record = next(r for r in file.records if r.id == done.credit_record_id)
    assert record.source is RecordSource.COMPLAINT and record.source_ref == info.number
    with pytest.raises(Conflict):
        services.complaints.draft_credit_record(crew.supervisor, case_id, draft)


def test_reply_letter_after_closure_and_a_reprint_after(
    services: Services, crew: People, tmp_path: Path
) -> None:
    case_id = _to_investigation(services, crew)
    info = services.complaints.get(crew.handler, case_id)
    with pytest.raises(Conflict):
        services.complaints.reply_letter(crew.handler, info.number)
    services.complaints.close(
        crew.handler, case_id, info.version, Closure(Outcome.FALSE, "经核实，窗口已按规定告知。")
    )
    number, pdf, reprint = services.complaints.reply_letter(crew.handler, info.number)
    assert not reprint and number.startswith("TJ2026-")
    path = tmp_path / "reply.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "投诉处理结果告知书" in text and info.number in text and "不属实" in text
    again = services.complaints.reply_letter(crew.handler, info.number)
    assert again[0] == number and again[2]


def test_receipt_print_is_a_reprint_once_issued(services: Services, crew: People) -> None:
    result = services.complaints.register(crew.clerk, phone_complaint(HALL))
    number, _, reprint = services.complaints.receipt(crew.clerk, result.complaint.number)
    assert number == result.receipt_number and reprint


def test_list_filters_pages_and_workload(
    services: Services, crew: People, fixed_clock: clock.SteppingClock
) -> None:
    for i in range(5):
        services.complaints.register(
            crew.clerk,
            phone_complaint(
                HALL - timedelta(days=10 * i + 1),
                phone=f"1391234{i:04d}",
                category=Category.EFFICIENCY if i % 2 else Category.ATTITUDE,
                channel=Channel.WINDOW,
                time_limit=TimeLimit.SIMPLE,
            ),
        )
    everyone = ComplaintFilter()
    assert services.complaints.count(crew.clerk, everyone) == 5
    page = services.complaints.rows(crew.clerk, everyone, ListOrder(), 0, 2)
    assert [r.number for r in page] == ["TS2026-000001", "TS2026-000002"]
    assert (
        services.complaints.count(crew.clerk, ComplaintFilter(categories=frozenset({Category.EFFICIENCY})))
        == 2
    )
    overdue = services.complaints.rows(
        crew.clerk, ComplaintFilter(overdue=True), ListOrder("deadline", False), 0, 10
    )
    assert len(overdue) == 4 and all(r.overdue for r in overdue)
    text = services.complaints.rows(crew.clerk, ComplaintFilter(text="ts2026-000003"), ListOrder(), 0, 10)
    assert [r.number for r in text] == ["TS2026-000003"]
    assert services.complaints.workload(crew.leader).overdue == 4
    assert services.complaints.workload(crew.leader).due_soon == 1


def test_receipt_numbers_follow_the_prefix_setting(
    services: Services, crew: People, admin: CurrentUser
) -> None:
    settings = services.center.get()
    services.center.update(admin, {"complaint_number_prefix": "tsj"}, settings.versions)
    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    assert info.number == "TSJ2026-000001"


def test_staff_input_is_validated_for_a_staff_respondent(services: Services, crew: People) -> None:
    with pytest.raises(ValidationError) as caught:
        services.complaints.register(crew.clerk, phone_complaint(HALL, respondent_kind=RespondentKind.STAFF))
    assert {e.field for e in refusals_of(caught.value)} == {"respondent"}
    bad = replace(phone_complaint(HALL), respondent_kind=RespondentKind.WINDOW, respondent_text="")
    with pytest.raises(ValidationError):
        services.complaints.register(crew.clerk, bad)


def test_a_deadline_changed_in_the_database_is_caught(
    services: Services, crew: People, admin: CurrentUser
) -> None:
    """Someone moves a case's deadline with a database tool: the case is not read out, its receipt is
    not printed, no move is made on it, and audit verify names the row."""
    from conftest import make_user
    from sqlalchemy import text

    from desktop_app.domain.errors import DataCheckFailed
    from desktop_app.domain.roles import Role

    info = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    other = services.complaints.register(crew.clerk, phone_complaint(HALL, phone="13900001111")).complaint
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE complaints SET deadline = '2027-06-30' WHERE id = :i"), {"i": info.id})
    for attempt in (
        lambda: services.complaints.find(crew.clerk, info.number),
        lambda: services.complaints.receipt(crew.clerk, info.number),
        lambda: services.complaints.accept(crew.supervisor, info.id, None),
    ):
        with pytest.raises(DataCheckFailed) as refused:
            attempt()
        assert refused.value.message.startswith("数据校验失败")
    assert services.complaints.find(crew.clerk, other.number).state is State.REGISTERED
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    found = services.integrity.verify_rows(auditor)
    assert [(f.table, f.ids) for f in found.failing] == [("complaints", (info.id,))]


def test_the_reply_letter_addresses_the_complainant_once(
    services: Services, crew: People, tmp_path: Path
) -> None:
    case_id = _to_investigation(services, crew)
    info = services.complaints.get(crew.handler, case_id)
    services.complaints.close(
        crew.handler, case_id, info.version, Closure(Outcome.TRUE, "已批评教育并整改。")
    )
    _, pdf, _ = services.complaints.reply_letter(crew.handler, info.number)
    path = tmp_path / "reply.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "张三：" in text and "张三：：" not in text
    assert text.count("感谢您") <= 1
