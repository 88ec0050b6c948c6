"""Every location the application reads or writes. Tests redirect all of them with ``set_home``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app import APP_NAME

HOME_ENV = "INTEGRITY_DESK_HOME"
KEY_FILE_ENV = "INTEGRITY_DESK_KEY_FILE"


def bundle_root() -> Path:
    """Folder holding ``resources/`` and ``db/``: the PyInstaller bundle or the source checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def db_dir() -> Path:
    return bundle_root() / "db"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


@dataclass(frozen=True)
class Locations:
    home: Path

    @property
    def database(self) -> Path:
        return self.home / "integrity-desk.sqlite3"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def notices(self) -> Path:
        return self.home / "notices"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "integrity-desk.log"

    @property
    def settings_file(self) -> Path:
        return self.home / "settings.json"

    @property
    def default_key_file(self) -> Path:
        return self.home / "keys" / "integrity-desk.keys"

    def ensure(self) -> None:
        for folder in (self.home, self.backups, self.notices, self.logs):
            folder.mkdir(parents=True, exist_ok=True)


_current: Locations | None = None


def set_home(home: str | os.PathLike[str] | None) -> Locations:
    """Choose the data folder: explicit argument, then ``INTEGRITY_DESK_HOME``, then the platform default."""
    global _current
    if home is None:
        env = os.environ.get(HOME_ENV)
        home = Path(env) if env else default_home()
    _current = Locations(Path(home).expanduser().resolve())
    return _current


def locations() -> Locations:
    return _current if _current is not None else set_home(None)
