"""The import dialog: preview with bad rows, Import enabled only when it may be, nothing saved before OK."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import func, select

from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditSubject
from desktop_app.ui.credit.importing import ERROR_BACKGROUND, ImportDialog, save_template


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


GOOD = uscc("91440101MA5CXXXX0")
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


@pytest.fixture
def leader(services: Services, admin: CurrentUser, core) -> CurrentUser:
    return core.make_user(services, admin, "leader1", Role.LEADER)


def subject_file(tmp_path: Path) -> Path:
    path = tmp_path / "主体.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["主体类型", "名称", "统一社会信用代码"],
                ["投标人", "天河华建建筑工程有限公司", GOOD],
                ["投标人", "校验位错误有限公司", BAD],
                ["外星人", "类型错误有限公司", uscc("91440101MA5CQQQQ0")],
            ]
        )
    return path


def subjects(services: Services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(CreditSubject)) or 0)


def test_preview_marks_bad_rows_and_import_waits_for_skip(
    qtbot, services, leader, tmp_path, monkeypatch, message_boxes
):
    path = subject_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog = ImportDialog(services, leader, "subjects")
    qtbot.addWidget(dialog)
    dialog.show()
    import_button = dialog.import_button
    assert not import_button.isEnabled()  # no file yet
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.file_edit.text() == str(path)
    model = dialog.table.model()
    assert model.rowCount() == 3
    texts = [[model.index(r, c).data() for c in range(5)] for r in range(3)]
    assert texts[0][:2] == ["2", "新增"]
    assert texts[1][0] == "3" and texts[1][3] == "统一社会信用代码" and "校验位" in texts[1][4]
    assert texts[2][0] == "4" and texts[2][3] == "主体类型" and "外星人" in texts[2][4]
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert (
        "1 new" in dialog.counts.text()
        or "新增 1" in dialog.counts.text()
        or "1 条新增" in dialog.counts.text()
    )
    assert not import_button.isEnabled()  # bad rows and skip not ticked
    dialog.only_bad.setChecked(True)
    assert model.rowCount() == 2
    dialog.only_bad.setChecked(False)

    dialog.skip_bad.setChecked(True)
    assert import_button.isEnabled()
    assert subjects(services) == 0

    message_boxes.answer = QMessageBox.StandardButton.No  # the confirmation is declined
    qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)
    assert subjects(services) == 0 and dialog.report is None and dialog.isVisible()

    message_boxes.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)
    assert subjects(services) == 1
    assert dialog.report is not None and dialog.report.created == 1 and dialog.report.bad == 2
    kinds = [kind for kind, _ in message_boxes.calls]
    assert kinds == ["question", "question", "information"]


def test_missing_headers_and_present_rows(qtbot, services, leader, tmp_path, message_boxes):
    dialog = ImportDialog(services, leader, "records")
    qtbot.addWidget(dialog)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("名字,代码\n甲,乙\n", encoding="utf-8")
    assert dialog.load(wrong)
    assert dialog.file_errors.isVisibleTo(dialog) and "主体名称或代码" in dialog.file_errors.text()
    assert not dialog.import_button.isEnabled()
    missing = dialog.load(tmp_path / "none.xlsx")
    assert not missing and "找不到文件" in dialog.error.text()

    path = subject_file(tmp_path)
    first = ImportDialog(services, leader, "subjects")
    qtbot.addWidget(first)
    first.load(path)
    first.skip_bad.setChecked(True)
    services.credit_import.commit(leader, first.preview, skip_bad=True)
    first.load(path)  # everything good is now on file: nothing left to import
    assert first.preview is not None and first.preview.present_count == 1
    assert not first.import_button.isEnabled()


def test_save_template(qtbot, services, leader, tmp_path, monkeypatch, message_boxes):
    target = tmp_path / "模板"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = ImportDialog(services, leader, "records")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.template_button, Qt.MouseButton.LeftButton)
    written = target.with_suffix(".xlsx")
    book = openpyxl.load_workbook(written)
    assert book.worksheets[0]["A1"].value == "主体名称或代码"
    assert message_boxes.calls and str(written) in message_boxes.calls[-1][1]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert save_template(dialog, services, leader, "subjects") is None
