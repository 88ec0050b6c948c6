"""Dialogs that change credit files. Each function opens its dialog modally, saves through the credit
service, and returns what was saved (or None/False when the user cancelled); the caller refreshes.

CONTRACT (used by the lookup page and the credit files page; implemented by the editing work):

    edit_subject(parent, services, actor, subject_id=None) -> int | None      # new or edit; saved id
    add_record(parent, services, actor, subject_id) -> int | None             # saved record id
    confirm_record(parent, services, actor, record_id) -> bool                # leader
    decline_record(parent, services, actor, record_id) -> bool                # leader, asks a reason
    revoke_record(parent, services, actor, record_id) -> bool                 # asks a reason
    request_repair(parent, services, actor, record_id) -> bool
    decide_repair(parent, services, actor, repair_id) -> bool
    add_attachment(parent, services, actor, record_id) -> bool                # file dialog
    open_attachment(parent, services, actor, attachment_id) -> None           # save a copy / open
    reveal_personal_data(parent, services, actor, subject_id, field) -> str | None  # asks a reason

``decide_repair`` also takes ``record_id=`` (keyword) so that the dialog can show the application;
without it the dialog shows the application number only. Every modal dialog runs through
``run_dialog`` (tests replace it to drive the dialog); file choosers are the static ``QFileDialog``
calls (tests patch them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.credit import (
    BARRING_KINDS,
    GRADED_SEVERITIES,
    ORGANISATION_KINDS,
    PERSON_KINDS,
    ExpertPoolStatus,
    RecordKind,
    RecordStatus,
    Severity,
    SubjectKind,
)
from desktop_app.domain.errors import DomainError
from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import (
    ATTACHMENT_LIMIT,
    AliasInput,
    ContactInput,
    RecordInfo,
    RecordInput,
    RepairInfo,
    SubjectInput,
)
from desktop_app.services.facade import Services
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named


# -- labels (the English interface speaks English; domain labels stay for notices and messages) ---
def subject_kind_label(kind: SubjectKind) -> str:
    return {
        SubjectKind.AGENCY: QCoreApplication.translate("CreditLabels", "Agency"),
        SubjectKind.BIDDER: QCoreApplication.translate("CreditLabels", "Bidder"),
        SubjectKind.SUPPLIER: QCoreApplication.translate("CreditLabels", "Supplier"),
        SubjectKind.BUYER: QCoreApplication.translate("CreditLabels", "Buyer"),
        SubjectKind.EXPERT: QCoreApplication.translate("CreditLabels", "Evaluation expert"),
        SubjectKind.STAFF: QCoreApplication.translate("CreditLabels", "Staff member"),
    }[SubjectKind(kind)]


def record_kind_label(kind: RecordKind) -> str:
    return {
        RecordKind.GOOD: QCoreApplication.translate("CreditLabels", "Good conduct"),
        RecordKind.BAD: QCoreApplication.translate("CreditLabels", "Bad conduct"),
        RecordKind.SERIOUS: QCoreApplication.translate("CreditLabels", "Serious dishonesty list"),
        RecordKind.BAN: QCoreApplication.translate("CreditLabels", "Entry ban"),
        RecordKind.EXPERT_DEDUCTION: QCoreApplication.translate("CreditLabels", "Expert deduction"),
        RecordKind.STAFF_RECORD: QCoreApplication.translate("CreditLabels", "Staff integrity record"),
    }[RecordKind(kind)]


def severity_label(severity: Severity) -> str:
    return {
        Severity.MINOR: QCoreApplication.translate("CreditLabels", "Minor"),
        Severity.GENERAL: QCoreApplication.translate("CreditLabels", "General"),
        Severity.SERIOUS: QCoreApplication.translate("CreditLabels", "Serious"),
        Severity.NONE: QCoreApplication.translate("CreditLabels", "Not graded"),
    }[Severity(severity)]


def status_label(status: RecordStatus) -> str:
    return {
        RecordStatus.PENDING: QCoreApplication.translate("CreditLabels", "Awaiting leader confirmation"),
        RecordStatus.CONFIRMED: QCoreApplication.translate("CreditLabels", "In effect"),
        RecordStatus.DECLINED: QCoreApplication.translate("CreditLabels", "Not confirmed"),
        RecordStatus.REPAIRED: QCoreApplication.translate("CreditLabels", "Repaired"),
        RecordStatus.REVOKED: QCoreApplication.translate("CreditLabels", "Revoked"),
    }[RecordStatus(status)]


def pool_status_label(status: ExpertPoolStatus) -> str:
    return {
        ExpertPoolStatus.ACTIVE: QCoreApplication.translate("CreditLabels", "In the pool"),
        ExpertPoolStatus.SUSPENDED: QCoreApplication.translate("CreditLabels", "Suspended from draws"),
        ExpertPoolStatus.REMOVED: QCoreApplication.translate("CreditLabels", "Removed"),
    }[ExpertPoolStatus(status)]


def record_summary(record: RecordInfo) -> str:
    """One line naming a record: kind, severity, decision number and date."""
    number = f" {record.decision_number}" if record.decision_number else ""
    return (
        f"{record_kind_label(record.kind)}（{severity_label(record.severity)}）{number} "
        f"{record.decision_date.isoformat()}"
    )


# -- plumbing -------------------------------------------------------------------------------------
def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when it was accepted. Tests replace this to drive the dialog."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QDateEdit):
    """A date with a calendar popup; an optional one shows “not set” at its lowest date."""

    EMPTY = QDate(2000, 1, 1)

    def __init__(self, parent: QWidget | None = None, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        if optional:
            self.setMinimumDate(self.EMPTY)
            self.setSpecialValueText(QCoreApplication.translate("DateField", "not set"))
        self.setDate(_qdate(clock.today()))

    def value(self) -> date | None:
        chosen = self.date()
        if self.optional and chosen == self.minimumDate():
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, day: date | None) -> None:
        if day is None:
            self.setDate(self.minimumDate() if self.optional else _qdate(clock.today()))
            today = _qdate(clock.today())
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        else:
            self.setDate(_qdate(day))


class _PlaceholderDelegate(QStyledItemDelegate):
    """An empty cell shows the stored (masked) value in grey, as a line edit shows its placeholder."""

    ROLE = Qt.ItemDataRole.UserRole + 7

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        stored = index.data(self.ROLE)
        if not option.text and stored:  # type: ignore[attr-defined]
            option.text = stored  # type: ignore[attr-defined]
            option.palette.setColor(  # type: ignore[attr-defined]
                option.palette.ColorRole.Text,  # type: ignore[attr-defined]
                option.palette.color(option.palette.ColorRole.PlaceholderText),  # type: ignore[attr-defined]
            )


def _table(parent: QWidget, name: str, accessible: str, headers: list[str]) -> QTableWidget:
    table = named(QTableWidget(0, len(headers), parent), name, accessible)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    table.setTabKeyNavigation(False)  # Tab leaves the table: the form's tab order stays simple
    table.setMinimumHeight(table.fontMetrics().height() * 5 + 20)
    table.setMaximumHeight(table.fontMetrics().height() * 8 + 20)
    return table


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


# -- subjects -------------------------------------------------------------------------------------
class SubjectDialog(FormDialog):
    """New subject (``subject_id`` None) or edit one. Stored ID numbers and phones are shown masked as
    placeholders: left empty they are kept, typed anew they replace what is stored."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        subject_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("New credit subject") if subject_id is None else self.tr("Edit credit subject"), parent
        )
        self.services = services
        self.actor = actor
        self.subject_id = subject_id
        self.version: int | None = None

        self.kind = self.add_field(self.tr("Kind:"), QComboBox(self), "kind", self.tr("Kind of subject"))
        for kind in SubjectKind:
            self.kind.addItem(subject_kind_label(kind), kind)
        self.name = self.add_field(self.tr("Name:"), QLineEdit(self), "name", self.tr("Name"))
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(self.tr("Full registered name"))
        self.uscc = self.add_field(
            self.tr("Unified social credit code:"),
            QLineEdit(self),
            "uscc",
            self.tr("Unified social credit code"),
        )
        self.uscc.setMaxLength(40)
        self.uscc.setPlaceholderText(self.tr("18 characters"))
        self.id_number = self.add_field(
            self.tr("Resident ID number:"), QLineEdit(self), "id_number", self.tr("Resident ID number")
        )
        self.id_number.setMaxLength(40)
        self.override_reason = self.add_field(
            self.tr("Check exception note:"),
            QLineEdit(self),
            "identifier_override_reason",
            self.tr("Check exception note"),
        )
        self.override_reason.setMaxLength(500)
        self.override_reason.setPlaceholderText(
            self.tr("Only when a real code fails its check: how it was verified, e.g. 已核对营业执照原件")
        )
        self.phone = self.add_field(self.tr("Phone:"), QLineEdit(self), "phone", self.tr("Phone number"))
        self.phone.setMaxLength(40)
        self.legal_representative = self.add_field(
            self.tr("Legal representative:"),
            QLineEdit(self),
            "legal_representative",
            self.tr("Legal representative"),
        )
        self.legal_representative.setMaxLength(50)
        self.expert_no = self.add_field(
            self.tr("Expert no.:"), QLineEdit(self), "expert_no", self.tr("Expert number")
        )
        self.expert_no.setMaxLength(30)
        self.specialty = self.add_field(
            self.tr("Specialty:"), QLineEdit(self), "specialty", self.tr("Specialty")
        )
        self.specialty.setMaxLength(100)
        self.pool_status = self.add_field(
            self.tr("Pool status:"), QComboBox(self), "pool_status", self.tr("Expert pool status")
        )
        for status in ExpertPoolStatus:
            self.pool_status.addItem(pool_status_label(status), status)

        self.aliases = _table(
            self, "aliases", self.tr("Former and short names"), [self.tr("Name"), self.tr("Type")]
        )
        self.aliases.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.aliases.setColumnWidth(1, self.fontMetrics().horizontalAdvance("曾用名") + 48)
        self.add_alias = self._row_button(self.tr("Add name"), "add_alias", self._add_alias_clicked)
        self.remove_alias = self._row_button(
            self.tr("Remove"), "remove_alias", lambda: self._remove_row(self.aliases)
        )
        self.remove_alias.setAccessibleName(self.tr("Remove name"))
        self.form.addRow(
            self.tr("Former / short names:"),
            self._with_buttons(self.aliases, self.add_alias, self.remove_alias),
        )
        self.contacts = _table(
            self,
            "contacts",
            self.tr("Contacts"),
            [self.tr("Contact name"), self.tr("Role"), self.tr("Phone")],
        )
        self.contacts.setItemDelegateForColumn(2, _PlaceholderDelegate(self.contacts))
        self.add_contact = self._row_button(self.tr("Add contact"), "add_contact", self._add_contact_clicked)
        self.remove_contact = self._row_button(
            self.tr("Remove"), "remove_contact", lambda: self._remove_row(self.contacts)
        )
        self.remove_contact.setAccessibleName(self.tr("Remove contact"))
        self.form.addRow(
            self.tr("Contacts:"), self._with_buttons(self.contacts, self.add_contact, self.remove_contact)
        )
        self.note = self.add_field(self.tr("Note:"), QPlainTextEdit(self), "note", self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().height() * 3 + 16)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        if subject_id is not None:
            self._load()
        else:
            self._personal_placeholders("", "")
        self._kind_changed()
        self.setMinimumWidth(620)

    # -- building ----------------------------------------------------------------------------
    def _row_button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = named(QPushButton(text, self), name, text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _with_buttons(self, table: QTableWidget, *buttons: QPushButton) -> QWidget:
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table, 1)
        column = QVBoxLayout()
        for button in buttons:
            column.addWidget(button)
        column.addStretch(1)
        layout.addLayout(column)
        return box

    def _alias_kind_combo(self, kind: str) -> QComboBox:
        combo = named(QComboBox(self.aliases), "alias_kind", self.tr("Name type"))
        combo.addItem(self.tr("Former name"), "former")
        combo.addItem(self.tr("Short name"), "short")
        combo_select_data(combo, kind)
        return combo

    def add_alias_row(self, name: str = "", kind: str = "former") -> int:
        row = self.aliases.rowCount()
        self.aliases.insertRow(row)
        self.aliases.setItem(row, 0, QTableWidgetItem(name))
        self.aliases.setCellWidget(row, 1, self._alias_kind_combo(kind))
        return row

    def add_contact_row(self, name: str = "", role: str = "", phone: str = "", stored_phone: str = "") -> int:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        self.contacts.setItem(row, 0, QTableWidgetItem(name))
        self.contacts.setItem(row, 1, QTableWidgetItem(role))
        phone_item = QTableWidgetItem(phone)
        phone_item.setData(_PlaceholderDelegate.ROLE, stored_phone)
        if stored_phone:
            phone_item.setToolTip(self.tr("Stored: %1 — leave blank to keep").replace("%1", stored_phone))
        self.contacts.setItem(row, 2, phone_item)
        return row

    def _add_alias_clicked(self) -> None:
        self._start_editing(self.aliases, self.add_alias_row())

    def _add_contact_clicked(self) -> None:
        self._start_editing(self.contacts, self.add_contact_row())

    @staticmethod
    def _start_editing(table: QTableWidget, row: int) -> None:
        table.setFocus()
        table.setCurrentCell(row, 0)
        table.editItem(table.item(row, 0))

    @staticmethod
    def _remove_row(table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)

    def _personal_placeholders(self, id_masked: str, phone_masked: str) -> None:
        keep = self.tr("Stored: %1 — leave blank to keep")
        if self.subject_id is None:
            self.id_number.setPlaceholderText(self.tr("18 digits; the last may be X"))
            self.phone.setPlaceholderText(self.tr("Mobile or landline, optional"))
            return
        self.id_number.setPlaceholderText(
            keep.replace("%1", id_masked) if id_masked else self.tr("Not recorded")
        )
        self.phone.setPlaceholderText(
            keep.replace("%1", phone_masked) if phone_masked else self.tr("Not recorded")
        )

    def _kind_changed(self) -> None:
        kind = SubjectKind(self.kind.currentData())
        expert = kind == SubjectKind.EXPERT
        for widget in (self.expert_no, self.specialty, self.pool_status):
            self.form.setRowVisible(widget, expert)
        self.form.setRowVisible(self.uscc, kind not in PERSON_KINDS)
        self.form.setRowVisible(self.id_number, kind not in ORGANISATION_KINDS)
        self.form.setRowVisible(self.legal_representative, kind not in PERSON_KINDS)
        if self.isVisible():
            self.adjustSize()

    # -- data --------------------------------------------------------------------------------
    def _load(self) -> None:
        assert self.subject_id is not None
        info = self.services.credit.subject(self.subject_id)
        data = self.services.credit.subject_input(self.actor, self.subject_id)
        self.version = info.version
        combo_select_data(self.kind, data.kind)
        self.name.setText(data.name)
        self.uscc.setText(data.uscc)
        self.id_number.clear()
        self.phone.clear()
        self._personal_placeholders(info.id_number_masked, info.phone_masked)
        self.override_reason.setText(data.identifier_override_reason)
        self.legal_representative.setText(data.legal_representative)
        self.expert_no.setText(data.expert_no)
        self.specialty.setText(data.specialty)
        combo_select_data(self.pool_status, data.pool_status or ExpertPoolStatus.ACTIVE)
        self.note.setPlainText(data.note)
        self.aliases.setRowCount(0)
        for alias in data.aliases:
            self.add_alias_row(alias.name, alias.kind)
        self.contacts.setRowCount(0)
        for contact in info.contacts:
            self.add_contact_row(contact.name, contact.role, "", contact.phone_masked)

    def subject_input(self) -> SubjectInput:
        kind = SubjectKind(self.kind.currentData())
        aliases = []
        for row in range(self.aliases.rowCount()):
            combo = self.aliases.cellWidget(row, 1)
            alias_kind = combo.currentData() if isinstance(combo, QComboBox) else "former"
            aliases.append(AliasInput(_cell(self.aliases, row, 0), alias_kind))
        contacts = tuple(
            ContactInput(
                _cell(self.contacts, row, 0), _cell(self.contacts, row, 1), _cell(self.contacts, row, 2)
            )
            for row in range(self.contacts.rowCount())
        )
        expert = kind == SubjectKind.EXPERT
        return SubjectInput(
            kind=kind,
            name=self.name.text(),
            uscc=self.uscc.text() if kind not in PERSON_KINDS else "",
            id_number=self.id_number.text() if kind not in ORGANISATION_KINDS else "",
            phone=self.phone.text(),
            legal_representative=self.legal_representative.text() if kind not in PERSON_KINDS else "",
            expert_no=self.expert_no.text() if expert else "",
            specialty=self.specialty.text() if expert else "",
            pool_status=ExpertPoolStatus(self.pool_status.currentData()) if expert else None,
            note=self.note.toPlainText(),
            aliases=tuple(aliases),
            contacts=contacts,
            identifier_override_reason=self.override_reason.text(),
        )

    def submit(self) -> None:
        data = self.subject_input()
        if self.subject_id is None:
            self.save(self.services.credit.create_subject, self.actor, data)
        else:
            self.save(self.services.credit.update_subject, self.actor, self.subject_id, data, self.version)

    def reload(self) -> None:
        if self.subject_id is not None:
            self._load()
            self._kind_changed()


def edit_subject(
    parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int | None = None
) -> int | None:
    dialog = SubjectDialog(services, actor, subject_id, parent)
    try:
        if run_dialog(dialog) and dialog.result_value is not None:
            return int(dialog.result_value.id)
        return None
    finally:
        dialog.deleteLater()


# -- records --------------------------------------------------------------------------------------
class RecordDialog(FormDialog):
    """A new record of a subject. Periods and points come from the catalogue version in force on the
    decision date, refilled when the kind, severity or date change, except where the user typed."""

    DEFAULTED = ("publicity_min_end", "publicity_end", "ban_start", "ban_end", "points")

    def __init__(
        self, services: Services, actor: CurrentUser, subject_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("New credit record"), parent)
        self.services = services
        self.actor = actor
        self.subject = services.credit.subject(subject_id)
        self.touched: set[str] = set()
        self._filling = False
        self._catalogue = {(r.kind, r.severity) for _id, _v, r in services.credit.rule_rows()}

        self.subject_label = QLabel(
            f"{self.subject.name}（{subject_kind_label(self.subject.kind)}，{self.subject.identifier}）", self
        )
        self.subject_label.setObjectName("subject")
        self.subject_label.setWordWrap(True)
        self.form.addRow(self.tr("Subject:"), self.subject_label)
        self.kind = self.add_field(self.tr("Record kind:"), QComboBox(self), "kind", self.tr("Record kind"))
        kinds = [RecordKind.GOOD, RecordKind.BAD, RecordKind.SERIOUS, RecordKind.BAN]
        if self.subject.kind == SubjectKind.EXPERT:
            kinds.append(RecordKind.EXPERT_DEDUCTION)
        if self.subject.kind == SubjectKind.STAFF:
            kinds.append(RecordKind.STAFF_RECORD)
        for kind in kinds:
            self.kind.addItem(record_kind_label(kind), kind)
        combo_select_data(self.kind, RecordKind.BAD)
        self.severity = self.add_field(self.tr("Severity:"), QComboBox(self), "severity", self.tr("Severity"))
        self.decision_date = self.add_field(
            self.tr("Decision date:"), DateField(self), "decision_date", self.tr("Decision date")
        )
        self.facts = self.add_field(self.tr("Facts:"), QPlainTextEdit(self), "facts", self.tr("Facts"))
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(self.facts.fontMetrics().height() * 4 + 16)
        self.legal_basis = self.add_field(
            self.tr("Legal basis:"), QPlainTextEdit(self), "legal_basis", self.tr("Legal basis")
        )
        self.legal_basis.setTabChangesFocus(True)
        self.legal_basis.setFixedHeight(self.legal_basis.fontMetrics().height() * 2 + 16)
        self.authority = self.add_field(
            self.tr("Decided by:"), QLineEdit(self), "authority", self.tr("Deciding authority")
        )
        self.authority.setMaxLength(100)
        self.decision_number = self.add_field(
            self.tr("Decision no.:"), QLineEdit(self), "decision_number", self.tr("Decision document number")
        )
        self.decision_number.setMaxLength(100)
        self.decision_number.setPlaceholderText(self.tr("e.g. 穗公管罚〔2026〕12号"))
        self.publicity_min_end = self.add_field(
            self.tr("Published at least until:"),
            DateField(self, optional=True),
            "publicity_min_end",
            self.tr("End of the minimum publicity period"),
        )
        self.publicity_end = self.add_field(
            self.tr("Published until:"),
            DateField(self, optional=True),
            "publicity_end",
            self.tr("End of publicity"),
        )
        self.ban_start = self.add_field(
            self.tr("Ban from:"), DateField(self, optional=True), "ban_start", self.tr("First day of the ban")
        )
        self.ban_end = self.add_field(
            self.tr("Ban until:"), DateField(self, optional=True), "ban_end", self.tr("Last day of the ban")
        )
        self.points = self.add_field(self.tr("Points:"), QSpinBox(self), "points", self.tr("Points"))
        self.points.setRange(0, 100)
        self.points.setToolTip(
            self.tr("Deducted from the score (added for good conduct) while the record is in force")
        )

        for name in self.DEFAULTED:
            widget = getattr(self, name)
            signal = widget.valueChanged if isinstance(widget, QSpinBox) else widget.dateChanged
            signal.connect(lambda *_a, n=name: self._edited(n))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.severity.currentIndexChanged.connect(lambda _i: self.fill_defaults())
        self.decision_date.dateChanged.connect(lambda _d: self.fill_defaults())
        self._kind_changed()
        self.setMinimumWidth(560)

    def _edited(self, name: str) -> None:
        if self._filling:
            return
        self.touched.add(name)
        if name == "ban_end" and "publicity_end" not in self.touched:
            self.fill_defaults()

    def _kind_changed(self) -> None:
        kind = RecordKind(self.kind.currentData())
        chosen = self.severity.currentData()
        self._filling = True
        self.severity.clear()
        offered = [s for s in Severity if (kind, s) in self._catalogue] or list(GRADED_SEVERITIES)
        for severity in offered:
            self.severity.addItem(severity_label(severity), severity)
        combo_select_data(
            self.severity,
            chosen
            if chosen in offered
            else (Severity.GENERAL if Severity.GENERAL in offered else offered[0]),
        )
        self._filling = False
        ban = kind == RecordKind.BAN
        self.form.setRowVisible(self.ban_start, ban)
        self.form.setRowVisible(self.ban_end, ban)
        if kind in BARRING_KINDS:
            if self.actor.can(Permission.CREDIT_APPROVE):
                self.set_hint(
                    self.tr(
                        "As a center leader, your entry ban or serious-list record takes effect when saved."
                    )
                )
            else:
                self.set_hint(
                    self.tr(
                        "An entry ban or serious-list record you enter waits for a center leader's "
                        "confirmation. Until a leader confirms it, it does not bar entry. "
                        "Deciding authority and decision number are required."
                    )
                )
        else:
            self.set_hint("")
        self.fill_defaults()

    def fill_defaults(self) -> None:
        """Periods and points from the catalogue, for every field the user has not changed."""
        if self._filling or self.severity.currentData() is None:
            return
        kind = RecordKind(self.kind.currentData())
        decided = self.decision_date.value()
        assert decided is not None
        defaults = self.services.credit.defaults_for(kind, Severity(self.severity.currentData()), decided)
        values: dict[str, Any] = {
            "publicity_min_end": defaults.publicity_min_end,
            "publicity_end": defaults.publicity_end,
            "ban_start": defaults.ban_start if kind == RecordKind.BAN else None,
            "ban_end": defaults.ban_end if kind == RecordKind.BAN else None,
            "points": defaults.points,
        }
        if kind == RecordKind.BAN:
            ban_end = self.ban_end.value() if "ban_end" in self.touched else values["ban_end"]
            if values["publicity_end"] and ban_end:  # as the service does: publicised for the whole ban
                values["publicity_end"] = max(values["publicity_end"], ban_end)
        self._filling = True
        try:
            for name, value in values.items():
                if name in self.touched:
                    continue
                widget = getattr(self, name)
                if isinstance(widget, QSpinBox):
                    widget.setValue(int(value))
                else:
                    widget.set_value(value)
        finally:
            self._filling = False

    def record_input(self) -> RecordInput:
        kind = RecordKind(self.kind.currentData())
        ban = kind == RecordKind.BAN
        decided = self.decision_date.value()
        assert decided is not None
        return RecordInput(
            subject_id=self.subject.id,
            kind=kind,
            severity=Severity(self.severity.currentData()),
            decision_date=decided,
            facts=self.facts.toPlainText(),
            legal_basis=self.legal_basis.toPlainText(),
            authority=self.authority.text(),
            decision_number=self.decision_number.text(),
            publicity_min_end=self.publicity_min_end.value(),
            publicity_end=self.publicity_end.value(),
            ban_start=self.ban_start.value() if ban else None,
            ban_end=self.ban_end.value() if ban else None,
            points=self.points.value(),
        )

    def submit(self) -> None:
        self.save(self.services.credit.add_record, self.actor, self.record_input())

    def reload(self) -> None:
        pass  # a new record: nothing stored to reload


def add_record(parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int) -> int | None:
    dialog = RecordDialog(services, actor, subject_id, parent)
    try:
        if not run_dialog(dialog) or dialog.result_value is None:
            return None
        saved: RecordInfo = dialog.result_value
        if saved.status == RecordStatus.PENDING:
            QMessageBox.information(
                parent,
                QCoreApplication.translate("CreditEditing", "Record saved"),
                QCoreApplication.translate(
                    "CreditEditing",
                    "The record is saved and waits for a center leader's confirmation. It does not bar entry until a leader confirms it.",
                ),
            )
        return saved.id
    finally:
        dialog.deleteLater()


# -- confirm, decline, revoke -----------------------------------------------------------------------
class ReasonDialog(FormDialog):
    """Asks a typed reason, then calls ``action(reason)``."""

    def __init__(
        self,
        title: str,
        intro: str,
        label: str,
        action: Callable[[str], Any],
        save_text: str = "",
        parent: QWidget | None = None,
        placeholder: str = "",
    ) -> None:
        super().__init__(title, parent)
        self.action = action
        self.intro = QLabel(intro, self)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.reason = self.add_field(label, QPlainTextEdit(self), "reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().height() * 4 + 16)
        self.reason.setPlaceholderText(placeholder)
        if save_text:
            self.save_button.setText(save_text)
        self.setMinimumWidth(480)
        self.reason.setFocus()
        # Enter starts a new line in the reason; Ctrl+Enter saves from there.
        self.reason.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.reason
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.submit()
            return True
        return super().eventFilter(watched, event)

    def submit(self) -> None:
        self.save(self.action, self.reason.toPlainText())

    def reload(self) -> None:
        pass


def _record_title(services: Services, record: RecordInfo) -> str:
    subject = services.credit.subject(record.subject_id)
    return f"{subject.name}：{record_summary(record)}"


def confirm_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("CreditEditing", "Confirm record"),
        QCoreApplication.translate(
            "CreditEditing", "Confirm this record? It takes effect now and bars entry while in force.\n\n%1"
        ).replace("%1", _record_title(services, record)),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    ok, _saved = _run(parent, services.credit.confirm_record, actor, record_id, record.version)
    return ok


def decline_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    dialog = ReasonDialog(
        QCoreApplication.translate("CreditEditing", "Decline record"),
        QCoreApplication.translate(
            "CreditEditing",
            "Not confirming: %1\nThe record stays in the file as “not confirmed” and never counts.",
        ).replace("%1", _record_title(services, record)),
        QCoreApplication.translate("CreditEditing", "Reason:"),
        lambda reason: services.credit.decline_record(actor, record_id, reason, record.version),
        QCoreApplication.translate("CreditEditing", "Decline"),
        parent,
    )
    return _finish(dialog)


def revoke_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    intro = QCoreApplication.translate(
        "CreditEditing", "Revoking: %1\nA revoked record stays in the file, greyed, and never counts again."
    ).replace("%1", _record_title(services, record))
    if record.kind in BARRING_KINDS and record.status != RecordStatus.PENDING:
        intro += "\n" + QCoreApplication.translate(
            "CreditEditing", "Revoking a ban or serious-list record in effect needs a center leader."
        )
    dialog = ReasonDialog(
        QCoreApplication.translate("CreditEditing", "Revoke record"),
        intro,
        QCoreApplication.translate("CreditEditing", "Reason:"),
        lambda reason: services.credit.revoke_record(actor, record_id, reason, record.version),
        QCoreApplication.translate("CreditEditing", "Revoke"),
        parent,
        QCoreApplication.translate("CreditEditing", "e.g. 录入错误；原处罚决定已被撤销"),
    )
    return _finish(dialog)


def _finish(dialog: QDialog) -> bool:
    try:
        return run_dialog(dialog)
    finally:
        dialog.deleteLater()


def _run(parent: QWidget | None, call: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    """A service call outside a form: its refusal is shown in a message box."""
    try:
        return True, call(*args)
    except DomainError as error:
        QMessageBox.warning(
            parent, QCoreApplication.translate("CreditEditing", "Integrity Desk"), error.message
        )
        return False, None


# -- repairs --------------------------------------------------------------------------------------
class RepairRequestDialog(FormDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, record_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Credit repair application"), parent)
        self.services = services
        self.actor = actor
        self.record = services.credit.record(record_id)
        subject = services.credit.subject(self.record.subject_id)
        about = QLabel(_record_title(services, self.record), self)
        about.setObjectName("record")
        about.setWordWrap(True)
        self.form.addRow(self.tr("Record:"), about)
        self.requested_on = self.add_field(
            self.tr("Applied on:"), DateField(self), "requested_on", self.tr("Application date")
        )
        self.applicant = self.add_field(
            self.tr("Applicant:"), QLineEdit(self), "applicant", self.tr("Applicant")
        )
        self.applicant.setMaxLength(100)
        self.applicant.setText(subject.name)
        self.materials = self.add_field(
            self.tr("Materials:"), QPlainTextEdit(self), "materials", self.tr("Materials submitted")
        )
        self.materials.setTabChangesFocus(True)
        self.materials.setFixedHeight(self.materials.fontMetrics().height() * 4 + 16)
        self.materials.setPlaceholderText(self.tr("e.g. 信用修复申请书、整改报告、信用承诺书"))
        if self.record.publicity_min_end:
            self.set_hint(
                self.tr(
                    "Repair may be applied for after the minimum publicity period, which ends on %1."
                ).replace("%1", self.record.publicity_min_end.isoformat())
            )
        self.setMinimumWidth(520)

    def submit(self) -> None:
        self.save(
            self.services.credit.request_repair,
            self.actor,
            self.record.id,
            self.requested_on.value(),
            self.applicant.text(),
            self.materials.toPlainText(),
        )

    def reload(self) -> None:
        pass


def request_repair(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    return _finish(RepairRequestDialog(services, actor, record_id, parent))


class RepairDecisionDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        repair_id: int,
        record_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Decide on credit repair"), parent)
        self.services = services
        self.actor = actor
        self.repair_id = repair_id
        self.repair: RepairInfo | None = None
        about_text = self.tr("Application no. %1").replace("%1", str(repair_id))
        if record_id is None:
            record_id = services.credit.repair(repair_id).record_id
        if record_id is not None:
            record = services.credit.record(record_id)
            self.repair = next((r for r in record.repairs if r.id == repair_id), None)
            about_text = _record_title(services, record)
            if self.repair is not None:
                about_text += "\n" + self.tr("Applied on %1 by %2: %3").replace(
                    "%1", self.repair.requested_on.isoformat()
                ).replace("%2", self.repair.applicant).replace("%3", self.repair.materials)
        about = QLabel(about_text, self)
        about.setObjectName("application")
        about.setWordWrap(True)
        self.form.addRow(self.tr("Application:"), about)
        self.approve = self.add_field(self.tr("Decision:"), QComboBox(self), "approve", self.tr("Decision"))
        self.approve.addItem(self.tr("Approve the repair"), True)
        self.approve.addItem(self.tr("Reject the repair"), False)
        self.decided_on = self.add_field(
            self.tr("Decided on:"), DateField(self), "decided_on", self.tr("Decision date")
        )
        self.decision_number = self.add_field(
            self.tr("Decision no.:"), QLineEdit(self), "decision_number", self.tr("Decision document number")
        )
        self.decision_number.setMaxLength(100)
        self.decision_note = self.add_field(
            self.tr("Note:"), QPlainTextEdit(self), "decision_note", self.tr("Decision note")
        )
        self.decision_note.setTabChangesFocus(True)
        self.decision_note.setFixedHeight(self.decision_note.fontMetrics().height() * 3 + 16)
        self.decision_note.setPlaceholderText(self.tr("Required when rejecting"))
        self.set_hint(self.tr("An approved repair ends the record's effect from the decision date on."))
        self.setMinimumWidth(520)

    def submit(self) -> None:
        self.save(
            self.services.credit.decide_repair,
            self.actor,
            self.repair_id,
            bool(self.approve.currentData()),
            self.decided_on.value(),
            self.decision_number.text(),
            self.decision_note.toPlainText(),
            self.repair.version if self.repair is not None else None,
        )

    def reload(self) -> None:
        pass


def decide_repair(
    parent: QWidget | None,
    services: Services,
    actor: CurrentUser,
    repair_id: int,
    *,
    record_id: int | None = None,
) -> bool:
    return _finish(RepairDecisionDialog(services, actor, repair_id, record_id, parent))


# -- attachments ----------------------------------------------------------------------------------
def add_attachment(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("CreditEditing", "Attach a file"),
        "",
        QCoreApplication.translate(
            "CreditEditing",
            "Documents (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd);;All files (*)",
        ),
    )
    if not path:
        return False
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > ATTACHMENT_LIMIT:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("CreditEditing", "Attach a file"),
                QCoreApplication.translate("CreditEditing", "An attachment may not exceed 20 MB."),
            )
            return False
        content = source.read_bytes()
    except OSError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "Attach a file"),
            QCoreApplication.translate("CreditEditing", "The file could not be read: %1").replace(
                "%1", error.strerror or str(error)
            ),
        )
        return False
    ok, _info = _run(parent, services.credit.add_attachment, actor, record_id, source.name, content)
    return ok


def open_attachment(
    parent: QWidget | None, services: Services, actor: CurrentUser, attachment_id: int
) -> None:
    """Save a copy where the user says, then offer to open it."""
    ok, found = _run(parent, services.credit.attachment_content, attachment_id)
    if not ok or found is None:
        return
    filename, content = found
    target, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"), filename
    )
    if not target:
        return
    try:
        Path(target).write_bytes(content)
    except OSError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"),
            QCoreApplication.translate("CreditEditing", "The copy could not be saved: %1").replace(
                "%1", error.strerror or str(error)
            ),
        )
        return
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("CreditEditing", "Save a copy of the attachment"),
        QCoreApplication.translate("CreditEditing", "Saved to %1. Open it now?").replace("%1", target),
    )
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(target))


# -- personal data --------------------------------------------------------------------------------
class RevealDialog(FormDialog):
    """Asks why; shows nothing itself (the caller shows the value once)."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        subject_id: int,
        field: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("View personal data"), parent)
        self.services = services
        self.actor = actor
        self.subject_id = subject_id
        self.field_name = field
        subject = services.credit.subject(subject_id)
        what = self.tr("ID number") if field == "id_number" else self.tr("phone")
        intro = QLabel(
            self.tr("Viewing the %1 of %2 in clear is recorded in the audit log with your reason.")
            .replace("%1", what)
            .replace("%2", subject.name),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.reason = self.add_field(self.tr("Reason:"), QLineEdit(self), "reason", self.tr("Reason"))
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. 核对投诉人身份"))
        self.save_button.setText(self.tr("Show"))
        self.setMinimumWidth(460)

    def submit(self) -> None:
        self.save(
            self.services.credit.reveal_personal_data,
            self.actor,
            self.subject_id,
            self.field_name,
            self.reason.text(),
        )

    def reload(self) -> None:
        pass


def reveal_personal_data(
    parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int, field: str
) -> str | None:
    if not actor.can(Permission.UNMASK_PERSONAL_DATA):
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("CreditEditing", "View personal data"),
            QCoreApplication.translate("CreditEditing", "Your account may not view personal data in clear."),
        )
        return None
    dialog = RevealDialog(services, actor, subject_id, field, parent)
    try:
        if not run_dialog(dialog):
            return None
        value = str(dialog.result_value or "")
    finally:
        dialog.deleteLater()
    label = (
        QCoreApplication.translate("CreditEditing", "ID number")
        if field == "id_number"
        else QCoreApplication.translate("CreditEditing", "Phone")
    )
    shown = value or QCoreApplication.translate("CreditEditing", "(not recorded)")
    QMessageBox.information(
        parent,
        QCoreApplication.translate("CreditEditing", "View personal data"),
        QCoreApplication.translate("CreditEditing", "%1: %2").replace("%1", label).replace("%2", shown),
    )
    return value


__all__ = [
    "RecordDialog",
    "SubjectDialog",
    "add_attachment",
    "add_record",
    "confirm_record",
    "decide_repair",
    "decline_record",
    "edit_subject",
    "open_attachment",
    "request_repair",
    "reveal_personal_data",
    "revoke_record",
    "run_dialog",
]
