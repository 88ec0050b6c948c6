"""What the shell (login, main window, settings) needs to know about this workstation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon

from desktop_app.paths import Locations, resources_dir
from desktop_app.settings import Settings


@dataclass
class ShellContext:
    where: Locations
    settings: Settings
    db_url: str  # the database actually open (never shown: it may hold a password)
    db_url_override: str | None = None  # --db-url, which beats settings.json
    # Tries a database URL without opening it for real; returns a message or raises DomainError.
    check_connection: Callable[[str], str] | None = None

    def ui_state(self) -> QSettings:
        """Window sizes and splitter positions, per workstation, in the data folder."""
        return QSettings(str(self.where.home / "ui-state.ini"), QSettings.Format.IniFormat)


ICON_SIZES = (16, 24, 32, 48, 56, 64, 128, 256)


@cache
def app_icon() -> QIcon:
    """The program's icon from its PNG renders (resources/icons/render_icons.py makes them): a PNG
    decodes with what QtGui has built in, an SVG would load the SVG plug-in first. Made once: every
    window sets it, and each of its files is opened to read its size (the login window alone asked
    for it three times before its first paint)."""
    icon = QIcon()
    folder = resources_dir() / "icons" / "png"
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"integrity-desk-{size}.png"))
    return icon
