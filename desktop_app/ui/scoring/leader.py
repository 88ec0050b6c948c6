"""月度考核, the departments' months: every department's month of the month picked (a supervisor: their
own), with its state, counts and 优秀 against the quota; a leader locks (a refusal over the quota is
shown, and overridden with a reason), returns or reopens it with a reason. Below the page's other tabs
a leader finds the late arrivals (deductions for a month already locked) and the contests to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop_app.domain.roles import Permission
from desktop_app.domain.scoring import AutoSource, ContestState, Dimension, SheetState
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring.types import DepartmentMonthInfo, EntryInfo, LateArrival, SheetRow
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_time
from desktop_app.ui.evaluations.lists import KeyedListTab, TonedTableModel, preview_document
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog
from desktop_app.ui.widgets.paged_table import Tone
from desktop_app.ui.widgets.tables import Column, Width

LAST_EXPORT_DIR = "scoring/last_export_dir"


# -- labels ------------------------------------------------------------------------------------------
def state_label(state: SheetState) -> str:
    labels = {
        SheetState.DRAFT: QCoreApplication.translate("ScoringLabels", "Being filled in"),
        SheetState.SUBMITTED: QCoreApplication.translate("ScoringLabels", "Submitted"),
        SheetState.LOCKED: QCoreApplication.translate("ScoringLabels", "Locked"),
    }
    return labels[state]


def dimension_label(dimension: Dimension) -> str:
    labels = {
        Dimension.MORALITY: QCoreApplication.translate("ScoringLabels", "Conduct"),
        Dimension.ABILITY: QCoreApplication.translate("ScoringLabels", "Ability"),
        Dimension.DILIGENCE: QCoreApplication.translate("ScoringLabels", "Diligence"),
        Dimension.PERFORMANCE: QCoreApplication.translate("ScoringLabels", "Performance"),
        Dimension.INTEGRITY: QCoreApplication.translate("ScoringLabels", "Integrity"),
    }
    return labels[dimension]


def source_label(source: AutoSource | None) -> str:
    if source is None:
        return ""
    labels = {
        AutoSource.COMPLAINT_TRUE: QCoreApplication.translate("ScoringLabels", "Complaint found true"),
        AutoSource.COMPLAINT_OVERDUE: QCoreApplication.translate("ScoringLabels", "Case closed late"),
        AutoSource.BAD_RATING: QCoreApplication.translate("ScoringLabels", "Poor follow-up rating"),
        AutoSource.PRAISE: QCoreApplication.translate("ScoringLabels", "Commendation"),
        AutoSource.STAFF_RECORD: QCoreApplication.translate("ScoringLabels", "Staff integrity record"),
    }
    return labels[source]


def contest_label(state: ContestState) -> str:
    labels = {
        ContestState.NONE: "",
        ContestState.CONTESTED: QCoreApplication.translate("ScoringLabels", "Contested"),
        ContestState.UPHELD: QCoreApplication.translate("ScoringLabels", "Upheld"),
        ContestState.WITHDRAWN: QCoreApplication.translate("ScoringLabels", "Withdrawn"),
    }
    return labels[state]


def points_text(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def month_average(info: DepartmentMonthInfo) -> float | None:
    if not info.rows:
        return None
    return sum(row.total for row in info.rows) / len(info.rows)


def contested_count(info: DepartmentMonthInfo) -> int:
    return sum(row.contested for row in info.rows)


# -- the departments' months -------------------------------------------------------------------------
def month_tone(info: DepartmentMonthInfo) -> Tone | None:
    if info.over_quota and info.state != SheetState.LOCKED:
        return Tone.ALARM
    if info.state == SheetState.SUBMITTED or info.late_arrivals:
        return Tone.WARNING
    if info.state == SheetState.LOCKED:
        return Tone.MUTED
    return None


class MonthTableModel(TonedTableModel[DepartmentMonthInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Department"), lambda d: d.department_name, width=Width("综合业务科", weight=2)
                ),
                Column(
                    self.tr("State"),
                    lambda d: (
                        state_label(d.state)
                        + (self.tr(" (revision %1)").replace("%1", str(d.revision)) if d.revision > 1 else "")
                    ),
                    lambda d: (list(SheetState).index(d.state), d.department_name),
                    width=Width(whole=True, weight=1),
                ),
                Column(
                    self.tr("Staff"),
                    lambda d: str(d.staff_count),
                    lambda d: d.staff_count,
                    align_right=True,
                    width=Width("999", weight=0),
                ),
                Column(
                    self.tr("Average"),
                    lambda d: "" if month_average(d) is None else points_text(month_average(d) or 0.0),
                    lambda d: month_average(d) or 0.0,
                    align_right=True,
                    width=Width("100.0", weight=0),
                ),
                Column(
                    self.tr("Excellent / quota"),
                    lambda d: f"{d.excellent_count} / {d.excellent_quota}",
                    lambda d: d.excellent_count - d.excellent_quota,
                    align_right=True,
                    width=Width(whole=True, weight=0),
                ),
                Column(
                    self.tr("Contested"),
                    lambda d: str(contested_count(d)) if contested_count(d) else "",
                    contested_count,
                    align_right=True,
                    width=Width("99", weight=0, gives_way=2),
                ),
                Column(
                    self.tr("Late arrivals"),
                    lambda d: str(len(d.late_arrivals)) if d.late_arrivals else "",
                    lambda d: len(d.late_arrivals),
                    align_right=True,
                    width=Width("99", weight=0, gives_way=3),
                ),
                Column(
                    self.tr("Submitted"),
                    lambda d: f"{d.submitted_by} {table_time(d.submitted_at)}".strip(),
                    lambda d: d.submitted_at.timestamp() if d.submitted_at else 0.0,  # sorted by the instant
                    width=Width(whole=True, weight=1, gives_way=1),
                ),
                Column(
                    self.tr("Locked"),
                    lambda d: f"{d.locked_by} {table_time(d.locked_at)}".strip(),
                    lambda d: d.locked_at.timestamp() if d.locked_at else 0.0,
                    width=Width(whole=True, weight=1, gives_way=1),
                ),
                Column(
                    self.tr("Reason"),
                    lambda d: d.reopen_reason or d.return_reason or d.override_reason,
                    width=Width("退回重新评分", weight=2, gives_way=4),
                ),
            ],
            month_tone,
            parent,
        )


class MonthsTab(KeyedListTab):
    """The departments' months of the month the page picked."""

    def __init__(
        self, services: Services, actor: CurrentUser, month: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            MonthTableModel(), "month_search", "month_table", self.tr("Departments' months"), parent
        )
        self.services = services
        self.actor = actor
        self.month = month  # a callable: the month picked ("YYYY-MM")
        self.leader = actor.can(Permission.SCORING_LOCK)
        self.search.setPlaceholderText(self.tr("Department (Ctrl+F)"))
        self.search.setMinimumWidth(150)
        self.open_button = self.add_button(
            self.tr("&Open"), "open_month", self.edit_current, self.tr("Open the department's sheets (Enter)")
        )
        self.lock_button = self.add_button(
            self.tr("&Lock…"), "lock_month", self.lock_current, self.tr("Lock the month's grades")
        )
        self.return_button = self.add_button(
            self.tr("Retur&n…"),
            "return_month",
            self.return_current,
            self.tr("Send the month back to the supervisor with a reason"),
        )
        self.reopen_button = self.add_button(
            self.tr("Reo&pen…"),
            "reopen_month",
            self.reopen_current,
            self.tr("Correct a locked month: a new revision; the locked one stays readable"),
        )
        for button in (self.lock_button, self.return_button, self.reopen_button):
            button.setVisible(self.leader)
        self.print_button = self.add_button(
            self.tr("Pr&int sheet…"),
            "print_month",
            self.print_current,
            self.tr("The department's monthly scoring sheet with its signature lines (Ctrl+P)"),
        )
        self.export_button = self.add_button(
            self.tr("E&xport…"),
            "export_month",
            self.export_month,
            self.tr("The month's scores to an .xlsx workbook (the departments you may see)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.summary = QLabel(self)
        self.summary.setObjectName("months_summary")
        self.toolbar_extra.addWidget(self.summary)
        self.set_empty_text(self.tr("No department to show."))
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def key(self, record: Any) -> Any:
        return record.department_id

    def load_records(self) -> list[Any]:
        month = self.month()
        if self.leader:
            found = operations.run(
                self, lambda: self.services.scoring.month_overview(self.actor, month), show="message"
            )
            rows = list(found.value.departments) if found.ok and found.value is not None else []
        else:
            rows = []
            listed = operations.run(
                self, lambda: self.services.scoring.departments_for(self.actor), show="message"
            )
            for department_id, _name in listed.value or []:
                one = operations.run(
                    self,
                    lambda d=department_id: self.services.scoring.department_month(self.actor, d, month),
                    show="message",
                )
                if one.ok and one.value is not None:
                    rows.append(one.value)
        waiting = sum(1 for d in rows if d.state == SheetState.SUBMITTED)
        locked = sum(1 for d in rows if d.state == SheetState.LOCKED)
        self.summary.setText(
            self.tr("%1 submitted, %2 locked of %3")
            .replace("%1", str(waiting))
            .replace("%2", str(locked))
            .replace("%3", str(len(rows)))
        )
        return rows

    def update_actions(self) -> None:
        chosen = self.current()
        state = chosen.state if isinstance(chosen, DepartmentMonthInfo) else None
        self.open_button.setEnabled(chosen is not None)
        self.lock_button.setEnabled(
            isinstance(chosen, DepartmentMonthInfo)
            and chosen.state in (SheetState.SUBMITTED, SheetState.DRAFT)
            and bool(chosen.rows)
        )
        self.return_button.setEnabled(state == SheetState.SUBMITTED)
        self.reopen_button.setEnabled(state == SheetState.LOCKED)
        self.print_button.setEnabled(isinstance(chosen, DepartmentMonthInfo) and bool(chosen.rows))

    def print_current(self) -> None:
        """The chosen department's 月度考核评分表 (any state: the paper says which)."""
        chosen = self.current()
        if not isinstance(chosen, DepartmentMonthInfo):
            return
        department_id, month = chosen.department_id, chosen.month
        preview_document(
            self,
            self.services,
            self.actor,
            lambda: self.services.scoring.department_paper(self.actor, department_id, month),
        )

    def export_month(self) -> Path | None:
        """The month to .xlsx: a leader every department, a supervisor their own."""
        month = self.month()
        settings = QSettings()
        folder = str(settings.value(LAST_EXPORT_DIR, "") or str(Path.home()))
        suggested = Path(folder) / self.tr("scores-%1.xlsx").replace("%1", month)
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the month's scores"), str(suggested), self.tr("Excel workbook (*.xlsx)")
        )
        if not chosen:
            return None
        target = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        settings.setValue(LAST_EXPORT_DIR, str(target.parent))
        department_id = None if self.leader else self.actor.department_id
        done = operations.run(
            self,
            lambda: self.services.scoring.export_month(self.actor, month, target, department_id),
            show="message",
        )
        if not done.ok or done.value is None:
            return None
        self.show_status(
            self.tr("The scores of %1 were saved to %2.").replace("%1", month).replace("%2", str(done.value))
        )
        return Path(done.value)

    def edit_current(self) -> None:
        chosen = self.current()
        if isinstance(chosen, DepartmentMonthInfo):
            self.open_department(chosen.department_id)

    def open_department(self, department_id: int) -> None:
        from desktop_app.ui.scoring.department import open_department_month  # the sheets, on first use

        open_department_month(self.services, self.actor, department_id, self.month(), self)
        self.refresh()

    def select_department(self, department_id: int) -> bool:
        return self.select(lambda d: d.department_id == department_id)

    # -- a leader's decisions -----------------------------------------------------------------------
    def lock_current(self) -> bool:
        chosen = self.current()
        if not isinstance(chosen, DepartmentMonthInfo) or not self.leader:
            return False
        self.clear_messages()
        dialog = MonthLockDialog(self.services, self.actor, chosen, self)
        if not modal.run_and_delete(dialog):
            return False
        self.refresh()
        self.show_status(
            self.tr("%1's month %2 is locked.")
            .replace("%1", chosen.department_name)
            .replace("%2", chosen.month)
        )
        return True

    def return_current(self) -> bool:
        chosen = self.current()
        if not isinstance(chosen, DepartmentMonthInfo) or chosen.state != SheetState.SUBMITTED:
            return False
        self.clear_messages()
        info = chosen
        intro = (
            self.tr(
                "Send %1's month %2 back to the supervisor. The sheets become drafts again; the reason is shown to them."
            )
            .replace("%1", info.department_name)
            .replace("%2", info.month)
        )
        done = reason_dialog(
            self,
            self.tr("Return the month"),
            intro,
            lambda reason: self.services.scoring.return_month(
                self.actor, info.department_id, info.month, reason, info.version
            ),
            self.tr("Return"),
            "return_dialog",
            self.tr("e.g. the deductions of the late case are missing"),
        )
        if done:
            self.refresh()
            self.show_status(
                self.tr("%1's month is back with the supervisor.").replace("%1", info.department_name)
            )
        return done

    def reopen_current(self) -> bool:
        chosen = self.current()
        if not isinstance(chosen, DepartmentMonthInfo) or chosen.state != SheetState.LOCKED:
            return False
        self.clear_messages()
        done = reopen_month(self, self.services, self.actor, chosen)
        if done:
            self.refresh()
            self.show_status(
                self.tr("%1's month %2 is open for correction (revision %3).")
                .replace("%1", chosen.department_name)
                .replace("%2", chosen.month)
                .replace("%3", str(chosen.revision + 1))
            )
        return done


def reason_dialog(
    parent: QWidget,
    title: str,
    intro: str,
    action: Any,
    save_text: str,
    name: str,
    placeholder: str,
) -> bool:
    from desktop_app.ui.credit.editing.decisions import ReasonDialog

    dialog = ReasonDialog(
        title,
        intro,
        QCoreApplication.translate("ScoringMonths", "Reason:"),
        action,
        save_text,
        parent,
        placeholder=placeholder,
        changed=topics.SCORING,
    )
    dialog.setObjectName(name)
    return modal.run_and_delete(dialog)


def reopen_month(parent: QWidget, services: Services, actor: CurrentUser, info: DepartmentMonthInfo) -> bool:
    """A leader's reopen of a locked month, with the reason asked first (late arrivals sync in)."""
    intro = (
        QCoreApplication.translate(
            "ScoringMonths",
            "Reopen %1's month %2 for correction. Every sheet is copied as revision %3; revision %4 stays "
            "readable and comparable. Deductions that arrived after the lock come in with it.",
        )
        .replace("%1", info.department_name)
        .replace("%2", info.month)
        .replace("%3", str(info.revision + 1))
        .replace("%4", str(info.revision))
    )
    return reason_dialog(
        parent,
        QCoreApplication.translate("ScoringMonths", "Reopen the month"),
        intro,
        lambda reason: services.scoring.reopen_month(
            actor, info.department_id, info.month, reason, info.version
        ),
        QCoreApplication.translate("ScoringMonths", "Reopen"),
        "reopen_dialog",
        QCoreApplication.translate("ScoringMonths", "e.g. a complaint found true after the lock"),
    )


class MonthLockDialog(FormDialog):
    """Lock a department's month: its figures, and the override reason when 优秀 is over the quota
    (the service refuses without one; its refusal shows at the reason)."""

    def __init__(
        self, services: Services, actor: CurrentUser, info: DepartmentMonthInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Lock the month"), parent)
        self.setObjectName("lock_dialog")
        self.services = services
        self.actor = actor
        self.info = info
        self.intro = QLabel(self)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.intro.setText(
            self.tr(
                "Lock %1's month %2: %3 staff, %4 graded excellent (quota %5). Once locked, it changes only by a reopen."
            )
            .replace("%1", info.department_name)
            .replace("%2", info.month)
            .replace("%3", str(info.staff_count))
            .replace("%4", str(info.excellent_count))
            .replace("%5", str(info.excellent_quota))
        )
        self.form.addRow(self.intro)
        self.override_reason = self.add_field(
            self.tr("&Override reason:"), QPlainTextEdit(self), "override_reason", self.tr("Override reason")
        )
        self.override_reason.setTabChangesFocus(True)
        self.override_reason.setFixedHeight(self.override_reason.fontMetrics().height() * 3 + 16)
        self.override_reason.setPlaceholderText(
            self.tr("Only when more are graded excellent than the quota allows: why")
        )
        self.set_required(self.override_reason, info.over_quota)
        if info.over_quota:
            self.set_hint(
                self.tr(
                    "%1 graded excellent is over the quota of %2: the lock needs a reason to override it."
                )
                .replace("%1", str(info.excellent_count))
                .replace("%2", str(info.excellent_quota))
            )
        self.save_button.setText(self.tr("Lock"))
        self.setMinimumWidth(480)

    def submit(self) -> None:
        reason = self.override_reason.toPlainText().strip()
        info = self.info
        outcome = operations.run(
            self,
            lambda: self.services.scoring.lock_month(
                self.actor, info.department_id, info.month, info.version, override_reason=reason
            ),
            changed=topics.SCORING,
            blame="override_reason",
        )
        self.refusal = outcome.error
        if outcome.ok:
            self.result_value = outcome.value
            self.accept()
        else:
            self.set_required(self.override_reason)
            self.reload_button.setVisible(outcome.stale)

    def reload(self) -> None:
        fresh = self.services.scoring.department_month(self.actor, self.info.department_id, self.info.month)
        self.info = fresh


# -- late arrivals -----------------------------------------------------------------------------------
class LateTableModel(TonedTableModel[LateArrival]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Month"), lambda a: a.month, width=Width(whole=True, weight=0)),
                Column(
                    self.tr("Department"), lambda a: a.department_name, width=Width("综合业务科", weight=1)
                ),
                Column(self.tr("Staff member"), lambda a: a.staff_name, width=Width("王静静", weight=1)),
                Column(
                    self.tr("Item"), lambda a: source_label(a.auto_source), width=Width(whole=True, weight=1)
                ),
                Column(
                    self.tr("Points"),
                    lambda a: points_text(a.points),
                    lambda a: a.points,
                    align_right=True,
                    width=Width("99.5", weight=0),
                ),
                Column(self.tr("Source"), lambda a: a.source_ref, width=Width("TS-2026-0001", weight=1)),
                Column(
                    self.tr("Arrived"),
                    lambda a: table_time(a.arrived_at),
                    lambda a: a.arrived_at.timestamp(),
                    width=Width(whole=True, weight=0),
                ),
            ],
            lambda _a: Tone.WARNING,
            parent,
        )


class LateTab(KeyedListTab):
    """Automatic items for months already locked: applied by reopening their month."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(LateTableModel(), "late_search", "late_table", self.tr("Late arrivals"), parent)
        self.services = services
        self.actor = actor
        self.search.setPlaceholderText(self.tr("Name, department, case (Ctrl+F)"))
        self.reopen_button = self.add_button(
            self.tr("Reo&pen the month…"),
            "reopen_late",
            self.edit_current,
            self.tr("Reopen the locked month so that the deduction comes in (Enter)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("Nothing arrived for a locked month."))
        self.watcher = operations.refresh_on_change(self, (topics.SCORING, topics.COMPLAINT), self.refresh)

    def key(self, record: Any) -> Any:
        return (record.source_type, record.source_id, record.month, record.staff_id)

    def load_records(self) -> list[Any]:
        found = operations.run(self, lambda: self.services.scoring.late_arrivals(self.actor), show="message")
        return list(found.value or [])

    def update_actions(self) -> None:
        self.reopen_button.setEnabled(self.current() is not None)

    def edit_current(self) -> None:
        chosen = self.current()
        if not isinstance(chosen, LateArrival):
            return
        self.clear_messages()
        found = operations.run(
            self,
            lambda: self.services.scoring.department_month(self.actor, chosen.department_id, chosen.month),
            show="message",
        )
        if not found.ok or found.value is None:
            return
        if reopen_month(self, self.services, self.actor, found.value):
            self.refresh()
            self.show_status(
                self.tr("%1's month %2 is open again; the deduction is on the sheet.")
                .replace("%1", chosen.department_name)
                .replace("%2", chosen.month)
            )


# -- contests ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContestRow:
    id: int
    row: SheetRow
    entry: EntryInfo


class ContestTableModel(TonedTableModel[ContestRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Department"),
                    lambda c: c.row.department_name,
                    width=Width("综合业务科", weight=1),
                ),
                Column(self.tr("Staff member"), lambda c: c.row.staff_name, width=Width("王静静", weight=1)),
                Column(
                    self.tr("Item"),
                    lambda c: source_label(c.entry.auto_source) or c.entry.text,
                    width=Width(whole=True, weight=1),
                ),
                Column(
                    self.tr("Points"),
                    lambda c: points_text(c.entry.points),
                    lambda c: c.entry.points,
                    align_right=True,
                    width=Width("99.5", weight=0),
                ),
                Column(
                    self.tr("Source"), lambda c: c.entry.source_ref, width=Width("TS-2026-0001", weight=1)
                ),
                Column(
                    self.tr("Supervisor's reason"),
                    lambda c: c.entry.contest_reason,
                    width=Width("投诉人已撤回", "该投诉由窗口同事受理，非本人责任", weight=3),
                ),
            ],
            lambda _c: None,
            parent,
        )


class ContestsTab(KeyedListTab):
    """Automatic lines the supervisors contest in the month picked: a leader upholds or withdraws."""

    def __init__(
        self, services: Services, actor: CurrentUser, month: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ContestTableModel(), "contest_search", "contest_table", self.tr("Contests to decide"), parent
        )
        self.services = services
        self.actor = actor
        self.month = month
        self.search.setPlaceholderText(self.tr("Name, department, case (Ctrl+F)"))
        self.uphold_button = self.add_button(
            self.tr("&Uphold…"), "uphold", lambda: self.decide(True), self.tr("The line counts")
        )
        self.withdraw_button = self.add_button(
            self.tr("&Withdraw…"),
            "withdraw",
            lambda: self.decide(False),
            self.tr("The line does not count; its link to the source stays"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.set_empty_text(self.tr("No contest waits in this month."))
        self.watcher = operations.refresh_on_change(self, (topics.SCORING,), self.refresh)

    def load_records(self) -> list[Any]:
        month = self.month()
        found = operations.run(
            self, lambda: self.services.scoring.month_overview(self.actor, month), show="message"
        )
        if not found.ok or found.value is None:
            return []
        rows: list[ContestRow] = []
        for department in found.value.departments:
            for row in department.rows:
                if not row.contested:
                    continue
                sheet = self.services.scoring.sheet(self.actor, row.staff_id, month)
                rows.extend(
                    ContestRow(entry.id, row, entry)
                    for entry in sheet.entries
                    if entry.id is not None and entry.contest_state == ContestState.CONTESTED
                )
        return rows

    def update_actions(self) -> None:
        chosen = self.current() is not None
        self.uphold_button.setEnabled(chosen)
        self.withdraw_button.setEnabled(chosen)

    def decide(self, uphold: bool) -> bool:
        chosen = self.current()
        if not isinstance(chosen, ContestRow):
            return False
        self.clear_messages()
        dialog = ContestDecisionDialog(self.services, self.actor, chosen, uphold, self)
        if not modal.run_and_delete(dialog):
            return False
        self.refresh()
        self.show_status(
            (self.tr("%1's line is upheld.") if uphold else self.tr("%1's line is withdrawn.")).replace(
                "%1", chosen.row.staff_name
            )
        )
        return True


class ContestDecisionDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        contest: ContestRow,
        uphold: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Uphold the line") if uphold else self.tr("Withdraw the line"), parent)
        self.setObjectName("decide_dialog")
        self.services = services
        self.actor = actor
        self.contest = contest
        self.uphold = uphold
        entry = contest.entry
        intro = QLabel(self)
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        intro.setText(
            self.tr("%1, %2 %3 points (%4). The supervisor's reason: %5")
            .replace("%1", contest.row.staff_name)
            .replace("%2", source_label(entry.auto_source) or entry.text)
            .replace("%3", points_text(entry.points))
            .replace("%4", entry.source_ref)
            .replace("%5", entry.contest_reason)
        )
        self.form.addRow(intro)
        self.note = self.add_field(self.tr("&Note:"), QLineEdit(self), "note", self.tr("Note"))
        self.save_button.setText(self.tr("Uphold") if uphold else self.tr("Withdraw"))
        self.setMinimumWidth(460)

    def submit(self) -> None:
        entry_id = self.contest.id
        note = self.note.text().strip()
        self.save(
            lambda: self.services.scoring.decide_contest(self.actor, entry_id, self.uphold, note),
            changed=topics.SCORING,
        )

    def reload(self) -> None:
        pass
