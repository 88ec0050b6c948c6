"""投诉规则: the complaints catalogue (time limits, acceptance days, deduction points, follow-up and
statutory clocks, the duplicate window), each figure with its versions by date.

Rules are data with an effective-from date (DESIGN.md 7): the system admin sets a figure's value from
a date on, and every day before it keeps the figure in force then. Saving on a date that already has
a version changes that version. The service checks the range and audits every save.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from desktop_app import clock
from desktop_app.domain.complaints import RULE_LABELS, RULE_RANGES
from desktop_app.services.complaints.types import RuleValue
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.complaints.labels import rule_label
from desktop_app.ui.credit.labels import version_state_label
from desktop_app.ui.dates import table_date, text_date
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width

# Wide enough for any figure: the service, not the spin box, says what a figure may be, so that an
# out-of-range value is refused with its range named at the field.
VALUE_LIMIT = 999


@dataclass(frozen=True)
class VersionRow:
    id: int
    rule: RuleValue
    state: str  # in_force / superseded / future


@dataclass(frozen=True)
class FigureRow:
    """One figure of the catalogue: the version in force today, the ones set for later, all of them."""

    id: int  # its place in the catalogue (the list keeps the selection by it)
    name: str
    current: RuleValue | None
    ahead: tuple[RuleValue, ...]
    versions: tuple[VersionRow, ...]
    low: int
    high: int


def version_state(rule: RuleValue, current: RuleValue | None, today: date) -> str:
    if rule.effective_from > today:
        return "future"
    if current is not None and rule.effective_from == current.effective_from:
        return "in_force"
    return "superseded"


def figure_rows(services: Services, today: date) -> list[FigureRow]:
    by_name: dict[str, list[RuleValue]] = {}
    for rule in services.complaints.rule_versions():
        by_name.setdefault(rule.name, []).append(rule)
    names = [n for n in RULE_LABELS if n in by_name] + sorted(n for n in by_name if n not in RULE_LABELS)
    rows = []
    for place, name in enumerate(names):
        versions = sorted(by_name[name], key=lambda r: r.effective_from)
        started = [r for r in versions if r.effective_from <= today]
        current = started[-1] if started else None
        low, high = RULE_RANGES.get(name, (versions[0].low, versions[0].high))
        rows.append(
            FigureRow(
                place,
                name,
                current,
                tuple(r for r in versions if r.effective_from > today),
                tuple(VersionRow(r.id, r, version_state(r, current, today)) for r in versions),
                low,
                high,
            )
        )
    return rows


class FigureTableModel(RecordTableModel[FigureRow]):
    IN_FORCE_COLUMN = 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Figure"),
                    lambda r: rule_label(r.name),
                    lambda r: r.id,
                    width=Width("重复投诉比对天数（自然日）", weight=2),
                ),
                Column(
                    self.tr("In force today"),
                    lambda r: str(r.current.value) if r.current else "—",
                    lambda r: r.current.value if r.current else 0,
                    None,
                    True,
                    Width("—", weight=0),
                ),
                Column(
                    self.tr("Since"),
                    lambda r: table_date(r.current.effective_from) if r.current else "—",
                    lambda r: r.current.effective_from.toordinal() if r.current else 0,
                    width=Width(whole=True, weight=0),
                ),
                Column(self.tr("Changes ahead"), self.ahead_text, width=Width(weight=1)),
                Column(
                    self.tr("Allowed"),
                    lambda r: f"{r.low} … {r.high}",
                    lambda r: r.low,
                    width=Width(whole=True, weight=0),
                ),
            ],
            parent=parent,
        )

    def ahead_text(self, row: FigureRow) -> str:
        return "; ".join(
            self.tr("%1 from %2").replace("%1", str(r.value)).replace("%2", table_date(r.effective_from))
            for r in row.ahead
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The figure that applies today is what the admin looks for first.
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.column() == self.IN_FORCE_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class VersionTableModel(RecordTableModel[VersionRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Effective from"),
                    lambda r: table_date(r.rule.effective_from),
                    lambda r: r.rule.effective_from.toordinal(),
                ),
                Column(self.tr("Value"), lambda r: str(r.rule.value), lambda r: r.rule.value, None, True),
                Column(self.tr("Status"), lambda r: version_state_label(r.state)),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )


class RuleValueDialog(FormDialog):
    """A figure's value from a date on (the date of an existing version: that version changed)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        figures: list[FigureRow],
        name: str | None,
        effective_from: date | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Set a complaints rule from a date"), parent)
        self.services = services
        self.actor = actor
        self.figures = figures
        self.name = self.add_field(
            self.tr("&Figure:"), QComboBox(self), "name", self.tr("Figure"), required=True
        )
        for figure in figures:
            self.name.addItem(rule_label(figure.name), figure.name)
        self.effective_from = self.add_field(
            self.tr("&Effective from:"),
            DateField(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.value = self.add_field(
            self.tr("&Value:"), QSpinBox(self), "value", self.tr("Value"), required=True
        )
        self.value.setRange(-VALUE_LIMIT, VALUE_LIMIT)
        self.note = QLabel(self)
        self.note.setObjectName("rule_note")
        self.note.setWordWrap(True)
        self.form.addRow("", self.note)
        if name is not None:
            combo_select_data(self.name, name)
        self.effective_from.set_value(effective_from or clock.today())
        self._figure_changed()
        self.name.currentIndexChanged.connect(lambda _i: self._figure_changed())
        # A date changed keeps the value typed; only what saving will do is said again.
        self.effective_from.dateChanged.connect(lambda _d: self._show_note())
        self.set_hint(
            self.tr(
                "The value applies from this date on; the days before it keep the value in force then "
                "(a complaint's time limits go by the day it was received)."
            )
        )
        self.setMinimumWidth(520)

    def figure(self) -> FigureRow | None:
        name = self.name.currentData()
        return next((f for f in self.figures if f.name == name), None)

    def _in_force_on(self, figure: FigureRow, day: date) -> RuleValue | None:
        started = [v.rule for v in figure.versions if v.rule.effective_from <= day]
        return started[-1] if started else None

    def _figure_changed(self) -> None:
        """The figure's value on the chosen date as the starting point."""
        figure = self.figure()
        day = self.effective_from.value()
        if figure is not None and day is not None:
            before = self._in_force_on(figure, day)
            if before is not None:
                self.value.setValue(before.value)
        self._show_note()

    def _show_note(self) -> None:
        """The figure's range, and what saving on the chosen date will do."""
        figure = self.figure()
        day = self.effective_from.value()
        if figure is None or day is None:
            self.note.clear()
            return
        before = self._in_force_on(figure, day)
        allowed = self.tr("Allowed: %1 to %2.").replace("%1", str(figure.low)).replace("%2", str(figure.high))
        if before is not None and before.effective_from == day:
            said = self.tr("A version from this date exists (%1): saving changes it.").replace(
                "%1", str(before.value)
            )
        elif before is not None:
            said = (
                self.tr("On that date %1 applies (from %2): saving adds a version.")
                .replace("%1", str(before.value))
                .replace("%2", text_date(before.effective_from))
            )
        else:
            said = self.tr("No value before that date: saving adds the first version.")
        self.note.setText(f"{allowed} {said}")

    def submit(self) -> None:
        name = str(self.name.currentData())
        value = self.value.value()
        effective = self.effective_from.value()

        def save() -> RuleValue:
            return self.services.complaints.save_rule(self.actor, name, value, effective)

        self.save(save, changed=topics.COMPLAINT_RULES)

    def reload(self) -> None:
        self.figures = figure_rows(self.services, clock.today())
        self._show_note()


class RuleVersionsSection(ListTab):
    """The versions of the figure selected above (a handful of rows: no search box)."""

    def __init__(self, owner: ComplaintRulesTab) -> None:
        super().__init__(
            VersionTableModel(), "rule_version_search", "rule_version_table", self.tr("Versions"), owner
        )
        self.owner = owner
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("rule_versions_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(self.title)
        self.edit_button = self.add_button(
            self.tr("Change this version…"),
            "change_rule_version",
            self.edit_current,
            self.tr("Set another value from the same date"),
        )
        rows_shown = 4
        self.view.setMaximumHeight(
            self.view.horizontalHeader().sizeHint().height()
            + self.view.verticalHeader().defaultSectionSize() * rows_shown
            + 2 * self.view.frameWidth()
            + 2
        )
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def load_records(self) -> list[Any]:
        figure = self.owner.current()
        self.title.setText(
            self.tr("Versions of: %1").replace("%1", rule_label(figure.name))
            if figure
            else self.tr("Versions")
        )
        return list(figure.versions) if isinstance(figure, FigureRow) else []

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def edit_current(self) -> None:
        chosen = self.current()
        if chosen is not None:
            self.owner.set_value(chosen.rule.name, chosen.rule.effective_from)


class ComplaintRulesTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            FigureTableModel(),
            "complaint_rules_search",
            "complaint_rules_table",
            self.tr("Complaints rules"),
            parent,
        )
        self.services = services
        self.actor = actor
        self.new_button = self.add_button(
            self.tr("&Set from a date…"),
            "set_rule",
            self.new_item,
            self.tr("Change the selected figure from a date on; earlier days keep theirs (Ctrl+N)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.versions = RuleVersionsSection(self)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.versions)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.versions.refresh())
        self.watcher = operations.refresh_on_change(self, (topics.COMPLAINT_RULES,), self.refresh)
        self.refresh()
        if self.current() is None and self.proxy.rowCount() > 0:
            self.view.selectRow(0)

    def load_records(self) -> list[Any]:
        return figure_rows(self.services, clock.today())

    def refresh(self) -> None:
        super().refresh()
        self.versions.refresh()

    def update_actions(self) -> None:
        self.new_button.setEnabled(self.model.rowCount() > 0)

    # -- acting -------------------------------------------------------------------------------------
    def new_item(self) -> None:
        chosen = self.current()
        self.set_value(chosen.name if isinstance(chosen, FigureRow) else None, None)

    def edit_current(self) -> None:
        self.new_item()

    def set_value(self, name: str | None, effective_from: date | None) -> None:
        self.clear_messages()
        dialog = RuleValueDialog(self.services, self.actor, self.model.records(), name, effective_from, self)
        self.open_dialog(dialog, self._saved)

    def _saved(self) -> None:
        saved = self.dialog.result_value if isinstance(self.dialog, RuleValueDialog) else None
        if not isinstance(saved, RuleValue):
            return
        self.refresh()
        self.select(lambda r: r.name == saved.name)
        self.versions.select(lambda r: r.rule.effective_from == saved.effective_from)
        self.show_status(
            self.tr("%1: %2 from %3.")
            .replace("%1", rule_label(saved.name))
            .replace("%2", str(saved.value))
            .replace("%3", text_date(saved.effective_from))
        )
