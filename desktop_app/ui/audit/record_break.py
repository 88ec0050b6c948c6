"""记录断裂: the audit admin writes what was found on a damaged audit chain; a new segment opens.

Shown from the audit page after a verification found damage. The service opens the new segment
after the last entry that verifies; every later verification reports the break."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from desktop_app.services.audit_log import RecordedBreak, VerifyResult
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog


class RecordBreakDialog(FormDialog):
    def __init__(
        self, services: Services, actor: CurrentUser, found: VerifyResult, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Record a break in the audit chain"), parent)
        self.services = services
        self.actor = actor
        intro = QLabel(
            self.tr(
                "The audit chain is damaged: %1\n\nRecord what you found and how. A new segment then "
                "starts after entry %2, the last one that verifies; audited work resumes, and every "
                "verification from now on reports this break with your account and your words."
            )
            .replace("%1", found.reason)
            .replace("%2", str(found.last_good_seq)),
            self,
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.found = self.add_field(
            self.tr("Found:"), QPlainTextEdit(self), "found", self.tr("What was found"), required=True
        )
        self.found.setPlaceholderText(self.tr("e.g. 末尾有一条无法核实的记录；已通知信息科保全数据库日志"))
        self.found.setTabChangesFocus(True)
        self.found.setFixedHeight(self.found.fontMetrics().lineSpacing() * 5)
        self.save_button.setText(self.tr("Record break"))
        self.setMinimumWidth(520)

    def submit(self) -> None:
        text = self.found.toPlainText()
        self.save(lambda: self.services.audit_log.record_break(self.actor, text))

    def reload(self) -> None:
        pass


def record_break(
    parent: QWidget | None, services: Services, actor: CurrentUser, found: VerifyResult
) -> RecordedBreak | None:
    """Ask, record; the break on record, or None when cancelled."""
    dialog = RecordBreakDialog(services, actor, found, parent)
    try:
        if not modal.run_dialog(dialog):
            return None
        recorded = dialog.result_value
    finally:
        dialog.deleteLater()
    return recorded if isinstance(recorded, RecordedBreak) else None
