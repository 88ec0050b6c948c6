"""Decisions on a record: a leader confirms or declines a ban or serious-list record; a keeper
revokes a record entered in error. Each asks before it acts (a reason where the rules want one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QWidget

from desktop_app.domain.credit import BARRING_KINDS, RecordStatus
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import RecordInfo
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.credit.labels import record_summary
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog


class ReasonDialog(FormDialog):
    """Asks a typed reason, then calls ``action(reason)`` and announces ``changed`` (``ids``) once done."""

    def __init__(
        self,
        title: str,
        intro: str,
        label: str,
        action: Callable[[str], Any],
        save_text: str = "",
        parent: QWidget | None = None,
        placeholder: str = "",
        changed: str = "",
        ids: tuple[int, ...] = (),
    ) -> None:
        super().__init__(title, parent)
        self.action = action
        self.changed, self.ids = changed, ids
        self.intro = QLabel(intro, self)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.reason = self.add_field(label, QPlainTextEdit(self), "reason", required=True)
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
        reason = self.reason.toPlainText()
        self.save(lambda: self.action(reason), changed=self.changed or (), ids=self.ids)

    def reload(self) -> None:
        pass


def record_title(services: Services, record: RecordInfo) -> str:
    """The subject's name and the record's summary."""
    subject = services.credit.subject(record.subject_id)
    return f"{subject.name}：{record_summary(record)}"


def confirm_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("CreditEditing", "Confirm record"),
        QCoreApplication.translate(
            "CreditEditing", "Confirm this record? It takes effect now and bars entry while in force.\n\n%1"
        ).replace("%1", record_title(services, record)),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    done = operations.run(
        parent,
        lambda: services.credit.confirm_record(actor, record_id, record.version),
        changed=topics.CREDIT_RECORD,
        ids=(record_id,),
        show="message",
    )
    return done.ok


def decline_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    dialog = ReasonDialog(
        QCoreApplication.translate("CreditEditing", "Decline record"),
        QCoreApplication.translate(
            "CreditEditing",
            "Not confirming: %1\nThe record stays in the file as “not confirmed” and never counts.",
        ).replace("%1", record_title(services, record)),
        QCoreApplication.translate("CreditEditing", "Reason:"),
        lambda reason: services.credit.decline_record(actor, record_id, reason, record.version),
        QCoreApplication.translate("CreditEditing", "Decline"),
        parent,
        changed=topics.CREDIT_RECORD,
        ids=(record_id,),
    )
    return modal.run_and_delete(dialog)


def revoke_record(parent: QWidget | None, services: Services, actor: CurrentUser, record_id: int) -> bool:
    record = services.credit.record(record_id)
    intro = QCoreApplication.translate(
        "CreditEditing", "Revoking: %1\nA revoked record stays in the file, greyed, and never counts again."
    ).replace("%1", record_title(services, record))
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
        changed=topics.CREDIT_RECORD,
        ids=(record_id,),
    )
    return modal.run_and_delete(dialog)
