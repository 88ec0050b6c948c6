"""Help → Verify a notice (Ctrl+Shift+V): is a paper or a PDF someone brings a genuine notice of the hall?

The clerk types the number and the verification code printed on it, and may pick the PDF file too;
the service compares them with the archive and says 真实有效 or not, with the reason and what the
archived notice said. From there the archived original can be viewed and a 补打 copy made.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DomainError
from desktop_app.paths import locations
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.notices import IssuedDocument, Verification, normalize_code
from desktop_app.ui import operations, topics
from desktop_app.ui.common import make_error_label
from desktop_app.ui.dates import text_time
from desktop_app.ui.notices.preview import NoticePreviewDialog, confirm_reprint, ui_state

QR_PREFIX = "INTEGRITY-DESK|"  # IssueStamp.qr_payload: INTEGRITY-DESK|number|code
MAX_FILE_BYTES = 50 * 1024 * 1024  # a notice is tens of kilobytes; a bigger file is not one of ours
STATE_GROUP = "verify_notice"
GENUINE_STYLE = (
    "QFrame#verify_result { background: #e8f5e9; border: 2px solid #2e7d32; border-radius: 6px; }"
    " QLabel#verdict { color: #1b5e20; }"
)
WAITING_STYLE = (
    "QFrame#verify_result { background: #ffffff; border: 1px dashed #b4bfcc; border-radius: 6px; }"
)
NOT_GENUINE_STYLE = (
    "QFrame#verify_result { background: #fdecea; border: 2px solid #c62828; border-radius: 6px; }"
    " QLabel#verdict { color: #b71c1c; }"
)


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # the store keeps UTC
        moment = moment.replace(tzinfo=UTC)
    return text_time(moment)


class VerifyNoticeDialog(QDialog):
    """``verified(Verification)`` after each check; ``reprinted(IssuedDocument)`` after a 补打."""

    verified = Signal(object)
    reprinted = Signal(object)

    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verify_notice")
        self.setWindowTitle(self.tr("Verify a notice"))
        self.services = services
        self.actor = actor
        self.verification: Verification | None = None
        self.checked_code = ""
        self.pdf_path: Path | None = None
        self.preview: NoticePreviewDialog | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        intro = QLabel(
            self.tr(
                "Type the number and the verification code printed at the foot of the notice. To check "
                "a PDF file as well, choose it: only an unchanged copy made by the hall passes."
            ),
            self,
        )
        intro.setObjectName("form_hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.number = QLineEdit(self)
        self.number.setObjectName("number")
        self.number.setAccessibleName(self.tr("Number"))
        self.number.setPlaceholderText(self.tr("for example CS2026-000001"))
        self.number.setMaxLength(80)  # room for a scanned QR payload
        form.addRow(self.tr("&Number:"), self.number)
        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.code.setAccessibleName(self.tr("Verification code"))
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.code.setMaxLength(32)
        form.addRow(self.tr("Verification &code:"), self.code)
        file_row = QHBoxLayout()
        self.pdf_file = QLineEdit(self)
        self.pdf_file.setObjectName("pdf_file")
        self.pdf_file.setAccessibleName(self.tr("PDF file to check"))
        self.pdf_file.setReadOnly(True)
        self.pdf_file.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.pdf_file.setPlaceholderText(self.tr("optional: no file chosen"))
        file_row.addWidget(self.pdf_file, 1)
        self.choose_button = QPushButton(self.tr("Choose PDF &file…"), self)
        self.choose_button.setObjectName("choose_file")
        self.choose_button.setAccessibleName(self.tr("Choose PDF file"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.choose_button)
        self.clear_file_button = QPushButton(self.tr("Remove file"), self)
        self.clear_file_button.setObjectName("clear_file")
        self.clear_file_button.setAccessibleName(self.tr("Remove file"))
        self.clear_file_button.setAutoDefault(False)
        self.clear_file_button.clicked.connect(lambda: self.set_pdf_file(None))
        self.clear_file_button.hide()
        file_row.addWidget(self.clear_file_button)
        form.addRow(self.tr("PDF file:"), file_row)
        layout.addLayout(form)

        self.error = make_error_label(self)
        layout.addWidget(self.error)
        verify_row = QHBoxLayout()
        verify_row.addStretch(1)
        self.verify_button = QPushButton(self.tr("&Verify"), self)
        self.verify_button.setObjectName("verify")
        self.verify_button.setAccessibleName(self.tr("Verify"))
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        verify_row.addWidget(self.verify_button)
        layout.addLayout(verify_row)

        layout.addWidget(self._result_panel())
        layout.addStretch(0)  # takes the room the result does not need
        self.body = layout

        buttons = QDialogButtonBox(self)
        self.original_button = QPushButton(self.tr("View the archived &original…"), self)
        self.original_button.setObjectName("view_original")
        self.original_button.setAccessibleName(self.tr("View the archived original"))
        self.original_button.setAutoDefault(False)
        self.original_button.clicked.connect(self.view_original)
        self.reprint_button = QPushButton(self.tr("&Reprint…"), self)
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.setAccessibleName(self.tr("Reprint"))
        self.reprint_button.setToolTip(
            self.tr("Make a new copy from the archive, marked as a reprint; the audit log records it.")
        )
        self.reprint_button.setAutoDefault(False)
        self.reprint_button.clicked.connect(self.reprint)
        close_button = QPushButton(self.tr("Close"), self)
        close_button.setObjectName("close")
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)
        buttons.addButton(self.original_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reprint_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

        self.number.textEdited.connect(self._input_changed)
        self.code.textEdited.connect(self._input_changed)
        self._show_result(None)
        self.setTabOrder(self.number, self.code)
        self.setTabOrder(self.code, self.choose_button)
        self.setTabOrder(self.choose_button, self.verify_button)
        self._restore_geometry()
        self.finished.connect(self._save_geometry)
        self.number.setFocus()

    def _result_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setObjectName("verify_result")
        self.result_panel = panel
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(16, 12, 16, 12)
        self.placeholder = QLabel(
            self.tr("Not checked yet. Type the number and the code, then press Enter or click Verify."),
            panel,
        )
        self.placeholder.setObjectName("result_placeholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #6b7580;")
        self.placeholder.setMinimumHeight(80)
        layout.addWidget(self.placeholder)
        self.verdict = QLabel(panel)
        self.verdict.setObjectName("verdict")
        font = self.verdict.font()
        font.setPointSizeF(max(font.pointSizeF(), 10) * 2)
        font.setBold(True)
        self.verdict.setFont(font)
        layout.addWidget(self.verdict)
        self.reason = QLabel(panel)
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        reason_font = self.reason.font()
        reason_font.setPointSizeF(max(reason_font.pointSizeF(), 10) * 1.15)
        self.reason.setFont(reason_font)
        layout.addWidget(self.reason)

        self.details = QWidget(panel)
        details = QFormLayout(self.details)
        details.setContentsMargins(0, 8, 0, 0)
        self.details_caption = QLabel(self.tr("What the archive holds under this number:"), self.details)
        self.details_caption.setObjectName("details_caption")
        details.addRow(self.details_caption)
        self.detail_labels: dict[str, QLabel] = {}
        for name, caption in (
            ("result_number", self.tr("Number:")),
            ("result_doc_label", self.tr("Kind:")),
            ("result_title", self.tr("Title:")),
            ("result_issued_at", self.tr("Issued at:")),
            ("result_issued_by", self.tr("Issued by:")),
            ("result_reprints", self.tr("Reprints:")),
        ):
            label = QLabel(self.details)
            label.setObjectName(name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            details.addRow(caption, label)
            self.detail_labels[name] = label
        self.content_caption = QLabel(self.tr("What the archived notice says:"), self.details)
        details.addRow(self.content_caption)
        self.content = QPlainTextEdit(self.details)
        self.content.setObjectName("result_content")
        self.content.setAccessibleName(self.tr("What the archived notice says"))
        self.content.setReadOnly(True)
        self.content.setMinimumHeight(110)
        details.addRow(self.content)
        layout.addWidget(self.details, 1)
        return panel

    # -- input ----------------------------------------------------------------------------------
    def _input_changed(self) -> None:
        """A result belongs to the input it was made for: new input clears it."""
        if self.verification is not None:
            self._show_result(None)

    def choose_file(self) -> None:
        start = str(self.pdf_path.parent if self.pdf_path else locations().notices)
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the PDF file to check"), start, self.tr("PDF files (*.pdf);;All files (*)")
        )
        if chosen:
            self.set_pdf_file(Path(chosen))

    def set_pdf_file(self, path: Path | None) -> None:
        self.pdf_path = path
        self.pdf_file.setText(str(path) if path else "")
        self.pdf_file.setToolTip(str(path) if path else "")
        self.clear_file_button.setVisible(path is not None)
        self._input_changed()

    def _read_file(self) -> bytes | None:
        if self.pdf_path is None:
            return None
        try:
            if self.pdf_path.stat().st_size > MAX_FILE_BYTES:
                raise DomainError(
                    self.tr("This file is far too large to be a notice of the hall."), field="pdf_file"
                )
            return self.pdf_path.read_bytes()
        except OSError as error:
            raise DomainError(
                self.tr("The file cannot be read: {reason}").format(
                    reason=error.strerror or type(error).__name__
                ),
                field="pdf_file",
            ) from None

    def _check(self) -> Verification:
        number = self.number.text().strip()
        code = self.code.text().strip()
        if not number:
            raise DomainError(self.tr("Type the number printed on the notice."), field="number")
        if not code:
            raise DomainError(self.tr("Type the verification code printed on the notice."), field="code")
        return self.services.notices.verify(self.actor, number, code, self._read_file())

    def _take_scanned_code(self) -> None:
        """A barcode scanner reading the QR code types its payload into the number field (and presses
        Enter): split it into the number and the code."""
        text = self.number.text().strip()
        if not text.upper().startswith(QR_PREFIX):
            return
        parts = text.split("|")
        if len(parts) == 3:
            self.number.setText(parts[1].strip())
            self.code.setText(parts[2].strip())

    def verify(self) -> Verification | None:
        self._take_scanned_code()
        result = operations.run(self, self._check).value
        if result is None:
            return None
        self.checked_code = normalize_code(self.code.text())
        self._show_result(result)
        self.verified.emit(result)
        return result

    # -- result ---------------------------------------------------------------------------------
    def _show_result(self, result: Verification | None) -> None:
        self.verification = result
        known = result is not None and bool(result.content)  # the code matched the archive
        self.original_button.setEnabled(known)
        self.reprint_button.setEnabled(known)
        self.placeholder.setVisible(result is None)
        for widget in (self.verdict, self.reason):
            widget.setVisible(result is not None)
        # The result takes the free room only when it has the content box to fill it with.
        self.body.setStretchFactor(self.result_panel, 1 if known else 0)
        if result is None:
            self.details.hide()
            self.result_panel.setStyleSheet(WAITING_STYLE)
            return
        if result.genuine:
            self.verdict.setText(self.tr("Genuine"))
            self.result_panel.setStyleSheet(GENUINE_STYLE)
        else:
            self.verdict.setText(self.tr("Not a genuine notice"))
            self.result_panel.setStyleSheet(NOT_GENUINE_STYLE)
        self.verdict.setAccessibleName(self.verdict.text())
        self.reason.setText(result.reason)
        self.details.setVisible(bool(result.title))
        values = {
            "result_number": result.number,
            "result_doc_label": result.doc_label,
            "result_title": result.title,
            "result_issued_at": local_time(result.issued_at),
            "result_issued_by": result.issued_by,
            "result_reprints": self.tr("none") if not result.reprints else str(result.reprints),
        }
        for name, value in values.items():
            self.detail_labels[name].setText(value)
        self.content.setPlainText("\n".join(line for line in result.content if line))
        self.content_caption.setVisible(bool(result.content))
        self.content.setVisible(bool(result.content))

    # -- the archived notice --------------------------------------------------------------------
    def _open_preview(self, issued: IssuedDocument) -> NoticePreviewDialog:
        dialog = NoticePreviewDialog(self.services, self.actor, issued, self, allow_reprint=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.reprinted.connect(self._count_reprint)
        self.preview = dialog
        dialog.open()
        return dialog

    def view_original(self) -> NoticePreviewDialog | None:
        if self.verification is None or not self.verification.content:
            return None
        number = self.verification.number
        original = operations.run(self, lambda: self.services.notices.archived(number), show="message").value
        if original is None:
            return None
        return self._open_preview(original)

    def reprint(self) -> NoticePreviewDialog | None:
        if self.verification is None or not self.verification.content:
            return None
        if not confirm_reprint(self, self.verification.number):
            return None
        number = self.verification.number
        copy = operations.run(
            self,
            lambda: self.services.notices.reprint(self.actor, number),
            changed=topics.NOTICE,
            show="message",
        ).value
        if copy is None:
            return None
        self._count_reprint(copy)
        return self._open_preview(copy)

    def _count_reprint(self, copy: IssuedDocument) -> None:
        if self.verification is not None and self.verification.number == copy.number:
            self._show_result(replace(self.verification, reprints=self.verification.reprints + 1))
        self.reprinted.emit(copy)

    # -- remembered size ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = ui_state().value(f"{STATE_GROUP}/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(680, 680)

    def _save_geometry(self) -> None:
        state = ui_state()
        state.setValue(f"{STATE_GROUP}/geometry", self.saveGeometry())
        state.sync()
