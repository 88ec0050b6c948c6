"""A supervisor's monthly scoring (issue 13 item 2–3, GUI): the department's month opened, each sheet
scored with the keyboard only (points typed update the total and grade at once, a manual deduction
added from the scheme with its evidence, Ctrl+Enter saving and going to the next staff member), the
automatic line of a complaint found true showing its case number and refusing deletion, a save
refused because another workstation saved first (named, the typing kept), then the month submitted —
on screen and in the database. And both windows fitting the hall's screens, in Chinese. SQLite only:
the storage is the services' tests' concern."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app.domain.complaints import Outcome, RespondentKind
from desktop_app.domain.scoring import Dimension, SheetState
from desktop_app.services.complaints import Assignment, Closure
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.scoring.department import DepartmentMonthWindow, open_department_month
from desktop_app.ui.scoring.sheet import ItemPicker, SheetWindow
from desktop_app.ui.scoring.sheet_model import POINTS_COLUMN, SOURCE_COLUMN
from desktop_app.ui.widgets import modal
from tests.complaint_builders import People, people, phone_complaint

from .conftest import MessageBoxes
from .layout_support import layout_problems, window_problems
from .shell_support import rows, type_text
from .test_credit_desk import Keys
from .test_evaluation_grid import activate, hall_zh  # noqa: F401 (a fixture)
from .test_layout_fits import settle

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the screen, not the storage
HALL = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
MONTH = "2026-11"


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


@pytest.fixture(autouse=True)
def _close_windows(message_boxes: MessageBoxes) -> Any:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SheetWindow | DepartmentMonthWindow) and widget.isVisible():
            widget.close()


def complaint_found_true(services: Services, crew: People) -> str:
    """A case against 王五 of 评审科, closed as true this month: a 3-point deduction for scoring."""
    data = phone_complaint(
        HALL, respondent_kind=RespondentKind.STAFF, respondent_staff_id=crew.respondent_staff_id
    )
    info = services.complaints.register(crew.clerk, data).complaint
    info = services.complaints.accept(
        crew.supervisor, info.id, info.version, Assignment(crew.department_id, crew.handler.staff_id)
    )
    info = services.complaints.investigate(crew.handler, info.id, info.version, "已调取录像")
    services.complaints.close(crew.handler, info.id, info.version, Closure(Outcome.TRUE, "经调查属实。"))
    return info.number


def total_text(window: SheetWindow) -> str:
    return window.total_label.text()


def cell(window: SheetWindow, row: int, column: int) -> str:
    return str(window.model.data(window.model.index(row, column)))


def code_at(window: SheetWindow) -> str:
    line = window.current_line()
    return line.entry.item_code if line is not None else ""


def row_of(window: SheetWindow, code: str) -> int:
    return next(
        r
        for r in range(window.model.rowCount())
        if (line := window.model.line_at(r)) and line.entry.item_code == code
    )


def test_a_supervisor_scores_the_department_with_the_keyboard_and_submits(
    qtbot: Any,
    services: Services,
    crew: People,
    message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_number = complaint_found_true(services, crew)
    keys = Keys(qtbot)

    def pick_first_item(dialog: QDialog) -> bool:  # Insert's list: Enter on its first item (D01)
        assert isinstance(dialog, ItemPicker)
        activate(qtbot, dialog)
        keys.press(Qt.Key.Key_Return)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run_dialog", pick_first_item)
    month = open_department_month(services, crew.supervisor, crew.department_id, MONTH)
    assert month is not None
    activate(qtbot, month)
    staff = [r.staff_name for r in month.info.rows]
    assert sorted(staff) == sorted(["罗浩", "周敏", "王五"])
    assert month.model.rowCount() == 3 and month.submit_button.isVisible()
    month.table.setFocus()

    # -- the first sheet: a base line lowered, a deduction added with its evidence ---------------------
    keys.press(Qt.Key.Key_Return)  # the first staff member's sheet
    sheet = month.findChild(SheetWindow)
    assert sheet is not None and sheet.sheet.staff_name == staff[0]
    activate(qtbot, sheet)
    sheet.table.setFocus()
    first = sheet.table.currentIndex()
    assert first.column() == POINTS_COLUMN and sheet.model.line_at(first.row()).entry.item_code == "B01"
    while code_at(sheet) != "B04":
        keys.press(Qt.Key.Key_Down)  # over the headings of 能 勤 绩
    assert "100" in total_text(sheet) and "优秀" in total_text(sheet)
    keys.press(Qt.Key.Key_4)  # 4 of 50: at once
    assert "54" in total_text(sheet) and "不合格" in total_text(sheet)
    keys.press(Qt.Key.Key_5)  # 45
    assert "<b>95</b>" in total_text(sheet) and "优秀" in total_text(sheet)
    assert cell(sheet, sheet.model.heading_row(Dimension.PERFORMANCE), POINTS_COLUMN) == "45"  # 绩's subtotal
    keys.press(Qt.Key.Key_Insert)  # a manual deduction: D01 迟到 at its default 1 point
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sheet.table)  # back from the picker
    line = sheet.current_line()
    assert line is not None and line.entry.item_code == "D01"
    keys.press(Qt.Key.Key_2)
    assert "<b>93</b>" in total_text(sheet) and "良好" in total_text(sheet)
    assert cell(sheet, sheet.table.currentIndex().row(), POINTS_COLUMN) == "−2"
    keys.press(Qt.Key.Key_Return)  # its evidence
    assert QApplication.focusWidget() is sheet.evidence
    type_text(qtbot, sheet.evidence, "11月3日、5日迟到")
    keys.press(Qt.Key.Key_Return)  # back to the table
    assert QApplication.focusWidget() is sheet.table
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # saved; the next one
    assert sheet.sheet.staff_name == staff[1]

    # -- through the others: 王五's automatic line from the complaint -----------------------------------
    for _ in range(2):
        if sheet.sheet.staff_name == "王五":
            row = row_of(sheet, "D04")
            assert case_number in cell(sheet, row, SOURCE_COLUMN)
            assert cell(sheet, row, POINTS_COLUMN) == "−3" and "<b>97</b>" in total_text(sheet)
            sheet.table.setCurrentIndex(sheet.model.index(row, POINTS_COLUMN))
            keys.press(Qt.Key.Key_Delete)  # never deleted
            assert "contest" in sheet.status.text()
            assert row_of(sheet, "D04") == row
            keys.press(Qt.Key.Key_Up)  # B01 德 of 15
            keys.press(Qt.Key.Key_1)
            keys.press(Qt.Key.Key_2)
            assert "<b>94</b>" in total_text(sheet)
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "last staff member" in sheet.status.text()

    # -- another workstation saved first: refused, named, the typing kept ------------------------------
    other = services.scoring.sheet(crew.supervisor, sheet.sheet.staff_id, MONTH)
    services.scoring.save_sheet(crew.supervisor, other.id, sheet.draft.sheet_input(), other.version)
    sheet.table.setCurrentIndex(sheet.model.index(row_of(sheet, "B03"), POINTS_COLUMN))
    keys.press(Qt.Key.Key_8)
    keys.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert sheet.form_error.isVisible() and "luo" in sheet.form_error.text()  # who saved
    assert sheet.reload_button.isVisible() and sheet.draft.dirty
    assert cell(sheet, row_of(sheet, "B03"), POINTS_COLUMN) == "8"
    keys.press(Qt.Key.Key_F5)  # take what was saved
    assert cell(sheet, row_of(sheet, "B03"), POINTS_COLUMN) == "10" and not sheet.draft.dirty
    sheet.table.setFocus()
    keys.press(Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    qtbot.waitUntil(month.isActiveWindow)

    # -- the month: totals on screen, then submitted ------------------------------------------------
    shown = {r.staff_name: (r.total, r.grade) for r in month.info.rows}
    assert shown[staff[0]] == (93, "良好") and shown["王五"] == (94, "良好")
    month.table.setFocus()
    message_boxes.calls.clear()
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # submit
    question = message_boxes.calls[0]
    assert question[0] == "question" and "3 staff" in question[1]
    assert month.info.state == SheetState.SUBMITTED and not month.submit_button.isVisible()
    assert "Read only" in month.hint.text() or "Submitted" in month.hint.text()

    sheets = rows(services, "SELECT id, staff_id, state, total, grade FROM scoring_sheets WHERE current")
    assert {s.state for s in sheets} == {"submitted"} and len(sheets) == 3
    by_total = sorted(float(s.total) for s in sheets)
    assert by_total == [93.0, 94.0, 100.0]
    entries = rows(
        services,
        "SELECT item_code, points, evidence, source_ref FROM scoring_entries e JOIN scoring_sheets s"
        " ON s.id = e.sheet_id WHERE s.current ORDER BY e.id",
    )
    assert ("D01", 2.0, "11月3日、5日迟到", "") in {
        (e.item_code, float(e.points), e.evidence, e.source_ref) for e in entries
    }
    assert [e.source_ref for e in entries if e.item_code == "D04"] == [case_number]
    state = rows(services, "SELECT state FROM scoring_department_months")
    assert [s.state for s in state] == ["submitted"]
    assert keys.count() < 40


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(1366, 768)], ids=["1280x800", "1366x768"])
def test_the_month_and_a_sheet_fit_the_hall_screens(
    qtbot: Any,
    services: Services,
    crew: People,
    hall_zh: None,  # noqa: F811
    size: QSize,
    tmp_path: Path,
) -> None:
    complaint_found_true(services, crew)
    month = open_department_month(services, crew.supervisor, crew.department_id, MONTH)
    assert month is not None
    month.resize(size.width() - 16, size.height() - 70)
    settle(month)
    month.grab().save(str(tmp_path / f"month-{size.width()}.png"))
    problems = window_problems(month, size) + layout_problems(month)
    assert problems == [], "\n".join(map(str, problems))
    month.table.selectRow(month.model.row_of(lambda r: r.staff_name == "王五"))
    sheet = month.open_selected()
    assert sheet is not None
    sheet.resize(size.width() - 16, size.height() - 70)
    settle(sheet)
    sheet.grab().save(str(tmp_path / f"sheet-{size.width()}.png"))
    problems = window_problems(sheet, size) + layout_problems(sheet)
    assert problems == [], "\n".join(map(str, problems))
