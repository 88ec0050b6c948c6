"""The 演示数据 banner: a demo center's passwords are the same on every install, so a window showing
its data says so, always, at its top (the main window; the login window once the database is open)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class DemoBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demo_banner")
        self.setText(
            self.tr(
                "DEMO DATA — a demonstration center: its passwords are the same on every install. "
                "Never use it for real records."
            )
        )
        self.setAccessibleName(self.tr("Demo data"))
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Not in the style sheet: the banner must not depend on a theme to be seen.
        self.setStyleSheet(
            "QLabel#demo_banner { background: #C8161D; color: white; font-weight: bold; padding: 6px; }"
        )
