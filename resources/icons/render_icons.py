"""Developer tool: render integrity-desk.svg to the PNG sizes the program shows, and draw the small
arrows the style sheet puts on spin boxes and date fields (style.qss: ``icons:png/arrow-*.png``).

    QT_QPA_PLATFORM=offscreen python resources/icons/render_icons.py

The program loads the PNGs: they decode with what QtGui has built in, while an SVG icon loads the
SVG plug-in and its library first (a few milliseconds the login window would wait for).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPolygonF
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 56, 64, 128, 256)
ARROW_COLORS = {"": "#37414b", "-disabled": "#aab3bd"}


def draw_arrows() -> None:
    """9x6 triangles, drawn at twice the size so they stay sharp on a high-DPI screen."""
    for suffix, color in ARROW_COLORS.items():
        for direction, points in (
            ("up", ((0.0, 12.0), (9.0, 0.0), (18.0, 12.0))),
            ("down", ((0.0, 0.0), (9.0, 12.0), (18.0, 0.0))),
        ):
            image = QImage(18, 12, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            image.setDevicePixelRatio(2.0)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.scale(0.5, 0.5)
            painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
            painter.end()
            image.save(str(HERE / "png" / f"arrow-{direction}{suffix}.png"))


def main() -> None:
    app = QGuiApplication([])  # noqa: F841  (the renderer needs one)
    renderer = QSvgRenderer(str(HERE / "integrity-desk.svg"))
    (HERE / "png").mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(HERE / "png" / f"integrity-desk-{size}.png"))
    draw_arrows()


if __name__ == "__main__":
    main()
