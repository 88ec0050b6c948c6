"""The audit administrator's page in the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def audit_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.audit.page import AuditPage

    return AuditPage(services, actor, parent)


ENTRIES = (
    PageSpec(
        "audit",
        lambda: QCoreApplication.translate("Navigation", "Audit"),
        frozenset({Permission.AUDIT_READ}),
        audit_page,
        lambda: QCoreApplication.translate(
            "Navigation",
            "Read the audit log and verify that its chain is intact.",
        ),
    ),
)
