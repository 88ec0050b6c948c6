"""The expert evaluation module's entry in the main window (专家考评). The module is not built yet: its
entry opens a placeholder page that says so; the module's own pages replace it here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def placeholder_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.placeholder import PlaceholderPage

    return PlaceholderPage(EVALUATIONS, parent)


EVALUATIONS = PageSpec(
    "evaluations",
    lambda: QCoreApplication.translate("Navigation", "Expert evaluation"),
    frozenset({Permission.EXPERT_EVALUATE, Permission.EXPERT_DECIDE}),
    placeholder_page,
    lambda: QCoreApplication.translate(
        "Navigation",
        "Record the on-site evaluation of bid-evaluation experts item by item, add up their points over the year, and propose suspensions for a leader to confirm.",
    ),
    ready=False,
)

ENTRIES = (EVALUATIONS,)
