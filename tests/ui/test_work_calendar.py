"""The working-day calendar tab of the system administrator's page: the year's days, a day added with
the keyboard (and a weekday refused as a make-up workday, at its field), a year without schedule
said so, a year imported through the shared import preview, a day removed."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.domain.workdays import DayKind, Deadline
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.calendar import DayDialog, WorkCalendarTab
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.dates import text_deadline
from desktop_app.ui.pages import PageCommand
from desktop_app.ui.widgets.importing import ERROR_BACKGROUND, TableImportDialog
from tests.ui.test_admin_page import field_error, open_page, rows, table_texts, type_text


def calendar_tab(qtbot: Any, services: Services, admin: CurrentUser) -> tuple[AdminPage, WorkCalendarTab]:
    """The page and its tab (the page kept by the caller: its widgets live as long as it does)."""
    page = open_page(qtbot, services, admin)
    tab = page.calendar
    assert isinstance(tab, WorkCalendarTab)
    page.show_tab(tab)
    return page, tab


def test_the_year_and_a_day_added_with_the_keyboard(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    _page, tab = calendar_tab(qtbot, services, admin)
    assert tab.year.value() == 2026
    shown = table_texts(tab.view)
    assert len(shown) == 39
    assert shown[0][:4] == ["2026-01-01", "Thursday", "Day off (休)", "元旦"]
    assert shown[3][:4] == ["2026-01-04", "Sunday", "Make-up workday (班)", "元旦"]
    assert shown[0][4] == "initial schedule"
    assert tab.note.text().startswith("2026: 33 days off, 6 make-up workdays")

    # The window's Ctrl+N reaches the tab in view.
    page = _page
    assert page.offers(PageCommand.NEW)
    page.new_item()
    assert isinstance(tab.dialog, DayDialog) and tab.dialog.isVisible()
    tab.dialog.reject()

    # Keyboard only: the Add button, the date typed, the kind chosen, the name typed, Enter.
    tab.new_button.setFocus()
    qtbot.keyClick(tab.new_button, Qt.Key.Key_Space)
    dialog = tab.dialog
    assert isinstance(dialog, DayDialog) and dialog.isVisible()
    dialog.day.setFocus()
    dialog.day.setSelectedSection(dialog.day.sectionAt(0))
    qtbot.keyClicks(dialog.day, "20261215")  # a Tuesday
    assert dialog.day.value() == date(2026, 12, 15)
    qtbot.keyClick(dialog.day, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.kind
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)
    assert dialog.kind.currentData() == DayKind.WORK
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.name
    type_text(qtbot, dialog.name, "测试调休")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    # A Tuesday is a working day already: refused at the kind, everything typed kept.
    assert dialog.isVisible() and "周六或周日" in field_error(dialog, "kind")
    assert dialog.name.text() == "测试调休"
    dialog.day.setFocus()
    dialog.day.setSelectedSection(dialog.day.sectionAt(0))
    qtbot.keyClicks(dialog.day, "20261212")  # a Saturday
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    chosen = tab.current()
    assert chosen is not None and (chosen.day, chosen.kind, chosen.name) == (
        date(2026, 12, 12),
        DayKind.WORK,
        "测试调休",
    )
    assert "2026-12-12" in tab.status.text() and tab.status.isVisible()
    assert len(table_texts(tab.view)) == 40
    assert services.calendar.deadline(date(2026, 12, 11), 1) == Deadline(date(2026, 12, 12), False)
    entries = rows("SELECT action FROM audit_log WHERE action LIKE 'calendar.%'", services)
    assert [e.action for e in entries] == ["calendar.day.create"]


def test_a_year_without_schedule_is_imported_through_the_preview(
    qtbot: Any, services: Services, admin: CurrentUser, tmp_path: Path, message_boxes: Any
) -> None:
    _page, tab = calendar_tab(qtbot, services, admin)
    tab.year.setValue(2027)
    assert table_texts(tab.view) == []
    assert "No holiday schedule is listed for 2027" in tab.note.text() and "provisional" in tab.note.text()

    source = tmp_path / "2027.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["日期", "类型", "名称"],
                ["2027-01-01", "休", "元旦"],
                ["2027-02-22", "班", "春节"],
                ["2027-02-20", "班", "春节"],
            ]
        )
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, TableImportDialog) and dialog.isVisible()
    assert dialog.load(source)
    model = dialog.table.model()
    texts = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert [t[2] for t in texts] == ["2027-01-01 休 元旦", "2027-02-22", "2027-02-20 班 春节"]
    assert texts[1][3] == "类型" and "周六或周日" in texts[1][4]
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert not dialog.import_button.isEnabled()  # a bad row blocks the import
    dialog.skip_bad.setChecked(True)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert [r[0] for r in table_texts(tab.view)] == ["2027-01-01", "2027-02-20"]
    assert tab.note.text().startswith("2027: 1 days off, 1 make-up workdays")
    assert "2 days imported" in tab.status.text()
    assert services.calendar.deadline(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), False)


def test_a_day_is_removed(qtbot: Any, services: Services, admin: CurrentUser, message_boxes: Any) -> None:
    _page, tab = calendar_tab(qtbot, services, admin)
    assert tab.select(lambda r: r.day == date(2026, 10, 10))
    message_boxes.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert len(table_texts(tab.view)) == 39
    message_boxes.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert "2026-10-10" not in [r[0] for r in table_texts(tab.view)]
    assert services.calendar.deadline(date(2026, 10, 9), 1) == Deadline(date(2026, 10, 12), False)


def test_the_tab_speaks_chinese(qtbot: Any, zh_ui: None, services: Services, admin: CurrentUser) -> None:
    _page, tab = calendar_tab(qtbot, services, admin)
    model = tab.view.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "日期",
        "星期",
        "类型",
        "名称",
    ]
    assert table_texts(tab.view)[0][:5] == ["2026-01-01", "星期四", "休（放假）", "元旦", "初始安排"]
    assert tab.note.text().startswith("2026 年：已登记放假 33 天、调休上班 6 天。")
    tab.year.setValue(2027)
    assert tab.note.text().startswith("2027 年尚未登记放假安排") and "暂定" in tab.note.text()
    tab.new_item()
    assert isinstance(tab.dialog, DayDialog) and tab.dialog.windowTitle() == "登记日历日期"
    tab.dialog.reject()
    assert text_deadline(date(2027, 1, 4), True) == "2027年1月4日（暂定）"
    assert text_deadline(date(2026, 10, 13), False) == "2026年10月13日"


def test_a_provisional_deadline_on_screen_in_english() -> None:
    assert text_deadline(date(2027, 1, 4), True) == "2027-01-04 (provisional)"
