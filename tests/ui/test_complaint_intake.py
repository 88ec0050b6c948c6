"""The complaint intake form (投诉登记): a phone complaint taken with the keyboard only, the duplicate
warning, the receipt preview; refusals at the field; drafts; the live deadline; fitting the screen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.complaints.intake import ComplaintIntakeDialog
from tests.complaint_builders import People, people

pytestmark = pytest.mark.usefixtures("message_boxes")


@pytest.fixture
def crew(services: Services, admin: CurrentUser) -> People:
    return people(services, admin)


def test_smoke(qtbot: Any, services: Services, crew: People) -> None:
    dialog = ComplaintIntakeDialog(services, crew.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save("/tmp/intake.png")
    print(dialog.size())
