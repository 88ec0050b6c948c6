"""The first page after signing in: what waits for this person (待办), then the pages they may open.

The 待办 come from the registry of ``services.todo`` (each module registers its provider there); this
page shows whatever it returns for the account, as cards whose count opens the list (the item's
page, then its target inside the page). They are read again whenever the page comes into view, and
at once when data changes while it is in view (``operations.data_changes``: any topic, since any
module's writes may change its counts).

Pages of modules not built yet (``PageSpec.ready`` False) get a greyed card marked "coming soon",
with nothing to click: a clerk must not take a placeholder for a working screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.roles import ADMIN_ROLES
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.todo import TODO_CONTEXT, TodoItem
from desktop_app.ui.labels import roles_text
from desktop_app.ui.operations import data_changes
from desktop_app.ui.pages import PageSpec, show_target

log = logging.getLogger(__name__)

COLUMNS = 2


def todo_text(source: str) -> str:
    """A registered title or detail in the interface's language (the services mark them)."""
    return QCoreApplication.translate(TODO_CONTEXT, source) if source else ""


class CardButton(QPushButton):
    """The button a home card opens with: Enter and Return click it as Space does (outside a dialog a
    push button ignores them, and a leader Tabbing to a count presses Enter), and its card is framed
    while it has the focus (the ``focused`` property, drawn by the style sheet)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            self.click()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._frame_card(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._frame_card(False)

    def _frame_card(self, on: bool) -> None:
        card = self.parentWidget()
        if card is None or card.property("focused") == on:
            return
        card.setProperty("focused", on)
        card.style().unpolish(card)
        card.style().polish(card)
        card.update()


class TodoCard(QFrame):
    """One kind of 待办: its count, its title (the button that opens the list) and a line about it."""

    def __init__(self, item: TodoItem, open_item: Callable[[TodoItem], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("todo_card")
        self.item = item
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(14)
        self.count = QLabel(self)
        self.count.setObjectName("todo_count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("0000") + 8)
        layout.addWidget(self.count)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.button = CardButton(todo_text(item.title), self)
        self.button.setObjectName(f"todo_{item.key}")
        self.button.clicked.connect(lambda _=False: open_item(self.item))
        texts.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.detail = QLabel(todo_text(item.detail), self)
        self.detail.setObjectName("todo_detail")
        self.detail.setWordWrap(True)
        self.detail.setVisible(bool(item.detail))
        texts.addWidget(self.detail)
        self.urgent = QLabel(self)
        self.urgent.setObjectName("todo_urgent")
        texts.addWidget(self.urgent)
        layout.addLayout(texts, 1)
        self.update_item(item)

    def update_item(self, item: TodoItem) -> None:
        self.item = item
        self.count.setText(str(item.count))
        self.setProperty("empty", item.count == 0)  # muted by the style sheet: nothing waits
        self.urgent.setText(self.tr("{count} past the deadline").format(count=item.urgent))
        self.urgent.setVisible(item.urgent > 0)
        title = todo_text(item.title)
        self.button.setAccessibleName(self.tr("{title}: {count}").format(title=title, count=item.count))
        self.button.setToolTip(self.tr("Open the list"))
        self.style().unpolish(self)
        self.style().polish(self)


class HomePage(QWidget):
    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        center_name: str,
        today_text: str,
        pages: Sequence[PageSpec],
        open_page: Callable[[str], QWidget],
        shortcuts: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("home_page")
        self.services = services
        self.actor = actor
        self._open_page = open_page
        self._page_keys = {spec.key for spec in pages if spec.ready}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("home_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the navigation to the first card
        outer.addWidget(scroll)
        body = QWidget(scroll)
        body.setObjectName("home_body")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)

        welcome = QLabel(self.tr("Welcome, {name}").format(name=actor.display_name), body)
        welcome.setObjectName("page_title")
        layout.addWidget(welcome)
        self._center_name, self._roles = center_name, roles_text(actor.roles)
        self.subtitle = QLabel(body)
        self.subtitle.setObjectName("home_subtitle")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        if actor.roles & ADMIN_ROLES:
            separation = QLabel(
                self.tr(
                    "Administrator accounts hold no business rights: system administration, security "
                    "and audit are kept on separate accounts."
                ),
                body,
            )
            separation.setObjectName("home_note")
            separation.setWordWrap(True)
            layout.addWidget(separation)

        layout.addSpacing(8)
        layout.addWidget(self._section(self.tr("Waiting for you"), body))
        self.todo_grid = QGridLayout()
        self.todo_grid.setHorizontalSpacing(16)
        self.todo_grid.setVerticalSpacing(12)
        for column in range(COLUMNS):
            self.todo_grid.setColumnStretch(column, 1)
        layout.addLayout(self.todo_grid)
        self.nothing_waiting = QLabel(self.tr("Nothing is waiting for you."), body)
        self.nothing_waiting.setObjectName("home_nothing_waiting")
        layout.addWidget(self.nothing_waiting)
        self.todo_cards: dict[str, TodoCard] = {}

        layout.addSpacing(8)
        layout.addWidget(self._section(self.tr("Your pages"), body))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        self.buttons: dict[str, QPushButton] = {}
        self.coming: dict[str, QFrame] = {}
        for index, spec in enumerate(pages):
            card = self._page_card(spec, (shortcuts or {}).get(spec.key, ""), body)
            grid.addWidget(card, index // COLUMNS, index % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

        self.set_today(today_text)
        data_changes().changed.connect(self._data_changed)

    @staticmethod
    def _section(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName("home_section")
        return label

    def _page_card(self, spec: PageSpec, keys: str, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("home_card")
        card_layout = QVBoxLayout(card)
        if spec.ready:
            button = CardButton(spec.title(), card)
            button.setObjectName(f"open_{spec.key}")
            if keys:
                shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                button.setToolTip(self.tr("Open ({shortcut})").format(shortcut=shortcut))
            button.clicked.connect(lambda _=False, key=spec.key: self._open_page(key))
            card_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.buttons[spec.key] = button
        else:
            card.setObjectName("home_card_coming")
            header = QHBoxLayout()
            title = QLabel(spec.title(), card)
            title.setObjectName("home_card_title")
            header.addWidget(title)
            tag = QLabel(self.tr("Coming soon"), card)
            tag.setObjectName("home_coming")
            header.addWidget(tag)
            header.addStretch(1)
            card_layout.addLayout(header)
            card.setToolTip(self.tr("This module is not built yet in this version of Integrity Desk."))
            self.coming[spec.key] = card
        text = QLabel(spec.description(), card)
        text.setObjectName("home_card_text")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        card_layout.addWidget(text, 1)
        return card

    # -- 待办 -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the 待办 again (the page's RefreshablePage protocol)."""
        items = [item for item in self.services.todo.items(self.actor) if self._opens(item)]
        if [item.key for item in items] == list(self.todo_cards):
            for item in items:
                self.todo_cards[item.key].update_item(item)
        else:
            self._rebuild(items)
        self.nothing_waiting.setVisible(not any(item.count for item in items))

    def _opens(self, item: TodoItem) -> bool:
        if item.page in self._page_keys:
            return True
        log.warning("待办 %s names page %r, which this account does not have", item.key, item.page)
        return False

    def _rebuild(self, items: list[TodoItem]) -> None:
        for card in self.todo_cards.values():
            self.todo_grid.removeWidget(card)
            card.deleteLater()
        self.todo_cards = {}
        parent = self.nothing_waiting.parentWidget()
        for index, item in enumerate(items):
            card = TodoCard(item, self.open_item, parent)
            self.todo_grid.addWidget(card, index // COLUMNS, index % COLUMNS)
            card.show()  # now, not at the layout's queued show: the page is on screen already
            self.todo_cards[item.key] = card
        # Made after the page cards, yet first in Tab order: what waits comes before the pages.
        previous: QWidget | None = None
        for button in [card.button for card in self.todo_cards.values()] + list(self.buttons.values()):
            if previous is not None:
                QWidget.setTabOrder(previous, button)
            previous = button

    def open_item(self, item: TodoItem) -> None:
        show_target(self._open_page(item.page), item.target)

    def _data_changed(self, _topic: str, _ids: object) -> None:
        if self.isVisible():
            self.refresh()  # out of view: read again when shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # another workstation may have confirmed or entered records meanwhile

    def set_today(self, today_text: str) -> None:
        self.subtitle.setText(
            self.tr("{center} · {roles} · {date}").format(
                center=self._center_name, roles=self._roles, date=today_text
            )
        )
        if self.isVisible():
            self.refresh()  # a new day: deadlines move
