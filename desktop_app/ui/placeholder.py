"""Pages of the business modules that this version does not have yet: they say so, and what they will do.

No sample data and no dead buttons: a clerk must never mistake a placeholder for a working screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.ui.pages import PageSpec


class PlaceholderPage(QWidget):
    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{spec.key}_placeholder")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        title = QLabel(spec.title(), self)
        title.setObjectName("page_title")
        layout.addWidget(title)
        self.notice = QLabel(self.tr("This module is not built yet in this version of Integrity Desk."), self)
        self.notice.setObjectName("placeholder_notice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.purpose = QLabel(self.tr("When it is ready: {purpose}").format(purpose=spec.description()), self)
        self.purpose.setObjectName("placeholder_purpose")
        self.purpose.setWordWrap(True)
        self.purpose.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.purpose)
        layout.addStretch(1)
