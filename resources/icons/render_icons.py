"""Developer tool: render integrity-desk.svg to the PNG sizes the program shows.

    QT_QPA_PLATFORM=offscreen python resources/icons/render_icons.py

The program loads the PNGs: they decode with what QtGui has built in, while an SVG icon loads the
SVG plug-in and its library first (a few milliseconds the login window would wait for).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 56, 64, 128, 256)


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


if __name__ == "__main__":
    main()
