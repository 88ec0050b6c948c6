"""批量核验 driven through its dialog with the keyboard: load a list, decide lines, confirm, the summary
preview, every notice printed or saved; checked on screen and in the database."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton

from desktop_app.domain.credit import Verdict
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.credit import batch as batch_ui
from desktop_app.ui.credit.batch import DECIDE_BACKGROUND, BatchCheckDialog, DecideDialog
from desktop_app.ui.credit.lookup import CreditLookupPage
from tests.builders import bad, ban, company, company_code

from .conftest import MessageBoxes
from .shell_support import rows

ON = date(2026, 5, 6)  # inside the ban of tests.builders.ban


@pytest.fixture
def leader(services: Services, admin: CurrentUser, core: ModuleType) -> CurrentUser:
    return core.make_user(services, admin, "leader1", Role.LEADER)  # type: ignore[no-any-return]


@pytest.fixture
def clerk(services: Services, admin: CurrentUser, core: ModuleType) -> CurrentUser:
    return core.make_user(services, admin, "clerk1", Role.HALL_STAFF)  # type: ignore[no-any-return]


@pytest.fixture
def center(services: Services, leader: CurrentUser) -> dict[str, Any]:
    huajian = company(services, leader, "天河华建建筑工程有限公司", 1)
    services.credit.add_record(leader, ban(huajian))
    qihang = company(services, leader, "启航招标代理有限公司", 2)
    services.credit.add_record(leader, bad(qihang))
    return {
        "huajian": huajian,
        "qihang": qihang,
        "qingfeng": company(services, leader, "清风建设有限公司", 3),
        "twins": (
            company(services, leader, "同名建设有限公司", 4),
            company(services, leader, "同名建设有限公司", 5),
        ),
    }


def write_list(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["名称", "统一社会信用代码"], *lines])
    return path


def opening_list(tmp_path: Path) -> Path:
    return write_list(
        tmp_path / "开标名单.csv",
        [
            ["清风建设有限公司", ""],  # 2 clear
            ["天河华建建筑工程有限公司", company_code(1)],  # 3 banned
            ["同名建设有限公司", ""],  # 4 to decide: two subjects of that name
            ["没有这家公司", ""],  # 5 not found
            ["启航招标代理有限公司", company_code(3)],  # 6 to decide: the code is 清风's
        ],
    )


def open_dialog(qtbot: Any, services: Services, actor: CurrentUser) -> BatchCheckDialog:
    dialog = BatchCheckDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.on_field.setDate(QDate(ON.year, ON.month, ON.day))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # its mnemonics (Alt+C, Alt+O …) work in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def when_modal(qtbot: Any, kind: type, act: Callable[[Any], None]) -> None:
    """Run ``act`` on the next modal dialog of ``kind`` once it is shown (its exec() blocks the test)."""

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            act(modal)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def keys(qtbot: Any, *pressed: Qt.Key) -> Callable[[Any], None]:
    def act(dialog: DecideDialog) -> None:
        for key in pressed:
            qtbot.keyClick(dialog.choices, key)

    return act


def cell(dialog: BatchCheckDialog, row: int, column: int) -> str:
    return str(dialog.model.index(row, column).data())


def checks(services: Services) -> list[Any]:
    return rows(
        services, "SELECT query, verdict, subject_id, notice_number FROM credit_entry_checks ORDER BY id"
    )


def test_keyboard_only_from_the_list_to_the_summary(
    qtbot: Any, services: Services, center: dict[str, Any], clerk: CurrentUser, tmp_path: Path, monkeypatch
) -> None:
    path = opening_list(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog = open_dialog(qtbot, services, clerk)
    assert dialog.focusWidget() is dialog.choose_button
    assert not dialog.confirm_button.isEnabled()

    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # &Choose file…
    qtbot.waitUntil(lambda: dialog.file_edit.text() == str(path))  # a mnemonic clicks after a moment
    assert dialog.model.rowCount() == 5
    assert dialog.focusWidget() is dialog.table
    assert dialog.table.currentIndex().row() == 2  # the first line to decide is selected
    assert dialog.model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole).color() == DECIDE_BACKGROUND
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert cell(dialog, 0, 2) == "May enter" and cell(dialog, 1, 2) == "No entry"
    assert cell(dialog, 2, 2) == "Name of several subjects" and cell(dialog, 3, 2) == "Not found"
    assert cell(dialog, 4, 2) == "Code and name disagree" and "清风建设有限公司" in cell(dialog, 4, 5)
    assert "5 lines: 1 no entry, 1 not found, 0 repeated, 2 to decide." in dialog.counts.text()
    assert checks(services) == []  # the preview records nothing

    # Line 4: the second 同名建设有限公司 (Down, Enter); the next line to decide is selected at once.
    when_modal(qtbot, DecideDialog, keys(qtbot, Qt.Key.Key_Down, Qt.Key.Key_Return))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.choices == {4: center["twins"][1]}
    assert dialog.table.currentIndex().row() == 4
    assert not dialog.confirm_button.isEnabled()
    # Line 6: the code's subject is the first candidate.
    when_modal(qtbot, DecideDialog, keys(qtbot, Qt.Key.Key_Return))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.choices[6] == center["qingfeng"]
    assert dialog.confirm_button.isEnabled()
    assert dialog.model.index(4, 0).data(Qt.ItemDataRole.BackgroundRole) is None

    qtbot.waitUntil(dialog.isActiveWindow)  # back from the modal decision
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # C&onfirm and record
    qtbot.waitUntil(lambda: dialog.summary_preview is not None and dialog.summary_preview.isVisible())
    result = dialog.result
    assert result is not None
    preview = dialog.summary_preview
    assert preview.issued.number == result.summary.number and result.summary.number.startswith("BB")
    recorded = checks(services)
    # Line 6's subject (清风) was already checked on line 2: one check, the same notice.
    assert len(recorded) == 4
    assert [r.verdict for r in recorded] == ["clear", "banned", "clear", "not_found"]
    assert cell(dialog, 1, 4) == recorded[1].notice_number and cell(dialog, 4, 4) == recorded[0].notice_number
    assert "line 2" in cell(dialog, 4, 5)

    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.summary_preview is None)
    assert dialog.focusWidget() is dialog.table
    # Enter on a line now opens its notice.
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.summary_preview is not None and dialog.summary_preview.isVisible())
    assert dialog.summary_preview.issued.number == recorded[1].notice_number
    qtbot.keyClick(dialog.summary_preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.summary_preview is None)
    assert not dialog.confirm_button.isEnabled()


def test_leaving_a_line_out_and_the_english_counts(
    qtbot: Any, services: Services, center: dict[str, Any], clerk: CurrentUser, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, services, clerk)
    assert dialog.load(opening_list(tmp_path))
    # Line 4: the list item after the candidates and "none of these" is "leave the line out".
    when_modal(qtbot, DecideDialog, keys(qtbot, Qt.Key.Key_End, Qt.Key.Key_Return))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    # Line 6: none of the candidates: recorded as not found.
    when_modal(qtbot, DecideDialog, keys(qtbot, Qt.Key.Key_End, Qt.Key.Key_Up, Qt.Key.Key_Return))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert cell(dialog, 2, 2) == "Not checked" and cell(dialog, 4, 2) == "Not found"
    result = dialog.confirm()
    assert result is not None
    assert result.count(None) == 1 and result.count(Verdict.NOT_FOUND) == 2
    assert "1 not checked" in dialog.counts.text()
    qtbot.waitUntil(lambda: dialog.summary_preview is not None)
    dialog.summary_preview.reject()


class FakePrintDialog:
    """QPrintDialog.exec patched: the printer writes a PDF into tmp_path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, output: Path) -> None:
        self.shown = 0

        def fake_exec(dialog: QPrintDialog) -> int:
            self.shown += 1
            printer = dialog.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(output))
            return int(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(QPrintDialog, "exec", fake_exec)


def test_every_notice_printed_in_one_job_and_saved_to_a_folder(
    qtbot: Any,
    services: Services,
    center: dict[str, Any],
    clerk: CurrentUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: MessageBoxes,
) -> None:
    path = write_list(
        tmp_path / "名单.csv", [["清风建设有限公司", ""], ["", company_code(1)], ["无名公司", ""]]
    )
    dialog = open_dialog(qtbot, services, clerk)
    assert dialog.load(path)
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    result = dialog.confirm()
    assert result is not None
    qtbot.waitUntil(lambda: dialog.summary_preview is not None)
    dialog.summary_preview.reject()
    qtbot.waitUntil(lambda: dialog.summary_preview is None)

    printed = tmp_path / "printer.pdf"
    fake = FakePrintDialog(monkeypatch, printed)
    assert dialog.print_certificates()
    assert fake.shown == 1
    pages = sum(len(pdfium.PdfDocument(line.notice.pdf)) for line in result.certificates)
    assert len(pdfium.PdfDocument(printed.read_bytes())) == pages == 3
    printed_numbers = rows(services, "SELECT object_id FROM audit_log WHERE action = 'print' ORDER BY seq")
    assert [r.object_id for r in printed_numbers] == [line.notice_number for line in result.certificates]

    folder = tmp_path / "告知单"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    assert dialog.save_certificates() == folder
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        f"汇总表_{result.summary.number}.pdf",
        *(f"第{line.line.row:03d}行_{line.notice_number}.pdf" for line in result.certificates),
    ]
    exported = rows(services, "SELECT object_id FROM audit_log WHERE action = 'export'")
    assert len(exported) == 4
    assert "4 files were saved" in message_boxes.texts()[-1]


def test_an_archive_changed_since_the_preview_is_previewed_again(
    qtbot: Any,
    services: Services,
    center: dict[str, Any],
    clerk: CurrentUser,
    leader: CurrentUser,
    tmp_path: Path,
    message_boxes: MessageBoxes,
) -> None:
    path = write_list(tmp_path / "名单.csv", [["没有这家公司", ""]])
    dialog = open_dialog(qtbot, services, clerk)
    assert dialog.load(path)
    assert cell(dialog, 0, 2) == "Not found"
    company(services, leader, "没有这家公司", 9)
    assert dialog.confirm() is None
    assert "重新预览" in message_boxes.texts()[-1]
    assert cell(dialog, 0, 2) == "May enter"  # previewed again: the new file is found now
    assert checks(services) == []


def test_a_file_without_the_columns_cannot_be_confirmed(
    qtbot: Any, services: Services, clerk: CurrentUser, tmp_path: Path
) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("投标人,联系人\n甲公司,王五\n", encoding="utf-8")
    dialog = open_dialog(qtbot, services, clerk)
    assert dialog.load(path)
    assert "名称" in dialog.counts.text() and not dialog.confirm_button.isEnabled()
    assert not dialog.load(tmp_path / "none.csv")
    assert "找不到文件" in dialog.error.text()


def test_the_template_is_saved_where_asked(
    qtbot: Any, services: Services, clerk: CurrentUser, tmp_path: Path, monkeypatch, message_boxes
) -> None:
    target = tmp_path / "名单模板"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = open_dialog(qtbot, services, clerk)
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil((tmp_path / "名单模板.xlsx").exists)
    assert dialog.load(tmp_path / "名单模板.xlsx") and dialog.model.rowCount() == 0


def test_the_lookup_page_opens_the_batch_check(
    qtbot: Any, services: Services, clerk: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    monkeypatch.setattr(batch_ui, "check_list", lambda parent, svc, actor: opened.append(actor))
    page = CreditLookupPage(services, clerk)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    button = page.findChild(QPushButton, "batch_check")
    assert button is not None and button.isVisible() and button.accessibleName()
    qtbot.keyClick(page, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: opened == [clerk])
