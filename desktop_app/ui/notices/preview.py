"""The preview of an issued document: every page on screen, then print it, save it as PDF, or 补打.

One dialog serves every kind of notice (test page, receipts, reports, official notices). It shows the
PDF bytes the service archived, rendered with PDFium, so what the clerk sees is exactly what prints.
Printing and saving leave an audit entry (``record_output``); 补打 asks the service for a new copy
marked as a reprint and shows that copy instead.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QRect,
    QRectF,
    QSettings,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.notices.files import write_atomic
from desktop_app.paths import locations
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.notices import IssuedDocument
from desktop_app.ui import operations, topics
from desktop_app.ui.notices.render import POINTS_PER_INCH, open_pdf, page_sizes, render_page

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 300  # enough for text and QR codes; 1200 dpi pages would take seconds and 500 MB each
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
PAGE_GAP = 14
STATE_GROUP = "notice_preview"
FIT_WIDTH, FIT_PAGE = "width", "page"
LAST_DIR_KEY = "notices/last_save_dir"


def warm_up() -> None:
    """What the first preview of a session needs, loaded ahead (on the opener's thread, while the
    password is typed): this module's imports (QtPrintSupport, pypdfium2) are done by importing it;
    the notices engine warms itself."""
    from desktop_app.services import notices

    notices.warm_up()


def without_mnemonic(text: str) -> str:
    """A button's words without its Alt key: 关闭(&C) → 关闭, &Close → Close."""
    return re.sub(r"\(&.\)|&", "", text).rstrip("…")


def ui_state() -> QSettings:
    """The same file as ShellContext.ui_state: window sizes and folders, per workstation."""
    return QSettings(str(locations().home / "ui-state.ini"), QSettings.Format.IniFormat)


def confirm_reprint(parent: QWidget, number: str) -> bool:
    """补打 makes a new copy and an audit entry: ask first (No is the default)."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("Notices", "Reprint"),
        QCoreApplication.translate(
            "Notices",
            "Make a new copy of {number}, marked 补打 (reprint) with the time of now? The reprint is "
            "recorded in the audit log.",
        ).format(number=number),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class PageView(QScrollArea):
    """The pages one under another. A page is rendered when it comes into view at the current zoom;
    pages far out of view give their image back, so a long report does not fill the memory."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview_pages")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Page Up/Down scroll the pages
        self.setStyleSheet("QScrollArea#preview_pages { background: #7d8791; border: none; }")
        self.canvas = QWidget(self)
        self.canvas.setObjectName("preview_canvas")
        self.canvas.setStyleSheet("QWidget#preview_canvas { background: #7d8791; }")
        self.column = QVBoxLayout(self.canvas)
        self.column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.column.setSpacing(PAGE_GAP)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.canvas)
        self.pdf = b""
        self.sizes: list[QSizeF] = []
        self.labels: list[QLabel] = []
        self.rendered_at: list[float] = []  # the dpi each page's image was made at (0: none)
        self.zoom = 1.0
        self.fit = FIT_WIDTH  # or FIT_PAGE; "" once the user zooms
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.render_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._pending.start())

    # -- content -------------------------------------------------------------------------------
    def set_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.sizes = page_sizes(pdf)
        for label in self.labels:
            self.column.removeWidget(label)
            label.deleteLater()
        self.labels = []
        for index in range(len(self.sizes)):
            label = QLabel(self.canvas)
            label.setObjectName(f"page_{index + 1}")
            label.setAccessibleName(self.tr("Page {page}").format(page=index + 1))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: #ffffff; border: none;")
            self.column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(label)
        self.rendered_at = [0.0] * len(self.labels)
        self._apply_zoom()

    def page_count(self) -> int:
        return len(self.sizes)

    def rendered_pages(self) -> list[int]:
        """Pages (from 1) that currently show an image."""
        return [index + 1 for index, dpi in enumerate(self.rendered_at) if dpi]

    # -- zoom ----------------------------------------------------------------------------------
    def screen_dpi(self) -> float:
        return float(self.logicalDpiX()) or 96.0

    def _fitting_zoom(self) -> float:
        if not self.sizes:
            return 1.0
        to_pixels = self.screen_dpi() / POINTS_PER_INCH
        widest = max(size.width() for size in self.sizes) * to_pixels
        width = self.viewport().width() - 2 * PAGE_GAP
        if not self.verticalScrollBar().isVisible() and (self.fit == FIT_WIDTH or len(self.sizes) > 1):
            width -= self._scroll_bar_width()  # it appears once the pages are taller than the view
        zoom = width / widest
        if self.fit == FIT_PAGE:
            tallest = max(size.height() for size in self.sizes) * to_pixels
            zoom = min(zoom, (self.viewport().height() - 2 * PAGE_GAP) / tallest)
        return max(MIN_ZOOM, min(MAX_ZOOM, zoom))

    def _scroll_bar_width(self) -> int:
        return self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)

    def set_zoom(self, zoom: float) -> None:
        self.fit = ""
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._apply_zoom()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def set_fit(self, how: str) -> None:
        """FIT_WIDTH: the page as wide as the window; FIT_PAGE: a whole page in view."""
        self.fit = how
        self._apply_zoom()

    def _page_pixels(self, index: int) -> QSize:
        size = self.sizes[index]
        factor = self.zoom * self.screen_dpi() / POINTS_PER_INCH
        return QSize(round(size.width() * factor), round(size.height() * factor))

    def _apply_zoom(self) -> None:
        if self.fit:
            self.zoom = self._fitting_zoom()
        for index, label in enumerate(self.labels):
            label.setFixedSize(self._page_pixels(index))
            label.clear()
        self.rendered_at = [0.0] * len(self.labels)
        self.zoom_changed.emit(self.zoom)
        self._pending.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit and self.sizes:
            zoom = self._fitting_zoom()
            if abs(zoom - self.zoom) > 0.002:
                self._apply_zoom()
                return
        self._pending.start()

    # -- rendering -----------------------------------------------------------------------------
    def render_visible(self) -> None:
        """Render the pages in view (and one screen around them); forget those far away."""
        if not self.labels:
            return
        self.canvas.layout().activate()
        top = self.verticalScrollBar().value()
        height = self.viewport().height()
        near = QRect(0, top - height, self.canvas.width(), 3 * height)
        far = QRect(0, top - 3 * height, self.canvas.width(), 7 * height)
        ratio = self.devicePixelRatioF()
        dpi = self.zoom * self.screen_dpi() * ratio
        wanted = [i for i, label in enumerate(self.labels) if label.geometry().intersects(near)]
        for index, label in enumerate(self.labels):
            if self.rendered_at[index] and not label.geometry().intersects(far):
                label.clear()
                self.rendered_at[index] = 0.0
        missing = [i for i in wanted if self.rendered_at[i] != dpi]
        if not missing:
            return
        with open_pdf(self.pdf) as document:
            for index in missing:
                pixmap = QPixmap.fromImage(render_page(document, index, dpi))
                # The rendered image may be a pixel wider than the label (PDFium rounds up): shown
                # at the label's size, not cropped by it.
                label_width = self.labels[index].width()
                pixmap.setDevicePixelRatio(max(ratio, pixmap.width() / label_width if label_width else ratio))
                self.labels[index].setPixmap(pixmap)
                self.rendered_at[index] = dpi


class NoticePreviewDialog(QDialog):
    """``issued`` is what the service returned (issue or reprint). ``allow_reprint`` adds the 补打
    button, for a notice opened again later (from verification or an archive), not for one just issued.
    ``close_after_print``: the paper is the point (the entry desk's 告知单), so a printed notice closes
    its preview and the clerk is back where they came from.

    Signals: ``printed(target)`` and ``saved(path)`` after the audit entry is written; ``reprinted``
    with the new IssuedDocument."""

    printed = Signal(str)
    saved = Signal(str)
    reprinted = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        issued: IssuedDocument,
        parent: QWidget | None = None,
        allow_reprint: bool = False,
        close_after_print: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notice_preview")
        self.close_after_print = close_after_print
        self.services = services
        self.actor = actor
        self.issued = issued
        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        header = QFrame(self)
        header.setObjectName("preview_header")
        header.setStyleSheet(
            "QFrame#preview_header { background: #ffffff; border: 1px solid #d5dce4; border-radius: 4px; }"
        )
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(14, 8, 14, 8)
        header_layout.setSpacing(4)
        title_row = QHBoxLayout()
        self.title_label = QLabel(header)
        self.title_label.setObjectName("notice_title")
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f3b5a;")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_row.addWidget(self.title_label)
        self.reprint_mark = QLabel(self.tr("Reprint"), header)
        self.reprint_mark.setObjectName("reprint_mark")
        self.reprint_mark.setStyleSheet(
            "color: #c62828; border: 2px solid #c62828; border-radius: 3px; padding: 1px 6px;"
            " font-weight: bold;"
        )
        title_row.addWidget(self.reprint_mark)
        title_row.addStretch(1)
        header_layout.addLayout(title_row)
        identity = QHBoxLayout()
        identity.setSpacing(24)
        self.number_label = QLabel(header)
        self.number_label.setObjectName("notice_number")
        self.code_label = QLabel(header)
        self.code_label.setObjectName("verify_code")
        for label in (self.number_label, self.code_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet("font-size: 11pt;")
            identity.addWidget(label)
        identity.addStretch(1)
        header_layout.addLayout(identity)
        layout.addWidget(header)

        tools = QHBoxLayout()
        self.zoom_out_button = self._tool_button(
            "zoom_out", "−", self.tr("Zoom out"), QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_in_button = self._tool_button(
            "zoom_in", "+", self.tr("Zoom in"), QKeySequence.StandardKey.ZoomIn
        )
        self.fit_button = self._tool_button(
            "fit_width", self.tr("Fit &width"), self.tr("Fit the page width"), "Ctrl+0"
        )
        self.fit_page_button = self._tool_button(
            "fit_page", self.tr("Whole pa&ge"), self.tr("Show a whole page"), ""
        )
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoom_level")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400 %") + 8)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.fit_button)
        tools.addWidget(self.fit_page_button)
        tools.addStretch(1)
        self.page_count_label = QLabel(self)
        self.page_count_label.setObjectName("page_count")
        tools.addWidget(self.page_count_label)
        layout.addLayout(tools)

        self.view = PageView(self)
        self.view.setAccessibleName(self.tr("Pages of the notice"))
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{round(zoom * 100)} %"))
        layout.addWidget(self.view, 1)
        self.zoom_out_button.clicked.connect(self.view.zoom_out)
        self.zoom_in_button.clicked.connect(self.view.zoom_in)
        self.fit_button.clicked.connect(lambda: self.view.set_fit(FIT_WIDTH))
        self.fit_page_button.clicked.connect(lambda: self.view.set_fit(FIT_PAGE))

        self.status = QLabel(self)
        self.status.setObjectName("preview_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.hide()
        layout.addWidget(self.status)

        buttons = QDialogButtonBox(self)
        self.reprint_button = QPushButton(self.tr("&Reprint…"), self)
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.setAccessibleName(self.tr("Reprint"))
        self.reprint_button.setToolTip(
            self.tr("Make a new copy from the archive, marked as a reprint; the audit log records it.")
        )
        self.reprint_button.clicked.connect(self.reprint)
        self.save_button = QPushButton(self.tr("&Save as PDF…"), self)
        self.save_button.setObjectName("save_pdf")
        self.save_button.setToolTip(self.tr("Save the notice as a PDF file (Ctrl+S)"))
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setObjectName("print")
        self.print_button.setToolTip(self.tr("Print the notice (Ctrl+P)"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        # A button's shortcut is its underlined Alt key (setShortcut would replace it): the standard
        # keys are shortcuts of the dialog that press the button.
        self._also_press(self.save_button, QKeySequence.StandardKey.Save)
        self._also_press(self.print_button, QKeySequence.StandardKey.Print)
        self.close_button = QPushButton(self.tr("&Close"), self)
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.reprint_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.reprint_button, self.save_button, self.print_button, self.close_button):
            if not button.accessibleName():
                button.setAccessibleName(without_mnemonic(button.text()))
        self.reprint_button.setVisible(allow_reprint)  # after addButton, which shows it
        layout.addWidget(buttons)

        self.show_document(issued)
        self._restore_geometry()
        self.finished.connect(self._save_geometry)
        self.view.setFocus()  # arrows and Page Up/Down scroll; Enter prints (the default button)

    def _tool_button(
        self, name: str, text: str, tip: str, shortcut: QKeySequence.StandardKey | str
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(tip)
        key = QKeySequence(shortcut)
        if QKeySequence.mnemonic(text).isEmpty():
            button.setShortcut(key)
        elif not key.isEmpty():
            self._also_press(button, key)  # keep the underlined Alt key
        keys = key.toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{tip} ({keys})" if keys else tip)
        button.setAutoDefault(False)
        return button

    def _also_press(self, button: QPushButton, key: QKeySequence | QKeySequence.StandardKey) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.activated.connect(button.click)

    # -- the document ---------------------------------------------------------------------------
    def show_document(self, issued: IssuedDocument) -> None:
        self.issued = issued
        self.setWindowTitle(self.tr("{title} {number}").format(title=issued.title, number=issued.number))
        self.title_label.setText(issued.title)
        self.number_label.setText(self.tr("Number: {number}").format(number=issued.number))
        self.code_label.setText(self.tr("Verification code: {code}").format(code=issued.verify_code))
        self.reprint_mark.setVisible(issued.reprint)
        self.view.set_pdf(issued.pdf)
        self.page_count_label.setText(self.tr("Pages: {count}").format(count=self.view.page_count()))

    def page_count(self) -> int:
        return self.view.page_count()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, self.windowTitle(), text)

    # -- printing -------------------------------------------------------------------------------
    def _new_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.issued.number)
        first = self.view.sizes[0]
        portrait = QSizeF(min(first.width(), first.height()), max(first.width(), first.height()))
        printer.setPageSize(
            QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
        )
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if first.width() > first.height()
            else QPageLayout.Orientation.Portrait
        )
        printer.setFromTo(1, self.page_count())
        return printer

    def _pages_to_print(self, printer: QPrinter) -> list[int]:
        """Page indexes in printing order: the chosen range, copies the printer does not make itself,
        collated or not, last page first if asked."""
        count = self.page_count()
        pages = list(range(count))
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            ranges = printer.pageRanges()
            if not ranges.isEmpty():
                pages = [i for i in pages if ranges.contains(i + 1)]
            elif printer.fromPage() > 0:
                pages = [i for i in pages if printer.fromPage() <= i + 1 <= printer.toPage()]
        if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
            pages.reverse()
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if printer.collateCopies():
            return pages * copies
        return [page for page in pages for _ in range(copies)]

    def print_document(self) -> bool:
        """Ask for the printer, print, and record where the notice went."""
        if not self.page_count():
            return False
        printer = self._new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print {number}").format(number=self.issued.number))
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        pages = self._pages_to_print(printer)
        if not pages:
            self._warn(self.tr("The chosen page range contains no page of this notice."))
            return False
        target = printer.printerName() or printer.outputFileName()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = self._paint(printer, pages)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if not done:
            self._warn(
                self.tr(
                    "The notice could not be printed on {printer}. Check that the printer is on and ready."
                ).format(printer=target or self.tr("the printer"))
            )
            return False
        number = self.issued.number
        if not operations.run(
            self,
            lambda: self.services.notices.record_output(self.actor, number, "print", target),
            changed=topics.NOTICE,
            show="message",
        ).ok:
            return False
        self._say(self.tr("Sent to {printer}.").format(printer=target))
        self.printed.emit(target)
        if self.close_after_print:
            self.accept()
        return True

    def _paint(self, printer: QPrinter, pages: list[int]) -> bool:
        printer.setFullPage(True)  # the notice has its own margins: draw it on the whole sheet
        resolution = printer.resolution()
        dpi = min(resolution, MAX_PRINT_DPI)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            with open_pdf(self.issued.pdf) as document:
                for position, index in enumerate(pages):
                    if position and not printer.newPage():
                        return False
                    image = render_page(document, index, dpi)
                    painter.drawImage(self._target_rect(self.view.sizes[index], resolution, paper), image)
        finally:
            painter.end()
        return printer.printerState() != QPrinter.PrinterState.Error

    @staticmethod
    def _target_rect(size: QSizeF, resolution: int, paper: QRectF) -> QRectF:
        """The page at its real size, centred on the sheet; shrunk only if the sheet is smaller."""
        width = size.width() / POINTS_PER_INCH * resolution
        height = size.height() / POINTS_PER_INCH * resolution
        scale = min(1.0, paper.width() / width, paper.height() / height)
        width, height = width * scale, height * scale
        return QRectF(
            paper.x() + (paper.width() - width) / 2, paper.y() + (paper.height() - height) / 2, width, height
        )

    # -- saving ---------------------------------------------------------------------------------
    @staticmethod
    def _save_folder() -> Path:
        remembered = ui_state().value(LAST_DIR_KEY)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return Path(remembered)
        folder = locations().notices
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Path.home()
        return folder

    def save_pdf(self) -> Path | None:
        suggested = self._save_folder() / f"{self.issued.number}.pdf"
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), str(suggested), self.tr("PDF files (*.pdf)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(f"{path.name}.pdf")
        try:
            write_atomic(path, self.issued.pdf)
        except OSError as error:
            log.warning("saving a notice as PDF failed: %s", type(error).__name__)
            self._warn(
                self.tr(
                    "The file could not be saved:\n{path}\n\n{reason}\n\nNothing was written: a file "
                    "already there is unchanged. Choose another folder, or check the drive and try again."
                ).format(path=path, reason=error.strerror or type(error).__name__)
            )
            return None
        state = ui_state()
        state.setValue(LAST_DIR_KEY, str(path.parent))
        state.sync()
        number = self.issued.number
        if not operations.run(
            self,
            lambda: self.services.notices.record_output(self.actor, number, "export", str(path)),
            changed=topics.NOTICE,
            show="message",
        ).ok:
            return path
        self._say(self.tr("Saved as {path}.").format(path=path))
        self.saved.emit(str(path))
        return path

    # -- 补打 ------------------------------------------------------------------------------------
    def reprint(self) -> IssuedDocument | None:
        if not confirm_reprint(self, self.issued.number):
            return None
        number = self.issued.number
        copy = operations.run(
            self,
            lambda: self.services.notices.reprint(self.actor, number),
            changed=topics.NOTICE,
            show="message",
        ).value
        if copy is None:
            return None
        self.show_document(copy)
        self._say(
            self.tr("A reprint of {number} was made; print it or save it now.").format(number=copy.number)
        )
        self.reprinted.emit(copy)
        return copy

    # -- remembered size ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = ui_state().value(f"{STATE_GROUP}/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        self.resize(min(900, int(area.width() * 0.9)), int(area.height() * 0.9))

    def _save_geometry(self) -> None:
        state = ui_state()
        state.setValue(f"{STATE_GROUP}/geometry", self.saveGeometry())
        state.sync()
