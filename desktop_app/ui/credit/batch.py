"""批量核验: a bid opening's list of bidders checked at once, from the lookup page.

Load the list (.xlsx/.csv) → every line previewed with its outcome (nothing recorded) → the lines
the clerk must decide (a name of several subjects, a code that disagrees with the name, a name only
close to others, an unreadable line) decided one by one → confirm: every line recorded as a 登记核验
with its own 告知单 and one summary sheet, in one transaction → the summary shown in the notice
preview; the certificates are then printed in one job, saved to a folder, or opened one by one.

Keyboard: Alt+C chooses the file; in the table Enter decides the current line (before confirming)
or opens its certificate (after), and after a decision the next line to decide is selected; Alt+O
confirms; Esc closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.credit import Verdict
from desktop_app.domain.errors import Conflict
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import (
    BatchLine,
    BatchPreview,
    BatchResult,
    Candidate,
    CertifiedLine,
    Choice,
    Decision,
    LineState,
    write_list_template,
)
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.credit.labels import line_state_label, subject_kind_label, verdict_label
from desktop_app.ui.notices.render import open_pdf, render_page
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import named
from desktop_app.ui.widgets.tables import Column, RecordTableModel, fit_columns, make_table_view

log = logging.getLogger(__name__)

DECIDE_BACKGROUND = QColor("#fff3cd")  # a line waiting for the clerk
BANNED_FOREGROUND = QColor("#b71c1c")
MUTED_FOREGROUND = QColor("#6b7580")
PRINT_DPI = 300
TEMPLATE_NAME = "批量核验名单模板"


@dataclass(frozen=True)
class Row:
    """A line of the list as the table shows it: the preview's line, the clerk's choice, the result."""

    line: BatchLine
    choice: Choice | None = None
    done: CertifiedLine | None = None

    @property
    def waiting(self) -> bool:
        return self.done is None and self.line.needs_decision and self.choice is None

    @property
    def chosen(self) -> Candidate | None:
        if isinstance(self.choice, int):
            return next((c for c in self.line.candidates if c.subject_id == self.choice), None)
        return None

    @property
    def verdict(self) -> Verdict | None:
        """The verdict the line has (after confirming) or would have (None: undecided or left out)."""
        if self.done is not None:
            return self.done.verdict
        if self.choice == Decision.LEAVE_OUT:
            return None
        if self.choice == Decision.NOT_FOUND:
            return Verdict.NOT_FOUND
        if self.chosen is not None:
            return self.chosen.verdict
        return self.line.verdict

    def outcome(self) -> str:
        if (self.done is not None and self.done.verdict is None) or self.choice == Decision.LEAVE_OUT:
            return QCoreApplication.translate("BatchCheck", "Not checked")
        if self.waiting:
            return line_state_label(self.line.state)
        verdict = self.verdict
        return verdict_label(verdict) if verdict is not None else ""

    def subject(self) -> str:
        if self.done is not None:
            return self.done.subject.shown if self.done.subject else "—"
        candidate = self.chosen or self.line.subject
        return candidate.shown if candidate is not None else "—"

    def note(self) -> str:
        line = self.line
        same_as = self.done.same_as if self.done is not None else line.same_as
        if same_as is not None and self.choice != Decision.LEAVE_OUT:
            return QCoreApplication.translate(
                "BatchCheck", "The same subject as line {row}: checked once"
            ).format(row=same_as)
        if self.done is not None and self.done.check is not None:
            return self.done.reason
        if self.choice == Decision.LEAVE_OUT:
            return QCoreApplication.translate(
                "BatchCheck", "Left out: check this bidder at the desk. {note}"
            ).format(note=line.note)
        if self.choice is not None:
            return QCoreApplication.translate("BatchCheck", "Decided by you. {note}").format(note=line.note)
        candidate = self.chosen or line.subject
        if candidate is not None:
            return line.note or candidate.reason
        if line.state == LineState.NOT_FOUND:
            return QCoreApplication.translate(
                "BatchCheck", "No credit file matches the line: it is recorded as not found, with its notice."
            )
        return line.note

    def number(self) -> str:
        return self.done.notice_number if self.done is not None else ""


class LinesModel(RecordTableModel[Row]):
    """Lines waiting for a decision are tinted, banned ones red, lines left out grey."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            row = self.record(index.row())
            if role == Qt.ItemDataRole.BackgroundRole and row.waiting:
                return QBrush(DECIDE_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole:
                if row.verdict == Verdict.BANNED:
                    return QBrush(BANNED_FOREGROUND)
                if not row.waiting and row.verdict is None:
                    return QBrush(MUTED_FOREGROUND)
        return super().data(index, role)


class DecideDialog(QDialog):
    """Which subject a line names: one of its candidates, none of them (未找到), or leave it out."""

    def __init__(self, line: BatchLine, current: Choice | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decide_line")
        self.setWindowTitle(self.tr("Line {row} of the list").format(row=line.row))
        layout = QVBoxLayout(self)
        listed = QLabel(self.tr("Listed: {text}").format(text=line.listed or "—"), self)
        listed.setObjectName("listed")
        listed.setWordWrap(True)
        listed.setStyleSheet("font-weight: bold;")
        layout.addWidget(listed)
        if line.note:
            note = QLabel(line.note, self)
            note.setObjectName("line_note")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.choices = named(QListWidget(self), "choices", self.tr("What this line is"))
        for candidate in line.candidates:
            kind, verdict = subject_kind_label(candidate.kind), verdict_label(candidate.verdict)
            self._add(f"{candidate.shown} · {kind} · {verdict}", candidate.subject_id)
        if line.candidates:
            self._add(self.tr("None of these: record the line as not found"), Decision.NOT_FOUND)
        elif line.state in (LineState.MATCHED, LineState.NOT_FOUND, LineState.DUPLICATE):
            self._add(self.tr("Check the line as listed"), None)
        self._add(self.tr("Leave the line out (check this bidder at the desk later)"), Decision.LEAVE_OUT)
        for index in range(self.choices.count()):
            if self.choices.item(index).data(Qt.ItemDataRole.UserRole) == current:
                self.choices.setCurrentRow(index)
                break
        else:
            self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.choices, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)
        self.choices.setFocus()

    def _add(self, text: str, value: Choice | None) -> None:
        item = QListWidgetItem(text, self.choices)
        item.setData(Qt.ItemDataRole.UserRole, value)

    def choice(self) -> Choice | None:
        item = self.choices.currentItem()
        if item is None:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return Decision(value) if isinstance(value, str) else value


class BatchCheckDialog(QDialog):
    """``result`` holds the BatchResult once the list was recorded."""

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("credit_batch_check")
        self.setWindowTitle(self.tr("Batch check of a bid opening"))
        self.services = services
        self.actor = actor
        self.preview: BatchPreview | None = None
        self.result: BatchResult | None = None
        self.choices: dict[int, Choice] = {}
        self.summary_preview: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        intro = QLabel(
            self.tr(
                "Load the list of registered bidders (.xlsx or .csv) with the columns 名称 and/or "
                "统一社会信用代码 / 身份证号. Every line is previewed first; nothing is recorded before you "
                "confirm. Then each line is recorded as a check with its own notice, and one summary sheet "
                "is issued."
            ),
            self,
        )
        intro.setObjectName("form_hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        file_row = QHBoxLayout()
        self.file_edit = named(QLineEdit(self), "file", self.tr("List file"))
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("no file chosen"))
        file_row.addWidget(self.file_edit, 1)
        self.choose_button = self._button(self.tr("&Choose file…"), "choose_file", self.tr("Choose file"))
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.choose_button)
        self.template_button = self._button(
            self.tr("Save &template…"), "save_template", self.tr("Save template")
        )
        self.template_button.clicked.connect(self.save_template)
        file_row.addWidget(self.template_button)
        day_label = QLabel(self.tr("Opening da&y:"), self)
        file_row.addWidget(day_label)
        self.on_field = named(DateField(self), "on", self.tr("Date of the bid opening"))
        self.on_field.setToolTip(self.tr("The day the verdicts are for: the day of the bid opening."))
        day_label.setBuddy(self.on_field)
        self.on_field.dateChanged.connect(self._date_changed)
        file_row.addWidget(self.on_field)
        layout.addLayout(file_row)

        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)

        self.model = LinesModel(
            [
                Column(self.tr("Line"), lambda r: str(r.line.row), align_right=True),
                Column(self.tr("Listed"), lambda r: r.line.listed, tooltip=lambda r: r.line.listed),
                Column(self.tr("Outcome"), lambda r: r.outcome()),
                Column(self.tr("Subject checked"), lambda r: r.subject(), tooltip=lambda r: r.subject()),
                Column(self.tr("Notice"), lambda r: r.number()),
                Column(self.tr("Why"), lambda r: r.note(), tooltip=lambda r: r.note()),
            ],
            parent=self,
        )
        self.table = make_table_view("lines", self.tr("Lines of the list"), self)
        self.table.setModel(self.model)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _index: self.activate_current())
        layout.addWidget(self.table, 1)

        self.error = make_error_label(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.decide_button = self._button(self.tr("&Decide line…"), "decide", self.tr("Decide the line"))
        self.decide_button.clicked.connect(self.decide)
        buttons.addWidget(self.decide_button)
        self.summary_button = self._button(
            self.tr("Show &summary"), "show_summary", self.tr("Show the summary")
        )
        self.summary_button.clicked.connect(self.show_summary)
        buttons.addWidget(self.summary_button)
        self.print_button = self._button(
            self.tr("&Print all notices…"), "print_notices", self.tr("Print every notice of the list")
        )
        self.print_button.clicked.connect(self.print_certificates)
        buttons.addWidget(self.print_button)
        self.save_button = self._button(
            self.tr("Save notices to a &folder…"), "save_notices", self.tr("Save every notice to a folder")
        )
        self.save_button.clicked.connect(self.save_certificates)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.confirm_button = self._button(
            self.tr("C&onfirm and record"), "confirm", self.tr("Confirm and record")
        )
        self.confirm_button.clicked.connect(self.confirm)
        buttons.addWidget(self.confirm_button)
        close_button = self._button(self.tr("Close"), "close", self.tr("Close"))
        close_button.clicked.connect(self.reject)
        buttons.addWidget(close_button)
        layout.addLayout(buttons)

        self.resize(1180, 640)
        self._show()
        self.choose_button.setFocus()

    def _button(self, text: str, name: str, accessible: str) -> QPushButton:
        button = named(QPushButton(text, self), name, accessible)
        button.setAutoDefault(False)
        return button

    # -- loading ----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the list of bidders"),
            str(Path.home()),
            self.tr("Excel or CSV files (*.xlsx *.csv)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Preview a list (reads only). False when it cannot be read (the reason is shown)."""
        self.file_edit.setText(str(path))
        on = self.on_field.value()
        outcome = operations.run(self, lambda: self.services.credit.preview_check_list(self.actor, path, on))
        preview = outcome.value if outcome.ok else None
        kept = {
            row: choice for row, choice in self.choices.items() if self._still_valid(preview, row, choice)
        }
        self.preview, self.result, self.choices = preview, None, kept
        self._show()
        if preview is not None and preview.lines:
            self._select(self._next_waiting(-1))
            self.table.setFocus()
        return outcome.ok

    @staticmethod
    def _still_valid(preview: BatchPreview | None, row: int, choice: Choice) -> bool:
        line = next((line for line in preview.lines if line.row == row), None) if preview else None
        if line is None:
            return False
        return isinstance(choice, Decision) or choice in {c.subject_id for c in line.candidates}

    def _date_changed(self) -> None:
        if self.preview is not None and self.result is None:
            self.load(self.preview.path)

    # -- the table --------------------------------------------------------------------------------
    def rows(self) -> list[Row]:
        return self.model.records()

    def _show(self) -> None:
        preview, result = self.preview, self.result
        if result is not None:
            done = {c.line.row: c for c in result.lines}
            rows = [Row(c.line, c.choice, done[c.line.row]) for c in result.lines]
        elif preview is not None:
            rows = [Row(line, self.choices.get(line.row)) for line in preview.lines]
        else:
            rows = []
        current = self.table.currentIndex().row()
        self.model.set_records(rows)
        if rows:
            # Names and codes are elided (their tooltip is whole): the reason column gets the rest.
            fit_columns(self.table, widest=250)
        if 0 <= current < len(rows):
            self._select(current)
        self._update()

    def _update(self) -> None:
        preview, result = self.preview, self.result
        waiting = sum(1 for row in self.rows() if row.waiting)
        if result is not None:
            text = self.tr(
                "Recorded {checks} checks of {lines} lines: {banned} no entry, {missing} not found, "
                "{records} with bad records, {clear} may enter, {out} not checked. Summary {number}."
            ).format(
                checks=len(result.certificates),
                lines=len(result.lines),
                banned=result.count(Verdict.BANNED),
                missing=result.count(Verdict.NOT_FOUND),
                records=result.count(Verdict.RECORDS),
                clear=result.count(Verdict.CLEAR),
                out=result.count(None),
                number=result.summary.number,
            )
        elif preview is None:
            text = self.tr("Choose the list of the bid opening to see what each line finds.")
        elif preview.file_errors:
            text = "\n".join(preview.file_errors)
        else:
            text = self.tr(
                "{lines} lines: {banned} no entry, {missing} not found, {repeats} repeated, {waiting} to decide."
            ).format(
                lines=len(preview.lines),
                banned=sum(1 for row in self.rows() if row.verdict == Verdict.BANNED),
                missing=sum(1 for row in self.rows() if row.verdict == Verdict.NOT_FOUND),
                repeats=preview.count(LineState.DUPLICATE),
                waiting=waiting,
            )
            if waiting:
                text += " " + self.tr("Select a tinted line and press Enter to decide it.")
        self.counts.setText(text)
        self.counts.setStyleSheet("color: #b71c1c;" if preview is not None and preview.file_errors else "")
        ready = result is None and preview is not None and preview.ready(self.choices)
        self.confirm_button.setEnabled(ready)
        self.confirm_button.setDefault(ready)
        self.decide_button.setEnabled(result is None and bool(self.rows()))
        for button in (self.summary_button, self.print_button, self.save_button):
            button.setEnabled(result is not None)
        self.on_field.setEnabled(result is None)

    def _select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))

    def _next_waiting(self, after: int) -> int:
        rows = self.rows()
        order = [*range(after + 1, len(rows)), *range(0, after + 1)]
        return next((i for i in order if rows[i].waiting), after if after >= 0 else 0)

    def current_row(self) -> Row | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            self.activate_current()
            return True
        return super().eventFilter(watched, event)

    def activate_current(self) -> None:
        """Enter on a line: decide it before confirming, open its notice after."""
        if self.result is not None:
            self.open_certificate()
        else:
            self.decide()

    def decide(self) -> Choice | None:
        row = self.current_row()
        if row is None or self.result is not None:
            return None
        dialog = DecideDialog(row.line, row.choice, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            choice = dialog.choice()
        finally:
            dialog.deleteLater()
        if choice is None:
            self.choices.pop(row.line.row, None)
        else:
            self.choices[row.line.row] = choice
        position = self.table.currentIndex().row()
        self._show()
        self._select(self._next_waiting(position))
        self._back_to_table()
        return choice

    def _back_to_table(self) -> None:
        # Back from a dialog on top: the keys (Enter, Alt+O) must reach this window at once, also
        # where no window manager hands the activation back.
        self.activateWindow()
        self.table.setFocus()

    # -- confirming -------------------------------------------------------------------------------
    def confirm(self) -> BatchResult | None:
        preview = self.preview
        if preview is None or self.result is not None or not preview.ready(self.choices):
            return None
        choices = dict(self.choices)
        outcome = operations.run(
            self,
            lambda: self.services.credit.certify_list(self.actor, preview, choices),
            changed=(topics.CREDIT_CHECK, topics.NOTICE),
            handled=(Conflict,),
        )
        if isinstance(outcome.error, Conflict):  # the files changed since the preview: show them now
            QMessageBox.information(self, self.windowTitle(), outcome.error.message)
            self.load(preview.path)
            return None
        if outcome.value is None:
            return None
        self.result = outcome.value
        self._show()
        self._select(0)
        self.table.setFocus()
        self.show_summary()
        return self.result

    # -- after confirming: the summary and the notices ---------------------------------------------
    def show_summary(self) -> None:
        if self.result is not None:
            self._open_notice(self.result.summary)

    def open_certificate(self) -> None:
        row = self.current_row()
        if row is None or row.done is None or self.result is None:
            return
        source = row.done
        if source.same_as is not None:
            source = next(c for c in self.result.lines if c.line.row == source.same_as)
        if source.notice is not None:
            self._open_notice(source.notice)

    def _open_notice(self, notice: Any) -> None:
        from desktop_app.ui.notices.preview import NoticePreviewDialog

        dialog = NoticePreviewDialog(self.services, self.actor, notice, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._preview_closed)
        self.summary_preview = dialog
        dialog.open()

    def _preview_closed(self, _result: int) -> None:
        self.summary_preview = None
        self._back_to_table()

    def print_certificates(self) -> bool:
        """Every notice of the list in one print job; each one's printing is recorded."""
        if self.result is None or not self.result.certificates:
            return False
        notices = [line.notice for line in self.result.certificates]
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.result.summary.number)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the notices of the list"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        target = printer.printerName() or printer.outputFileName()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = paint_pdfs(printer, [notice.pdf for notice in notices])
        finally:
            QGuiApplication.restoreOverrideCursor()
        if not done:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("The notices could not be printed. Check the printer and try again."),
            )
            return False
        numbers = [notice.number for notice in notices]
        return operations.run(
            self,
            lambda: self._record_outputs(numbers, "print", target),
            changed=topics.NOTICE,
            show="message",
        ).ok

    def save_certificates(self) -> Path | None:
        """Every notice of the list and the summary as PDF files in a folder."""
        if self.result is None:
            return None
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Save the notices in a folder"), str(Path.home())
        )
        if not chosen:
            return None
        from desktop_app.notices.files import write_atomic

        folder = Path(chosen)
        written: list[tuple[str, Path]] = []
        files = [(f"第{c.line.row:03d}行_{c.notice.number}.pdf", c.notice) for c in self.result.certificates]
        files.append((f"汇总表_{self.result.summary.number}.pdf", self.result.summary))
        for name, notice in files:
            try:
                write_atomic(folder / name, notice.pdf)
            except OSError as error:
                log.warning("saving a notice of a batch check failed: %s", type(error).__name__)
                QMessageBox.warning(
                    self,
                    self.windowTitle(),
                    self.tr("The file could not be saved:\n{path}\n\n{reason}").format(
                        path=folder / name, reason=error.strerror or type(error).__name__
                    ),
                )
                break
            written.append((notice.number, folder / name))
        if written:
            operations.run(
                self,
                lambda: [
                    self.services.notices.record_output(self.actor, number, "export", str(path))
                    for number, path in written
                ],
                changed=topics.NOTICE,
                show="message",
            )
        if len(written) < len(files):
            return None
        QMessageBox.information(
            self,
            self.windowTitle(),
            self.tr("{count} files were saved in {folder}.").format(count=len(files), folder=folder),
        )
        return folder

    def _record_outputs(self, numbers: list[str], how: str, target: str) -> None:
        for number in numbers:
            self.services.notices.record_output(self.actor, number, how, target)

    def save_template(self) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the list template"),
            str(Path.home() / f"{TEMPLATE_NAME}.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        written = operations.run(self, lambda: write_list_template(target)).value
        if written is not None:
            QMessageBox.information(
                self, self.windowTitle(), self.tr("The template was saved to {path}.").format(path=written)
            )
        return written


def paint_pdfs(printer: QPrinter, pdfs: list[bytes]) -> bool:
    """Every page of every PDF at its real size, centred on the sheet; False if the printer failed."""
    printer.setFullPage(True)
    resolution = printer.resolution()
    dpi = min(resolution, PRINT_DPI)
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        first = True
        for pdf in pdfs:
            with open_pdf(pdf) as document:
                for index in range(len(document)):
                    if not first and not printer.newPage():
                        return False
                    first = False
                    image = render_page(document, index, dpi)
                    width = image.width() / dpi * resolution
                    height = image.height() / dpi * resolution
                    scale = min(1.0, paper.width() / width, paper.height() / height)
                    width, height = width * scale, height * scale
                    painter.drawImage(
                        QRectF(
                            paper.x() + (paper.width() - width) / 2,
                            paper.y() + (paper.height() - height) / 2,
                            width,
                            height,
                        ),
                        image,
                    )
    finally:
        painter.end()
    return printer.printerState() != QPrinter.PrinterState.Error


def check_list(parent: QWidget | None, services: Services, actor: CurrentUser) -> BatchResult | None:
    """Open the batch check modally; the result when a list was recorded."""
    dialog = BatchCheckDialog(services, actor, parent)
    try:
        dialog.exec()
        return dialog.result
    finally:
        dialog.deleteLater()
