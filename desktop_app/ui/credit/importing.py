"""Import credit subjects or records from an Excel or CSV file: choose, preview, confirm, import.

The preview lists every row with what will happen to it (new, already present, wrong: with the
column and the reason, the row tinted red). Nothing is written before the user confirms; rows with
errors block the import unless "skip rows with errors" is ticked. "Save template…" writes an empty
file with the right headers and an explanation sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.importing import COLUMNS, TEMPLATE_NAMES, ImportKind, write_template
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import ImportPreview, ImportReport, RowOutcome, RowStatus
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.widgets.tables import Column, RecordTableModel, filter_proxy, fit_columns, make_table_view

ERROR_BACKGROUND = QColor("#fdecea")
ERROR_FOREGROUND = QColor("#b71c1c")
PRESENT_FOREGROUND = QColor("#6b7580")


class OutcomeModel(RecordTableModel[RowOutcome]):
    """The preview rows; rows with errors are tinted red, skipped ones greyed."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            outcome = self.record(index.row())
            if role == Qt.ItemDataRole.BackgroundRole and outcome.bad:
                return QBrush(ERROR_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                if outcome.bad:
                    return QBrush(ERROR_FOREGROUND)
                if outcome.status == RowStatus.PRESENT:
                    return QBrush(PRESENT_FOREGROUND)
        return super().data(index, role)


class ImportDialog(QDialog):
    """``report`` holds the ImportReport once something was imported (the dialog is then accepted)."""

    def __init__(
        self, services: Services, actor: CurrentUser, kind: ImportKind, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("credit_import")
        self.services = services
        self.actor = actor
        self.kind = kind
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        if kind == "subjects":
            self.setWindowTitle(self.tr("Import credit subjects"))
        else:
            self.setWindowTitle(self.tr("Import credit records"))
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        headers = "、".join(s.header for s in COLUMNS[kind])
        required = "、".join(s.header for s in COLUMNS[kind] if s.required)
        intro = QLabel(
            self.tr(
                "Choose an Excel (.xlsx) or CSV file whose first row holds the column headers, in any "
                "order: %1. Required: %2. Other columns are ignored. Nothing is imported before you "
                "confirm."
            )
            .replace("%1", headers)
            .replace("%2", required),
            self,
        )
        intro.setObjectName("form_hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        file_row = QHBoxLayout()
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("file")
        self.file_edit.setAccessibleName(self.tr("File to import"))
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("no file chosen"))
        file_row.addWidget(self.file_edit, 1)
        self.choose_button = QPushButton(self.tr("&Choose file…"), self)
        self.choose_button.setObjectName("choose_file")
        self.choose_button.setAccessibleName(self.tr("Choose file"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.choose_button)
        self.template_button = QPushButton(self.tr("Save &template…"), self)
        self.template_button.setObjectName("save_template")
        self.template_button.setAccessibleName(self.tr("Save template"))
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(self.save_template)
        file_row.addWidget(self.template_button)
        layout.addLayout(file_row)

        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.file_errors = QLabel(self)
        self.file_errors.setObjectName("file_errors")
        self.file_errors.setWordWrap(True)
        self.file_errors.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.file_errors.hide()
        layout.addWidget(self.file_errors)

        self.model = OutcomeModel(
            [
                Column(self.tr("Row"), lambda r: str(r.row), sort=lambda r: r.row, align_right=True),
                Column(self.tr("Outcome"), lambda r: r.status_label),
                Column(self.tr("Subject") if kind == "subjects" else self.tr("Record"), lambda r: r.summary),
                Column(self.tr("Column"), lambda r: r.column),
                Column(self.tr("Reason"), lambda r: r.reason, tooltip=lambda r: r.reason),
            ],
            parent=self,
        )
        self.proxy = filter_proxy(self.model, self)
        self.table = make_table_view("preview", self.tr("Rows of the file"), self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        layout.addWidget(self.table, 1)

        options = QHBoxLayout()
        self.only_bad = QCheckBox(self.tr("Show only rows with &errors"), self)
        self.only_bad.setObjectName("only_bad")
        self.only_bad.setAccessibleName(self.tr("Show only rows with errors"))
        self.only_bad.toggled.connect(self._show_rows)
        options.addWidget(self.only_bad)
        options.addStretch(1)
        self.skip_bad = QCheckBox(self.tr("&Skip rows with errors"), self)
        self.skip_bad.setObjectName("skip_bad")
        self.skip_bad.setAccessibleName(self.tr("Skip rows with errors"))
        self.skip_bad.setToolTip(
            self.tr(
                "Import the rows without errors and leave out the others; fix them and import the file again."
            )
        )
        self.skip_bad.toggled.connect(self._update_buttons)
        options.addWidget(self.skip_bad)
        layout.addLayout(options)

        self.error = make_error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setObjectName("import")
        self.import_button.setAccessibleName(self.tr("Import"))
        self.import_button.clicked.connect(self.do_import)
        close_button = QPushButton(self.tr("Close"), self)
        close_button.setObjectName("close")
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

        self.resize(1080, 600)
        self._show_preview(None)
        self.choose_button.setFocus()

    # -- choosing and previewing ------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the file to import"),
            str(Path.home()),
            self.tr("Excel or CSV files (*.xlsx *.csv);;All files (*)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Preview a file (reads only). False when it cannot be read (the reason is shown)."""
        self.file_edit.setText(str(path))
        preview = operations.run(
            self, lambda: self.services.credit_import.preview(self.actor, self.kind, path)
        )
        self._show_preview(preview.value if preview.ok else None)
        return preview.ok

    def _show_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        if preview is None:
            self.model.set_records([])
            self.counts.setText(self.tr("Choose a file to see what would be imported."))
            self.file_errors.hide()
            self._update_buttons()
            return
        self.counts.setText(
            self.tr("%1 rows: %2 new, %3 already present (skipped), %4 with errors.")
            .replace("%1", str(len(preview.rows)))
            .replace("%2", str(preview.new_count))
            .replace("%3", str(preview.present_count))
            .replace("%4", str(preview.bad_count))
        )
        if preview.file_errors:
            self.file_errors.setText("\n".join(preview.file_errors))
            self.file_errors.show()
        else:
            self.file_errors.hide()
        self._show_rows()
        self._update_buttons()

    def _show_rows(self) -> None:
        rows = self.preview.rows if self.preview else ()
        if self.only_bad.isChecked():
            rows = tuple(r for r in rows if r.bad)
        self.model.set_records(rows)
        if rows:
            fit_columns(self.table, widest=300)

    def _update_buttons(self) -> None:
        preview = self.preview
        can = preview is not None and preview.importable(self.skip_bad.isChecked())
        self.import_button.setEnabled(can)
        self.import_button.setDefault(can)
        if preview is not None and preview.bad_count and not self.skip_bad.isChecked() and preview.new_count:
            self.import_button.setToolTip(
                self.tr("Some rows have errors: fix them in the file, or tick “Skip rows with errors”.")
            )
        else:
            self.import_button.setToolTip("")

    # -- importing ------------------------------------------------------------------------------
    def do_import(self) -> None:
        preview = self.preview
        skip = self.skip_bad.isChecked()
        if preview is None or not preview.importable(skip):
            return
        question = (
            self.tr("Import %1 new rows from %2?")
            .replace("%1", str(preview.new_count))
            .replace("%2", preview.file_name)
        )
        if preview.bad_count:
            question += "\n" + self.tr("%1 rows with errors will be left out.").replace(
                "%1", str(preview.bad_count)
            )
        if preview.kind == "records" and not self.actor.can(Permission.CREDIT_APPROVE):
            question += "\n" + self.tr(
                "Entry bans and serious-list records take effect once a leader confirms them."
            )
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        report = operations.run(
            self, lambda: self.services.credit_import.commit(self.actor, preview, skip)
        ).value
        if report is None:
            return
        if not report.committed:  # the data changed since the preview: show the new picture
            self.load(preview.path)
            return
        self.report = report
        operations.announce(topics.CREDIT_SUBJECT if preview.kind == "subjects" else topics.CREDIT_RECORD)
        message = (
            self.tr("Imported %1 rows; %2 already present, %3 with errors left out.")
            .replace("%1", str(report.created))
            .replace("%2", str(report.present))
            .replace("%3", str(report.bad))
        )
        if report.pending:
            message += "\n" + self.tr("%1 of them wait for a leader's confirmation.").replace(
                "%1", str(report.pending)
            )
        QMessageBox.information(self, self.windowTitle(), message)
        self.accept()

    def save_template(self) -> None:
        save_template(self, self.services, self.actor, self.kind)


def save_template(
    parent: QWidget | None, services: Services, actor: CurrentUser, kind: ImportKind
) -> Path | None:
    """Ask where, write an empty import file with the headers; the path written, or None."""
    title = QCoreApplication.translate("ImportDialog", "Save import template")
    path, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path.home() / f"{TEMPLATE_NAMES[kind]}.xlsx"),
        QCoreApplication.translate("ImportDialog", "Excel workbook (*.xlsx);;CSV file (*.csv)"),
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_suffix(".xlsx")
    written = operations.run(parent, lambda: write_template(kind, target)).value
    if written is None:
        return None
    QMessageBox.information(
        parent,
        title,
        QCoreApplication.translate("ImportDialog", "The template was saved to %1.").replace(
            "%1", str(written)
        ),
    )
    return written


def import_file(
    parent: QWidget | None, services: Services, actor: CurrentUser, kind: ImportKind
) -> ImportReport | None:
    """Open the import dialog modally; the report when something was imported."""
    dialog = ImportDialog(services, actor, kind, parent)
    try:
        dialog.exec()
        return dialog.report
    finally:
        dialog.deleteLater()
