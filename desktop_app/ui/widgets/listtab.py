"""A list page section: a search box and action buttons above a sortable, filterable table.

Row actions that fail show their message in the section's error line (``form_error``); successes
show in the status line. Dialogs are opened window-modal with ``open()`` so the event loop keeps
running (and tests can drive them); the section keeps the latest one in ``dialog``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.common import make_error_label
from desktop_app.ui.widgets.tables import (
    RecordTableModel,
    filter_proxy,
    fit_columns,
    make_table_view,
    select_record,
    selected_record,
    share_width,
)


class ListTab(QWidget):
    def __init__(
        self,
        model: RecordTableModel[Any],
        search_name: str,
        table_name: str,
        table_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.model = model
        self.model.setParent(self)
        self.proxy = filter_proxy(model, self)

        layout = QVBoxLayout(self)
        self.toolbar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName(search_name)
        self.search.setAccessibleName(QCoreApplication.translate("ListTab", "Search"))
        self.search.setPlaceholderText(QCoreApplication.translate("ListTab", "Search (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.installEventFilter(self)
        self.toolbar.addWidget(self.search)
        self.toolbar_extra = QHBoxLayout()
        self.toolbar.addLayout(self.toolbar_extra)
        self.toolbar.addStretch(1)
        layout.addLayout(self.toolbar)

        self.form_error = make_error_label(self)
        layout.addWidget(self.form_error)
        self.status = QLabel(self)
        self.status.setObjectName("status_message")
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.hide()
        layout.addWidget(self.status)

        # What an empty list means, said above it (``set_empty_text``): a bare table reads as a page
        # that failed to load.
        self.empty_note = QLabel(self)
        self.empty_note.setObjectName("list_empty")
        self.empty_note.setStyleSheet("color: #546e7a;")
        self.empty_note.hide()
        layout.addWidget(self.empty_note)

        self.view = make_table_view(table_name, table_label, self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_actions())
        self.view.activated.connect(self._activated)
        # Columns that say how they share the width fit it (no sideways scrolling); others are sized
        # to their contents.
        self.sharing = share_width(self.view, model) if model.shares_width() else None
        layout.addWidget(self.view, 1)

    # -- building ------------------------------------------------------------------------------
    def add_button(self, text: str, name: str, slot: Callable[[], Any], tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        self.toolbar.addWidget(button)
        return button

    def set_empty_text(self, text: str) -> None:
        self.empty_note.setText(text)
        self._show_empty_note()

    def _show_empty_note(self) -> None:
        self.empty_note.setVisible(bool(self.empty_note.text()) and self.model.rowCount() == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box goes to what it found (the first row selected): a number
        typed, Down, then the row's own keys (Enter opens it, Alt+… its buttons), no Tab or mouse."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount() > 0:
                self.focus_list()
                return True
        return super().eventFilter(watched, event)

    # -- behaviour -----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        """The cursor in the table, on the selected row (the first when none is): what a count on the
        home page opened is gone through with the arrows and Enter, no Tab first."""
        if self.current() is None and self.proxy.rowCount() > 0:
            self.view.selectRow(0)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def current(self) -> Any:
        return selected_record(self.view)

    def select(self, predicate: Callable[[Any], bool]) -> bool:
        return select_record(self.view, predicate)

    def show_status(self, text: str) -> None:
        self.form_error.hide()
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def clear_messages(self) -> None:
        self.status.hide()
        self.form_error.hide()

    def open_dialog(self, dialog: QDialog, on_accepted: Callable[[], Any] | None = None) -> QDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        dialog.open()
        return dialog

    def _activated(self, index: QModelIndex) -> None:
        self.edit_current()

    def refresh(self) -> None:
        """Reload from the service, keeping the selected record selected."""
        chosen = self.current()
        self.model.set_records(self.load_records())  # a model that shares the width fits it itself
        if self.sharing is None:
            fit_columns(self.view)
        self._show_empty_note()
        if chosen is not None:
            self.select(lambda record: record.id == chosen.id)
        self.update_actions()

    def reload_clicked(self) -> None:
        self.clear_messages()
        self.refresh()

    # -- for subclasses ------------------------------------------------------------------------
    def load_records(self) -> list[Any]:
        raise NotImplementedError

    def update_actions(self) -> None:
        pass

    def edit_current(self) -> None:
        pass

    # A section that creates items defines ``new_item()`` (the window's Ctrl+N then reaches it).
