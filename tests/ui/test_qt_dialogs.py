"""Qt's own dialogs speak Chinese: the file chooser (non-native, as on a hall workstation without a
desktop theme) and the print dialog show no English label, button, tooltip or column title.

qtbase_zh_CN.qm lacks a few of Qt 6's texts; desktop_app/ui/qt_strings.py lists them for the
application's own translation. A new Qt version with new texts makes this test name them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

# Words that are the same in a Chinese interface: file types and key names.
NOT_ENGLISH = {"PDF", "Ctrl", "Shift", "Alt", "Del", "xlsx", "csv"}


def english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z]{2,}", text.replace("&", ""))
    return [word for word in words if word not in NOT_ENGLISH]


def texts_of(dialog: QDialog) -> list[str]:
    """What a user reads in a dialog: titles, labels, buttons, tooltips, tabs, actions, column titles."""
    found = [dialog.windowTitle()]
    for widget in dialog.findChildren(QWidget):
        found.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        if isinstance(widget, QGroupBox):
            found.append(widget.title())
        if isinstance(widget, QTabWidget):
            found.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            found.extend(
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())
            )
    found.extend(action.text() for action in dialog.findChildren(QAction))
    return [text for text in found if text]


def english_in(dialog: QDialog) -> list[str]:
    return [text for text in texts_of(dialog) if english_words(text)]


@pytest.mark.usefixtures("zh_ui")
@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_the_file_chooser_is_all_chinese(qtbot: Any, tmp_path: Path, mode: str) -> None:
    dialog = QFileDialog(None, "选择文件", str(tmp_path), "表格 (*.xlsx *.csv)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert "查找范围(&L)：" in labels  # "Look in:" before the fix
    assert english_in(dialog) == []
    dialog.hide()


@pytest.mark.usefixtures("zh_ui")
def test_the_print_dialog_is_all_chinese(qtbot: Any) -> None:
    printer = QPrinter()  # kept: the dialog holds a pointer to it
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert english_in(dialog) == []
    dialog.hide()
