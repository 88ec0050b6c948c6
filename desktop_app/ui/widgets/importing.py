"""Import a table from an Excel or CSV file: choose, preview, confirm, import — for any module's
import on ``services.tabular_import`` (credit subjects and records, the working-day calendar ...).

The preview lists every row with what will happen to it (new, already present, wrong: with the
column and the reason, the row tinted red). Nothing is written before the user confirms; rows with
errors block the import unless "skip rows with errors" is ticked. "Save template…" writes an empty
file with the right headers and an explanation sheet. A module describes its import once in an
``ImportSource`` (its service calls, its headers, what one row is called, the topics it changes).

Strings use the fixed context "ImportDialog" (``self.tr`` here would look them up under each
module's subclass name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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

from desktop_app.services.tabular_import import ImportPreview, ImportReport, RowOutcome, RowStatus, TableSpec
from desktop_app.ui import operations
from desktop_app.ui.common import make_error_label
from desktop_app.ui.widgets.tables import Column, RecordTableModel, filter_proxy, fit_columns, make_table_view

ERROR_BACKGROUND = QColor("#fdecea")
ERROR_FOREGROUND = QColor("#b71c1c")
PRESENT_FOREGROUND = QColor("#6b7580")


@dataclass(frozen=True)
class ImportSource:
    """What one import dialog imports."""

    object_name: str
    title: str
    spec: TableSpec
    row_header: str  # the column that says what a row is: Subject, Record, Day
    preview: Callable[[Path], ImportPreview]
    commit: Callable[[ImportPreview, bool], ImportReport]
    write_template: Callable[[Path], Path]
    topics: tuple[str, ...] = ()  # announced once something was imported
    confirm_note: str = ""  # added to the confirmation question


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


class TableImportDialog(QDialog):
    """``report`` holds the ImportReport once something was imported (the dialog is then accepted)."""

    def __init__(self, source: ImportSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setObjectName(source.object_name)
        self.setWindowTitle(source.title)
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        columns = source.spec.columns
        headers = "、".join(s.header for s in columns)
        required = "、".join(s.header for s in columns if s.required)
        intro = QLabel(
            QCoreApplication.translate(
                "ImportDialog",
                "Choose an Excel (.xlsx) or CSV file whose first row holds the column headers, in any "
                "order: %1. Required: %2. Other columns are ignored. Nothing is imported before you "
                "confirm.",
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
        self.file_edit.setAccessibleName(QCoreApplication.translate("ImportDialog", "File to import"))
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(QCoreApplication.translate("ImportDialog", "no file chosen"))
        file_row.addWidget(self.file_edit, 1)
        self.choose_button = QPushButton(QCoreApplication.translate("ImportDialog", "&Choose file…"), self)
        self.choose_button.setObjectName("choose_file")
        self.choose_button.setAccessibleName(QCoreApplication.translate("ImportDialog", "Choose file"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.choose_button)
        self.template_button = QPushButton(
            QCoreApplication.translate("ImportDialog", "Save &template…"), self
        )
        self.template_button.setObjectName("save_template")
        self.template_button.setAccessibleName(QCoreApplication.translate("ImportDialog", "Save template"))
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
                Column(
                    QCoreApplication.translate("ImportDialog", "Row"),
                    lambda r: str(r.row),
                    sort=lambda r: r.row,
                    align_right=True,
                ),
                Column(QCoreApplication.translate("ImportDialog", "Outcome"), lambda r: r.status_label),
                Column(source.row_header, lambda r: r.summary),
                Column(QCoreApplication.translate("ImportDialog", "Column"), lambda r: r.column),
                Column(
                    QCoreApplication.translate("ImportDialog", "Reason"),
                    lambda r: r.reason,
                    tooltip=lambda r: r.reason,
                ),
            ],
            parent=self,
        )
        self.proxy = filter_proxy(self.model, self)
        self.table = make_table_view(
            "preview", QCoreApplication.translate("ImportDialog", "Rows of the file"), self
        )
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        layout.addWidget(self.table, 1)

        options = QHBoxLayout()
        self.only_bad = QCheckBox(
            QCoreApplication.translate("ImportDialog", "Show only rows with &errors"), self
        )
        self.only_bad.setObjectName("only_bad")
        self.only_bad.setAccessibleName(
            QCoreApplication.translate("ImportDialog", "Show only rows with errors")
        )
        self.only_bad.toggled.connect(self._show_rows)
        options.addWidget(self.only_bad)
        options.addStretch(1)
        self.skip_bad = QCheckBox(QCoreApplication.translate("ImportDialog", "&Skip rows with errors"), self)
        self.skip_bad.setObjectName("skip_bad")
        self.skip_bad.setAccessibleName(QCoreApplication.translate("ImportDialog", "Skip rows with errors"))
        self.skip_bad.setToolTip(
            QCoreApplication.translate(
                "ImportDialog",
                "Import the rows without errors and leave out the others; fix them and import the file again.",
            )
        )
        self.skip_bad.toggled.connect(self._update_buttons)
        options.addWidget(self.skip_bad)
        layout.addLayout(options)

        self.error = make_error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.import_button = QPushButton(QCoreApplication.translate("ImportDialog", "&Import"), self)
        self.import_button.setObjectName("import")
        self.import_button.setAccessibleName(QCoreApplication.translate("ImportDialog", "Import"))
        self.import_button.clicked.connect(self.do_import)
        close_button = QPushButton(QCoreApplication.translate("ImportDialog", "Close"), self)
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
            QCoreApplication.translate("ImportDialog", "Choose the file to import"),
            str(Path.home()),
            QCoreApplication.translate("ImportDialog", "Excel or CSV files (*.xlsx *.csv);;All files (*)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Preview a file (reads only). False when it cannot be read (the reason is shown)."""
        self.file_edit.setText(str(path))
        preview = operations.run(self, lambda: self.source.preview(path))
        self._show_preview(preview.value if preview.ok else None)
        return preview.ok

    def _show_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        if preview is None:
            self.model.set_records([])
            self.counts.setText(
                QCoreApplication.translate("ImportDialog", "Choose a file to see what would be imported.")
            )
            self.file_errors.hide()
            self._update_buttons()
            return
        self.counts.setText(
            QCoreApplication.translate(
                "ImportDialog", "%1 rows: %2 new, %3 already present (skipped), %4 with errors."
            )
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
                QCoreApplication.translate(
                    "ImportDialog",
                    "Some rows have errors: fix them in the file, or tick “Skip rows with errors”.",
                )
            )
        else:
            self.import_button.setToolTip("")

    # -- importing ------------------------------------------------------------------------------
    def confirm_note(self, preview: ImportPreview) -> str:
        """A line added to the confirmation question (a module's own consequence of importing)."""
        return self.source.confirm_note

    def imported_message(self, report: ImportReport) -> str:
        return (
            QCoreApplication.translate(
                "ImportDialog", "Imported %1 rows; %2 already present, %3 with errors left out."
            )
            .replace("%1", str(report.created))
            .replace("%2", str(report.present))
            .replace("%3", str(report.bad))
        )

    def do_import(self) -> None:
        preview = self.preview
        skip = self.skip_bad.isChecked()
        if preview is None or not preview.importable(skip):
            return
        question = (
            QCoreApplication.translate("ImportDialog", "Import %1 new rows from %2?")
            .replace("%1", str(preview.new_count))
            .replace("%2", preview.file_name)
        )
        if preview.bad_count:
            question += "\n" + QCoreApplication.translate(
                "ImportDialog", "%1 rows with errors will be left out."
            ).replace("%1", str(preview.bad_count))
        note = self.confirm_note(preview)
        if note:
            question += "\n" + note
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        report = operations.run(self, lambda: self.source.commit(preview, skip)).value
        if report is None:
            return
        if not report.committed:  # the data changed since the preview: show the new picture
            self.load(preview.path)
            return
        self.report = report
        for topic in self.source.topics:
            operations.announce(topic)
        QMessageBox.information(self, self.windowTitle(), self.imported_message(report))
        self.accept()

    def save_template(self) -> Path | None:
        return save_template_file(self, self.source.spec.template_name, self.source.write_template)


def save_template_file(
    parent: QWidget | None, template_name: str, write: Callable[[Path], Path]
) -> Path | None:
    """Ask where, write an empty import file with the headers; the path written, or None."""
    title = QCoreApplication.translate("ImportDialog", "Save import template")
    path, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path.home() / f"{template_name}.xlsx"),
        QCoreApplication.translate("ImportDialog", "Excel workbook (*.xlsx);;CSV file (*.csv)"),
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_suffix(".xlsx")
    written = operations.run(parent, lambda: write(target)).value
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
