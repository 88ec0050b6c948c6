"""The complaint intake form (投诉登记, issue 11 item 2): a phone complaint taken with the keyboard only
from the main window, the duplicate warning, the receipt preview; a refusal at its field with the
form kept filled; drafts that survive closing the window and the idle lock; the live deadline and
the statutory clocks; the form fitting the hall's screens."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.domain.complaints import Category, Channel, RespondentKind, State, Statutory, TimeLimit
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.complaints import intake
from desktop_app.ui.complaints.intake import ComplaintIntakeDialog
from desktop_app.ui.complaints.intake_parts import DuplicatesDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notices.preview import NoticePreviewDialog
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets import modal
from tests.complaint_builders import People, people, phone_complaint
from tests.notices.support import pdf_text

from . import test_layout_fits
from .conftest import MessageBoxes
from .layout_support import layout_problems, window_problems
from .shell_support import error_line, field_error, type_text
from .test_credit_desk import Keys, PrintDialogs
from .test_layout_fits import settle

HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
PHONE = "13812345678"
hall_look = test_layout_fits.hall_look  # the fixture: the hall's font, style and language


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


@pytest.fixture(autouse=True)
def _close_previews(message_boxes: MessageBoxes) -> Any:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, NoticePreviewDialog | ComplaintIntakeDialog) and widget.isVisible():
            widget.done(0)


def activate(qtbot: Any, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def shown(qtbot: Any, dialog: QWidget) -> Any:
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    return dialog


def fill_phone_complaint(dialog: ComplaintIntakeDialog, phone: str = PHONE) -> None:
    dialog.complainant_name.setText("李四")
    dialog.phone.setText(phone)
    dialog.respondent_text.setText("3号窗口")
    dialog.category.setCurrentIndex(dialog.category.findData(Category.ATTITUDE))
    dialog.facts.setPlainText("窗口工作人员态度生硬，拒绝一次性告知所需材料。")
    dialog.request.setPlainText("要求说明情况")


# -- the keyboard flow ---------------------------------------------------------------------------
@pytest.mark.both_databases
def test_a_clerk_takes_a_phone_complaint_with_the_keyboard_only(
    qtbot: Any,
    services: Services,
    crew: People,
    shell_context: ShellContext,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """From the entry desk: Ctrl+Shift+N, the complaint, Ctrl+Enter, the duplicate question (Enter
    links it to the earlier case from the same phone), the receipt's preview (Enter prints)."""
    earlier = services.complaints.register(crew.clerk, phone_complaint(HALL - timedelta(days=3)))
    window = MainWindow(services, crew.clerk, shell_context)
    window.remember_layout = False
    qtbot.addWidget(window)
    activate(qtbot, window)
    keys = Keys(qtbot)
    printed = PrintDialogs(monkeypatch, tmp_path / "receipt.pdf", keys)
    seen: dict[str, Any] = {}

    def form(dialog: ComplaintIntakeDialog) -> None:
        assert dialog.focusWidget() is dialog.complainant_name  # the channel, time, owner are set
        assert dialog.channel.currentData() == Channel.PHONE
        assert dialog.receiver.staff_id() == crew.clerk.staff_id
        type_text(qtbot, dialog.complainant_name, "李四")
        keys.press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.phone
        type_text(qtbot, dialog.phone, PHONE)
        keys.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Respondent: its kind (a window)
        assert dialog.focusWidget() is dialog.respondent_kind
        keys.press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.respondent_text
        type_text(qtbot, dialog.respondent_text, "3号窗口")
        keys.press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # &Category
        keys.press(Qt.Key.Key_Down)
        assert dialog.category.currentData() == Category.ATTITUDE
        keys.press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.facts
        type_text(qtbot, dialog.facts, "窗口工作人员态度生硬，拒绝一次性告知所需材料。")
        keys.press(Qt.Key.Key_Return)  # a new line in the facts, not a save
        assert dialog.isVisible() and dialog.facts.toPlainText().endswith("\n")
        keys.press(Qt.Key.Key_Backspace)  # (not counted below: a correction of the text)
        keys.pressed.pop()
        keys.pressed.pop()
        keys.press(Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.request
        type_text(qtbot, dialog.request, "要求说明情况并道歉")
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saves

    def duplicates(dialog: DuplicatesDialog) -> None:
        seen["duplicates"] = [(hit.number, hit.reason) for hit in dialog.hits]
        keys.press(Qt.Key.Key_Return)  # link to the case chosen (the first)

    def drive(dialog: QDialog) -> bool:
        activate(qtbot, dialog)
        if isinstance(dialog, ComplaintIntakeDialog):
            form(dialog)
        elif isinstance(dialog, DuplicatesDialog):
            duplicates(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", drive)
    window.current_page().setFocus()
    keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    assert seen["duplicates"] == [(earlier.complaint.number, "同一联系电话")]
    preview = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, NoticePreviewDialog) and w.isVisible()
    )
    (tmp_path / "shown.pdf").write_bytes(preview.issued.pdf)
    text = pdf_text(tmp_path / "shown.pdf")
    number = "TS2026-000002"
    assert number in text and "投诉受理回执" in text.replace(" ", "")
    assert PHONE not in text and "138****5678" in text  # masked on both copies
    activate(qtbot, preview)
    qtbot.waitUntil(lambda: preview.isAncestorOf(QApplication.focusWidget()))
    keys.press(Qt.Key.Key_Return)  # print
    qtbot.waitUntil(lambda: not preview.isVisible())
    assert printed.shown == 1

    case = services.complaints.find(crew.clerk, number)
    assert (case.channel, case.category, case.state) == (Channel.PHONE, Category.ATTITUDE, State.REGISTERED)
    assert (case.complainant_name, case.phone_masked) == ("李四", "138****5678")
    assert case.respondent_kind is RespondentKind.WINDOW and case.respondent_text == "3号窗口"
    assert case.facts == "窗口工作人员态度生硬，拒绝一次性告知所需材料。"
    assert case.linked_to_number == earlier.complaint.number
    assert case.receiver_staff_id == crew.clerk.staff_id and case.receipt_numbers == (preview.issued.number,)
    assert services.drafts.load(crew.clerk, intake.DRAFT_FORM) is None  # saved: no draft left
    # The keys besides the typed text, from the entry desk to the printed receipt.
    assert keys.pressed == [
        "ShiftModifier|ControlModifier+Key_N",
        "Key_Tab",
        "AltModifier+Key_R",
        "Key_Tab",
        "AltModifier+Key_C",
        "Key_Down",
        "Key_Tab",
        "Key_Tab",
        "ControlModifier+Key_Return",
        "Key_Return",  # the duplicate question: link
        "Key_Return",  # the preview: print
        "Key_Return (print dialog)",
    ]
    assert keys.count() <= 12
    window.end_session("quit", force=True)


# -- refusals at the field -------------------------------------------------------------------------
def test_a_bad_phone_number_marks_the_field_and_keeps_the_form_filled(
    qtbot: Any, services: Services, crew: People
) -> None:
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    fill_phone_complaint(dialog, phone="1381234")
    dialog.id_number.setText("123")
    qtbot.keyClick(dialog.request, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert "电话" in field_error(dialog, "phone")
    assert field_error(dialog, "id_number")
    assert dialog.focusWidget() is dialog.phone  # the first field at fault (the form's order)
    assert dialog.complainant_name.text() == "李四" and dialog.facts.toPlainText().startswith("窗口")
    assert dialog.category.currentData() == Category.ATTITUDE
    assert services.complaints.count(crew.clerk, _any()) == 0
    dialog.phone.setText(PHONE)  # fixing a field clears its mark only
    assert not field_error(dialog, "phone") and field_error(dialog, "id_number")
    dialog.id_number.clear()
    qtbot.keyClick(dialog.request, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible(), error_line(dialog)
    assert dialog.result_value.complaint.phone_masked == "138****5678"


def test_every_missing_field_is_marked_at_once(qtbot: Any, services: Services, crew: People) -> None:
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    dialog.statutory.setCurrentIndex(dialog.statutory.findData(Statutory.BIDDING))
    dialog.submit()
    marked = {
        name
        for name in ("complainant_name", "phone", "respondent", "project_code", "category", "facts")
        if field_error(dialog, name)
    }
    assert marked == {"complainant_name", "phone", "respondent", "project_code", "category", "facts"}
    dialog.anonymous.setChecked(True)  # anonymous: no name asked, and the name row goes
    assert not dialog.complainant_name.isVisible()
    assert not dialog.form.labelForField(dialog.complainant_name).isVisible()


def _any() -> Any:
    from desktop_app.services.complaints import ComplaintFilter

    return ComplaintFilter()


# -- drafts ------------------------------------------------------------------------------------------
def test_a_draft_survives_closing_the_window_and_is_offered_back(
    qtbot: Any, services: Services, crew: People, message_boxes: MessageBoxes, tmp_path: Path
) -> None:
    proof = tmp_path / "录音记录.txt"
    proof.write_bytes(b"call recording notes" * 10)
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    fill_phone_complaint(dialog)
    dialog.anonymous.setChecked(False)
    dialog.time_limit.setCurrentIndex(dialog.time_limit.findData(TimeLimit.COMPLEX))
    dialog.time_limit_days.setValue(8)
    dialog.evidence.add_paths([proof])
    dialog.close()  # the window's close button: unsaved, so kept
    kept = services.drafts.load(crew.clerk, intake.DRAFT_FORM)
    assert kept is not None and kept[0]["complainant_name"] == "李四"

    message_boxes.answer = message_boxes.answer.Yes
    again = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    assert again.offer_draft()
    assert "Restore" in message_boxes.texts()[-1]
    assert again.complainant_name.text() == "李四" and again.phone.text() == PHONE
    assert again.respondent_text.text() == "3号窗口"
    assert again.category.currentData() == Category.ATTITUDE
    assert again.facts.toPlainText() == "窗口工作人员态度生硬，拒绝一次性告知所需材料。"
    assert (again.time_limit.currentData(), again.time_limit_days.value()) == (TimeLimit.COMPLEX, 8)
    assert again.evidence.paths() == [str(proof)]
    again.submit()
    assert not again.isVisible(), error_line(again)
    saved = again.result_value.complaint
    assert saved.time_limit_days == 8 and [e.filename for e in saved.evidence] == ["录音记录.txt"]
    assert services.drafts.load(crew.clerk, intake.DRAFT_FORM) is None

    empty = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    empty.reject()  # nothing typed: nothing kept, nothing offered
    assert services.drafts.load(crew.clerk, intake.DRAFT_FORM) is None


def test_a_draft_is_kept_while_typing_and_when_the_screen_locks(
    qtbot: Any, services: Services, crew: People, shell_context: ShellContext, message_boxes: MessageBoxes
) -> None:
    window = MainWindow(services, crew.clerk, shell_context)
    window.remember_layout = False
    qtbot.addWidget(window)
    activate(qtbot, window)
    dialog = ComplaintIntakeDialog(services, crew.clerk, window)
    intake.watch_lock(dialog, window)
    dialog.draft_timer.setInterval(20)  # two seconds in the product
    shown(qtbot, dialog)
    type_text(qtbot, dialog.complainant_name, "李四")
    qtbot.waitUntil(lambda: services.drafts.load(crew.clerk, intake.DRAFT_FORM) is not None)
    assert services.drafts.load(crew.clerk, intake.DRAFT_FORM)[0]["complainant_name"] == "李四"  # type: ignore[index]

    dialog.draft_timer.setInterval(60_000)  # from here on only the lock keeps it
    dialog.facts.setPlainText("锁屏前输入的事实")
    window.lock_now()
    assert window.is_locked
    kept = services.drafts.load(crew.clerk, intake.DRAFT_FORM)
    assert kept is not None and kept[0]["facts"] == "锁屏前输入的事实"
    assert dialog.facts.toPlainText() == "锁屏前输入的事实"  # the form itself is untouched
    window.end_session("quit", force=True)


def test_discarding_the_offered_draft_starts_afresh(
    qtbot: Any, services: Services, crew: People, message_boxes: MessageBoxes
) -> None:
    services.drafts.save(crew.clerk, intake.DRAFT_FORM, {"complainant_name": "李四"})
    message_boxes.answer = message_boxes.answer.No
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    assert not dialog.offer_draft()
    assert dialog.complainant_name.text() == ""
    assert services.drafts.load(crew.clerk, intake.DRAFT_FORM) is None


# -- the deadline ----------------------------------------------------------------------------------
def test_the_deadline_follows_the_class_the_days_and_the_statutory_choice(
    qtbot: Any, services: Services, crew: People
) -> None:
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    # Received Wednesday 18 November 2026, counted from the day after.
    assert dialog.time_limit_days.value() == 5
    assert dialog.deadline.text().startswith("2026-11-25")
    dialog.time_limit.setCurrentIndex(dialog.time_limit.findData(TimeLimit.SIMPLE))
    assert dialog.time_limit_days.value() == 2 and dialog.deadline.text().startswith("2026-11-20")
    dialog.time_limit.setCurrentIndex(dialog.time_limit.findData(TimeLimit.COMPLEX))
    assert dialog.time_limit_days.value() == 10 and dialog.deadline.text().startswith("2026-12-02")
    dialog.time_limit_days.setValue(3)  # the days stay editable
    assert dialog.deadline.text().startswith("2026-11-23")
    assert not dialog.statutory_clocks.isVisible()
    dialog.statutory.setCurrentIndex(dialog.statutory.findData(Statutory.BIDDING))
    assert dialog.statutory_clocks.isVisible()
    assert dialog.statutory_clocks.text().splitlines() == [
        "Acceptance decision: by 2026-11-23",
        "Handling decision: by 2026-12-30",
    ]
    # Received late in December: counted into 2027, which has no schedule yet: provisional.
    dialog.received_at.setDateTime(dialog.received_at.dateTime().addDays(42))
    assert "(provisional)" in dialog.deadline.text()


# -- the screen --------------------------------------------------------------------------------------
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(1366, 768)], ids=["1280x800", "1366x768"])
def test_the_form_fits_the_hall_screens(
    qtbot: Any, services: Services, crew: People, hall_look: str, size: QSize, tmp_path: Path
) -> None:
    dialog = shown(qtbot, ComplaintIntakeDialog(services, crew.clerk))
    dialog.statutory.setCurrentIndex(dialog.statutory.findData(Statutory.BIDDING))
    dialog.submit()  # every message under its field: the tallest the form gets
    settle(dialog)
    problems = window_problems(dialog, size) + layout_problems(dialog)
    dialog.grab().save(str(tmp_path / f"intake-{hall_look}-{size.width()}.png"))
    assert problems == [], "\n".join(map(str, problems))
