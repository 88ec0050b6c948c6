"""信用目录: default publicity periods, points and ban lengths of each record kind and severity.

Rules are data with an effective-from date (DESIGN.md 7): a change of policy is a new version from a
date on, and a record uses the version in force on its decision date. "Correct" fixes a version that
was entered wrongly (same date); every save is audited by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from desktop_app.domain.credit import CreditRule, RecordKind, Severity
from desktop_app.domain.errors import ValidationError
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.credit.editing import DateField, record_kind_label, severity_label
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel


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
                ),
                Column(
                    self.tr("Severity"),
                    lambda r: severity_label(r.rule.severity),
                    lambda r: (
                        f"{_severity_order(r.rule.severity)}{_kind_order(r.rule.kind):02d}{r.rule.effective_from}"
                    ),
                ),
                Column(
                    self.tr("Effective from"),
                    lambda r: r.rule.effective_from.isoformat(),
                    lambda r: (
                        f"{r.rule.effective_from}{_kind_order(r.rule.kind):02d}{_severity_order(r.rule.severity)}"
                    ),
                ),
                Column(
                    self.tr("Publicity min (months)"),
                    lambda r: months(r.rule.publicity_min_months),
                    lambda r: r.rule.publicity_min_months,
                    None,
                    True,
                ),
                Column(
                    self.tr("Publicity max (months)"),
                    lambda r: months(r.rule.publicity_max_months),
                    lambda r: r.rule.publicity_max_months,
                    None,
                    True,
                ),
                Column(self.tr("Points"), lambda r: str(r.rule.points), lambda r: r.rule.points, None, True),
                Column(
                    self.tr("Ban (months)"),
                    lambda r: months(r.rule.ban_months),
                    lambda r: r.rule.ban_months,
                    None,
                    True,
                ),
                Column(self.tr("Status"), self.state_text),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )

    def state_text(self, row: RuleRow) -> str:
        return {
            "in_force": self.tr("In force"),
            "superseded": self.tr("Superseded"),
            "future": self.tr("Not yet in force"),
        }[row.state]


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
        self.kind = self.add_field(self.tr("Record kind:"), QComboBox(self), "kind", self.tr("Record kind"))
        for kind in RecordKind:
            self.kind.addItem(record_kind_label(kind), kind)
        self.severity = self.add_field(self.tr("Severity:"), QComboBox(self), "severity", self.tr("Severity"))
        for severity in Severity:
            self.severity.addItem(severity_label(severity), severity)
        self.effective_from = self.add_field(
            self.tr("Effective from:"), DateField(self), "effective_from", self.tr("Effective from")
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
        if not self.correcting and any(
            (r.rule.kind, r.rule.severity, r.rule.effective_from)
            == (rule.kind, rule.severity, rule.effective_from)
            for r in self.existing
        ):
            clear_field_errors(self)
            show_field_error(
                self,
                ValidationError(
                    self.tr(
                        "A version from this date already exists. Choose another date, or correct that version."
                    ),
                    field="effective_from",
                ),
            )
            return
        expected = self.start.version if self.correcting and self.start is not None else None
        self.saved_rule = rule  # read by the accepted() handler, which runs inside save()
        if not self.save(self.services.credit.save_rule, self.actor, rule, expected):
            self.saved_rule = None

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next((r for r in rule_rows(self.services, date.today()) if r.id == self.start.id), None)
        if fresh is not None:
            self.start = fresh
            self.publicity_min_months.setValue(fresh.rule.publicity_min_months)
            self.publicity_max_months.setValue(fresh.rule.publicity_max_months)
            self.points.setValue(fresh.rule.points)
            self.ban_months.setValue(fresh.rule.ban_months)


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

    def load_records(self) -> list[Any]:
        return rule_rows(self.services, date.today())

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
                .replace("%3", rule.effective_from.isoformat())
            )
