"""The Qt bindings themselves: a defect there takes the whole program down, whatever our code does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage, QPainter


def test_void_qt_calls_keep_their_reference_to_none(qapp: object) -> None:
    """PySide6 6.12.0 lost a reference to None per call of a method returning nothing; the lookup
    page makes hundreds per search, so Python aborted ("deallocating None") after a few hundred."""
    obj = QObject()
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    for _ in range(500):
        obj.setObjectName("x")
        image.fill(0)
        painter = QPainter(image)
        painter.save()
        painter.restore()
        painter.end()
    assert sys.getrefcount(None) >= before - 50
