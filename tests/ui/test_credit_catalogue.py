"""The credit catalogue tab of the system administrator's page: versions from a date, corrections."""

from __future__ import annotations

from datetime import date, timedelta
from types import ModuleType
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from desktop_app import clock
from desktop_app.domain.credit import CreditRule, RecordKind, ScoreRule, Severity, SubjectKind
from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import SubjectInput
from desktop_app.services.facade import Services
from desktop_app.ui.admin.credit_catalogue import CreditCatalogueTab, RuleDialog, ScoreRuleDialog
from desktop_app.ui.admin.page import AdminPage
from desktop_app.ui.credit.editing import RecordDialog
from desktop_app.ui.widgets.forms import FormDialog
from tests.suite_clock import suite_today
from tests.ui.test_admin_page import error_line, field_error, open_page, rows, table_texts

NEXT_YEAR = date(suite_today().year + 1, 1, 1)


def select_rule(tab: CreditCatalogueTab, kind: RecordKind, severity: Severity, effective: date) -> None:
    assert tab.select(
        lambda r: (r.rule.kind, r.rule.severity, r.rule.effective_from) == (kind, severity, effective)
    )


def test_catalogue_lists_every_version_and_adds_one_from_a_date(
    qtbot: Any, services: Services, admin: CurrentUser, core: ModuleType
) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert isinstance(tab, CreditCatalogueTab)
    page.show_tab(tab)
    seeded = services.credit.rule_rows()
    shown = table_texts(tab.view)
    assert len(shown) == len(seeded)
    bad_general = next(r for r in shown if r[0] == "Bad conduct" and r[1] == "General")
    assert bad_general[2:7] == ["2026-04-01", "3", "12", "5", "—"]
    assert bad_general[7] == "In force"

    select_rule(tab, RecordKind.BAD, Severity.GENERAL, date(2026, 4, 1))
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RuleDialog) and dialog.isVisible()
    assert dialog.kind.currentData() == RecordKind.BAD and dialog.points.value() == 5
    assert not dialog.ban_months.isVisible()
    # A date that already has a version is refused at the date field.
    dialog.effective_from.setDate(QDate(2026, 4, 1))
    qtbot.keyClick(dialog.points, Qt.Key.Key_Return)
    assert dialog.isVisible() and field_error(dialog, "effective_from")

    dialog.effective_from.setDate(QDate(NEXT_YEAR.year, 1, 1))
    dialog.points.setValue(8)
    dialog.publicity_max_months.setValue(18)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.points, Qt.Key.Key_Return)

    # On screen: both versions, the new one selected and not yet in force.
    versions = [r for r in table_texts(tab.view) if r[0] == "Bad conduct" and r[1] == "General"]
    assert [v[2] for v in versions] == ["2026-04-01", NEXT_YEAR.isoformat()]
    assert versions[1][3:8] == ["3", "18", "8", "—", "Not yet in force"]
    assert tab.current().rule.effective_from == NEXT_YEAR
    assert tab.status.isVisible()
    # In the database, with its audit entry; the record form uses it from its date on.
    stored = rows(
        "SELECT points, publicity_max_months FROM credit_rules WHERE kind='bad' AND severity='general' "
        "ORDER BY effective_from",
        services,
    )
    assert [(r.points, r.publicity_max_months) for r in stored] == [(5, 12), (8, 18)]
    saves = rows("SELECT summary FROM audit_log WHERE action = 'credit.rule.save'", services)
    assert len(saves) == 1 and NEXT_YEAR.isoformat() in saves[0].summary
    supervisor = core.make_user(services, admin, "super1", Role.SUPERVISOR)
    body = "91440101MA5CXXXX0"
    subject = services.credit.create_subject(
        supervisor, SubjectInput(SubjectKind.BIDDER, "天河华建", uscc=body + uscc_check_char(body))
    )
    record_dialog = RecordDialog(services, supervisor, subject.id)
    qtbot.addWidget(record_dialog)
    record_dialog.decision_date.setDate(QDate(NEXT_YEAR.year, 2, 1))
    assert record_dialog.points.value() == 8
    record_dialog.decision_date.setDate(QDate(2026, 6, 1))
    assert record_dialog.points.value() == 5


def test_correct_a_version_in_place(qtbot: Any, services: Services, admin: CurrentUser) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert tab is not None
    page.show_tab(tab)
    select_rule(tab, RecordKind.BAN, Severity.GENERAL, date(2026, 4, 1))
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RuleDialog)
    assert not dialog.kind.isEnabled() and not dialog.effective_from.isEnabled()
    assert dialog.ban_months.isVisible() and dialog.ban_months.value() == 12
    dialog.ban_months.setValue(18)
    dialog.publicity_max_months.setValue(2)  # shorter than the minimum: refused at the field
    qtbot.keyClick(dialog.points, Qt.Key.Key_Return)
    assert dialog.isVisible() and field_error(dialog, "publicity_max_months")
    dialog.publicity_max_months.setValue(30)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.points, Qt.Key.Key_Return)
    rule = next(
        r
        for _i, _v, r in services.credit.rule_rows()
        if (r.kind, r.severity) == (RecordKind.BAN, Severity.GENERAL)
    )
    assert rule == CreditRule(RecordKind.BAN, Severity.GENERAL, date(2026, 4, 1), 12, 30, 15, 18)
    assert len([r for r in table_texts(tab.view) if r[0] == "Entry ban" and r[1] == "General"]) == 1

    # Another workstation corrected it meanwhile: the stale save says so and offers Reload.
    select_rule(tab, RecordKind.BAN, Severity.GENERAL, date(2026, 4, 1))
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    stale = tab.dialog
    assert isinstance(stale, RuleDialog)
    services.credit.save_rule(
        admin, CreditRule(RecordKind.BAN, Severity.GENERAL, date(2026, 4, 1), 12, 30, 16, 18)
    )
    stale.points.setValue(17)
    qtbot.keyClick(stale.points, Qt.Key.Key_Return)
    assert stale.isVisible() and stale.reload_button.isVisible()
    qtbot.mouseClick(stale.reload_button, Qt.MouseButton.LeftButton)
    assert stale.points.value() == 16


def test_catalogue_tab_only_with_the_settings_right(
    qtbot: Any, services: Services, admin: CurrentUser, core: ModuleType
) -> None:
    leader = core.make_user(services, admin, "leader1", Role.LEADER)
    page = AdminPage(services, leader)
    qtbot.addWidget(page)
    assert page.credit_catalogue is None


def test_catalogue_tab_in_chinese(qtbot: Any, services: Services, admin: CurrentUser, zh_ui: None) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert tab is not None
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "信用目录"
    header = tab.view.model()
    titles = [header.headerData(c, Qt.Orientation.Horizontal) for c in range(header.columnCount())]
    assert titles[0] == "记录类别" and "禁入" in titles[6]
    assert any(r[0] == "禁止入场" for r in table_texts(tab.view))


# -- the credit score rule ------------------------------------------------------------------------
SEEDED_SCORE = ScoreRule(date(2026, 4, 1), 100, (("A", 90), ("B", 80), ("C", 70), ("D", 60)), "E")


def fill_bands(dialog: ScoreRuleDialog, bands: list[tuple[str, int]]) -> None:
    while len(dialog.band_rows) > 1:
        dialog.remove_grade.click()
    dialog.band_rows[0][0].setText(bands[0][0])
    dialog.band_rows[0][1].setValue(bands[0][1])
    for grade, lowest in bands[1:]:
        dialog.add_grade.click()
        dialog.band_rows[-1][0].setText(grade)
        dialog.band_rows[-1][1].setValue(lowest)


def named_widgets_have_accessible_names(dialog: FormDialog) -> None:
    for name in (
        "effective_from",
        "base",
        "bands",
        "worst_grade",
        "band_grade_0",
        "band_lowest_0",
        "add_grade",
    ):
        widget = dialog.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName(), name


def test_score_rule_versions_listed_and_a_new_one_from_a_date(
    qtbot: Any, services: Services, admin: CurrentUser, leader: CurrentUser
) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert tab is not None
    page.show_tab(tab)
    section = tab.score_rules
    assert table_texts(section.view) == [
        ["2026-04-01", "100", "A ≥90 · B ≥80 · C ≥70 · D ≥60 · otherwise E", "In force"]
    ]
    assert not section.edit_button.isEnabled()

    # Nothing selected: the new version starts from the rule in force.
    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, ScoreRuleDialog) and dialog.isVisible()
    named_widgets_have_accessible_names(dialog)
    assert dialog.rule() == ScoreRule(clock.today(), 100, SEEDED_SCORE.bands, "E")
    # The date of an existing version is refused at the date field.
    dialog.effective_from.setDate(QDate(2026, 4, 1))
    qtbot.keyClick(dialog.worst_grade, Qt.Key.Key_Return)
    assert dialog.isVisible() and field_error(dialog, "effective_from")

    # Thresholds not descending: refused at the grades, everything typed kept.
    dialog.effective_from.setDate(QDate(NEXT_YEAR.year, 1, 1))
    dialog.base.setValue(95)
    fill_bands(dialog, [("优", 90), ("良", 92), ("中", 60)])
    dialog.worst_grade.setText("差")
    qtbot.keyClick(dialog.worst_grade, Qt.Key.Key_Return)
    assert dialog.isVisible() and "递减" in field_error(dialog, "bands")
    assert "递减" in error_line(dialog)
    assert [name.text() for name, _score in dialog.band_rows] == ["优", "良", "中"]
    assert dialog.base.value() == 95 and dialog.worst_grade.text() == "差"
    # The lowest grade may not repeat a band's name.
    dialog.band_rows[1][1].setValue(75)
    dialog.worst_grade.setText("中")
    qtbot.keyClick(dialog.worst_grade, Qt.Key.Key_Return)
    assert dialog.isVisible() and field_error(dialog, "worst_grade") and not field_error(dialog, "bands")
    dialog.worst_grade.setText("差")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.worst_grade, Qt.Key.Key_Return)

    new = ScoreRule(NEXT_YEAR, 95, (("优", 90), ("良", 75), ("中", 60)), "差")
    assert [r for _i, _v, r in services.credit.score_rule_rows()] == [SEEDED_SCORE, new]
    assert table_texts(section.view)[1] == [
        NEXT_YEAR.isoformat(),
        "95",
        "优 ≥90 · 良 ≥75 · 中 ≥60 · otherwise 差",
        "Not yet in force",
    ]
    assert section.current().rule == new and section.status.isVisible()
    saves = rows("SELECT summary FROM audit_log WHERE action = 'credit.score_rule.save'", services)
    assert len(saves) == 1 and NEXT_YEAR.isoformat() in saves[0].summary
    # The grade of a file follows the rule of the day asked about.
    body = "91440101MA5CXXXX0"
    subject = services.credit.create_subject(
        leader, SubjectInput(SubjectKind.BIDDER, "天河华建", uscc=body + uscc_check_char(body))
    )
    assert services.credit.assess(subject.id, NEXT_YEAR - timedelta(days=1)).grade == "A"
    assert services.credit.assess(subject.id, NEXT_YEAR).grade == "优"


def test_score_rule_corrected_in_place_and_stale_save_reloads(
    qtbot: Any, services: Services, admin: CurrentUser
) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert tab is not None
    page.show_tab(tab)
    section = tab.score_rules
    assert section.select(lambda r: r.rule.effective_from == date(2026, 4, 1))
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, ScoreRuleDialog)
    assert not dialog.effective_from.isEnabled() and dialog.rule() == SEEDED_SCORE
    dialog.remove_grade.click()
    dialog.band_rows[2][1].setValue(65)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.base, Qt.Key.Key_Return)
    corrected = ScoreRule(date(2026, 4, 1), 100, (("A", 90), ("B", 80), ("C", 65)), "E")
    assert [r for _i, _v, r in services.credit.score_rule_rows()] == [corrected]
    assert table_texts(section.view) == [
        ["2026-04-01", "100", "A ≥90 · B ≥80 · C ≥65 · otherwise E", "In force"]
    ]

    # Another workstation corrected it meanwhile: the stale save says so and offers Reload.
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    stale = section.dialog
    assert isinstance(stale, ScoreRuleDialog) and stale is not dialog
    other = ScoreRule(date(2026, 4, 1), 90, (("A", 85), ("B", 70)), "C")
    services.credit.save_score_rule(admin, other)
    stale.base.setValue(99)
    qtbot.keyClick(stale.base, Qt.Key.Key_Return)
    assert stale.isVisible() and stale.reload_button.isVisible() and stale.base.value() == 99
    qtbot.mouseClick(stale.reload_button, Qt.MouseButton.LeftButton)
    assert stale.rule() == other and len(stale.band_rows) == 2
    with qtbot.waitSignal(stale.accepted):
        qtbot.keyClick(stale.base, Qt.Key.Key_Return)


def test_score_rules_in_chinese(qtbot: Any, services: Services, admin: CurrentUser, zh_ui: None) -> None:
    page = open_page(qtbot, services, admin)
    tab = page.credit_catalogue
    assert tab is not None
    page.show_tab(tab)
    section = tab.score_rules
    header = section.view.model()
    titles = [header.headerData(c, Qt.Orientation.Horizontal) for c in range(header.columnCount())]
    assert titles == ["生效日期", "基础分", "等级划分", "状态"]
    assert table_texts(section.view) == [
        ["2026-04-01", "100", "A ≥90 · B ≥80 · C ≥70 · D ≥60 · 其余 E", "现行"]
    ]
    assert section.new_button.text() == "自某日起新版本…" and section.edit_button.text() == "更正此版本…"
    section.new_item()
    dialog = section.dialog
    assert isinstance(dialog, ScoreRuleDialog)
    assert dialog.windowTitle() == "新建评分规则版本" and dialog.add_grade.text() == "增加等级"
