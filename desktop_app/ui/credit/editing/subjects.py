"""The subject dialog: register a company or person, or edit one (names, identifiers, former and short
names, contacts). Stored ID numbers and phones are never shown in clear here: their masked form is the
placeholder, kept unless typed anew."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.credit import ORGANISATION_KINDS, PERSON_KINDS, ExpertPoolStatus, SubjectKind
from desktop_app.paths import locations
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import AliasInput, ContactInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.ui import topics
from desktop_app.ui.credit.labels import ALIAS_KINDS, alias_kind_label, pool_status_label, subject_kind_label
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named


class PlaceholderDelegate(QStyledItemDelegate):
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


def edit_table(parent: QWidget, name: str, accessible: str, headers: list[str]) -> QTableWidget:
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


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


LAST_KIND_KEY = "credit/last_new_subject_kind"


def _ui_state() -> QSettings:
    """Per workstation, beside the window sizes (the same file as ShellContext.ui_state)."""
    return QSettings(str(locations().home / "ui-state.ini"), QSettings.Format.IniFormat)


def last_kind() -> SubjectKind | None:
    """The kind of the last subject registered on this workstation, None before the first."""
    value = str(_ui_state().value(LAST_KIND_KEY, "") or "")
    return SubjectKind(value) if value in {k.value for k in SubjectKind} else None


def remember_kind(kind: SubjectKind | None) -> None:
    if kind is not None:
        _ui_state().setValue(LAST_KIND_KEY, kind.value)


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
        self.stored_id_number = False  # an edited subject's ID number is kept when left empty

        self.kind = self.add_field(
            self.tr("Kind:"), QComboBox(self), "kind", self.tr("Kind of subject"), required=True
        )
        for kind in SubjectKind:
            self.kind.addItem(subject_kind_label(kind), kind)
        # A new subject starts with no kind (a silent 代理机构 went unnoticed), or with the kind the
        # last new subject on this workstation had: registering a bid's bidders one after another.
        self.kind.setPlaceholderText(self.tr("— choose —"))
        self.kind.setCurrentIndex(self.kind.findData(last_kind()) if subject_id is None else -1)
        self.name = self.add_field(self.tr("Name:"), QLineEdit(self), "name", self.tr("Name"), required=True)
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

        self.aliases = edit_table(
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
        self.contacts = edit_table(
            self,
            "contacts",
            self.tr("Contacts"),
            [self.tr("Contact name"), self.tr("Role"), self.tr("Phone")],
        )
        self.contacts.setItemDelegateForColumn(2, PlaceholderDelegate(self.contacts))
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
        for alias_kind in ALIAS_KINDS:
            combo.addItem(alias_kind_label(alias_kind), alias_kind)
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
        phone_item.setData(PlaceholderDelegate.ROLE, stored_phone)
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

    def chosen_kind(self) -> SubjectKind | None:
        data = self.kind.currentData()
        return SubjectKind(data) if data is not None else None

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        expert = kind == SubjectKind.EXPERT
        for widget in (self.expert_no, self.specialty, self.pool_status):
            self.form.setRowVisible(widget, expert)
        self.form.setRowVisible(self.uscc, kind not in PERSON_KINDS)
        self.form.setRowVisible(self.id_number, kind not in ORGANISATION_KINDS)
        self.form.setRowVisible(self.legal_representative, kind not in PERSON_KINDS)
        # Required as the service has it: a company's code, a person's ID (unless one is stored and
        # kept); with no kind chosen yet, either of the two, so neither is marked.
        self.set_required(self.uscc, kind in ORGANISATION_KINDS)
        self.set_required(self.id_number, kind in PERSON_KINDS and not self.stored_id_number)
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
        self.stored_id_number = bool(info.id_number_masked)
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
        kind = self.chosen_kind()
        aliases = []
        for row in range(self.aliases.rowCount()):
            combo = self.aliases.cellWidget(row, 1)
            alias_kind = combo.currentData() if isinstance(combo, QComboBox) else "former"
            aliases.append(AliasInput(cell_text(self.aliases, row, 0), alias_kind))
        contacts = tuple(
            ContactInput(
                cell_text(self.contacts, row, 0),
                cell_text(self.contacts, row, 1),
                cell_text(self.contacts, row, 2),
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
        subject_id, version = self.subject_id, self.version
        if subject_id is None:
            if self.save(
                lambda: self.services.credit.create_subject(self.actor, data),
                changed=topics.CREDIT_SUBJECT,
                ids=lambda saved: (saved.id,),
            ):
                remember_kind(data.kind)
        else:
            self.save(
                lambda: self.services.credit.update_subject(self.actor, subject_id, data, version),
                changed=topics.CREDIT_SUBJECT,
                ids=(subject_id,),
            )

    def reload(self) -> None:
        if self.subject_id is not None:
            self._load()
            self._kind_changed()


def edit_subject(
    parent: QWidget | None, services: Services, actor: CurrentUser, subject_id: int | None = None
) -> int | None:
    """New (``subject_id`` None) or edit; the id saved, or None when cancelled."""
    dialog = SubjectDialog(services, actor, subject_id, parent)
    try:
        if modal.run_dialog(dialog) and dialog.result_value is not None:
            return int(dialog.result_value.id)
        return None
    finally:
        dialog.deleteLater()
