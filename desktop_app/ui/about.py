"""Help → About: the version of everything inside, and the licenses of what ships with the program."""

from __future__ import annotations

import platform
import warnings
from collections.abc import Callable
from importlib import import_module, metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.paths import resources_dir
from desktop_app.ui.shell import app_icon

FONT_COPYRIGHT = "fonts/wqy-microhei.COPYRIGHT.txt"


def version_of(distribution: str, fallback: Callable[[], object] | None = None) -> str:
    """From the installed metadata; a frozen build may lack it, then from the module itself."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    if fallback is None:
        return "—"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # some packages deprecate their __version__
            return str(fallback())
    except (ImportError, AttributeError):
        return "—"


def pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)


class AboutDialog(QDialog):
    """``database``: the database in use, described without its password (``describe_db_url``)."""

    def __init__(self, parent: QWidget | None = None, database: str = "") -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle(self.tr("About Integrity Desk"))
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        tabs = QTabWidget(self)
        tabs.setObjectName("about_tabs")
        tabs.addTab(self._about_tab(), self.tr("About"))
        tabs.addTab(self._licenses_tab(), self.tr("Licenses"))
        layout.addWidget(tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(680, 560)

    def _about_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        header = QHBoxLayout()
        icon = QLabel(tab)
        icon.setPixmap(app_icon().pixmap(64, 64))
        header.addWidget(icon)
        title = QLabel(self.tr("Integrity Desk"), tab)
        title.setObjectName("page_title")
        header.addWidget(title, 1)
        layout.addLayout(header)
        self.version_label = QLabel(self.tr("Version {version}").format(version=__version__), tab)
        self.version_label.setObjectName("about_version")
        layout.addWidget(self.version_label)
        purpose = QLabel(
            self.tr(
                "For the service hall of a public resource trading center: credit lookups at the entry "
                "desk, on-site evaluation of bid-evaluation experts, complaints from the public and the "
                "monthly scoring of staff, with an audit trail that can be verified end to end."
            ),
            tab,
        )
        purpose.setWordWrap(True)
        layout.addWidget(purpose)
        versions = [
            ("Python", platform.python_version()),
            ("Qt", qVersion()),
            ("PySide6", pyside_version()),
            ("SQLAlchemy", version_of("SQLAlchemy", lambda: import_module("sqlalchemy").__version__)),
            ("reportlab", version_of("reportlab", lambda: import_module("reportlab").Version)),
        ]
        self.versions = QLabel(
            "<br>".join(f"{name} {version}" for name, version in versions),
            tab,
        )
        self.versions.setObjectName("about_versions")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.versions)
        if self.database:
            self.database_label = QLabel(
                self.tr("Database in use: {database}").format(database=self.database), tab
            )
            self.database_label.setObjectName("about_database")
            self.database_label.setWordWrap(True)
            self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.database_label)
        layout.addStretch(1)
        return tab

    def _licenses_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        intro = QLabel(self.tr("Integrity Desk is built on these components, under their own licenses:"), tab)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = [
            (
                "WenQuanYi Micro Hei",
                "0.2.0-beta",
                self.tr("Apache-2.0, or GPL-3.0-or-later with the font exception"),
            ),
            ("Qt / PySide6", pyside_version(), "LGPL-3.0"),
            ("SQLAlchemy", version_of("SQLAlchemy", lambda: import_module("sqlalchemy").__version__), "MIT"),
            ("Alembic", version_of("alembic", lambda: import_module("alembic").__version__), "MIT"),
            ("reportlab", version_of("reportlab", lambda: import_module("reportlab").Version), "BSD"),
            ("argon2-cffi", version_of("argon2-cffi", lambda: import_module("argon2").__version__), "MIT"),
            (
                "cryptography",
                version_of("cryptography", lambda: import_module("cryptography").__version__),
                "Apache-2.0 / BSD",
            ),
            (
                "platformdirs",
                version_of("platformdirs", lambda: import_module("platformdirs").__version__),
                "MIT",
            ),
            ("psycopg", version_of("psycopg", lambda: import_module("psycopg").__version__), "LGPL-3.0"),
        ]
        table = QTableWidget(len(rows), 3, tab)
        table.setObjectName("licenses")
        table.setAccessibleName(self.tr("Components and licenses"))
        table.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version"), self.tr("License")])
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table, 1)
        font_label = QLabel(self.tr("The bundled Chinese font, WenQuanYi Micro Hei:"), tab)
        layout.addWidget(font_label)
        self.font_license = QPlainTextEdit(tab)
        self.font_license.setObjectName("font_license")
        self.font_license.setAccessibleName(self.tr("Font license"))
        self.font_license.setReadOnly(True)
        try:
            text = (resources_dir() / FONT_COPYRIGHT).read_text(encoding="utf-8")
        except OSError:
            text = self.tr("The license file {file} is missing.").format(file=FONT_COPYRIGHT)
        self.font_license.setPlainText(text)
        layout.addWidget(self.font_license, 1)
        return tab
