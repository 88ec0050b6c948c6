"""The parts of the complaint intake form that are widgets of their own: the staff combo that finds
as one types, the market-subject picker on the credit lookup's own search, the evidence list, and
the question about possible duplicates asked before saving."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.services.complaints import DuplicateHit
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations
from desktop_app.ui.complaints.labels import state_label
from desktop_app.ui.dates import table_time
from desktop_app.ui.widgets import modal

SUBJECT_SEARCH_DELAY_MS = 250
SUBJECT_HITS = 10
PATH_ROLE = Qt.ItemDataRole.UserRole


class StaffCombo(QComboBox):
    """A staff member chosen by typing part of the name (or department): the list narrows as one
    types, Down and Enter pick. ``staff_id()`` is None until the text names one member."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.completer()
        assert completer is not None  # an editable combo has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_staff(self, members: list[tuple[int, str]]) -> None:
        self.clear()
        for staff_id, text in members:
            self.addItem(text, staff_id)
        self.setCurrentIndex(-1)
        self.clearEditText()

    def staff_id(self) -> int | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:  # the name alone, when it names one member
            starts = [i for i in range(self.count()) if self.itemText(i).startswith(text)]
            index = starts[0] if len(starts) == 1 else -1
        return int(self.itemData(index)) if index >= 0 else None

    def set_staff_id(self, staff_id: int | None) -> None:
        index = self.findData(staff_id) if staff_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.clearEditText()


class SubjectPicker(QLineEdit):
    """A market subject found with the credit lookup's own search (name, code, former names,
    pinyin initials): results drop down as one types; Down and Enter choose one. Editing the text
    again forgets the choice. ``chosen`` is emitted with the subject's id (None when forgotten)."""

    chosen = Signal(object)

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.subject_id: int | None = None
        self.chosen_text = ""
        self._ids: dict[str, int] = {}
        self.setPlaceholderText(
            QCoreApplication.translate("ComplaintIntake", "Type a name, a code or pinyin initials")
        )
        self.model = QStringListModel(self)
        self.finder = QCompleter(self.model, self)
        self.finder.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.finder.setMaxVisibleItems(SUBJECT_HITS)
        self.setCompleter(self.finder)
        self.finder.activated.connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SUBJECT_SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        if self.subject_id is not None:
            self.subject_id = None
            self.chosen_text = ""
            self.chosen.emit(None)
        self.timer.start()

    def search_now(self) -> list[str]:
        """Run the search for the text typed and drop the results down; returns their lines."""
        self.timer.stop()
        query = self.text().strip()
        if not query or not self.actor.can(Permission.CREDIT_LOOKUP):
            self.model.setStringList([])
            return []
        found = operations.run(
            self, lambda: self.services.credit.search(self.actor, query, limit=SUBJECT_HITS), busy=False
        ).value
        if found is None:
            return []
        self._ids = {
            f"{hit.name}（{hit.identifier}）" if hit.identifier else hit.name: hit.subject_id
            for hit in found.hits
        }
        lines = list(self._ids)
        self.model.setStringList(lines)
        if lines and self.hasFocus():
            self.finder.setCompletionPrefix("")
            self.finder.complete()
        return lines

    def _activated(self, text: str) -> None:
        subject_id = self._ids.get(text)
        if subject_id is not None:
            self.choose(subject_id, text)

    def choose(self, subject_id: int | None, text: str) -> None:
        self.subject_id = subject_id
        self.chosen_text = text if subject_id is not None else ""
        self.setText(text)
        self.chosen.emit(subject_id)


class EvidenceList(QWidget):
    """The evidence files: added with a file dialog (Alt+A), listed with their size, removed with
    Delete or the button. The service reads nothing from disk: the form reads each file when saving
    (and the service computes its SHA-256)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.files = QListWidget(self)
        self.files.setObjectName("evidence_files")
        self.files.setAccessibleName(QCoreApplication.translate("ComplaintIntake", "Evidence files"))
        self.files.setMaximumHeight(self.files.fontMetrics().height() * 3 + 12)
        layout.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        self.add_button = QPushButton(QCoreApplication.translate("ComplaintIntake", "&Add file…"), self)
        self.add_button.setObjectName("evidence_add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton(QCoreApplication.translate("ComplaintIntake", "Remove fil&e"), self)
        self.remove_button.setObjectName("evidence_remove")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.files)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, QCoreApplication.translate("ComplaintIntake", "Add evidence files")
        )
        self.add_paths([Path(name) for name in names])

    def add_paths(self, paths: list[Path]) -> None:
        present = set(self.paths())
        for path in paths:
            if str(path) in present:
                continue
            size = path.stat().st_size if path.is_file() else 0
            item = QListWidgetItem(
                QCoreApplication.translate("ComplaintIntake", "{name} ({size})").format(
                    name=path.name, size=size_text(size)
                )
            )
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self.changed.emit()

    def paths(self) -> list[str]:
        return [str(self.files.item(row).data(PATH_ROLE)) for row in range(self.files.count())]

    def remove_current(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)
            self.changed.emit()

    def clear(self) -> None:
        self.files.clear()
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.remove_current()
            return
        super().keyPressEvent(event)


def size_text(size: int) -> str:
    if size < 1024:
        return QCoreApplication.translate("ComplaintIntake", "{n} bytes").format(n=size)
    if size < 1024 * 1024:
        return QCoreApplication.translate("ComplaintIntake", "{n} KB").format(n=round(size / 1024))
    return QCoreApplication.translate("ComplaintIntake", "{n} MB").format(n=f"{size / 1024 / 1024:.1f}")


# -- possible duplicates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DuplicateChoice:
    """What the clerk chose: link the new case to an earlier one (its id), or save it unlinked."""

    link_to_id: int | None


class DuplicatesDialog(QDialog):
    """The earlier cases that may be this complaint, before it is saved: link it to the one chosen
    (Enter), save it as a new case anyway (Alt+N), or go back to the form (Esc)."""

    def __init__(self, hits: list[DuplicateHit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_duplicates")
        self.setWindowTitle(QCoreApplication.translate("ComplaintIntake", "Possible duplicate"))
        self.choice: DuplicateChoice | None = None
        self.hits = hits
        layout = QVBoxLayout(self)
        intro = QLabel(
            QCoreApplication.translate(
                "ComplaintIntake",
                "This complaint may have been registered already. Link it to the case chosen below, "
                "save it as a new case, or go back to the form.",
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        headers = [
            QCoreApplication.translate("ComplaintIntake", "Number"),
            QCoreApplication.translate("ComplaintIntake", "Received"),
            QCoreApplication.translate("ComplaintIntake", "State"),
            QCoreApplication.translate("ComplaintIntake", "Respondent"),
            QCoreApplication.translate("ComplaintIntake", "Facts"),
            QCoreApplication.translate("ComplaintIntake", "Why"),
        ]
        self.table = QTableWidget(len(hits), len(headers), self)
        self.table.setObjectName("duplicates")
        self.table.setAccessibleName(QCoreApplication.translate("ComplaintIntake", "Possible duplicates"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        for row, hit in enumerate(hits):
            cells = [
                hit.number,
                table_time(hit.received_at),
                state_label(hit.state),
                hit.respondent_text,
                hit.facts,
                hit.reason,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        self.link_button = QPushButton(
            QCoreApplication.translate("ComplaintIntake", "&Link to the chosen case"), self
        )
        self.link_button.setObjectName("link")
        self.link_button.setDefault(True)
        self.new_button = QPushButton(
            QCoreApplication.translate("ComplaintIntake", "Save as a &new case"), self
        )
        self.new_button.setObjectName("save_new")
        self.new_button.setAutoDefault(False)
        self.back_button = QPushButton(
            QCoreApplication.translate("ComplaintIntake", "&Back to the form"), self
        )
        self.back_button.setObjectName("back")
        self.back_button.setAutoDefault(False)
        buttons.addButton(self.link_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.link_button.clicked.connect(self.link)
        self.new_button.clicked.connect(self.save_new)
        self.back_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        if hits:
            self.table.selectRow(0)
        self.table.setFocus()
        self.resize(860, 360)

    def selected_hit(self) -> DuplicateHit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.hits[rows[0].row()] if rows else None

    def link(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        self.choice = DuplicateChoice(hit.id)
        self.accept()

    def save_new(self) -> None:
        self.choice = DuplicateChoice(None)
        self.accept()


def ask_about_duplicates(parent: QWidget, hits: list[DuplicateHit]) -> DuplicateChoice | None:
    """None: back to the form."""
    dialog = DuplicatesDialog(hits, parent)
    try:
        if not modal.run_dialog(dialog):
            return None
        return dialog.choice
    finally:
        dialog.deleteLater()
