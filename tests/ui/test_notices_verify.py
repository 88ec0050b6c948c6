"""Help → Verify a notice (Ctrl+Shift+V): number + code, optionally the PDF file; original and 补打."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from desktop_app.domain.roles import Role
from desktop_app.notices.base import IssueStamp
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.notices import IssuedDocument
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notices.preview import NoticePreviewDialog
from desktop_app.ui.notices.verify import VerifyNoticeDialog
from desktop_app.ui.shell import ShellContext

from .conftest import MessageBoxes
from .notices_support import audit_entries, official_notice, pdf_text, receipt, summary
from .shell_support import error_line, field_error, press_enter, rows, type_text

pytestmark = pytest.mark.usefixtures("message_boxes")


def open_verify(qtbot: Any, services: Services, actor: CurrentUser) -> VerifyNoticeDialog:
    dialog = VerifyNoticeDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def field(dialog: VerifyNoticeDialog, name: str) -> QLineEdit:
    found = dialog.findChild(QLineEdit, name)
    assert found is not None, name
    return found


def text_of(dialog: VerifyNoticeDialog, name: str) -> str:
    found = dialog.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def button(dialog: VerifyNoticeDialog, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None, name
    return found


def check(qtbot: Any, dialog: VerifyNoticeDialog, number: str, code: str) -> Any:
    """Type like the clerk: number, Tab, code, Enter."""
    for name, value in (("number", number), ("code", code)):
        widget = field(dialog, name)
        widget.clear()
        type_text(qtbot, widget, value)
    with qtbot.waitSignal(dialog.verified) as done:
        press_enter(qtbot, field(dialog, "code"))
    return done.args[0]


def test_ctrl_shift_v_opens_the_verify_dialog_from_the_main_window(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    zh_ui: None,
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = MainWindow(services, clerk, shell_context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.verify_notice_action.text() == "验证文书(&V)…"
    qtbot.keyClick(
        window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = window.dialog
    assert isinstance(dialog, VerifyNoticeDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "验证文书"
    assert dialog.focusWidget() is field(dialog, "number")
    for name in ("number", "code", "pdf_file"):
        assert field(dialog, name).accessibleName()
    assert not dialog.findChild(QLabel, "verdict").isVisible()  # nothing checked yet


def test_a_genuine_notice_shows_true_and_what_it_said(
    qtbot: Any, services: Services, admin: CurrentUser, core: ModuleType, zh_ui: None
) -> None:
    issued = services.notices.issue(admin, "official_notice", official_notice())
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = open_verify(qtbot, services, clerk)
    # As read off the paper: lower case, without dashes, O for 0 (the code has none: base32).
    typed = issued.verify_code.replace("-", "").lower()
    result = check(qtbot, dialog, issued.number.lower(), typed)
    assert result.genuine
    assert text_of(dialog, "verdict") == "真实有效"
    assert dialog.findChild(QLabel, "verdict").isVisible()
    assert text_of(dialog, "reason") == "真实有效：编号、验证码与档案一致。"
    assert text_of(dialog, "result_number") == issued.number
    assert text_of(dialog, "result_doc_label") == "通知通报"
    assert text_of(dialog, "result_title") == official_notice().title  # the document's own title
    assert text_of(dialog, "result_issued_by") == "系统管理员"  # the name; the login stays in the audit
    assert text_of(dialog, "result_reprints") == "无"
    issued_at = result.issued_at.astimezone()
    assert text_of(dialog, "result_issued_at") == (
        f"{issued_at.year}年{issued_at.month}月{issued_at.day}日 {issued_at:%H:%M}"
    )
    content = dialog.findChild(QPlainTextEdit, "result_content").toPlainText()
    notice = official_notice()
    for line in (notice.title, notice.doc_number, notice.paragraphs[0]):
        assert line in content
    assert button(dialog, "view_original").isEnabled() and button(dialog, "reprint").isEnabled()
    entries = audit_entries(services, "notice.verify")
    assert [(e.username, e.object_id) for e in entries] == [("clerk", issued.number)]
    assert summary(entries[0])["genuine"] is True

    # Changing the input takes the old answer away.
    type_text(qtbot, field(dialog, "code"), "X")
    assert not dialog.findChild(QLabel, "verdict").isVisible()
    assert not button(dialog, "reprint").isEnabled()


def test_a_wrong_code_or_an_unknown_number_is_not_genuine(
    qtbot: Any, services: Services, admin: CurrentUser, zh_ui: None
) -> None:
    issued = services.notices.issue(admin, "receipt", receipt())
    dialog = open_verify(qtbot, services, admin)
    wrong = "AAAA-AAAA-AAAA" if issued.verify_code != "AAAA-AAAA-AAAA" else "BBBB-BBBB-BBBB"
    result = check(qtbot, dialog, issued.number, wrong)
    assert not result.genuine
    assert text_of(dialog, "verdict") == "不是真实文书"
    assert "验证码与该编号不符" in text_of(dialog, "reason")
    assert not dialog.findChild(QPlainTextEdit, "result_content").isVisible()
    assert not button(dialog, "view_original").isEnabled()
    assert not button(dialog, "reprint").isEnabled()

    check(qtbot, dialog, "HZ1999-000042", issued.verify_code)
    assert text_of(dialog, "verdict") == "不是真实文书"
    assert text_of(dialog, "reason") == "查无此编号的文书。"
    assert [summary(e)["genuine"] for e in audit_entries(services, "notice.verify")] == [False, False]


def test_a_scanned_qr_code_fills_both_fields(
    qtbot: Any, services: Services, admin: CurrentUser, zh_ui: None
) -> None:
    """A barcode scanner types the QR payload into the number field and presses Enter."""
    issued = services.notices.issue(admin, "receipt", receipt())
    payload = IssueStamp(issued.number, issued.verify_code, datetime.now(UTC)).qr_payload
    dialog = open_verify(qtbot, services, admin)
    type_text(qtbot, field(dialog, "number"), payload)
    with qtbot.waitSignal(dialog.verified) as done:
        press_enter(qtbot, field(dialog, "number"))
    assert done.args[0].genuine
    assert field(dialog, "number").text() == issued.number
    assert field(dialog, "code").text() == issued.verify_code
    assert text_of(dialog, "verdict") == "真实有效"


def test_empty_fields_are_pointed_at_without_asking_the_archive(
    qtbot: Any, services: Services, admin: CurrentUser, zh_ui: None
) -> None:
    dialog = open_verify(qtbot, services, admin)
    press_enter(qtbot, field(dialog, "number"))
    assert field_error(dialog, "number") == "请输入文书上印的编号。"
    assert error_line(dialog) == "请输入文书上印的编号。"
    type_text(qtbot, field(dialog, "number"), "CS2026-000001")
    press_enter(qtbot, field(dialog, "number"))
    assert field_error(dialog, "code") == "请输入文书上印的验证码。"
    assert field(dialog, "number").text() == "CS2026-000001"  # nothing typed is lost
    assert audit_entries(services, "notice.verify") == []


def test_a_chosen_file_is_checked_byte_for_byte(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    zh_ui: None,
) -> None:
    issued = services.notices.issue(admin, "official_notice", official_notice())
    unchanged = tmp_path / "unchanged.pdf"
    unchanged.write_bytes(issued.pdf)
    altered = bytearray(issued.pdf)
    middle = len(altered) // 2
    altered[middle] = (altered[middle] + 1) % 256
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(altered))
    chosen: list[Path] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(chosen[-1]), "PDF"))
    dialog = open_verify(qtbot, services, admin)

    chosen.append(unchanged)
    qtbot.mouseClick(button(dialog, "choose_file"), Qt.MouseButton.LeftButton)
    assert field(dialog, "pdf_file").text() == str(unchanged)
    assert check(qtbot, dialog, issued.number, issued.verify_code).genuine
    assert text_of(dialog, "verdict") == "真实有效"

    chosen.append(changed)
    qtbot.mouseClick(button(dialog, "choose_file"), Qt.MouseButton.LeftButton)
    assert not dialog.findChild(QLabel, "verdict").isVisible()  # the answer was for the other file
    with qtbot.waitSignal(dialog.verified) as done:
        qtbot.mouseClick(button(dialog, "verify"), Qt.MouseButton.LeftButton)
    assert not done.args[0].genuine
    assert text_of(dialog, "verdict") == "不是真实文书"
    assert "文件内容与本中心出具的文书不一致" in text_of(dialog, "reason")
    # The number and code are right: what the archive holds is still shown, to compare with the file.
    assert button(dialog, "view_original").isEnabled()
    assert [summary(e)["file"] for e in audit_entries(services, "notice.verify")] == [True, True]

    # Without the file the paper itself checks out.
    qtbot.mouseClick(button(dialog, "clear_file"), Qt.MouseButton.LeftButton)
    assert field(dialog, "pdf_file").text() == ""
    qtbot.mouseClick(button(dialog, "verify"), Qt.MouseButton.LeftButton)
    assert text_of(dialog, "verdict") == "真实有效"

    # A file that cannot be read is said so at the file field.
    chosen.append(tmp_path / "gone.pdf")
    qtbot.mouseClick(button(dialog, "choose_file"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(dialog, "verify"), Qt.MouseButton.LeftButton)
    assert field_error(dialog, "pdf_file").startswith("无法读取该文件")
    assert len(audit_entries(services, "notice.verify")) == 3


def test_view_the_archived_original_and_reprint_from_the_verify_dialog(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    core: ModuleType,
    message_boxes: MessageBoxes,
    zh_ui: None,
) -> None:
    issued = services.notices.issue(admin, "official_notice", official_notice())
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = open_verify(qtbot, services, clerk)
    check(qtbot, dialog, issued.number, issued.verify_code)

    qtbot.mouseClick(button(dialog, "view_original"), Qt.MouseButton.LeftButton)
    original = dialog.preview
    assert isinstance(original, NoticePreviewDialog)
    qtbot.waitUntil(lambda: original.isVisible() and original.view.rendered_pages() == [1])
    assert original.issued.pdf == issued.pdf
    assert original.issued.verify_code == issued.verify_code
    assert original.findChild(QPushButton, "reprint").isVisible()
    assert not original.findChild(QLabel, "reprint_mark").isVisible()
    qtbot.keyClick(original, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not original.isVisible())

    with qtbot.waitSignal(dialog.reprinted) as made:
        qtbot.mouseClick(button(dialog, "reprint"), Qt.MouseButton.LeftButton)
    assert message_boxes.calls[-1][0] == "question" and issued.number in message_boxes.calls[-1][1]
    copy: IssuedDocument = made.args[0]
    assert copy.reprint and copy.number == issued.number
    preview = dialog.preview
    assert preview is not original and preview.issued is copy
    qtbot.waitUntil(lambda: preview.isVisible() and preview.view.rendered_pages() == [1])
    assert preview.findChild(QLabel, "reprint_mark").isVisible()
    text = pdf_text(copy.pdf)
    assert "补打" in text and issued.number in text
    entries = audit_entries(services, "notice.reprint")
    assert [(e.username, e.object_id) for e in entries] == [("clerk", issued.number)]
    assert rows(services, "SELECT reprints FROM notices")[0].reprints == 1
    assert text_of(dialog, "result_reprints") == "1"

    # The reprinted copy is itself a genuine copy of the hall.
    assert services.notices.verify(clerk, issued.number, issued.verify_code, copy.pdf).genuine
