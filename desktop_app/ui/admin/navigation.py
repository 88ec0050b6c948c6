"""The system administrator's page in the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def admin_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.admin.page import AdminPage

    return AdminPage(services, actor, parent)


def confirmations_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.admin.confirmations import ConfirmationsPage

    return ConfirmationsPage(services, actor, parent)


ENTRIES = (
    PageSpec(
        "admin",
        lambda: QCoreApplication.translate("Navigation", "System administration"),
        frozenset({Permission.ADMIN_USERS, Permission.ADMIN_ORGANISATION, Permission.ADMIN_SETTINGS}),
        admin_page,
        lambda: QCoreApplication.translate(
            "Navigation",
            "Manage accounts, departments and staff, and the center's settings.",
        ),
    ),
)

# Listed after the audit page (ui/navigation.py): the audit admin's own page comes first.
CONFIRMATIONS = (
    PageSpec(
        "account_confirmations",
        lambda: QCoreApplication.translate("Navigation", "Account confirmations"),
        frozenset({Permission.CONFIRM_ACCOUNTS}),
        confirmations_page,
        lambda: QCoreApplication.translate(
            "Navigation",
            "Put into effect the roles a system admin gave, or decline them (separation of duties).",
        ),
    ),
)
