"""Modal dialogs opened by the action functions (``edit_subject(...)`` and the like) that return
what was saved. Every such dialog runs through ``run_dialog``, which tests replace
(``monkeypatch.setattr(modal, "run_dialog", ...)``) to drive the dialog like a user."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when it was accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def run_and_delete(dialog: QDialog) -> bool:
    """``run_dialog``, then the dialog is deleted (its result is read before)."""
    try:
        return run_dialog(dialog)
    finally:
        dialog.deleteLater()
