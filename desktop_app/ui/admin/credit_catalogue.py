"""信用目录: default publicity periods, points and ban lengths of each record kind and severity, and
below them the credit score rule (base score and grade bands).

Rules are data with an effective-from date (DESIGN.md 7): a change of policy is a new version from a
date on, and a record uses the version in force on its decision date. "Correct" fixes a version that
was entered wrongly (same date); every save is audited by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.credit import CreditRule, RecordKind, ScoreRule, Severity
from desktop_app.domain.errors import ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import GRADE_LIMIT, GRADE_NAME_LIMIT
from desktop_app.services.facade import Services
from desktop_app.ui import topics
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.credit.labels import record_kind_label, severity_label, version_state_label
from desktop_app.ui.dates import table_date, text_date
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width


@dataclass(frozen=True)
class RuleRow:
    id: int
    version: int
    rule: CreditRule
    state: str  # in_force / superseded / future


def rule_rows(services: Services, today: date) -> list[RuleRow]:
    found = services.credit.rule_rows()
    rows = []
    for row_id, version, rule in found:
        same = sorted(
            (r.effective_from for _i, _v, r in found if (r.kind, r.severity) == (rule.kind, rule.severity))
        )
        started = [d for d in same if d <= today]
        current = started[-1] if started else same[0]
        if rule.effective_from > today:
            state = "future"
        elif rule.effective_from == current:
            state = "in_force"
        else:
            state = "superseded"
        rows.append(RuleRow(row_id, version, rule, state))
    return rows


def _kind_order(kind: RecordKind) -> int:
    return list(RecordKind).index(kind)


def _severity_order(severity: Severity) -> int:
    return list(Severity).index(severity)


class CatalogueTableModel(RecordTableModel[RuleRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        def months(value: int) -> str:
            return str(value) if value else "—"

        super().__init__(
            [
                Column(
                    self.tr("Record kind"),
                    lambda r: record_kind_label(r.rule.kind),
                    lambda r: (
                        f"{_kind_order(r.rule.kind):02d}{_severity_order(r.rule.severity)}{r.rule.effective_from}"
                    ),
                    width=Width("严重失信", weight=1),
                ),
                Column(
                    self.tr("Severity"),
                    lambda r: severity_label(r.rule.severity),
                    lambda r: (
                        f"{_severity_order(r.rule.severity)}{_kind_order(r.rule.kind):02d}{r.rule.effective_from}"
                    ),
                    width=Width("一般", weight=0.5),
                ),
                Column(
                    self.tr("Effective from"),
                    lambda r: table_date(r.rule.effective_from),
                    lambda r: (
                        f"{r.rule.effective_from}{_kind_order(r.rule.kind):02d}{_severity_order(r.rule.severity)}"
                    ),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Publicity min (months)"),
                    lambda r: months(r.rule.publicity_min_months),
                    lambda r: r.rule.publicity_min_months,
                    None,
                    True,
                    Width("—", weight=0),
                ),
                Column(
                    self.tr("Publicity max (months)"),
                    lambda r: months(r.rule.publicity_max_months),
                    lambda r: r.rule.publicity_max_months,
                    None,
                    True,
                    Width("—", weight=0),
                ),
                Column(
                    self.tr("Points"),
                    lambda r: str(r.rule.points),
                    lambda r: r.rule.points,
                    None,
                    True,
                    Width("—", weight=0),
                ),
                Column(
                    self.tr("Ban (months)"),
                    lambda r: months(r.rule.ban_months),
                    lambda r: r.rule.ban_months,
                    None,
                    True,
                    Width("—", weight=0),
                ),
                Column(self.tr("Status"), lambda r: version_state_label(r.state), width=Width(weight=1)),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )


def save_version(dialog: Any, date_taken: bool, call: Callable[..., Any], rule: Any) -> None:
    """Save a catalogue version from a rule dialog: a new version may not reuse a date that has one;
    a correction sends the version it started from, so a stale save is refused."""
    if date_taken:
        clear_field_errors(dialog)
        message = QCoreApplication.translate(
            "CatalogueVersions",
            "A version from this date already exists. Choose another date, or correct that version.",
        )
        show_field_error(dialog, ValidationError(message, field="effective_from"))
        return
    expected = dialog.start.version if dialog.correcting and dialog.start is not None else None
    dialog.saved_rule = rule  # read by the accepted() handler, which runs inside save()
    if not dialog.save(lambda: call(dialog.actor, rule, expected), changed=topics.CREDIT_CATALOGUE):
        dialog.saved_rule = None


class RuleDialog(FormDialog):
    """A new version from a date (``correcting`` False) or a correction of the selected version."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        start: RuleRow | None,
        correcting: bool,
        existing: list[RuleRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Correct catalogue version") if correcting else self.tr("New catalogue version"), parent
        )
        self.services = services
        self.actor = actor
        self.start = start
        self.correcting = correcting
        self.existing = existing
        self.saved_rule: CreditRule | None = None
        self.kind = self.add_field(
            self.tr("Record kind:"), QComboBox(self), "kind", self.tr("Record kind"), required=True
        )
        for kind in RecordKind:
            self.kind.addItem(record_kind_label(kind), kind)
        self.severity = self.add_field(
            self.tr("Severity:"), QComboBox(self), "severity", self.tr("Severity"), required=True
        )
        for severity in Severity:
            self.severity.addItem(severity_label(severity), severity)
        self.effective_from = self.add_field(
            self.tr("Effective from:"),
            DateField(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.publicity_min_months = self._months(self.tr("Publicity at least:"), "publicity_min_months")
        self.publicity_max_months = self._months(self.tr("Publicity at most:"), "publicity_max_months")
        self.points = self.add_field(self.tr("Points:"), QSpinBox(self), "points", self.tr("Points"))
        self.points.setRange(0, 100)
        self.ban_months = self._months(self.tr("Ban length:"), "ban_months")
        if start is not None:
            rule = start.rule
            combo_select_data(self.kind, rule.kind)
            combo_select_data(self.severity, rule.severity)
            self.effective_from.set_value(rule.effective_from if correcting else None)
            self.publicity_min_months.setValue(rule.publicity_min_months)
            self.publicity_max_months.setValue(rule.publicity_max_months)
            self.points.setValue(rule.points)
            self.ban_months.setValue(rule.ban_months)
        for widget in (self.kind, self.severity, self.effective_from):
            widget.setEnabled(not correcting)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        if correcting:
            self.set_hint(
                self.tr(
                    "Correcting changes this version for every record decided while it is in force. "
                    "For a change of policy, add a new version from a date instead."
                )
            )
        else:
            self.set_hint(
                self.tr(
                    "Records decided on or after the effective date get these defaults; older ones keep theirs."
                )
            )
        self.setMinimumWidth(460)

    def _months(self, label: str, name: str) -> QSpinBox:
        box = self.add_field(label, QSpinBox(self), name, label.rstrip(":："))
        box.setRange(0, 120)
        box.setSuffix(self.tr(" months"))
        box.setSpecialValueText(self.tr("none"))
        return box

    def _kind_changed(self) -> None:
        self.form.setRowVisible(self.ban_months, self.kind.currentData() == RecordKind.BAN)

    def rule(self) -> CreditRule:
        kind = RecordKind(self.kind.currentData())
        effective = self.effective_from.value()
        assert effective is not None
        return CreditRule(
            kind,
            Severity(self.severity.currentData()),
            effective,
            self.publicity_min_months.value(),
            self.publicity_max_months.value(),
            self.points.value(),
            self.ban_months.value() if kind == RecordKind.BAN else 0,
        )

    def submit(self) -> None:
        rule = self.rule()
        taken = not self.correcting and any(
            (r.rule.kind, r.rule.severity, r.rule.effective_from)
            == (rule.kind, rule.severity, rule.effective_from)
            for r in self.existing
        )
        save_version(self, taken, self.services.credit.save_rule, rule)

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next((r for r in rule_rows(self.services, clock.today()) if r.id == self.start.id), None)
        if fresh is not None:
            self.start = fresh
            self.publicity_min_months.setValue(fresh.rule.publicity_min_months)
            self.publicity_max_months.setValue(fresh.rule.publicity_max_months)
            self.points.setValue(fresh.rule.points)
            self.ban_months.setValue(fresh.rule.ban_months)


# -- the credit score rule ------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreRow:
    id: int
    version: int
    rule: ScoreRule
    state: str  # in_force / superseded / future


def score_rows(services: Services, today: date) -> list[ScoreRow]:
    found = services.credit.score_rule_rows()
    dates = sorted(rule.effective_from for _i, _v, rule in found)
    started = [d for d in dates if d <= today]
    current = started[-1] if started else (dates[0] if dates else None)
    rows = []
    for row_id, version, rule in found:
        if rule.effective_from > today:
            state = "future"
        elif rule.effective_from == current:
            state = "in_force"
        else:
            state = "superseded"
        rows.append(ScoreRow(row_id, version, rule, state))
    return rows


class ScoreTableModel(RecordTableModel[ScoreRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Effective from"),
                    lambda r: table_date(r.rule.effective_from),
                    lambda r: r.rule.effective_from.toordinal(),
                ),
                Column(self.tr("Base score"), lambda r: str(r.rule.base), lambda r: r.rule.base, None, True),
                Column(self.tr("Grades"), self.bands_text),
                Column(self.tr("Status"), lambda r: version_state_label(r.state)),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )

    def bands_text(self, row: ScoreRow) -> str:
        parts = [f"{grade} ≥{lowest}" for grade, lowest in row.rule.bands]
        parts.append(self.tr("otherwise %1").replace("%1", row.rule.worst_grade))
        return " · ".join(parts)


class ScoreRuleDialog(FormDialog):
    """A new score-rule version from a date (``correcting`` False) or a correction of the selected one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        start: ScoreRow | None,
        correcting: bool,
        existing: list[ScoreRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Correct score rule version") if correcting else self.tr("New score rule version"), parent
        )
        self.services = services
        self.actor = actor
        self.start = start
        self.correcting = correcting
        self.existing = existing
        self.saved_rule: ScoreRule | None = None
        self.effective_from = self.add_field(
            self.tr("Effective from:"),
            DateField(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.base = self.add_field(
            self.tr("Base score:"), QSpinBox(self), "base", self.tr("Base score"), required=True
        )
        self.base.setRange(0, 100)

        # One row per grade, best first: its name and the lowest score that still earns it.
        self.bands = QFrame(self)
        self.bands.setObjectName("bands")
        self.bands.setAccessibleName(self.tr("Grades"))
        box = QVBoxLayout(self.bands)
        box.setContentsMargins(0, 0, 0, 0)
        self.band_grid = QGridLayout()
        self.band_grid.setContentsMargins(0, 0, 0, 0)
        self.band_grid.addWidget(QLabel(self.tr("Grade"), self.bands), 0, 0)
        self.band_grid.addWidget(QLabel(self.tr("Lowest score"), self.bands), 0, 1)
        self.band_grid.setColumnStretch(2, 1)
        box.addLayout(self.band_grid)
        self.band_rows: list[tuple[QLineEdit, QSpinBox]] = []
        row_buttons = QHBoxLayout()
        self.add_grade = QPushButton(self.tr("Add grade"), self.bands)
        self.add_grade.setObjectName("add_grade")
        self.add_grade.setAccessibleName(self.tr("Add grade"))
        self.add_grade.setAutoDefault(False)
        self.add_grade.clicked.connect(lambda _checked=False: self._add_band("", None))
        self.remove_grade = QPushButton(self.tr("Remove last grade"), self.bands)
        self.remove_grade.setObjectName("remove_grade")
        self.remove_grade.setAccessibleName(self.tr("Remove last grade"))
        self.remove_grade.setAutoDefault(False)
        self.remove_grade.clicked.connect(lambda _checked=False: self._remove_band())
        row_buttons.addWidget(self.add_grade)
        row_buttons.addWidget(self.remove_grade)
        row_buttons.addStretch(1)
        box.addLayout(row_buttons)
        self.form.addRow(self.tr("Grades:"), self.bands)
        self.set_required(self.bands)

        self.worst_grade = self.add_field(
            self.tr("Lowest grade:"), QLineEdit(self), "worst_grade", self.tr("Lowest grade"), required=True
        )
        self.worst_grade.setMaxLength(GRADE_NAME_LIMIT)
        self.worst_grade.setToolTip(
            self.tr("The grade of a score below every band, and of a file barred from entry on that day")
        )
        if start is not None:
            self.effective_from.set_value(start.rule.effective_from if correcting else None)
            self._show(start.rule)
        else:
            self._show(ScoreRule(clock.today(), 100, (("A", 90), ("B", 80), ("C", 70), ("D", 60)), "E"))
        self.effective_from.setEnabled(not correcting)
        if correcting:
            self.set_hint(
                self.tr(
                    "Correcting changes the score and grade of every file on the days this version is "
                    "in force. For a change of policy, add a new version from a date instead."
                )
            )
        else:
            self.set_hint(
                self.tr(
                    "Scores and grades on or after the effective date use this rule; earlier days keep "
                    "the rule in force then. The grade is information only, never an entry condition."
                )
            )
        self.setMinimumWidth(480)

    def _show(self, rule: ScoreRule) -> None:
        self.base.setValue(rule.base)
        while self.band_rows:
            self._remove_band(force=True)
        for grade, lowest in rule.bands:
            self._add_band(grade, lowest)
        self.worst_grade.setText(rule.worst_grade)

    def _add_band(self, grade: str, lowest: int | None) -> None:
        if len(self.band_rows) >= GRADE_LIMIT:
            return
        number = str(len(self.band_rows) + 1)
        name = QLineEdit(grade, self.bands)
        name.setMaxLength(GRADE_NAME_LIMIT)
        name.setMinimumWidth(name.fontMetrics().horizontalAdvance("M" * 12))
        name.setObjectName(f"band_grade_{len(self.band_rows)}")
        name.setAccessibleName(self.tr("Grade %1 name").replace("%1", number))
        score = QSpinBox(self.bands)
        score.setRange(0, 100)
        score.setPrefix("≥ ")
        score.setObjectName(f"band_lowest_{len(self.band_rows)}")
        score.setAccessibleName(self.tr("Grade %1 lowest score").replace("%1", number))
        if lowest is None:
            lowest = max(self.band_rows[-1][1].value() - 10, 0) if self.band_rows else 90
        score.setValue(lowest)
        row = len(self.band_rows) + 1
        self.band_grid.addWidget(name, row, 0)
        self.band_grid.addWidget(score, row, 1)
        self.band_rows.append((name, score))
        self._update_band_buttons()
        if not grade:
            name.setFocus()

    def _remove_band(self, force: bool = False) -> None:
        if not self.band_rows or (len(self.band_rows) == 1 and not force):
            return
        for widget in self.band_rows.pop():
            self.band_grid.removeWidget(widget)
            widget.setObjectName("")
            widget.hide()
            widget.deleteLater()
        self._update_band_buttons()

    def _update_band_buttons(self) -> None:
        self.add_grade.setEnabled(len(self.band_rows) < GRADE_LIMIT)
        self.remove_grade.setEnabled(len(self.band_rows) > 1)

    def rule(self) -> ScoreRule:
        effective = self.effective_from.value()
        assert effective is not None
        return ScoreRule(
            effective,
            self.base.value(),
            tuple((name.text().strip(), score.value()) for name, score in self.band_rows),
            self.worst_grade.text().strip(),
        )

    def submit(self) -> None:
        rule = self.rule()
        taken = not self.correcting and any(
            r.rule.effective_from == rule.effective_from for r in self.existing
        )
        save_version(self, taken, self.services.credit.save_score_rule, rule)

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next((r for r in score_rows(self.services, clock.today()) if r.id == self.start.id), None)
        if fresh is not None:
            self.start = fresh
            self._show(fresh.rule)


class ScoreRulesSection(ListTab):
    """The score-rule versions, under the catalogue table (a handful of rows: no search box)."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            ScoreTableModel(), "score_rule_search", "score_rule_table", self.tr("Credit score rules"), parent
        )
        self.services = services
        self.actor = actor
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Credit score and grades"), self)
        self.title.setObjectName("score_rules_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(self.title)
        self.new_button = self.add_button(
            self.tr("New version from a date…"),
            "new_score_version",
            self.new_item,
            self.tr("Change the score rule from a date on; earlier days keep theirs"),
        )
        self.edit_button = self.add_button(
            self.tr("Correct this version…"),
            "correct_score_version",
            self.edit_current,
            self.tr("Fix a version entered wrongly"),
        )
        rows_shown = 4
        self.view.setMaximumHeight(
            self.view.horizontalHeader().sizeHint().height()
            + self.view.verticalHeader().defaultSectionSize() * rows_shown
            + 2 * self.view.frameWidth()
            + 2
        )
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.refresh()

    def load_records(self) -> list[Any]:
        return score_rows(self.services, clock.today())

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def _start(self) -> ScoreRow | None:
        chosen = self.current()
        if chosen is None:
            chosen = next((r for r in self.model.records() if r.state == "in_force"), None)
        return chosen

    def new_item(self) -> None:
        self.clear_messages()
        dialog = ScoreRuleDialog(self.services, self.actor, self._start(), False, self.model.records(), self)
        self.open_dialog(dialog, self._saved)

    def edit_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self.clear_messages()
        self.open_dialog(
            ScoreRuleDialog(self.services, self.actor, chosen, True, self.model.records(), self), self._saved
        )

    def _saved(self) -> None:
        rule = self.dialog.saved_rule if isinstance(self.dialog, ScoreRuleDialog) else None
        self.refresh()
        if rule is not None:
            self.select(lambda r: r.rule.effective_from == rule.effective_from)
            self.show_status(
                self.tr("Score rule from %1 saved.").replace("%1", text_date(rule.effective_from))
            )


class CreditCatalogueTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            CatalogueTableModel(), "catalogue_search", "catalogue_table", self.tr("Credit catalogue"), parent
        )
        self.services = services
        self.actor = actor
        self.new_button = self.add_button(
            self.tr("New version from a date…"),
            "new_version",
            self.new_item,
            self.tr("Change the defaults from a date on; earlier records keep theirs"),
        )
        self.edit_button = self.add_button(
            self.tr("Correct this version…"),
            "correct_version",
            self.edit_current,
            self.tr("Fix a version entered wrongly"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.refresh()
        self.score_rules = ScoreRulesSection(services, actor, self)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.score_rules)

    def load_records(self) -> list[Any]:
        return rule_rows(self.services, clock.today())

    def reload_clicked(self) -> None:
        super().reload_clicked()
        self.score_rules.reload_clicked()

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def new_item(self) -> None:
        self.clear_messages()
        dialog = RuleDialog(self.services, self.actor, self.current(), False, self.model.records(), self)
        self.open_dialog(dialog, self._saved)

    def edit_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self.clear_messages()
        self.open_dialog(
            RuleDialog(self.services, self.actor, chosen, True, self.model.records(), self), self._saved
        )

    def _saved(self) -> None:
        rule = self.dialog.saved_rule if isinstance(self.dialog, RuleDialog) else None
        self.refresh()
        if rule is not None:
            self.select(
                lambda r: (
                    (r.rule.kind, r.rule.severity, r.rule.effective_from)
                    == (rule.kind, rule.severity, rule.effective_from)
                )
            )
            self.show_status(
                self.tr("%1 (%2) from %3 saved.")
                .replace("%1", record_kind_label(rule.kind))
                .replace("%2", severity_label(rule.severity))
                .replace("%3", text_date(rule.effective_from))
            )
