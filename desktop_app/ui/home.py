"""The first page after signing in: who is signed in, and a button for each page this account may open."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.domain.roles import ADMIN_ROLES
from desktop_app.services.context import CurrentUser
from desktop_app.ui.labels import roles_text
from desktop_app.ui.pages import PageSpec


class HomePage(QWidget):
    def __init__(
        self,
        actor: CurrentUser,
        center_name: str,
        today_text: str,
        pages: Sequence[PageSpec],
        open_page: Callable[[str], None],
        shortcuts: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("home_page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(10)

        welcome = QLabel(self.tr("Welcome, {name}").format(name=actor.display_name), self)
        welcome.setObjectName("page_title")
        layout.addWidget(welcome)
        self._center_name, self._roles = center_name, roles_text(actor.roles)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("home_subtitle")
        self.subtitle.setWordWrap(True)
        self.set_today(today_text)
        layout.addWidget(self.subtitle)
        if actor.roles & ADMIN_ROLES:
            separation = QLabel(
                self.tr(
                    "Administrator accounts hold no business rights: system administration, security "
                    "and audit are kept on separate accounts."
                ),
                self,
            )
            separation.setObjectName("home_note")
            separation.setWordWrap(True)
            layout.addWidget(separation)

        layout.addSpacing(12)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.buttons: dict[str, QPushButton] = {}
        for index, spec in enumerate(pages):
            card = QFrame(self)
            card.setObjectName("home_card")
            card_layout = QVBoxLayout(card)
            button = QPushButton(spec.title(), card)
            button.setObjectName(f"open_{spec.key}")
            keys = (shortcuts or {}).get(spec.key, "")
            if keys:
                shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                button.setToolTip(self.tr("Open ({shortcut})").format(shortcut=shortcut))
            button.clicked.connect(lambda _=False, key=spec.key: open_page(key))
            card_layout.addWidget(button)
            text = QLabel(spec.description(), card)
            text.setWordWrap(True)
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            card_layout.addWidget(text, 1)
            grid.addWidget(card, index // 2, index % 2)
            self.buttons[spec.key] = button
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    def set_today(self, today_text: str) -> None:
        self.subtitle.setText(
            self.tr("{center} · {roles} · {date}").format(
                center=self._center_name, roles=self._roles, date=today_text
            )
        )
