"""The complaints page: the list with its tones and filters, the lookup box, the handling dialogs
from acceptance to the 回访 and its follow-up, and the result notice — on screen and in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.domain.complaints import DeductionKind, Outcome, RespondentKind, Satisfaction, State
from desktop_app.services.complaints import Assignment, ComplaintFilter
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.complaints.page import ComplaintsPage
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.paged_table import TONE_COLOURS, Tone
from tests.builders import company
from tests.complaint_builders import People, people, phone_complaint
from tests.conftest import DEFAULT_PASSWORD, open_test_database
from tests.ui.shell_support import error_line

pytestmark = pytest.mark.usefixtures("message_boxes")

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
Script = Callable[[Any], None]


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


@pytest.fixture
def drive(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> Callable[..., list[str]]:
    """Each modal dialog the page opens is shown and handed to the next script, which works it."""
    opened: list[str] = []

    def install(*scripts: Script) -> list[str]:
        queue = list(scripts)

        def run(dialog: QDialog) -> bool:
            opened.append(type(dialog).__name__)
            dialog.show()
            qtbot.waitExposed(dialog)
            try:
                queue.pop(0)(dialog)
            finally:
                if dialog.isVisible():
                    dialog.reject()
            return dialog.result() == QDialog.DialogCode.Accepted

        monkeypatch.setattr(modal, "run_dialog", run)
        return opened

    return install


def make_page(qtbot: Any, services: Services, actor: CurrentUser) -> ComplaintsPage:
    page = ComplaintsPage(services, actor)
    qtbot.addWidget(page)
    page.resize(1090, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def shown_numbers(page: ComplaintsPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def save(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_list_tones_overdue_red_and_due_soon_amber_and_filters_narrow_it(
    qtbot: Any, services: Services, crew: People
) -> None:
    late = services.complaints.register(
        crew.clerk, phone_complaint(HALL - timedelta(days=14), phone="13900000001")
    ).complaint
    soon = services.complaints.register(
        crew.clerk,
        phone_complaint(HALL - timedelta(days=6), phone="13900000002", facts="办事效率太低，来回跑了三趟。"),
    ).complaint
    fresh = services.complaints.register(crew.clerk, phone_complaint(HALL, phone="13900000003")).complaint
    page = make_page(qtbot, services, crew.supervisor)
    assert shown_numbers(page) == [fresh.number, soon.number, late.number]
    assert page.count_label.text() == "3 case(s)"

    def background(number: str) -> Any:
        row = shown_numbers(page).index(number)
        return page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)

    assert background(late.number).color() == TONE_COLOURS[Tone.ALARM][0]
    assert background(soon.number).color() == TONE_COLOURS[Tone.WARNING][0]
    assert background(fresh.number) is None
    # Deadline column says what the service says (5 working days).
    assert page.model.index(2, 9).data() == late.deadline.isoformat()

    page.overdue.setChecked(True)
    assert shown_numbers(page) == [late.number]
    page.overdue.setChecked(False)
    page.search.setText("三趟")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert shown_numbers(page) == [soon.number]
    page.search.clear()
    assert len(shown_numbers(page)) == 3
    # Sorted by the service on a header click: number ascending.
    page.view.horizontalHeader().sectionClicked.emit(0)
    page.model.sort(0, Qt.SortOrder.AscendingOrder)
    assert shown_numbers(page) == [late.number, soon.number, fresh.number]


def test_number_or_lookup_code_and_enter_opens_the_case(qtbot: Any, services: Services, crew: People) -> None:
    first = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    services.complaints.register(crew.clerk, phone_complaint(HALL, phone="13900000009"))
    page = make_page(qtbot, services, crew.clerk)
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    page.lookup.setText(first.lookup_code.lower().replace("-", ""))
    qtbot.keyClick(page.lookup, Qt.Key.Key_Return)
    assert page.info is not None and page.info.number == first.number
    assert first.number in page.detail.heading.text()
    assert page.view.selectionModel().selectedRows()[0].row() == shown_numbers(page).index(first.number)
    text = page.detail.text.toPlainText()
    assert "138****5678" in text and "13812345678" not in text
    # A clerk may not unmask, direct or close: only the receipt is offered.
    assert not page.detail.buttons["reveal"].isVisible()
    assert not page.detail.buttons["accept"].isVisible()
    assert page.detail.buttons["receipt"].isVisible()


def test_supervisor_accepts_and_assigns_then_the_handler_closes_with_a_template(
    qtbot: Any, services: Services, crew: People, drive: Callable[..., list[str]], tmp_path: Any
) -> None:
    data = phone_complaint(
        HALL, respondent_kind=RespondentKind.STAFF, respondent_staff_id=crew.respondent_staff_id
    )
    case = services.complaints.register(crew.clerk, data).complaint
    page = make_page(qtbot, services, crew.supervisor)
    page.open_case(case.number)
    assert page.detail.buttons["accept"].isVisible() and page.detail.buttons["reject"].isVisible()

    def accept(dialog: Any) -> None:
        dialog.department.setCurrentIndex(dialog.department.findData(crew.department_id))
        dialog.handler.setCurrentIndex(dialog.handler.findData(crew.handler.staff_id))
        save(qtbot, dialog)

    drive(accept)
    qtbot.mouseClick(page.detail.buttons["accept"], Qt.MouseButton.LeftButton)
    stored = services.complaints.get(crew.supervisor, case.id)
    assert stored.state is State.ACCEPTED and stored.handler_staff_id == crew.handler.staff_id
    assert page.info is not None and page.info.state is State.ACCEPTED
    row = shown_numbers(page).index(case.number)
    assert page.model.index(row, 6).data() == "Accepted" and page.model.index(row, 8).data() == "周敏"

    handler_page = make_page(qtbot, services, crew.handler)
    handler_page.open_case(case.number)
    assert handler_page.detail.buttons["investigate"].isVisible()
    assert not handler_page.detail.buttons["accept"].isVisible()
    drive(lambda d: save(qtbot, d))
    qtbot.mouseClick(handler_page.detail.buttons["investigate"], Qt.MouseButton.LeftButton)
    assert services.complaints.get(crew.handler, case.id).state is State.INVESTIGATING

    def close(dialog: Any) -> None:
        save(qtbot, dialog)  # nothing chosen: refused at the fields, the dialog stays
        assert dialog.isVisible() and dialog.refusal is not None
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.TRUE))
        assert dialog.template.currentData() == "true"
        reply = dialog.reply.toPlainText()
        assert reply.startswith("张三：") and case.number in reply and "属实" in reply
        dialog.note.setPlainText("已与王五谈话")
        dialog.own_points.setChecked(True)
        dialog.points.setValue(-4)
        save(qtbot, dialog)

    drive(close)
    qtbot.mouseClick(handler_page.detail.buttons["close"], Qt.MouseButton.LeftButton)
    closed = services.complaints.get(crew.handler, case.id)
    assert closed.state is State.CLOSED and closed.outcome is Outcome.TRUE
    assert closed.reply.startswith("张三：") and "已与王五谈话" not in closed.reply
    assert [(d.kind, d.points, d.staff_name) for d in closed.deductions] == [
        (DeductionKind.FOUND_TRUE, -4, "王五")
    ]
    handler_page.detail.tabs.setCurrentIndex(3)
    assert handler_page.detail.deductions.rowCount() == 1
    assert handler_page.detail.deductions.index(0, 2).data() == "-4"
    internal = [e for e in closed.events if e.internal]
    assert internal and internal[-1].text == "已与王五谈话"
    handler_page.grab().save(str(tmp_path / "closed.png"))


def test_a_bad_rating_at_the_visit_shows_the_follow_up_deadlines(
    qtbot: Any, services: Services, crew: People, drive: Callable[..., list[str]]
) -> None:
    case = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    case = services.complaints.accept(
        crew.supervisor, case.id, case.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    case = services.complaints.investigate(crew.handler, case.id, case.version)
    from desktop_app.services.complaints import Closure

    case = services.complaints.close(
        crew.handler, case.id, case.version, Closure(Outcome.FALSE, "经核实不属实。")
    )
    page = make_page(qtbot, services, crew.handler)
    page.open_case(case.number)

    def visit(dialog: Any) -> None:
        dialog.satisfaction.setCurrentIndex(dialog.satisfaction.findData(Satisfaction.DISSATISFIED))
        dialog.note.setPlainText("对答复不满意")
        save(qtbot, dialog)

    drive(visit)
    qtbot.mouseClick(page.detail.buttons["visit"], Qt.MouseButton.LeftButton)
    stored = services.complaints.get(crew.handler, case.id)
    # Visited Wednesday 18 November: contact by Thursday, rectify within fifteen working days.
    assert stored.followup_contact_deadline == date(2026, 11, 19)
    assert stored.followup_rectify_deadline == date(2026, 12, 9)
    text = page.detail.text.toPlainText()
    assert "Contact by" in text and "2026-11-19" in text and "2026-12-09" in text
    assert page.detail.buttons["followup"].isVisible()

    def contacted(dialog: Any) -> None:
        assert dialog.step.currentData() == "contacted"
        dialog.note.setPlainText("已电话联系投诉人")
        save(qtbot, dialog)

    drive(contacted)
    qtbot.mouseClick(page.detail.buttons["followup"], Qt.MouseButton.LeftButton)
    assert services.complaints.get(crew.handler, case.id).followup_contacted_at is not None


def test_the_result_notice_preview_opens_for_a_closed_case(
    qtbot: Any, services: Services, crew: People
) -> None:
    from desktop_app.services.complaints import Closure

    case = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    case = services.complaints.accept(
        crew.supervisor, case.id, case.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    case = services.complaints.investigate(crew.handler, case.id, case.version)
    services.complaints.close(
        crew.handler, case.id, case.version, Closure(Outcome.PARTLY, "部分属实，已整改。")
    )
    page = make_page(qtbot, services, crew.supervisor)
    page.open_case(case.number)
    assert page.detail.buttons["letter"].isVisible()
    page.print_current()
    assert page.preview is not None and page.preview.isVisible()
    assert page.preview.issued.title == f"投诉处理结果告知书 {case.number}"  # type: ignore[attr-defined]
    stored = services.complaints.get(crew.supervisor, case.id)
    assert stored.reply_letter_numbers == (page.preview.issued.number,)  # type: ignore[attr-defined]
    page.preview.close()


def test_supervisor_sees_personal_data_with_a_reason(
    qtbot: Any, services: Services, crew: People, drive: Callable[..., list[str]], message_boxes: Any
) -> None:
    case = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    page = make_page(qtbot, services, crew.supervisor)
    page.open_case(case.number)

    def reveal(dialog: Any) -> None:
        dialog.reason.setText("回电核实情况")
        save(qtbot, dialog)

    drive(reveal)
    assert page.reveal() == "13812345678"
    assert any("13812345678" in text for text in message_boxes.texts())
    assert "13812345678" not in page.detail.text.toPlainText()


def test_show_target_lists_the_overdue_cases_one_answers_for(
    qtbot: Any, services: Services, crew: People
) -> None:
    late = services.complaints.register(crew.clerk, phone_complaint(HALL - timedelta(days=14))).complaint
    services.complaints.accept(
        crew.supervisor, late.id, late.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    services.complaints.register(crew.clerk, phone_complaint(HALL - timedelta(days=14), phone="13900000005"))
    page = make_page(qtbot, services, crew.handler)
    page.show_target("overdue")
    assert page.overdue.isChecked() and page.mine.isChecked()
    assert shown_numbers(page) == [late.number]
    assert services.complaints.workload(crew.handler).overdue == 1
    assert services.complaints.count(crew.handler, ComplaintFilter()) == 2


def test_many_cases_open_reading_only_what_is_on_screen(
    qtbot: Any, services: Services, crew: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(12):
        services.complaints.register(crew.clerk, phone_complaint(HALL, phone=f"139000001{i:02d}"))
    asked: list[tuple[int, int]] = []
    rows = services.complaints.rows

    def counting(actor: Any, where: Any, order: Any, offset: int, limit: int) -> Any:
        asked.append((offset, limit))
        return rows(actor, where, order, offset, limit)

    monkeypatch.setattr(services.complaints, "rows", counting)
    page = make_page(qtbot, services, crew.clerk)
    page.model.block_size = 5
    page.reload()
    qtbot.wait(10)
    assert page.model.rowCount() == 12
    assert all(limit <= 5 for _offset, limit in asked)


def test_status_bar_counts_overdue_cases_and_opens_their_list(
    qtbot: Any, services: Services, crew: People, shell_context: Any, tmp_path: Any
) -> None:
    from desktop_app.ui.main_window import MainWindow

    late = services.complaints.register(crew.clerk, phone_complaint(HALL - timedelta(days=14))).complaint
    window = MainWindow(services, crew.leader, shell_context)  # a leader answers for every case
    window.remember_layout = False
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.status_cases is not None
    assert "1 overdue" in window.status_cases.text() and "0 due soon" in window.status_cases.text()
    window.status_cases.linkActivated.emit("overdue")
    page = window.current_page()
    assert isinstance(page, ComplaintsPage)
    assert page.overdue.isChecked() and shown_numbers(page) == [late.number]
    page.open_case(late.number)
    window.grab().save(str(tmp_path / "window.png"))
    services.complaints.accept(crew.supervisor, late.id, late.version)
    from desktop_app.ui.operations import announce

    announce("complaint", (late.id,))
    assert "1 overdue" in window.status_cases.text()


@pytest.mark.both_databases
def test_a_stale_close_keeps_the_reply_typed_and_reloads_the_case_the_other_changed(
    qtbot: Any,
    services: Services,
    crew: People,
    drive: Callable[..., list[str]],
    db_url: str,
    isolated_home: Any,
) -> None:
    case = services.complaints.register(crew.clerk, phone_complaint(HALL)).complaint
    case = services.complaints.accept(
        crew.supervisor, case.id, case.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    case = services.complaints.investigate(crew.handler, case.id, case.version)
    case = services.complaints.request_extension(crew.handler, case.id, 5, "需调取大厅监控录像")
    extension_id = case.extensions[0].id
    # The leader works at another workstation on the same database.
    second_db = open_test_database(db_url, isolated_home, "ws-2")
    try:
        second = Services(second_db)
        leader = second.auth.login(crew.leader.username, DEFAULT_PASSWORD)
        page = make_page(qtbot, services, crew.handler)
        page.open_case(case.number)
        reply = "张三：您好！经调查，投诉情况不属实。"

        def close(dialog: Any) -> None:
            assert "2026-11-25" in dialog.case_label.text()
            # Meanwhile the leader approves the extension: the case's deadline and version move.
            second.complaints.decide_extension(leader, extension_id, True, "同意")
            dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.FALSE))
            dialog.reply.setPlainText(reply)
            save(qtbot, dialog)
            assert dialog.isVisible() and dialog.reload_button.isVisible()
            assert crew.leader.username in error_line(dialog)
            assert dialog.reply.toPlainText() == reply  # nothing typed is lost
            stored = services.complaints.get(crew.handler, case.id)
            assert stored.state is State.INVESTIGATING and stored.deadline == date(2026, 12, 2)
            qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
            assert "2026-12-02" in dialog.case_label.text()
            assert not dialog.reload_button.isVisible() and error_line(dialog) == ""
            assert dialog.reply.toPlainText() == reply
            save(qtbot, dialog)
            assert not dialog.isVisible()

        drive(close)
        qtbot.mouseClick(page.detail.buttons["close"], Qt.MouseButton.LeftButton)
    finally:
        second_db.dispose()
    closed = services.complaints.get(crew.handler, case.id)
    # Both changes stand: the leader's extension and the handler's closure.
    assert closed.state is State.CLOSED and closed.reply == reply
    assert closed.deadline == date(2026, 12, 2) and closed.extensions[0].new_deadline == date(2026, 12, 2)
    assert page.info is not None and page.info.state is State.CLOSED
    # Who asked and who decided, by their names (the usernames stay what rights compare).
    assert (closed.extensions[0].requested_by_name, closed.extensions[0].decided_by_name) == (
        "周敏",
        "尹百川",
    )
    assert page.detail.extensions.index(0, 1).data() == "周敏"


def test_a_case_found_true_against_a_company_drafts_its_credit_record_prefilled(
    qtbot: Any, services: Services, crew: People, drive: Callable[..., list[str]]
) -> None:
    from desktop_app.domain.credit import RecordKind, RecordSource, Severity
    from desktop_app.services.complaints import Closure

    subject_id = company(services, crew.leader, "天元建设工程有限公司", 7)
    case = services.complaints.register(
        crew.clerk,
        phone_complaint(
            HALL,
            respondent_kind=RespondentKind.SUBJECT,
            respondent_subject_id=subject_id,
            respondent_text="",
            facts="代理机构工作人员在开标现场要求投标人另行缴纳服务费。",
        ),
    ).complaint
    case = services.complaints.accept(
        crew.supervisor, case.id, case.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    case = services.complaints.investigate(crew.handler, case.id, case.version)
    page = make_page(qtbot, services, crew.supervisor)
    page.open_case(case.number)
    assert not page.detail.buttons["credit"].isVisible()  # not before it is found true
    services.complaints.close(
        crew.handler, case.id, case.version, Closure(Outcome.TRUE, "经核实，投诉属实。")
    )
    page.refresh()
    assert page.detail.buttons["credit"].isVisible()

    def record(dialog: Any) -> None:
        assert case.number in dialog.windowTitle()
        assert "天元建设工程有限公司" in dialog.subject_label.text()
        assert dialog.kind.currentData() == RecordKind.BAD
        assert dialog.severity.currentData() == Severity.MINOR
        assert dialog.decision_date.value() == date(2026, 11, 18)
        facts = dialog.facts.toPlainText()
        assert case.number in facts and "另行缴纳服务费" in facts
        assert dialog.authority.text() == services.center.get()["center_name"]
        dialog.legal_basis.setPlainText("《公共资源交易中心服务规范》第十二条")
        save(qtbot, dialog)

    drive(record)
    qtbot.mouseClick(page.detail.buttons["credit"], Qt.MouseButton.LeftButton)
    stored = services.complaints.get(crew.supervisor, case.id)
    assert stored.credit_record_id is not None
    file = services.credit.subject_file(crew.leader, subject_id)
    written = next(r for r in file.records if r.id == stored.credit_record_id)
    assert written.source is RecordSource.COMPLAINT and written.source_ref == case.number
    assert written.kind is RecordKind.BAD and case.number in written.facts
    # The detail names the record; the case's history says it was drafted; no second draft offered.
    assert f"Record #{stored.credit_record_id} in the subject's credit file" in page.detail.text.toPlainText()
    assert stored.events[-1].action == "credit_draft"
    assert not page.detail.buttons["credit"].isVisible()


def test_statistics_tab_is_built_when_shown_and_export_saves_the_filtered_list(
    qtbot: Any, services: Services, crew: People, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    from desktop_app.ui.complaints import stats

    for i in range(3):
        services.complaints.register(
            crew.clerk, phone_complaint(HALL, phone=f"1391234{i:04d}"), receipt=False
        )
    page = make_page(qtbot, services, crew.clerk)
    assert page.stats_view is None  # the chart library is not loaded for a clerk who never looks
    page.tabs.setCurrentWidget(page.stats_tab)
    assert isinstance(page.stats_view, stats.ComplaintStatsView)
    page.tabs.setCurrentIndex(0)
    target = tmp_path / "cases.xlsx"
    monkeypatch.setattr(stats, "choose_path", lambda parent: target)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    sheet = load_workbook(target).active
    assert sheet is not None
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert sum(t.startswith("TS2026-") for t in texts) == 3
    assert "139****0001" in texts and "13912340001" not in " ".join(texts)


def test_the_home_pages_todo_targets_open_their_lists(qtbot: Any, services: Services, crew: People) -> None:
    waiting = services.complaints.register(crew.clerk, phone_complaint(HALL), receipt=False).complaint
    worked = services.complaints.register(
        crew.clerk, phone_complaint(HALL, phone="13900001111"), receipt=False
    ).complaint
    worked = services.complaints.accept(
        crew.supervisor, worked.id, worked.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    services.complaints.request_extension(crew.handler, worked.id, 2, "需外单位补充材料")
    page = make_page(qtbot, services, crew.leader)
    page.show_target("filter:extensions")
    assert shown_numbers(page) == [worked.number]
    page.show_target("filter:registered")
    assert shown_numbers(page) == [waiting.number]
    page.show_target("filter:followups")
    assert shown_numbers(page) == []
    page.mine.toggle()  # a filter of the user's own drops the 待办's list
    page.mine.toggle()
    assert sorted(shown_numbers(page)) == sorted([waiting.number, worked.number])
