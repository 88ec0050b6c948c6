"""The credit module's pages in the main window: 信用查询 (the entry desk) and 信用档案 (the keepers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def lookup_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.credit.lookup import CreditLookupPage  # on first open: the search models with it

    return CreditLookupPage(services, actor, parent)


def files_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.credit.files import CreditFilesPage  # on first open: the editing dialogs with it

    return CreditFilesPage(services, actor, parent)


ENTRIES = (
    PageSpec(
        "credit",
        lambda: QCoreApplication.translate("Navigation", "Credit lookup"),
        frozenset({Permission.CREDIT_LOOKUP}),
        lookup_page,
        lambda: QCoreApplication.translate(
            "Navigation",
            "Look up the credit file of a company or person and tell whether they may enter today's bid opening, with a printed result notice.",
        ),
    ),
    PageSpec(
        "credit_files",
        lambda: QCoreApplication.translate("Navigation", "Credit files"),
        frozenset({Permission.CREDIT_PROPOSE, Permission.CREDIT_APPROVE}),
        files_page,
        lambda: QCoreApplication.translate(
            "Navigation",
            "Keep the credit files: register subjects, enter and import records, confirm bans, handle repairs and revocations.",
        ),
    ),
)
