"""专家考评项目: the items of the on-site evaluation form (E01…: text, default points, range, serious)
and below them the threshold rules (accumulation, 通报 and suspension points, a serious item
suspends, months), each with its versions by date.

Rules are data with an effective-from date (DESIGN.md 7): a session uses the items in force on its
day, and an expert's points the rule in force on the day of the mark. "Correct" fixes a version
entered wrongly (same date); every save is audited by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from desktop_app import clock
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evaluations import Accumulation
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import ItemInfo, ItemInput, RuleInfo, RuleInput
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.credit.labels import version_state_label
from desktop_app.ui.dates import table_date, text_date
from desktop_app.ui.evaluations.labels import accumulation_label
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel, Width

POINTS_LIMIT = 100  # the service, not the spin box, says what an item's points may be


def version_states(dated: list[tuple[Any, date]], today: date) -> dict[Any, str]:
    """in_force / superseded / future for each version of one thing (its key, its date)."""
    started = sorted(day for _key, day in dated if day <= today)
    current = started[-1] if started else None
    states = {}
    for key, day in dated:
        if day > today:
            states[key] = "future"
        elif day == current:
            states[key] = "in_force"
        else:
            states[key] = "superseded"
    return states


@dataclass(frozen=True)
class ItemRow:
    id: int
    item: ItemInfo
    state: str


@dataclass(frozen=True)
class RuleRow:
    id: int
    rule: RuleInfo
    state: str


def item_rows(services: Services, today: date) -> list[ItemRow]:
    items = services.evaluations.item_versions()
    by_code: dict[str, list[ItemInfo]] = {}
    for item in items:
        by_code.setdefault(item.code, []).append(item)
    rows: list[ItemRow] = []
    for versions in by_code.values():
        states = version_states([(v.id, v.effective_from) for v in versions], today)
        rows.extend(ItemRow(v.id, v, states[v.id]) for v in versions)
    return rows


def rule_rows(services: Services, today: date) -> list[RuleRow]:
    rules = services.evaluations.rule_versions()
    states = version_states([(r.id, r.effective_from) for r in rules], today)
    return [RuleRow(r.id, r, states[r.id]) for r in rules]


def item_state_text(row: ItemRow) -> str:
    if not row.item.active:
        return QCoreApplication.translate("EvaluationCatalogue", "Retired (%1)").replace(
            "%1", version_state_label(row.state)
        )
    return version_state_label(row.state)


class ItemTableModel(RecordTableModel[ItemRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Code"),
                    lambda r: r.item.code,
                    lambda r: f"{r.item.code}{r.item.effective_from}",
                    width=Width(whole=True, weight=0),
                ),
                Column(self.tr("Item"), lambda r: r.item.text, width=Width("未按规定关闭通讯工具", weight=3)),
                Column(
                    self.tr("Default points"),
                    lambda r: str(r.item.default_points),
                    lambda r: r.item.default_points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Range"),
                    lambda r: f"{r.item.min_points} … {r.item.max_points}",
                    lambda r: (r.item.min_points, r.item.max_points),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Serious"),
                    lambda r: self.tr("serious") if r.item.serious else "",
                    lambda r: r.item.serious,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Effective from"),
                    lambda r: table_date(r.item.effective_from),
                    lambda r: f"{r.item.effective_from}{r.item.code}",
                    width=Width(whole=True, weight=0),
                ),
                Column(self.tr("Status"), item_state_text, width=Width(whole=True, weight=1)),
            ],
            muted=lambda r: r.state == "superseded" or not r.item.active,
            parent=parent,
        )


class RuleTableModel(RecordTableModel[RuleRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Effective from"),
                    lambda r: table_date(r.rule.effective_from),
                    lambda r: r.rule.effective_from.toordinal(),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Points add up"),
                    lambda r: accumulation_label(r.rule.accumulation),
                    width=Width(whole=True, weight=1),
                ),
                Column(
                    self.tr("Notify at"),
                    lambda r: str(r.rule.notify_points),
                    lambda r: r.rule.notify_points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Suspend at"),
                    lambda r: str(r.rule.suspend_points),
                    lambda r: r.rule.suspend_points,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Serious item suspends"),
                    lambda r: self.tr("yes") if r.rule.serious_suspends else self.tr("no"),
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Months suspended"),
                    lambda r: str(r.rule.suspension_months),
                    lambda r: r.rule.suspension_months,
                    align_right=True,
                    width=Width("99", weight=0),
                ),
                Column(
                    self.tr("Status"),
                    lambda r: version_state_label(r.state),
                    width=Width(whole=True, weight=1),
                ),
            ],
            muted=lambda r: r.state == "superseded",
            parent=parent,
        )


def refuse_taken_date(dialog: FormDialog) -> None:
    clear_field_errors(dialog)
    message = QCoreApplication.translate(
        "CatalogueVersions",
        "A version from this date already exists. Choose another date, or correct that version.",
    )
    show_field_error(dialog, ValidationError(message, field="effective_from"))


class ItemDialog(FormDialog):
    """A new version of an item from a date (a new code too), or a correction of the selected one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        start: ItemRow | None,
        correcting: bool,
        existing: list[ItemRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Correct item version") if correcting else self.tr("New item version"), parent
        )
        self.setObjectName("item_dialog")
        self.services = services
        self.actor = actor
        self.start = start
        self.correcting = correcting
        self.existing = existing
        self.code = self.add_field(self.tr("&Code:"), QLineEdit(self), "code", self.tr("Code"), required=True)
        self.code.setMaxLength(8)
        self.code.setPlaceholderText(self.tr("e.g. E18"))
        self.text = self.add_field(self.tr("&Item:"), QLineEdit(self), "text", self.tr("Item"), required=True)
        self.default_points = self._points(self.tr("&Default points:"), "default_points")
        self.min_points = self._points(self.tr("Least points:"), "min_points")
        self.max_points = self._points(self.tr("Most points:"), "max_points")
        self.serious = self.add_field(
            "",
            QCheckBox(self.tr("&Serious: a suspension is proposed whatever the points"), self),
            "serious",
            self.tr("Serious"),
        )
        self.effective_from = self.add_field(
            self.tr("&Effective from:"),
            DateField(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.active = self.add_field(
            "",
            QCheckBox(self.tr("In &use (unticked: the item is retired from this date)"), self),
            "active",
            self.tr("In use"),
        )
        self.active.setChecked(True)
        if start is not None:
            self._show(start.item)
            self.effective_from.set_value(start.item.effective_from if correcting else None)
        for widget in (self.code, self.effective_from):
            widget.setEnabled(not correcting)
        if correcting:
            self.set_hint(
                self.tr(
                    "Correcting changes this version for every session on the days it is in force; marks already "
                    "finalised keep the text and points they were given. For a change of the form, add a version "
                    "from a date instead."
                )
            )
        else:
            self.set_hint(
                self.tr(
                    "Sessions on or after the effective date use this version; earlier sessions keep theirs."
                )
            )
        self.setMinimumWidth(520)

    def _points(self, label: str, name: str) -> QSpinBox:
        box = self.add_field(label, QSpinBox(self), name, label.rstrip(":：").replace("&", ""), required=True)
        box.setRange(0, POINTS_LIMIT)
        return box

    def _show(self, item: ItemInfo) -> None:
        self.code.setText(item.code)
        self.text.setText(item.text)
        self.default_points.setValue(item.default_points)
        self.min_points.setValue(item.min_points)
        self.max_points.setValue(item.max_points)
        self.serious.setChecked(item.serious)
        self.active.setChecked(item.active)

    def data(self) -> ItemInput:
        effective = self.effective_from.value()
        assert effective is not None
        return ItemInput(
            code=self.code.text().strip().upper(),
            text=self.text.text().strip(),
            default_points=self.default_points.value(),
            min_points=self.min_points.value(),
            max_points=self.max_points.value(),
            serious=self.serious.isChecked(),
            effective_from=effective,
            active=self.active.isChecked(),
        )

    def submit(self) -> None:
        data = self.data()
        if not self.correcting and any(
            (r.item.code, r.item.effective_from) == (data.code, data.effective_from) for r in self.existing
        ):
            refuse_taken_date(self)
            return
        start = self.start
        if self.correcting and start is not None:
            self.save(
                lambda: self.services.evaluations.save_item(self.actor, data, start.id, start.item.version),
                changed=topics.EVALUATION_CATALOGUE,
            )
        else:
            self.save(
                lambda: self.services.evaluations.save_item(self.actor, data),
                changed=topics.EVALUATION_CATALOGUE,
            )

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next((r for r in item_rows(self.services, clock.today()) if r.id == self.start.id), None)
        if fresh is not None:
            self.start = fresh
            self._show(fresh.item)


class RuleDialog(FormDialog):
    """A new threshold rule from a date, or a correction of the selected version."""

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
            self.tr("Correct threshold rule") if correcting else self.tr("New threshold rule"), parent
        )
        self.setObjectName("threshold_dialog")
        self.services = services
        self.actor = actor
        self.start = start
        self.correcting = correcting
        self.existing = existing
        self.effective_from = self.add_field(
            self.tr("&Effective from:"),
            DateField(self),
            "effective_from",
            self.tr("Effective from"),
            required=True,
        )
        self.accumulation = self.add_field(
            self.tr("Points &add up:"),
            QComboBox(self),
            "accumulation",
            self.tr("Points add up"),
            required=True,
        )
        for accumulation in Accumulation:
            self.accumulation.addItem(accumulation_label(accumulation), accumulation.value)
        self.notify_points = self._number(
            self.tr("&Notify and publish at:"), "notify_points", self.tr(" points")
        )
        self.suspend_points = self._number(
            self.tr("&Propose a suspension at:"), "suspend_points", self.tr(" points")
        )
        self.serious_suspends = self.add_field(
            "",
            QCheckBox(self.tr("A &serious item alone proposes a suspension"), self),
            "serious_suspends",
            self.tr("A serious item proposes a suspension"),
        )
        self.suspension_months = self._number(
            self.tr("Suspension &length:"), "suspension_months", self.tr(" months")
        )
        if start is not None:
            self._show(start.rule)
            self.effective_from.set_value(start.rule.effective_from if correcting else None)
        else:
            self.accumulation.setCurrentIndex(0)
            self.notify_points.setValue(8)
            self.suspend_points.setValue(12)
            self.serious_suspends.setChecked(True)
            self.suspension_months.setValue(6)
        self.effective_from.setEnabled(not correcting)
        self.set_hint(
            self.tr(
                "Marks on or after the effective date are weighed by this rule; a threshold of 0 is never "
                "reached. Proposals already made stay as they are."
            )
        )
        self.setMinimumWidth(480)

    def _number(self, label: str, name: str, suffix: str) -> QSpinBox:
        box = self.add_field(label, QSpinBox(self), name, label.rstrip(":：").replace("&", ""), required=True)
        box.setRange(0, 999)
        box.setSuffix(suffix)
        return box

    def _show(self, rule: RuleInfo) -> None:
        combo_select_data(self.accumulation, rule.accumulation.value)
        self.notify_points.setValue(rule.notify_points)
        self.suspend_points.setValue(rule.suspend_points)
        self.serious_suspends.setChecked(rule.serious_suspends)
        self.suspension_months.setValue(rule.suspension_months)

    def data(self) -> RuleInput:
        effective = self.effective_from.value()
        assert effective is not None
        return RuleInput(
            effective_from=effective,
            accumulation=Accumulation(self.accumulation.currentData()),
            notify_points=self.notify_points.value(),
            suspend_points=self.suspend_points.value(),
            serious_suspends=self.serious_suspends.isChecked(),
            suspension_months=self.suspension_months.value(),
        )

    def submit(self) -> None:
        data = self.data()
        if not self.correcting and any(r.rule.effective_from == data.effective_from for r in self.existing):
            refuse_taken_date(self)
            return
        start = self.start
        if self.correcting and start is not None:
            self.save(
                lambda: self.services.evaluations.save_rule(self.actor, data, start.id, start.rule.version),
                changed=topics.EVALUATION_CATALOGUE,
            )
        else:
            self.save(
                lambda: self.services.evaluations.save_rule(self.actor, data),
                changed=topics.EVALUATION_CATALOGUE,
            )

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next((r for r in rule_rows(self.services, clock.today()) if r.id == self.start.id), None)
        if fresh is not None:
            self.start = fresh
            self._show(fresh.rule)


class ThresholdSection(ListTab):
    """The threshold rules' versions, under the items (a handful of rows: no search box)."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            RuleTableModel(), "threshold_search", "threshold_table", self.tr("Threshold rules"), parent
        )
        self.services = services
        self.actor = actor
        self.search.hide()
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Points and what they call for"), self)
        self.title.setObjectName("thresholds_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.toolbar_extra.addWidget(self.title)
        self.new_button = self.add_button(
            self.tr("New rule from a date…"),
            "new_threshold_version",
            self.new_item,
            self.tr("Change the thresholds from a date on; earlier marks keep theirs"),
        )
        self.edit_button = self.add_button(
            self.tr("Correct this rule…"),
            "correct_threshold_version",
            self.edit_current,
            self.tr("Fix a version entered wrongly"),
        )
        rows_shown = 3
        self.view.setMaximumHeight(
            self.view.horizontalHeader().sizeHint().height()
            + self.view.verticalHeader().defaultSectionSize() * rows_shown
            + 2 * self.view.frameWidth()
            + 2
        )
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.refresh()

    def load_records(self) -> list[Any]:
        return rule_rows(self.services, clock.today())

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def _start(self) -> RuleRow | None:
        chosen = self.current()
        if chosen is None:
            chosen = next((r for r in self.model.records() if r.state == "in_force"), None)
        return chosen

    def new_item(self) -> None:
        self.clear_messages()
        dialog = RuleDialog(self.services, self.actor, self._start(), False, self.model.records(), self)
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
        saved = self.dialog.result_value if isinstance(self.dialog, RuleDialog) else None
        self.refresh()
        if isinstance(saved, RuleInfo):
            self.select(lambda r: r.id == saved.id)
            self.show_status(
                self.tr("Threshold rule from %1 saved.").replace("%1", text_date(saved.effective_from))
            )


class EvaluationCatalogueTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            ItemTableModel(),
            "evaluation_item_search",
            "evaluation_item_table",
            self.tr("Evaluation items"),
            parent,
        )
        self.services = services
        self.actor = actor
        self.new_button = self.add_button(
            self.tr("New version from a date…"),
            "new_item_version",
            self.new_item,
            self.tr("Change an item, or add one, from a date on; earlier sessions keep theirs (Ctrl+N)"),
        )
        self.edit_button = self.add_button(
            self.tr("Correct this version…"),
            "correct_item_version",
            self.edit_current,
            self.tr("Fix a version entered wrongly"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.thresholds = ThresholdSection(services, actor, self)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.thresholds)
        self.watcher = operations.refresh_on_change(self, (topics.EVALUATION_CATALOGUE,), self.refresh)
        self.refresh()

    def load_records(self) -> list[Any]:
        return item_rows(self.services, clock.today())

    def refresh(self) -> None:
        super().refresh()
        self.thresholds.refresh()

    def update_actions(self) -> None:
        self.edit_button.setEnabled(self.current() is not None)

    def new_item(self) -> None:
        self.clear_messages()
        dialog = ItemDialog(self.services, self.actor, self.current(), False, self.model.records(), self)
        self.open_dialog(dialog, self._saved)

    def edit_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self.clear_messages()
        self.open_dialog(
            ItemDialog(self.services, self.actor, chosen, True, self.model.records(), self), self._saved
        )

    def _saved(self) -> None:
        saved = self.dialog.result_value if isinstance(self.dialog, ItemDialog) else None
        self.refresh()
        if isinstance(saved, ItemInfo):
            self.select(lambda r: r.id == saved.id)
            self.show_status(
                self.tr("%1 %2 from %3 saved.")
                .replace("%1", saved.code)
                .replace("%2", saved.text)
                .replace("%3", text_date(saved.effective_from))
            )
