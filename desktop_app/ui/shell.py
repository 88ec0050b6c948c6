"""What the shell (login, main window, settings) needs to know about this workstation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "integrity-desk.svg"))
