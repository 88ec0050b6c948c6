"""Qt's own strings that the Chinese translation shipped with Qt (qtbase_zh_CN.qm) lacks.

Qt 6 gave some labels of its own dialogs keyboard mnemonics ("Look in:" became "&Look in:"), and
qtbase_zh_CN.qm still carries only the old texts, so those labels stayed English in a Chinese file
chooser. They are listed here, in Qt's contexts, so that lupdate puts them in the application's own
translation; ``app.apply_language`` installs it beside Qt's, and Qt finds them there. Nothing calls
this module: it exists for lupdate. tests/ui/test_qt_dialogs.py opens the dialogs in Chinese and
fails on an English label, which tells when a new Qt version needs another line here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

MISSING_FROM_QTBASE = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QPrintSettingsOutput", "Page &Set:"),
)
