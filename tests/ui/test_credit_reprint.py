"""The reprint question (a second Ctrl+P for the subject just certified) keeps its time and notice
number whole: however the box wraps the line, "2026年12月6日 14:05" is never split."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from desktop_app.domain.credit import Verdict
from desktop_app.services.credit import EntryCheckInfo
from desktop_app.ui.credit.lookup_reprint import ask_reprint_or_new
from desktop_app.ui.widgets.text import plain

EARLIER = EntryCheckInfo(
    id=1,
    checked_at=datetime(2026, 12, 6, 14, 5),
    checked_on=datetime(2026, 12, 6).date(),
    operator="xiaoxy",
    operator_name="肖晓燕",
    workstation="desk-1",
    query="天河华建",
    subject_id=1,
    subject_name="天河华建第一工程咨询管理有限责任公司",
    verdict=Verdict.CLEAR,
    reason="",
    match_count=1,
    data_as_of=None,
    notice_number="XY2026-000123",
)


def line_of(layout: QTextLayout, position: int) -> int:
    for index in range(layout.lineCount()):
        line = layout.lineAt(index)
        if line.textStart() <= position < line.textStart() + line.textLength():
            return index
    raise AssertionError(f"position {position} on no line")


def whole_at_every_width(text: str, label: QLabel, pieces: list[str]) -> None:
    """Lay ``text`` out as the box's label does (word wrap) at widths from narrow to wide: each piece
    (as shown, without joiners) starts and ends on the same line."""
    shown = plain(text)
    for piece in pieces:
        assert piece in shown, (piece, shown)
    for width in range(80, 520, 6):
        layout = QTextLayout(text, label.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
        layout.endLayout()
        for piece in pieces:
            # Where the piece lies in the laid-out text (its characters with anything between them).
            start = next(i for i in range(len(text)) if plain(text[i:]).startswith(piece))
            end = start
            while len(plain(text[start : end + 1])) < len(piece):
                end += 1
            assert line_of(layout, start) == line_of(layout, end), f"{piece!r} broken at {width} px"


@pytest.mark.usefixtures("zh_ui")
def test_the_reprint_question_never_breaks_the_time_or_the_number(qtbot: Any) -> None:
    seen: dict[str, Any] = {}

    def look_and_close() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        try:
            label = box.findChild(QLabel, "qt_msgbox_label")
            assert label is not None
            seen["text"] = label.text()
            whole_at_every_width(label.text(), label, ["2026年12月6日 14:05", "XY2026-000123"])
            seen["checked"] = True
        except AssertionError as error:
            seen["error"] = str(error)
        finally:
            box.reject()

    QTimer.singleShot(0, look_and_close)
    answer = ask_reprint_or_new(None, EARLIER)  # type: ignore[arg-type]
    assert answer == ""
    assert seen.get("checked"), seen.get("error")
    assert "告知单 XY2026-000123 已于 2026年12月6日 14:05" in plain(seen["text"])
