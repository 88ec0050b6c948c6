"""Import credit subjects or records from an Excel or CSV file, through the shared import dialog
(``ui/widgets/importing.py``: choose, preview, confirm, import)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.importing import SPECS, TEMPLATE_NAMES, ImportKind, write_template
from desktop_app.services.facade import Services
from desktop_app.services.tabular_import import ImportPreview, ImportReport
from desktop_app.ui import topics
from desktop_app.ui.widgets.importing import (
    ERROR_BACKGROUND,
    ImportSource,
    TableImportDialog,
    save_template_file,
)

__all__ = ["ERROR_BACKGROUND", "ImportDialog", "import_file", "save_template"]


class ImportDialog(TableImportDialog):
    """The credit files' import (named so: its strings keep the translation context ImportDialog)."""

    def __init__(
        self, services: Services, actor: CurrentUser, kind: ImportKind, parent: QWidget | None = None
    ) -> None:
        self.services = services
        self.actor = actor
        self.kind = kind
        importer = services.credit_import
        super().__init__(
            ImportSource(
                "credit_import",
                QCoreApplication.translate("ImportDialog", "Import credit subjects")
                if kind == "subjects"
                else QCoreApplication.translate("ImportDialog", "Import credit records"),
                SPECS[kind],
                QCoreApplication.translate("ImportDialog", "Subject")
                if kind == "subjects"
                else QCoreApplication.translate("ImportDialog", "Record"),
                lambda path: importer.preview(actor, kind, path),
                lambda preview, skip: importer.commit(actor, preview, skip),
                lambda target: write_template(kind, target),
                (topics.CREDIT_SUBJECT if kind == "subjects" else topics.CREDIT_RECORD,),
            ),
            parent,
        )

    def confirm_note(self, preview: ImportPreview) -> str:
        if preview.kind == "records" and not self.actor.can(Permission.CREDIT_APPROVE):
            return self.tr("Entry bans and serious-list records take effect once a leader confirms them.")
        return ""

    def imported_message(self, report: ImportReport) -> str:
        message = super().imported_message(report)
        if report.pending:
            message += "\n" + self.tr("%1 of them wait for a leader's confirmation.").replace(
                "%1", str(report.pending)
            )
        return message


def save_template(
    parent: QWidget | None, services: Services, actor: CurrentUser, kind: ImportKind
) -> Path | None:
    """Ask where, write an empty import file with the headers; the path written, or None."""
    return save_template_file(parent, TEMPLATE_NAMES[kind], lambda target: write_template(kind, target))


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
