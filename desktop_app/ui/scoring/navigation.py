"""The monthly scoring module's entry in the main window (月度考核): the departments' months, the
leader's calibration, late arrivals and contests, the quarter and the year, the charts, and each
staff member's own results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser
from desktop_app.ui.pages import PageSpec

if TYPE_CHECKING:
    from desktop_app.services.facade import Services


def scoring_page(services: Services, actor: CurrentUser, parent: QWidget | None) -> QWidget:
    from desktop_app.ui.scoring.page import ScoringPage  # on first open: the tabs and dialogs with it

    return ScoringPage(services, actor, parent)


SCORING = PageSpec(
    "scoring",
    lambda: QCoreApplication.translate("Navigation", "Monthly scoring"),
    frozenset({Permission.SCORING_FILL, Permission.SCORING_LOCK, Permission.SCORING_READ_OWN}),
    scoring_page,
    lambda: QCoreApplication.translate(
        "Navigation",
        "Score the staff of each department every month against the scheme of their post, submit the sheets, and lock the month's grades.",
    ),
)

ENTRIES = (SCORING,)
