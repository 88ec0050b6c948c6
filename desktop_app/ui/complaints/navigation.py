"""The complaints module's entry in the main window (投诉受理): the list of cases, their handling,
and the statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def complaints_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.complaints.page import ComplaintsPage  # on first open: the dialogs with it

    return ComplaintsPage(services, actor, parent)


COMPLAINTS = PageSpec(
    "complaints",
    lambda: QCoreApplication.translate("Navigation", "Complaints"),
    frozenset({Permission.COMPLAINT_TAKE, Permission.COMPLAINT_HANDLE}),
    complaints_page,
    lambda: QCoreApplication.translate(
        "Navigation",
        "Register complaints from every channel, follow each one through acceptance, handling, reply and follow-up within its deadline, and print the receipt for the complainant.",
    ),
)

ENTRIES = (COMPLAINTS,)
