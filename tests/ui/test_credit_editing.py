"""Dialogs that change credit files and the credit files page, driven through their widgets and
checked on screen and in the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from desktop_app import clock
from desktop_app.domain.credit import RecordKind, RecordStatus, Severity, SubjectKind, period_end
from desktop_app.domain.identifiers import id_check_char, uscc_check_char
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import ContactInput, RecordInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.ui.credit import editing
from desktop_app.ui.credit.editing import RecordDialog, SubjectDialog
from desktop_app.ui.credit.files import CreditFilesPage
from desktop_app.ui.widgets import modal
from tests.ui.test_admin_page import error_line, field_error, rows, table_texts, type_text

GOOD_USCC = "91440101MA5CXXXX0" + uscc_check_char("91440101MA5CXXXX0")
BAD_USCC = GOOD_USCC[:17] + ("1" if GOOD_USCC[17] != "1" else "2")
EXPERT_ID = "11010519491231002" + id_check_char("11010519491231002")


@pytest.fixture
def host(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


Script = Callable[[Any], None]


@pytest.fixture
def drive(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> Callable[..., list[str]]:
    """``drive(script, ...)``: each modal dialog the editing functions open is shown and handed to
    the next script, which works it like a user; the dialog's class names are returned."""
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


def save(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def company(services: Services, actor: CurrentUser, name: str = "天河华建建筑工程有限公司") -> int:
    return services.credit.create_subject(actor, SubjectInput(SubjectKind.BIDDER, name, uscc=GOOD_USCC)).id


def record(services: Services, actor: CurrentUser, subject_id: int, **kw: Any) -> int:
    data = {
        "kind": RecordKind.BAD,
        "severity": Severity.GENERAL,
        "decision_date": clock.today() - timedelta(days=200),
        "facts": "投标文件弄虚作假",
        "authority": "市公共资源交易监督管理局",
        "decision_number": "穗公管罚〔2026〕1号",
        **kw,
    }
    return services.credit.add_record(actor, RecordInput(subject_id, **data)).id


def audit_actions(services: Services) -> list[str]:
    return [r.action for r in rows("SELECT action FROM audit_log ORDER BY seq", services)]


# -- subjects -------------------------------------------------------------------------------------
def test_bad_uscc_is_refused_at_its_field_then_saved_with_an_override_reason(
    qtbot: Any, host: QWidget, services: Services, supervisor: CurrentUser, drive: Any
) -> None:
    def work(dialog: SubjectDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.BIDDER))
        assert not dialog.expert_no.isVisible() and not dialog.id_number.isVisible()
        type_text(qtbot, dialog.name, "广州穗安工程咨询有限公司")
        qtbot.keyClicks(dialog.uscc, BAD_USCC.lower())
        qtbot.mouseClick(dialog.add_alias, Qt.MouseButton.LeftButton)
        dialog.aliases.item(0, 0).setText("穗安咨询")
        dialog.aliases.cellWidget(0, 1).setCurrentIndex(1)  # short name
        qtbot.keyClick(dialog.uscc, Qt.Key.Key_Return)

        # Refused at the USCC field; everything typed is still there.
        assert dialog.isVisible()
        assert "校验位" in field_error(dialog, "uscc")
        assert "校验例外说明" in error_line(dialog)
        assert dialog.focusWidget() is dialog.uscc
        assert dialog.name.text() == "广州穗安工程咨询有限公司"
        assert dialog.uscc.text() == BAD_USCC.lower()
        assert dialog.aliases.item(0, 0).text() == "穗安咨询"

        type_text(qtbot, dialog.override_reason, "已核对营业执照原件，代码真实")
        qtbot.keyClick(dialog.uscc, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    opened = drive(work)
    subject_id = editing.edit_subject(host, services, supervisor)
    assert opened == ["SubjectDialog"] and subject_id is not None

    stored = services.credit.subject(subject_id)
    assert stored.uscc == BAD_USCC
    assert stored.identifier_override_reason == "已核对营业执照原件，代码真实"
    assert [(a.name, a.kind) for a in stored.aliases] == [("穗安咨询", "short")]
    override = rows(
        "SELECT object_id, summary FROM audit_log WHERE action = 'credit.identifier_override'", services
    )
    assert len(override) == 1 and override[0].object_id == str(subject_id)
    assert "已核对营业执照原件" in override[0].summary


def test_editing_keeps_personal_data_that_is_not_retyped(
    qtbot: Any, host: QWidget, services: Services, supervisor: CurrentUser, leader: CurrentUser, drive: Any
) -> None:
    expert = services.credit.create_subject(
        supervisor,
        SubjectInput(
            SubjectKind.EXPERT,
            "李建国",
            id_number=EXPERT_ID,
            phone="13812345678",
            expert_no="GZ-0012",
            specialty="房建",
            contacts=(ContactInput("王秘书", "助理", "13900001111"),),
        ),
    )

    def work(dialog: SubjectDialog) -> None:
        assert dialog.expert_no.isVisible() and dialog.pool_status.isVisible()
        assert not dialog.uscc.isVisible()
        assert dialog.id_number.text() == "" and expert.id_number_masked in dialog.id_number.placeholderText()
        assert dialog.phone.text() == "" and expert.phone_masked in dialog.phone.placeholderText()
        assert dialog.expert_no.text() == "GZ-0012"
        assert dialog.contacts.item(0, 0).text() == "王秘书"
        assert dialog.contacts.item(0, 2).text() == ""
        dialog.specialty.selectAll()
        type_text(qtbot, dialog.specialty, "市政")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert not dialog.isVisible(), error_line(dialog)

    drive(work)
    assert editing.edit_subject(host, services, supervisor, expert.id) == expert.id
    after = services.credit.subject(expert.id)
    assert after.specialty == "市政"
    assert after.id_number_masked == expert.id_number_masked
    assert services.credit.reveal_personal_data(leader, expert.id, "id_number", "核对身份") == EXPERT_ID
    assert services.credit.reveal_personal_data(leader, expert.id, "phone", "核对身份") == "13812345678"
    assert [c.phone_masked for c in after.contacts] == [expert.contacts[0].phone_masked]
    assert expert.contacts[0].phone_masked


def test_reveal_personal_data_asks_a_reason_and_shows_the_value(
    qtbot: Any, host: QWidget, services: Services, supervisor: CurrentUser, drive: Any, message_boxes: Any
) -> None:
    expert = services.credit.create_subject(
        supervisor, SubjectInput(SubjectKind.EXPERT, "李建国", id_number=EXPERT_ID, expert_no="GZ-1")
    )

    def work(dialog: Any) -> None:
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert dialog.isVisible() and "原因" in field_error(dialog, "reason")
        type_text(qtbot, dialog.reason, "核对投诉人身份")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    drive(work)
    assert editing.reveal_personal_data(host, services, supervisor, expert.id, "id_number") == EXPERT_ID
    assert any(EXPERT_ID in text for text in message_boxes.texts())
    unmask = rows("SELECT summary FROM audit_log WHERE action = 'pii.unmask'", services)
    assert len(unmask) == 1 and json.loads(unmask[0].summary)["reason"] == "核对投诉人身份"


# -- records --------------------------------------------------------------------------------------
def set_date(widget: Any, day: date) -> None:
    widget.setDate(QDate(day.year, day.month, day.day))


def test_record_dialog_fills_defaults_from_the_catalogue_unless_typed(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    subject_id = company(services, supervisor)
    dialog = RecordDialog(services, supervisor, subject_id)
    qtbot.addWidget(dialog)
    dialog.show()
    decided = date(2026, 5, 10)
    combo_kind = dialog.kind
    combo_kind.setCurrentIndex(combo_kind.findData(RecordKind.BAD))
    dialog.severity.setCurrentIndex(dialog.severity.findData(Severity.GENERAL))
    set_date(dialog.decision_date, decided)
    # Catalogue (seed): bad/general published 3 to 12 months, 5 points.
    assert dialog.publicity_min_end.value() == period_end(decided, 3)
    assert dialog.publicity_end.value() == period_end(decided, 12)
    assert dialog.points.value() == 5
    assert not dialog.ban_start.isVisible()

    dialog.points.setValue(7)  # the user's own value stays
    dialog.severity.setCurrentIndex(dialog.severity.findData(Severity.SERIOUS))
    assert dialog.points.value() == 7
    assert dialog.publicity_end.value() == period_end(decided, 36)

    dialog.kind.setCurrentIndex(dialog.kind.findData(RecordKind.BAN))
    assert dialog.ban_start.isVisible() and dialog.ban_end.isVisible()
    assert dialog.ban_start.value() == decided
    assert dialog.ban_end.value() == period_end(decided, 24)  # ban/serious: 24 months
    assert dialog.hint.isVisible() and "leader" in dialog.hint.text()


def test_supervisor_ban_waits_and_a_leader_confirms_it_on_the_files_page(
    qtbot: Any,
    host: QWidget,
    services: Services,
    supervisor: CurrentUser,
    leader: CurrentUser,
    drive: Any,
    message_boxes: Any,
) -> None:
    subject_id = company(services, supervisor)

    def work(dialog: RecordDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(RecordKind.BAN))
        assert "leader" in dialog.hint.text()
        type_text(qtbot, dialog.facts, "串通投标")
        save(qtbot, dialog)
        assert dialog.isVisible() and field_error(dialog, "decision_number")
        type_text(qtbot, dialog.decision_number, "穗公管罚〔2026〕12号")
        type_text(qtbot, dialog.authority, "市公共资源交易监督管理局")
        qtbot.keyClick(dialog.authority, Qt.Key.Key_Return)
        assert not dialog.isVisible(), error_line(dialog)

    drive(work)
    record_id = editing.add_record(host, services, supervisor, subject_id)
    assert record_id is not None
    assert services.credit.record(record_id).status == RecordStatus.PENDING
    assert any("waits" in text for text in message_boxes.texts())

    # The supervisor sees their own pending record, without the leader's buttons.
    own = CreditFilesPage(services, supervisor)
    qtbot.addWidget(own)
    assert own.pending.confirm_button is None
    assert [r[0] for r in table_texts(own.pending.view)] == ["天河华建建筑工程有限公司"]

    page = CreditFilesPage(services, leader)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    shown = table_texts(page.pending.view)
    assert len(shown) == 1 and "穗公管罚〔2026〕12号" in shown[0]
    assert "(1)" in page.tabs.tabText(0)
    page.pending.view.selectRow(0)
    assert page.pending.confirm_button is not None and page.pending.confirm_button.isEnabled()
    qtbot.mouseClick(page.pending.confirm_button, Qt.MouseButton.LeftButton)
    assert message_boxes.calls[-1][0] == "question"

    stored = services.credit.record(record_id)
    assert stored.status == RecordStatus.CONFIRMED and stored.confirmed_by == "leader1"
    assert table_texts(page.pending.view) == []
    assert page.pending.status.isVisible()
    assert "credit.record.confirm" in audit_actions(services)
    assert services.credit.assess(subject_id).verdict.value == "banned"


def test_leader_declines_with_a_reason(
    qtbot: Any, services: Services, supervisor: CurrentUser, leader: CurrentUser, drive: Any
) -> None:
    subject_id = company(services, supervisor)
    record_id = record(services, supervisor, subject_id, kind=RecordKind.SERIOUS, severity=Severity.SERIOUS)
    page = CreditFilesPage(services, leader)
    qtbot.addWidget(page)
    page.show()  # as the leader sees it: a page on screen refreshes when the decline is announced
    qtbot.waitExposed(page)
    page.pending.view.selectRow(0)

    def work(dialog: Any) -> None:
        type_text(qtbot, dialog.reason, "证据不足")
        save(qtbot, dialog)

    drive(work)
    assert page.pending.decline_button is not None
    qtbot.mouseClick(page.pending.decline_button, Qt.MouseButton.LeftButton)
    stored = services.credit.record(record_id)
    assert stored.status == RecordStatus.DECLINED and stored.closed_reason == "证据不足"
    assert table_texts(page.pending.view) == []


def test_revoke_asks_a_reason(
    qtbot: Any, host: QWidget, services: Services, supervisor: CurrentUser, drive: Any
) -> None:
    record_id = record(services, supervisor, company(services, supervisor))

    def work(dialog: Any) -> None:
        save(qtbot, dialog)
        assert dialog.isVisible() and "撤销理由" in field_error(dialog, "reason")
        type_text(qtbot, dialog.reason, "录入错误")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    drive(work)
    assert editing.revoke_record(host, services, supervisor, record_id)
    stored = services.credit.record(record_id)
    assert stored.status == RecordStatus.REVOKED and stored.closed_reason == "录入错误"
    assert "credit.record.revoke" in audit_actions(services)


def test_repair_request_then_approval(
    qtbot: Any, host: QWidget, services: Services, supervisor: CurrentUser, drive: Any
) -> None:
    record_id = record(services, supervisor, company(services, supervisor))  # 200 days ago, min 3 months

    def ask(dialog: Any) -> None:
        assert dialog.applicant.text() == "天河华建建筑工程有限公司"
        assert "minimum publicity" in dialog.hint.text()
        type_text(qtbot, dialog.materials, "信用修复申请书、整改报告")
        save(qtbot, dialog)

    drive(ask)
    assert editing.request_repair(host, services, supervisor, record_id)
    repair = services.credit.record(record_id).repairs[0]
    assert repair.status == "requested" and repair.materials == "信用修复申请书、整改报告"

    def decide(dialog: Any) -> None:
        assert "信用修复申请书" in dialog.findChild(QWidget, "application").text()
        assert dialog.approve.currentData() is True
        type_text(qtbot, dialog.decision_number, "穗公管修〔2026〕3号")
        qtbot.keyClick(dialog.decision_number, Qt.Key.Key_Return)

    drive(decide)
    assert editing.decide_repair(host, services, supervisor, repair.id)  # as the lookup page calls it
    stored = services.credit.record(record_id)
    assert stored.status == RecordStatus.REPAIRED and stored.repaired_on == clock.today()
    assert stored.repairs[0].status == "approved"


def test_attachments_are_added_and_saved_as_copies(
    qtbot: Any,
    host: QWidget,
    services: Services,
    supervisor: CurrentUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: Any,
) -> None:
    record_id = record(services, supervisor, company(services, supervisor))
    source = tmp_path / "处罚决定书.pdf"
    source.write_bytes(b"%PDF-1.4 decision")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    assert editing.add_attachment(host, services, supervisor, record_id)
    attached = services.credit.record(record_id).attachments
    assert [a.filename for a in attached] == ["处罚决定书.pdf"]

    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    message_boxes.answer = QMessageBox.StandardButton.No
    editing.open_attachment(host, services, supervisor, attached[0].id)
    assert target.read_bytes() == b"%PDF-1.4 decision"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert not editing.add_attachment(host, services, supervisor, record_id)


def test_new_subject_from_the_files_page_with_ctrl_n_path(
    qtbot: Any, services: Services, supervisor: CurrentUser, drive: Any, message_boxes: Any
) -> None:
    page = CreditFilesPage(services, supervisor)
    qtbot.addWidget(page)

    def work(dialog: SubjectDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(SubjectKind.AGENCY))
        type_text(qtbot, dialog.name, "广东众诚招标代理有限公司")
        qtbot.keyClicks(dialog.uscc, GOOD_USCC)
        qtbot.keyClick(dialog.uscc, Qt.Key.Key_Return)

    drive(work)
    message_boxes.answer = QMessageBox.StandardButton.No
    page.new_item()
    found = rows("SELECT kind, uscc FROM credit_subjects WHERE name = '广东众诚招标代理有限公司'", services)
    assert [(r.kind, r.uscc) for r in found] == [("agency", GOOD_USCC)]
    assert "广东众诚招标代理有限公司" in page.pending.status.text()


def test_every_input_is_named_and_the_dialogs_speak_chinese(
    qtbot: Any, services: Services, supervisor: CurrentUser, leader: CurrentUser, zh_ui: None
) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QPushButton,
        QTableView,
    )

    from desktop_app.ui.credit.editing import RepairDecisionDialog, RepairRequestDialog, RevealDialog

    subject_id = company(services, supervisor)
    record_id = record(services, supervisor, subject_id)
    repair = services.credit.request_repair(supervisor, record_id, clock.today(), "华建", "整改报告")
    subject = SubjectDialog(services, supervisor, None)
    subject.add_alias_row("天河华建", "short")
    subject.add_contact_row("王秘书", "助理")
    forms: list[QWidget] = [
        subject,
        SubjectDialog(services, supervisor, subject_id),
        RecordDialog(services, supervisor, subject_id),
        RepairRequestDialog(services, supervisor, record_id),
        RepairDecisionDialog(services, supervisor, repair.id),
        RevealDialog(services, supervisor, subject_id, "phone"),
        CreditFilesPage(services, leader),
    ]
    for form in forms:
        qtbot.addWidget(form)
    inputs = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QPlainTextEdit, QTableView)
    checked = 0
    for form in forms:
        for widget in form.findChildren(QWidget):
            if not isinstance(widget, inputs) or widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget.parent(), QAbstractSpinBox | QComboBox | QLineEdit):
                continue
            if isinstance(widget, QAbstractButton) and isinstance(widget.parent(), QAbstractItemView):
                continue  # the table's corner button
            assert widget.objectName(), f"{type(widget).__name__} in {type(form).__name__} has no objectName"
            spoken = widget.text() if isinstance(widget, QPushButton) else widget.accessibleName()
            assert spoken, f"{widget.objectName()} in {type(form).__name__}"
            checked += 1
    assert checked > 60
    assert subject.windowTitle() == "新建信用主体"
    assert subject.form.labelForField(subject.override_reason).text() == "校验例外说明："
    assert [subject.kind.itemText(i) for i in range(subject.kind.count())] == [
        "代理机构",
        "投标人",
        "供应商",
        "竞买人",
        "评标专家",
        "工作人员",
    ]
    files = forms[-1]
    assert isinstance(files, CreditFilesPage)
    assert files.tabs.tabText(0) == "待领导确认"
    assert files.new_subject_button.text() == "新建主体…"


def test_import_buttons_open_the_import_dialogs(
    qtbot: Any, services: Services, supervisor: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.ui.credit import importing

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        importing, "import_file", lambda parent, s, actor, kind: calls.append(("import", kind))
    )
    monkeypatch.setattr(
        importing, "save_template", lambda parent, s, actor, kind: calls.append(("template", kind))
    )
    page = CreditFilesPage(services, supervisor)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.import_subjects_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.import_records_button, Qt.MouseButton.LeftButton)
    page.save_template("records")
    assert calls == [("import", "subjects"), ("import", "records"), ("template", "records")]


def test_recently_changed_records_show_their_state_today(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    sid = company(services, supervisor)
    kept = record(services, supervisor, sid)
    withdrawn = record(services, supervisor, sid, facts="录入错误的记录")
    services.credit.revoke_record(supervisor, withdrawn, "重复录入", None)
    page = CreditFilesPage(services, supervisor)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.recent)
    model = page.recent.model
    rows = {model.record(r).record.id: r for r in range(model.rowCount())}
    assert set(rows) == {kept, withdrawn}
    assert model.record(0).record.id == withdrawn  # changed last, shown first
    state = [
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "State"
    ]
    assert model.index(rows[withdrawn], state[0]).data() == "Revoked"  # the English interface's word
    muted = model.index(rows[withdrawn], 0).data(Qt.ItemDataRole.ForegroundRole)
    assert muted is not None and model.index(rows[kept], 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_a_mistyped_year_or_an_overlong_note_is_refused_at_its_field_and_nothing_is_lost(
    qtbot: Any, services: Services, supervisor: CurrentUser
) -> None:
    subject_id = company(services, supervisor)
    dialog = RecordDialog(services, supervisor, subject_id)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.facts, "未按时递交原件")
    set_date(dialog.decision_date, date(clock.today().year + 36, 3, 1))  # 2026 typed as 2062
    save(qtbot, dialog)
    assert dialog.isVisible() and field_error(dialog, "decision_date")
    assert "核对年份" in error_line(dialog)
    assert dialog.facts.toPlainText() == "未按时递交原件"
    set_date(dialog.decision_date, clock.today() - timedelta(days=10))
    dialog.publicity_end.set_value(date(2206, 1, 1))
    save(qtbot, dialog)
    assert dialog.isVisible() and field_error(dialog, "publicity_end")
    assert services.credit.subject_file(supervisor, subject_id).records == ()

    subject = SubjectDialog(services, supervisor, subject_id)
    qtbot.addWidget(subject)
    subject.show()
    long_note = "备注" * 2500
    subject.note.setPlainText(long_note)
    save(qtbot, subject)
    assert subject.isVisible() and field_error(subject, "note")
    assert "2000" in error_line(subject) and subject.note.toPlainText() == long_note
    assert services.credit.subject(subject_id).note == ""
