"""Typed workstation settings with defaults, kept in ``settings.json`` in the data folder.

Center-wide settings (center name, password policy...) live in the database; these are the ones that
differ per workstation: which database, which key file, which language.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from desktop_app.paths import KEY_FILE_ENV, Locations

log = logging.getLogger(__name__)

DB_URL_ENV = "INTEGRITY_DESK_DB_URL"
LANGUAGES = ("zh_CN", "en")


@dataclass
class Settings:
    db_url: str = ""
    key_file: str = ""
    language: str = "zh_CN"
    workstation: str = ""
    idle_lock_minutes: int = 15
    # The workstation's admin password (argon2 hash, set by the system admin in the settings): asked
    # before the database settings can be changed while no administrator is signed in.
    admin_password_hash: str = ""
    # Automatic backups kept in the data folder: the newest daily ones, and the first of each of the
    # newest months (manual backups are never deleted).
    backups_daily_kept: int = 14
    backups_monthly_kept: int = 12

    @classmethod
    def load(cls, where: Locations) -> Settings:
        path = where.settings_file
        if not path.is_file():
            return cls()
        import json  # here: a workstation that never saved its settings starts without it

        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            # A damaged settings file must not keep the hall from working: fall back and say so.
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        settings = cls(**values)
        if settings.language not in LANGUAGES:
            settings.language = "zh_CN"
        for name in ("backups_daily_kept", "backups_monthly_kept"):
            value = getattr(settings, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                log.warning("settings: %s must be a whole number of at least 1; using the default", name)
                setattr(settings, name, getattr(cls, name))
        return settings

    def save(self, where: Locations) -> None:
        import json
        import secrets

        where.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        # A name of its own (two programs saving at once never share it), private from the start.
        tmp = where.settings_file.with_name(
            f"{where.settings_file.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        )
        data = json.dumps(asdict(self), ensure_ascii=False, indent=2).encode("utf-8")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, where.settings_file)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def resolved_db_url(self, where: Locations, override: str | None = None) -> str:
        """Command line beats environment beats settings file beats the SQLite file in the home."""
        for candidate in (override, os.environ.get(DB_URL_ENV), self.db_url):
            if candidate:
                return candidate
        return f"sqlite:///{where.database.as_posix()}"

    def resolved_key_file(self, where: Locations) -> Path:
        env = os.environ.get(KEY_FILE_ENV)
        if env:
            return Path(env).expanduser()
        if self.key_file:
            return Path(self.key_file).expanduser()
        return where.default_key_file

    def backup_keep(self) -> tuple[int, int]:
        """(daily, monthly) automatic backups kept."""
        return self.backups_daily_kept, self.backups_monthly_kept

    def resolved_workstation(self) -> str:
        return self.workstation or host_name() or "workstation"


def host_name() -> str:
    """The computer's name, as ``socket.gethostname()`` gives it: where POSIX ``uname`` has it (the
    same call underneath), without importing ``socket`` before the login window is up."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def describe_db_url(url: str) -> str:
    """A form of the URL fit for a status bar or a log: never the password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database or ':memory:'}"
    return f"PostgreSQL {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
