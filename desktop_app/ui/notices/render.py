"""PDF pages to images with pypdfium2, for the preview and for printing.

PDFium is not thread-safe, so everything here runs on the GUI thread; a notice page renders in a few
tens of milliseconds. Each call opens the document and closes it again, so no native handle outlives
the call (opening a notice of a few dozen kilobytes costs less than a millisecond).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage

POINTS_PER_INCH = 72.0


@contextmanager
def open_pdf(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(pdf)
    try:
        yield document
    finally:
        document.close()


def page_sizes(pdf: bytes) -> list[QSizeF]:
    """The size of every page in points (1/72 inch)."""
    sizes = []
    with open_pdf(pdf) as document:
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
            finally:
                page.close()
            sizes.append(QSizeF(width, height))
    return sizes


def render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page at ``dpi`` dots per inch, on white, as an RGB image that owns its pixels."""
    page = document[index]
    try:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True)
        try:
            image = QImage(
                bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
            ).copy()  # the copy owns its pixels; the bitmap's buffer goes with the bitmap
        finally:
            bitmap.close()
    finally:
        page.close()
    return image
