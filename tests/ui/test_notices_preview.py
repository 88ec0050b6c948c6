"""The notice preview: the test page from the Help menu, pages on screen, Save as PDF, Print, 补打."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMenu, QPushButton

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.notices import IssuedDocument
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notices.preview import NoticePreviewDialog
from desktop_app.ui.shell import ShellContext

from .conftest import MessageBoxes
from .notices_support import (
    audit_entries,
    official_notice,
    pdf_pages,
    pdf_text,
    receipt,
    summary,
    table_report,
)
from .shell_support import rows

pytestmark = pytest.mark.usefixtures("message_boxes")


def open_window(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> MainWindow:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_preview(
    qtbot: Any, services: Services, actor: CurrentUser, issued: IssuedDocument, allow_reprint: bool = False
) -> NoticePreviewDialog:
    dialog = NoticePreviewDialog(services, actor, issued, allow_reprint=allow_reprint)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # its shortcuts (Ctrl+P, Ctrl+S, Esc) work in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: 1 in dialog.view.rendered_pages())
    return dialog


def button(dialog: QDialog, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None, name
    return found


def label_text(dialog: QDialog, name: str) -> str:
    found = dialog.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


class FakePrintDialog:
    """QPrintDialog.exec patched: the printer writes a PDF into tmp_path, so nothing reaches a real
    printer; ``setup`` may choose a page range or copies as the user would in the dialog."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, output: Path, accept: bool = True) -> None:
        self.output = output
        self.shown = 0
        self.setup: Any = None

        def fake_exec(dialog: QPrintDialog) -> int:
            self.shown += 1
            printer = dialog.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.output))
            if self.setup is not None:
                self.setup(printer)
            return int(QDialog.DialogCode.Accepted if accept else QDialog.DialogCode.Rejected)

        monkeypatch.setattr(QPrintDialog, "exec", fake_exec)


# -- the test page from the Help menu ---------------------------------------------------------------
def test_print_test_page_from_the_help_menu_issues_a_numbered_notice_and_previews_it(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    zh_ui: None,
) -> None:
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    window = open_window(qtbot, services, clerk, shell_context)
    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "帮助(&H)")
    names = [a.objectName() for a in help_menu.actions()]
    assert names[:2] == ["action_test_page", "action_verify_notice"]
    action = window.findChild(QAction, "action_test_page")
    assert action.text() == "打印测试页(&T)…" and action.isEnabled()

    action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, NoticePreviewDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.view.rendered_pages() == [1])

    notices = rows(services, "SELECT number, doc_type, issued_by, workstation, title FROM notices")
    assert len(notices) == 1
    notice = notices[0]
    assert (notice.doc_type, notice.issued_by, notice.workstation) == ("test_page", "clerk", "ws-test")
    assert notice.number.startswith("CS") and notice.number.endswith("-000001")
    issued = audit_entries(services, "notice.issue")
    assert [(e.username, e.object_type, e.object_id) for e in issued] == [("clerk", "notice", notice.number)]
    assert summary(issued[0])["doc_type"] == "test_page"

    # The header says which notice this is; the page is on screen.
    assert dialog.issued.number == notice.number
    assert label_text(dialog, "notice_number") == f"编号：{notice.number}"
    assert label_text(dialog, "verify_code") == f"验证码：{dialog.issued.verify_code}"
    assert label_text(dialog, "notice_title") == "打印测试页"
    assert label_text(dialog, "page_count") == "共 1 页"
    assert dialog.page_count() == 1
    assert not dialog.findChild(QLabel, "reprint_mark").isVisible()
    assert not button(dialog, "reprint").isVisible()  # a new notice has nothing to 补打
    page = dialog.findChild(QLabel, "page_1")
    assert page.pixmap() is not None and not page.pixmap().isNull()
    assert page.width() > 300 and abs(page.height() / page.width() - 297 / 210) < 0.01  # A4, upright

    # What the page says: the center's name, this workstation, the operator, the number.
    text = pdf_text(dialog.issued.pdf)
    for expected in (str(services.center.get()["center_name"]), "ws-test", "clerk", notice.number):
        assert expected in text

    # Esc closes; a second test page takes the next number.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    action.trigger()
    qtbot.waitUntil(lambda: window.dialog.isVisible())
    assert window.dialog.issued.number.endswith("-000002")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.HALL_STAFF], ids=lambda r: r.value)
def test_every_role_may_print_a_test_page(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
) -> None:
    actor = core.make_user(services, admin, "someone", role)
    window = open_window(qtbot, services, actor, shell_context)
    dialog = window.print_test_page()
    assert isinstance(dialog, NoticePreviewDialog)
    assert [e.username for e in audit_entries(services, "notice.issue")] == ["someone"]


def test_the_audit_admin_only_reads_no_test_page(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    """A test page takes a number (a write): the audit admin is not offered one, nor given one."""
    actor = core.make_user(services, admin, "someone", Role.AUDIT_ADMIN)
    window = open_window(qtbot, services, actor, shell_context)
    assert not window.test_page_action.isVisible()
    assert window.print_test_page() is None  # refused by the service, said in a message box
    assert audit_entries(services, "notice.issue") == []


def test_the_preview_zooms_and_fits_the_width(qtbot: Any, services: Services, admin: CurrentUser) -> None:
    issued = services.notices.issue(admin, "official_notice", official_notice())
    dialog = open_preview(qtbot, services, admin, issued)
    dialog.resize(900, 800)
    qtbot.waitUntil(lambda: 1 in dialog.view.rendered_pages())
    fitted = dialog.view.zoom
    page = dialog.findChild(QLabel, "page_1")
    assert page.width() <= dialog.view.viewport().width()
    qtbot.mouseClick(button(dialog, "zoom_in"), Qt.MouseButton.LeftButton)
    assert dialog.view.zoom == pytest.approx(fitted * 1.25)
    assert label_text(dialog, "zoom_level") == f"{round(fitted * 125)} %"
    qtbot.waitUntil(lambda: 1 in dialog.view.rendered_pages())
    assert page.width() > dialog.view.viewport().width() - 30
    qtbot.mouseClick(button(dialog, "zoom_out"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(dialog, "zoom_out"), Qt.MouseButton.LeftButton)
    assert dialog.view.zoom == pytest.approx(fitted / 1.25)
    qtbot.mouseClick(button(dialog, "fit_page"), Qt.MouseButton.LeftButton)
    assert dialog.view.zoom < fitted
    assert page.height() <= dialog.view.viewport().height()  # the whole page in view
    qtbot.waitUntil(lambda: 1 in dialog.view.rendered_pages())
    qtbot.mouseClick(button(dialog, "fit_width"), Qt.MouseButton.LeftButton)
    assert dialog.view.zoom == pytest.approx(fitted)


def test_a_long_report_is_rendered_page_by_page_as_it_scrolls_into_view(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    issued = services.notices.issue(admin, "table_report", table_report(400))
    dialog = open_preview(qtbot, services, admin, issued)
    count = dialog.page_count()
    assert count == pdf_pages(issued.pdf) and count >= 8
    assert label_text(dialog, "page_count") == f"Pages: {count}"
    assert count not in dialog.view.rendered_pages()  # far below: not rendered yet
    bar = dialog.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: count in dialog.view.rendered_pages())
    assert 1 not in dialog.view.rendered_pages()  # far above now: its image was given back


# -- Save as PDF --------------------------------------------------------------------------------------
def test_save_as_pdf_writes_the_issued_pdf_atomically_and_records_the_export(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    isolated_home: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issued = services.notices.issue(admin, "receipt", receipt())
    dialog = open_preview(qtbot, services, admin, issued)
    asked: list[tuple[str, str]] = []
    target = tmp_path / "usb" / "回执"  # no suffix typed: .pdf is added; the folder is created

    def fake_save(parent: Any, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append((start, filters))
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    written: list[Path] = []
    real_replace = __import__("os").replace

    def spy_replace(source: Any, destination: Any) -> None:
        written.append(Path(source))
        real_replace(source, destination)

    monkeypatch.setattr("desktop_app.notices.files.os.replace", spy_replace)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    final = target.with_name("回执.pdf")
    assert saved.args == [str(final)]
    assert asked[0][0] == str(isolated_home.notices / f"{issued.number}.pdf")
    assert "*.pdf" in asked[0][1]
    assert final.read_bytes() == issued.pdf
    # Written beside the target under another name, then renamed into place; nothing is left over.
    assert len(written) == 1 and written[0].parent == final.parent and written[0].name.endswith(".partial")
    assert sorted(p.name for p in final.parent.iterdir()) == ["回执.pdf"]
    exports = audit_entries(services, "export")
    assert [(e.username, e.object_type, e.object_id) for e in exports] == [
        ("sysadmin", "notice", issued.number)
    ]
    assert summary(exports[0])["target"] == str(final)
    assert str(final) in label_text(dialog, "preview_status")

    # The next save starts in the folder used last.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))  # cancelled
    qtbot.mouseClick(button(dialog, "save_pdf"), Qt.MouseButton.LeftButton)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    target = tmp_path / "usb" / "again.pdf"
    dialog.save_pdf()
    assert asked[-1][0] == str(final.parent / f"{issued.number}.pdf")
    assert len(audit_entries(services, "export")) == 2


def test_a_failed_save_says_why_and_leaves_nothing_behind(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: MessageBoxes,
) -> None:
    issued = services.notices.issue(admin, "receipt", receipt())
    dialog = open_preview(qtbot, services, admin, issued)
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "回执.pdf"
    existing.write_bytes(b"the earlier file")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(existing), ""))

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop_app.notices.files.os.fsync", full_disk)
    assert dialog.save_pdf() is None
    assert message_boxes.calls and message_boxes.calls[-1][0] == "warning"
    message = message_boxes.calls[-1][1]
    assert str(existing) in message and "No space left on device" in message
    assert existing.read_bytes() == b"the earlier file"
    assert [p.name for p in folder.iterdir()] == ["回执.pdf"]
    assert audit_entries(services, "export") == []


# -- printing -----------------------------------------------------------------------------------------
def test_print_paints_every_page_and_records_the_printer(
    qtbot: Any, services: Services, admin: CurrentUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = services.notices.issue(admin, "table_report", table_report())
    dialog = open_preview(qtbot, services, admin, issued)
    count = dialog.page_count()
    assert count >= 2
    printed = tmp_path / "printer-output.pdf"
    fake = FakePrintDialog(monkeypatch, printed)
    with qtbot.waitSignal(dialog.printed, timeout=20000):
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert fake.shown == 1
    assert pdf_pages(printed.read_bytes()) == count
    entries = audit_entries(services, "print")
    assert [(e.object_type, e.object_id) for e in entries] == [("notice", issued.number)]
    assert summary(entries[0])["target"] == str(printed)

    # The range and the copies the user asks for (a PDF printer makes no copies itself).
    def pages_two_to_three_twice(printer: QPrinter) -> None:
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, min(3, count))
        printer.setCopyCount(2)

    fake.setup = pages_two_to_three_twice
    assert dialog.focusWidget() is dialog.view  # the pages scroll with the keys; Enter prints
    with qtbot.waitSignal(dialog.printed, timeout=20000):
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert pdf_pages(printed.read_bytes()) == 2 * (min(3, count) - 1)
    assert len(audit_entries(services, "print")) == 2


def test_a_printed_page_keeps_its_real_size(
    qtbot: Any, services: Services, admin: CurrentUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test page's 100 mm ruler must print as 100 mm: the page is drawn 1:1 on the A4 sheet."""
    issued = services.notices.issue(admin, "official_notice", official_notice())
    dialog = open_preview(qtbot, services, admin, issued)
    printed = tmp_path / "a4.pdf"
    FakePrintDialog(monkeypatch, printed)
    assert dialog.print_document()
    document = __import__("pypdfium2").PdfDocument(printed.read_bytes())
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    assert (round(width), round(height)) == (595, 842)


def test_a_cancelled_print_records_nothing(
    qtbot: Any, services: Services, admin: CurrentUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = services.notices.issue(admin, "receipt", receipt())
    dialog = open_preview(qtbot, services, admin, issued)
    FakePrintDialog(monkeypatch, tmp_path / "never.pdf", accept=False)
    assert not dialog.print_document()
    assert not (tmp_path / "never.pdf").exists()
    assert audit_entries(services, "print") == []


# -- 补打 from the preview -----------------------------------------------------------------------------
def test_reprint_from_the_preview_shows_the_marked_copy(
    qtbot: Any, services: Services, admin: CurrentUser, message_boxes: MessageBoxes, zh_ui: None
) -> None:
    issued = services.notices.issue(admin, "official_notice", official_notice())
    dialog = open_preview(qtbot, services, admin, issued, allow_reprint=True)
    reprint = button(dialog, "reprint")
    assert reprint.isVisible() and reprint.text() == "补打(&R)…"

    message_boxes.answer = message_boxes.answer.No
    reprint.click()
    assert audit_entries(services, "notice.reprint") == []
    assert dialog.issued is issued

    message_boxes.answer = message_boxes.answer.Yes
    with qtbot.waitSignal(dialog.reprinted) as made:
        reprint.click()
    copy = made.args[0]
    assert copy.reprint and copy.number == issued.number and copy.pdf != issued.pdf
    assert dialog.issued is copy
    assert dialog.findChild(QLabel, "reprint_mark").isVisible()
    assert "补打" in pdf_text(copy.pdf) and "补打" not in pdf_text(issued.pdf)
    assert [e.object_id for e in audit_entries(services, "notice.reprint")] == [issued.number]
    assert rows(services, "SELECT reprints FROM notices")[0].reprints == 1


def test_every_underlined_alt_key_of_the_preview_works(
    qtbot: Any,
    services: Services,
    admin: CurrentUser,
    message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    zh_ui: None,
) -> None:
    """Each button shows its Alt key underlined (补打(&R)…) and that key presses it; Ctrl+S and Ctrl+P
    work beside them. The keys of one dialog are all different."""
    from PySide6.QtGui import QKeySequence

    issued = services.notices.issue(admin, "official_notice", official_notice())
    dialog = open_preview(qtbot, services, admin, issued, allow_reprint=True)
    buttons = [b for b in dialog.findChildren(QPushButton) if b.isVisible()]
    keys = {}
    for widget in buttons:
        mnemonic = QKeySequence.mnemonic(widget.text())
        if not mnemonic.isEmpty():
            keys[widget.objectName()] = mnemonic
    assert {"reprint", "save_pdf", "print", "close", "fit_width", "fit_page"} <= set(keys)
    assert len({k.toString() for k in keys.values()}) == len(keys)  # no two alike

    pressed: list[str] = []
    for name in ("reprint", "save_pdf", "print", "fit_width", "fit_page", "close"):
        widget = button(dialog, name)
        widget.clicked.disconnect()
        widget.clicked.connect(lambda _checked=False, name=name: pressed.append(name))
    for name, key in keys.items():
        qtbot.keyClick(dialog.view, key[0].key(), Qt.KeyboardModifier.AltModifier)
        # A button's own key animates a click: the click comes a moment later.
        qtbot.waitUntil(lambda name=name: pressed[-1:] == [name], timeout=1000)
    printed = tmp_path / "out.pdf"
    FakePrintDialog(monkeypatch, printed, accept=False)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    for name, key in (("save_pdf", Qt.Key.Key_S), ("print", Qt.Key.Key_P)):
        pressed.clear()
        qtbot.keyClick(dialog.view, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda name=name: pressed == [name], timeout=1000)


def test_signing_in_warms_up_the_first_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first Ctrl+P of a session must not wait for the CJK font to be parsed: the app loads
    the notices engine on its opener thread while the password is typed."""
    from desktop_app import app
    from desktop_app.notices.fonts import FONT_NAME
    from desktop_app.services import notices

    warmed: list[str] = []
    real = notices.warm_up
    monkeypatch.setattr(notices, "warm_up", lambda: (warmed.append("notices"), real()))
    app.warm_up_main_window()
    assert warmed == ["notices"]
    from reportlab.pdfbase import pdfmetrics

    assert FONT_NAME in pdfmetrics.getRegisteredFontNames()
