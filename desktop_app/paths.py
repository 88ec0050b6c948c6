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
        """Create the data folder and its sub-folders, private to their owner (POSIX): what was made
        readable by every local user before (0644 files, 0755 folders) is made private too."""
        for folder in (self.home, self.backups, self.notices, self.logs):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(self)


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def make_private(where: Locations) -> None:
    """Take group and other access away from the data folder and what the program keeps in it (its
    sub-folders and their files, the database, the settings). Only those: a data folder chosen by
    hand may hold other things, which are not ours to change. POSIX only: Windows keeps a user's
    application data private through its folder's access list, left as it is. Best effort: a file
    that cannot be changed (owned by someone else) stays as it is."""
    if os.name == "nt":
        return
    _tighten(where.home, PRIVATE_FOLDER)
    # The key file is not made private here but refused while others can read it (its owner decides
    # what went wrong: it may have been copied, or read, already).
    _tighten(where.default_key_file.parent, PRIVATE_FOLDER)
    for folder in (where.backups, where.notices, where.logs):
        _tighten(folder, PRIVATE_FOLDER)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                _tighten(Path(entry.path), PRIVATE_FILE)
    for name in ("", "-wal", "-shm", "-journal"):
        _tighten(Path(f"{where.database}{name}"), PRIVATE_FILE)
    _tighten(where.settings_file, PRIVATE_FILE)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.is_symlink():
            return  # it may point outside the data folder
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            os.chmod(path, current & mode)
    except OSError:
        pass


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
