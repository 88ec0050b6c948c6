"""Windows as tall as their content: Qt opens a window at its size hint, worked out at the width the
hint asks for; when the window gets another width (a minimum width, a long title), its word-wrapped
labels need more lines than the hint counted, and the layout squeezes the fields to make room."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_height(window: QWidget) -> None:
    """Grow ``window`` to the height its layout needs at its present width (never shrink it)."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    layout.activate()
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)
