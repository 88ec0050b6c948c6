"""Pages keep up with each other through the "data changed" announcement, never by calling each
other: a record added, confirmed or entered on one page shows on the others, which query nothing
while out of view and refresh when shown."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from desktop_app import clock
from desktop_app.domain.credit import RecordKind, RecordStatus, Severity, SubjectKind
from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.ui.credit.editing import RecordDialog
from desktop_app.ui.credit.files import CreditFilesPage
from desktop_app.ui.credit.importing import ImportDialog
from desktop_app.ui.credit.lookup import CreditLookupPage
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets import modal

from .conftest import MessageBoxes
from .shell_support import type_text
from .test_admin_page import table_texts

NAME = "天河华建建筑工程有限公司"
USCC = "91440101MA5CXXXX0" + uscc_check_char("91440101MA5CXXXX0")
PENDING = "Awaiting leader confirmation"
BAN_NUMBER = "天建罚〔2026〕3号"

pytestmark = pytest.mark.usefixtures("message_boxes")


class Calls:
    """How often the lookup's queries ran (a page out of view must run none)."""

    def __init__(self, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for name in ("search", "subject_file"):
            original = getattr(services.credit, name)
            monkeypatch.setattr(services.credit, name, self.counting(original))

    def counting(self, call: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return call(*args, **kwargs)

        return counted


def company(services: Services, actor: CurrentUser) -> int:
    return services.credit.create_subject(actor, SubjectInput(SubjectKind.BIDDER, NAME, uscc=USCC)).id


def open_window(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> MainWindow:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def lookup_showing(window: MainWindow, subject_id: int) -> CreditLookupPage:
    """The lookup page, the company searched and its file shown, as a clerk leaves it."""
    page = window.open_page("credit")
    assert isinstance(page, CreditLookupPage)
    page.run_search_now("华建")
    page.select_row(page.model.row_of(subject_id))
    assert page.detail.file is not None and page.detail.file.subject.id == subject_id
    return page


def files_page(window: MainWindow) -> CreditFilesPage:
    page = window.open_page("credit_files")
    assert isinstance(page, CreditFilesPage)
    return page


def states(page: CreditLookupPage) -> list[str]:
    return [row[0] for row in page.detail.record_texts()]


def records_file(tmp_path: Path) -> Path:
    path = tmp_path / "记录.csv"
    decided = (clock.today() - timedelta(days=10)).isoformat()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["主体名称或代码", "记录类别", "严重程度", "事实", "决定机关", "决定文号", "决定日期"],
                [USCC, "禁止入场", "一般", "串通投标", "天河市住建局", BAN_NUMBER, decided],
            ]
        )
    return path


def test_a_record_imported_on_the_files_page_shows_in_the_open_lookup_when_shown(
    qtbot: Any,
    services: Services,
    supervisor: CurrentUser,
    shell_context: ShellContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subject_id = company(services, supervisor)
    window = open_window(qtbot, services, supervisor, shell_context)
    lookup = lookup_showing(window, subject_id)
    assert states(lookup) == ["No records"]
    files = files_page(window)
    assert files.tabs.tabText(0) == PENDING  # nothing waits
    calls = Calls(services, monkeypatch)

    path = records_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def work_the_import_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportDialog)
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
        assert dialog.import_button.isEnabled(), dialog.counts.text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # asked: Yes (message_boxes)

    QTimer.singleShot(0, work_the_import_dialog)
    qtbot.mouseClick(files.import_records_button, Qt.MouseButton.LeftButton)  # runs the dialog modally

    # The lookup, out of view, heard of it but ran no query.
    assert calls.count == 0 and lookup.changes.stale
    assert states(lookup) == ["No records"]
    # The files page, on screen, shows the new record waiting for a leader, and counts it.
    assert [row[0] for row in table_texts(files.pending.view)] == [NAME]
    assert files.tabs.tabText(0) == f"{PENDING} (1)"
    assert services.credit.record(files.pending.model.record(0).id).status == RecordStatus.PENDING

    assert window.open_page("credit") is lookup
    assert states(lookup) == [PENDING]  # the selected subject's file, refreshed on being shown
    assert BAN_NUMBER in lookup.detail.record_texts()[0][3]
    assert lookup.selected_hit() is not None and lookup.selected_hit().subject_id == subject_id  # type: ignore[union-attr]
    assert calls.count >= 2 and not lookup.changes.stale  # searched again, the file reloaded


def test_a_ban_confirmed_on_the_files_page_bars_entry_in_the_open_lookup(
    qtbot: Any, services: Services, supervisor: CurrentUser, leader: CurrentUser, shell_context: ShellContext
) -> None:
    subject_id = company(services, supervisor)
    decided = clock.today() - timedelta(days=10)
    services.credit.add_record(
        supervisor,
        RecordInput(
            subject_id,
            RecordKind.BAN,
            Severity.GENERAL,
            decided,
            facts="串通投标",
            authority="天河市住建局",
            decision_number=BAN_NUMBER,
        ),
    )
    window = open_window(qtbot, services, leader, shell_context)
    lookup = lookup_showing(window, subject_id)
    assert states(lookup) == [PENDING] and lookup.detail.banner.text() == "May enter"  # not in effect yet
    files = files_page(window)
    assert files.tabs.tabText(0) == f"{PENDING} (1)"

    files.pending.view.selectRow(0)
    assert files.pending.confirm_button is not None
    qtbot.mouseClick(files.pending.confirm_button, Qt.MouseButton.LeftButton)  # asked: Yes
    assert table_texts(files.pending.view) == [] and files.tabs.tabText(0) == PENDING
    assert lookup.changes.stale

    window.open_page("credit")
    assert states(lookup) == ["In force"]
    assert lookup.detail.banner.text() == "No entry"
    assert lookup.model.index(lookup.model.row_of(subject_id), 0).data() == "No entry"


def test_a_record_added_in_the_lookup_shows_there_at_once_and_on_the_files_page_when_shown(
    qtbot: Any,
    services: Services,
    supervisor: CurrentUser,
    shell_context: ShellContext,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: MessageBoxes,
) -> None:
    subject_id = company(services, supervisor)
    window = open_window(qtbot, services, supervisor, shell_context)
    files = files_page(window)
    assert files.tabs.tabText(0) == PENDING
    lookup = lookup_showing(window, subject_id)

    def enter_a_ban(dialog: QDialog) -> bool:
        assert isinstance(dialog, RecordDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(RecordKind.BAN))
        type_text(qtbot, dialog.facts, "串通投标")
        type_text(qtbot, dialog.authority, "天河市住建局")
        type_text(qtbot, dialog.decision_number, BAN_NUMBER)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        # Saved and announced while the dialog was still open: the lookup behind it has the record.
        assert states(lookup) == [PENDING]
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", enter_a_ban)
    qtbot.mouseClick(lookup.detail.add_record_button, Qt.MouseButton.LeftButton)
    assert any("waits" in text for text in message_boxes.texts())
    assert states(lookup) == [PENDING]
    assert files.changes.stale and files.tabs.tabText(0) == PENDING  # out of view: not refreshed yet

    window.open_page("credit_files")
    assert files.tabs.tabText(0) == f"{PENDING} (1)"
    assert [row[0] for row in table_texts(files.pending.view)] == [NAME]
