"""The complaints rules tab of the system administrator's page: the seeded catalogue, a figure set
from a date with the keyboard (checked in the database on both sides of the date), a same-date save
changing that version, an out-of-range value refused at its field, no tab for anyone else."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.complaints import RULE_LABELS
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.admin.complaint_rules import ComplaintRulesTab, FigureTableModel, RuleValueDialog
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.pages import PageCommand
from tests.suite_clock import suite_today
from tests.ui.test_admin_page import field_error, open_page, rows, table_texts

GENERAL = "General case time limit (working days)"


def rules_tab(qtbot: Any, services: Services, admin: CurrentUser) -> tuple[AdminPage, ComplaintRulesTab]:
    page = open_page(qtbot, services, admin)
    tab = page.complaint_rules
    assert isinstance(tab, ComplaintRulesTab)
    page.show_tab(tab)
    return page, tab


def shown_row(tab: ComplaintRulesTab, label: str) -> list[str]:
    return next(r for r in table_texts(tab.view) if r[0] == label)


def type_date(qtbot: Any, dialog: RuleValueDialog, day: date) -> None:
    dialog.effective_from.setFocus()
    dialog.effective_from.setSelectedSection(dialog.effective_from.sectionAt(0))
    qtbot.keyClicks(dialog.effective_from, day.strftime("%Y%m%d"))
    assert dialog.effective_from.value() == day


def type_value(qtbot: Any, dialog: RuleValueDialog, value: int) -> None:
    dialog.value.setFocus()
    dialog.value.selectAll()
    qtbot.keyClicks(dialog.value, str(value))
    assert dialog.value.value() == value


def test_the_admin_sees_the_seeded_figures(qtbot: Any, services: Services, admin: CurrentUser) -> None:
    page, tab = rules_tab(qtbot, services, admin)
    shown = table_texts(tab.view)
    assert len(shown) == len(RULE_LABELS) == 12
    assert shown_row(tab, GENERAL) == [GENERAL, "5", "2020-01-01", "", "1 … 60"]
    assert shown_row(tab, "Points for a founded complaint (staff member)")[1:3] == ["-3", "2020-01-01"]
    assert shown_row(tab, "Points for closing after the deadline (handler)")[1] == "-5"
    assert shown_row(tab, "Duplicate check looks back (calendar days)")[1] == "30"
    # The figure in force today stands out.
    general = tab.proxy.index(next(i for i, r in enumerate(shown) if r[0] == GENERAL), 1)
    assert general.data(Qt.ItemDataRole.FontRole).bold()
    assert FigureTableModel.IN_FORCE_COLUMN == 1
    # The first figure is selected, its versions below.
    assert tab.current() is not None
    assert table_texts(tab.versions.view) == [["2020-01-01", "2", "In force"]]
    assert "Simple case time limit" in tab.versions.title.text()
    assert tab.select(lambda r: r.name == "general_days")
    assert "General case time limit" in tab.versions.title.text()
    # The window's Ctrl+F and Ctrl+N reach the tab in view.
    assert page.offers(PageCommand.FIND) and page.offers(PageCommand.NEW)
    with qtbot.waitActive(page):
        page.activateWindow()
    page.focus_search()
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "Bad rating")
    assert [r[0] for r in table_texts(tab.view)] == [
        "Bad rating: contact the rater within (working days)",
        "Bad rating: rectify within (working days)",
    ]


def test_the_general_limit_set_from_a_date_with_the_keyboard(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    page, tab = rules_tab(qtbot, services, admin)
    watcher_page = open_page(qtbot, services, admin)  # another page already open sees the change
    other = watcher_page.complaint_rules
    assert other is not None
    watcher_page.show_tab(other)
    from_day = suite_today() + timedelta(days=13)  # 2026-12-01
    assert tab.select(lambda r: r.name == "general_days")
    page.new_item()
    dialog = tab.dialog
    assert isinstance(dialog, RuleValueDialog) and dialog.isVisible()
    assert dialog.name.currentData() == "general_days" and dialog.value.value() == 5
    assert dialog.effective_from.value() == suite_today()
    type_date(qtbot, dialog, from_day)
    assert "2020-01-01" in dialog.note.text() and "adds a version" in dialog.note.text()
    type_value(qtbot, dialog, 4)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.value, Qt.Key.Key_Return)

    # The database: 4 from that date, 5 the day before (and today).
    assert services.complaints.rules_on(from_day).general_days == 4
    assert services.complaints.rules_on(from_day + timedelta(days=400)).general_days == 4
    assert services.complaints.rules_on(from_day - timedelta(days=1)).general_days == 5
    assert services.complaints.rules_on(suite_today()).general_days == 5
    assert services.complaints.rules_on(from_day).simple_days == 2  # the other figures untouched
    # On screen: still 5 today, the change ahead, the new version selected below.
    assert shown_row(tab, GENERAL)[1:4] == ["5", "2020-01-01", "4 from 2026-12-01"]
    assert shown_row(other, GENERAL)[3] == "4 from 2026-12-01"
    assert table_texts(tab.versions.view) == [
        ["2020-01-01", "5", "In force"],
        ["2026-12-01", "4", "Not yet in force"],
    ]
    chosen = tab.versions.current()
    assert chosen is not None and chosen.rule.effective_from == from_day
    assert "2026-12-01" in tab.status.text() and tab.status.isVisible()

    # The same date again changes that version instead of adding one.
    tab.versions.edit_current()
    dialog = tab.dialog
    assert isinstance(dialog, RuleValueDialog) and dialog.effective_from.value() == from_day
    assert dialog.value.value() == 4 and "saving changes it" in dialog.note.text()
    type_value(qtbot, dialog, 6)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.value, Qt.Key.Key_Return)
    assert services.complaints.rules_on(from_day).general_days == 6
    assert [
        (r.effective_from, r.value) for r in services.complaints.rule_versions() if r.name == "general_days"
    ] == [
        (date(2020, 1, 1), 5),
        (from_day, 6),
    ]
    audits = rows("SELECT action, object_id FROM audit_log WHERE action = 'complaint.rule'", services)
    assert [a.object_id for a in audits] == ["general_days@2026-12-01"] * 2


@pytest.mark.parametrize("value", [0, 61])
def test_an_out_of_range_value_is_refused_at_its_field(
    qtbot: Any, services: Services, admin: CurrentUser, value: int
) -> None:
    _page, tab = rules_tab(qtbot, services, admin)
    assert tab.select(lambda r: r.name == "general_days")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RuleValueDialog) and dialog.isVisible()
    later = suite_today() + timedelta(days=30)
    type_date(qtbot, dialog, later)
    type_value(qtbot, dialog, value)
    qtbot.keyClick(dialog.value, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "1–60" in field_error(dialog, "value")
    assert field_error(dialog, "effective_from") == ""
    assert (dialog.value.value(), dialog.effective_from.value()) == (value, later)  # the input kept
    assert services.complaints.rules_on(later).general_days == 5
    assert [r for r in services.complaints.rule_versions() if r.name == "general_days"][-1].value == 5


def test_no_tab_for_anyone_but_the_system_admin(
    qtbot: Any, services: Services, leader: CurrentUser, supervisor: CurrentUser
) -> None:
    for actor in (leader, supervisor):
        page = open_page(qtbot, services, actor)
        assert page.complaint_rules is None
        assert page.findChildren(ComplaintRulesTab) == []
        assert "Complaints rules" not in [page.tabs.tabText(i) for i in range(page.tabs.count())]


def test_the_tab_speaks_chinese(qtbot: Any, zh_ui: None, services: Services, admin: CurrentUser) -> None:
    page, tab = rules_tab(qtbot, services, admin)
    assert "投诉规则" in [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert [r[0] for r in table_texts(tab.view)] == list(RULE_LABELS.values())
