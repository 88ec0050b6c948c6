"""Opening a database, before anyone signs in: what the GUI and the CLI do with a database URL.

Opening (integrity check, backup before an upgrade, upgrade, key check), the schema version status,
upgrading, setting a SQLite database aside for ``demo --force`` and trying a URL for the settings
dialog. ``store.migrate`` does the work; this module is the one door to it, so the UI and the CLI
import no store module and no SQLAlchemy: a driver error becomes a ``DomainError`` here, with the
Chinese message the CLI prints (and, for the GUI, the reason alone to put in its own words).

A module of functions rather than a method of ``MaintenanceService``: that service acts on an open
database for a signed-in administrator (permission, audit entry); everything here happens on a URL,
before a database is open and before anyone has signed in.
"""

from __future__ import annotations

import enum
import glob
import logging
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from desktop_app import clock
from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.services.facade import Services
from desktop_app.settings import describe_db_url
from desktop_app.store import backup_files, migrate
from desktop_app.store.backup_files import BackupPolicy
from desktop_app.store.database import make_engine

if TYPE_CHECKING:
    from desktop_app.services.demo import DemoReport

log = logging.getLogger(__name__)

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


# -- errors ----------------------------------------------------------------------------------------
class InvalidDatabaseUrl(DomainError):
    """The text is not a database URL (or names a driver that is not installed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"数据库地址无效：{reason}", field="db_url")
        self.reason = reason


class UnsupportedDatabase(DomainError):
    def __init__(self, backend: str) -> None:
        super().__init__(f"只支持 SQLite 和 PostgreSQL 数据库（不支持 {backend}）。", field="db_url")
        self.backend = backend


class DatabaseUnreachable(DomainError):
    """The server or the file cannot be reached (driver error): the user's to fix (server, URL,
    rights), not a bug. ``reason`` is the driver's first line, for a caller that words it itself."""

    def __init__(self, description: str, reason: str) -> None:
        super().__init__(f"无法打开数据库（{description}）：{reason}")
        self.reason = reason


def first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def unreachable(url: str, error: BaseException) -> DatabaseUnreachable:
    cause = getattr(error, "orig", None) or error
    # The log keeps the kind only: a driver's message may quote the URL with its password.
    log.warning("cannot open %s: %s", describe_db_url(url), type(cause).__name__)
    return DatabaseUnreachable(describe_db_url(url), first_line(error))


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql``; anything else is refused with the reason."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as error:
        raise InvalidDatabaseUrl(first_line(error)) from None
    if backend not in SUPPORTED_BACKENDS:
        raise UnsupportedDatabase(backend)
    return backend


def _engine(url: str) -> Engine:
    backend_of(url)
    try:
        return make_engine(url)
    except ArgumentError as error:  # a driver name that is not installed
        raise InvalidDatabaseUrl(first_line(error)) from None


# -- opening ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenReport:
    """What opening did besides opening: the backup it wrote, the upgrade it made."""

    backup: Path | None
    upgraded_from: str | None  # None: no upgrade, or an empty database set up from scratch
    upgraded: bool
    new_database: bool  # the key's fingerprint was stored now
    head: str  # the schema version of this program
    backup_problem: str | None = None  # why today's compulsory backup could not be made


def open_services(
    url: str,
    key_file: Path,
    backups: Path,
    workstation: str,
    daily_backup: bool = True,
    keep: tuple[int, int] | None = None,
) -> tuple[Services, OpenReport]:
    """Open the database as the program does on start: check, back up, upgrade, check the key.

    ``keep``: how many daily and monthly automatic backups to keep (the workstation's settings).
    The caller disposes of the services (``Services.dispose``) when done."""
    path = migrate.sqlite_path(url) if backend_of(url) == "sqlite" else None
    if path is not None and path.parent.is_dir():
        remove_demo_leftovers(path)
    policy = BackupPolicy(daily_kept=keep[0], monthly_kept=keep[1]) if keep else None
    try:
        database, report = migrate.open_database(
            url, key_file, backups, workstation, daily_backup=daily_backup, policy=policy
        )
    except ArgumentError as error:
        raise InvalidDatabaseUrl(first_line(error)) from None
    except DBAPIError as error:
        raise unreachable(url, error) from error
    return Services(database), OpenReport(
        backup=report.backup,
        upgraded_from=report.upgraded_from,
        upgraded=report.upgraded,
        new_database=report.new_database,
        head=migrate.head_revision(),
        backup_problem=report.backup_problem,
    )


def upgrade_database(url: str, key_file: Path, backups: Path, workstation: str) -> OpenReport:
    """Back up and bring the database to this program's version (opening does both), then close it."""
    services, report = open_services(url, key_file, backups, workstation)
    services.dispose()
    return report


class VersionState(enum.Enum):
    MISSING = "missing"  # no database yet (no file, or no schema in it)
    UP_TO_DATE = "up_to_date"
    BEHIND = "behind"  # an upgrade is due
    NEWER = "newer"  # made by a newer program


@dataclass(frozen=True)
class VersionStatus:
    current: str | None
    head: str
    state: VersionState


def version_status(url: str) -> VersionStatus:
    """The database's schema version beside this program's, without changing (or creating) anything."""
    head = migrate.head_revision()
    path = migrate.sqlite_path(url) if backend_of(url) == "sqlite" else None
    current: str | None = None
    if path is None or path.is_file():
        engine = _engine(url)
        try:
            current = migrate.current_revision(engine)
        except DBAPIError as error:
            raise unreachable(url, error) from error
        finally:
            engine.dispose()
    if current is None:
        state = VersionState.MISSING
    elif current == head:
        state = VersionState.UP_TO_DATE
    elif current not in migrate.known_revisions():
        state = VersionState.NEWER
    else:
        state = VersionState.BEHIND
    return VersionStatus(current, head, state)


# -- demo --force ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SetAside:
    backup: Path | None  # the copy of the database that was there
    key_file: Path | None  # the key file's new name (the backup needs it)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def set_aside_for_demo(url: str, home: Path, backups: Path, key_file: Path) -> SetAside:
    """Set the data folder's SQLite database and key file aside, so that a demo starts empty.

    The database is backed up to ``backups`` and then removed; the key file is renamed. A database
    outside the data folder, or on a server, is never touched."""
    path = migrate.sqlite_path(url) if backend_of(url) == "sqlite" else None
    if path is None:
        raise ValidationError("--force 只能用于数据目录中的 SQLite 数据库；PostgreSQL 请使用一个空的数据库。")
    if not _inside(path, home):
        raise ValidationError(f"数据库 {path} 不在数据目录 {home} 中，--force 不会删除它。")
    now = clock.local_now().replace(tzinfo=None)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept: Path | None = None
    if path.is_file():
        try:
            kept = migrate.automatic_backup(path, backups, "before-demo", now)
        except sqlite3.DatabaseError:
            # A damaged file cannot go through the backup API: keep its bytes as they are.
            kept = backups / f"integrity-desk-{stamp}-before-demo.sqlite3"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, kept)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    aside: Path | None = None
    if key_file.is_file() and _inside(key_file, home):
        aside = key_file.with_name(f"{key_file.name}.before-demo-{stamp}")
        key_file.replace(aside)
    return SetAside(kept, aside)


# -- demo ------------------------------------------------------------------------------------------
DEMO_REFUSAL = (
    "数据目录 {home} 中的数据库已有数据，未做任何改动。"
    "如要清空并重建演示中心，请加 --force（原数据库会先备份，原密钥文件改名保留）。"
)


def demo_leftovers(database: Path) -> list[Path]:
    """The files of demo builds that did not finish (killed, or failed)."""
    pattern = f"{glob.escape(database.name)}.demo-*.partial"
    found = list(database.parent.glob(pattern))
    return [*found, *(Path(f"{p}{s}") for p in found for s in ("-wal", "-shm", "-journal"))]


def remove_demo_leftovers(database: Path, wait: float = 0) -> None:
    """Remove what unfinished demo builds left, unless a build is running (its lock is held)."""
    if not demo_leftovers(database):
        return
    with backup_files.file_lock(demo_lock(database), wait=wait) as held:
        if held:
            for leftover in demo_leftovers(database):
                leftover.unlink(missing_ok=True)


def demo_lock(database: Path) -> Path:
    return database.with_name(f".{database.name}.demo.lock")


def build_demo_database(url: str, key_file: Path, backups: Path, workstation: str, home: Path) -> DemoReport:
    """Build the demo center at ``url``, which must hold no account yet.

    A SQLite file is built under a temporary name beside it and renamed into place when complete: a
    build killed half-way leaves no half-built center (which a plain ``demo`` would then refuse), only
    a temporary file the next start removes. On PostgreSQL the center is built in place."""
    from desktop_app.services.demo import build_demo

    path = migrate.sqlite_path(url) if backend_of(url) == "sqlite" else None
    if path is None:
        services, _ = open_services(url, key_file, backups, workstation, daily_backup=False)
        try:
            if not services.auth.needs_first_admin():
                raise ValidationError(DEMO_REFUSAL.format(home=home))
            return build_demo(services)
        finally:
            services.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    with backup_files.file_lock(demo_lock(path), wait=0.5, busy="另一个程序正在生成演示中心，请等它完成。"):
        for leftover in demo_leftovers(path):
            leftover.unlink(missing_ok=True)
        if path.is_file() and path.stat().st_size > 0:
            services, _ = open_services(url, key_file, backups, workstation, daily_backup=False)
            try:
                if not services.auth.needs_first_admin():
                    raise ValidationError(DEMO_REFUSAL.format(home=home))
            finally:
                services.dispose()
        building = path.with_name(f"{path.name}.demo-{os.getpid()}-{secrets.token_hex(4)}.partial")
        temporary = make_url(url).set(database=str(building)).render_as_string(hide_password=False)
        try:
            services, _ = open_services(temporary, key_file, backups, workstation, daily_backup=False)
            try:
                report = build_demo(services)
            finally:
                services.dispose()
            # One self-contained file (no write-ahead log beside it) before it takes the real name.
            conn = sqlite3.connect(building)
            try:
                conn.execute("PRAGMA journal_mode = DELETE")
            finally:
                conn.close()
            backup_files.private_file(building)
            for suffix in ("-wal", "-shm", "-journal"):  # of the database without accounts it replaces
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            os.replace(building, path)
        except BaseException:
            for leftover in (building, *(Path(f"{building}{s}") for s in ("-wal", "-shm", "-journal"))):
                leftover.unlink(missing_ok=True)
            raise
    return report


# -- trying a URL ------------------------------------------------------------------------------------
class ConnectionOutcome(enum.Enum):
    # the URL can be used
    MEMORY = "memory"  # a SQLite database in memory: nothing in it is kept
    NEW_FILE = "new_file"  # the SQLite file will be created at the next start
    SQLITE_FILE = "sqlite_file"  # a sound SQLite file
    POSTGRESQL = "postgresql"  # connected; ``detail`` is the server's version
    # it cannot
    NOT_A_URL = "not_a_url"
    UNSUPPORTED = "unsupported"
    FOLDER_NOT_WRITABLE = "folder_not_writable"
    UNSOUND_FILE = "unsound_file"  # ``detail``: SQLite's complaint
    CANNOT_CONNECT = "cannot_connect"  # ``detail``: the driver's first line


@dataclass(frozen=True)
class ConnectionCheck:
    """What trying a URL found; the caller puts it in words (the settings dialog translates)."""

    outcome: ConnectionOutcome
    path: Path | None = None
    detail: str = ""

    @property
    def usable(self) -> bool:
        return self.outcome in (
            ConnectionOutcome.MEMORY,
            ConnectionOutcome.NEW_FILE,
            ConnectionOutcome.SQLITE_FILE,
            ConnectionOutcome.POSTGRESQL,
        )


def check_connection(url: str) -> ConnectionCheck:
    """Try a URL without opening the database for real: a SQLite file is only inspected (never
    created), a PostgreSQL server is connected to."""
    try:
        backend = backend_of(url)
    except InvalidDatabaseUrl:
        return ConnectionCheck(ConnectionOutcome.NOT_A_URL)
    except UnsupportedDatabase:
        return ConnectionCheck(ConnectionOutcome.UNSUPPORTED)
    if backend == "sqlite":
        path = migrate.sqlite_path(url)
        if path is None:
            return ConnectionCheck(ConnectionOutcome.MEMORY)
        if not path.exists():
            folder = next((p for p in path.parents if p.exists()), None)
            if folder is None or not os.access(folder, os.W_OK):
                return ConnectionCheck(ConnectionOutcome.FOLDER_NOT_WRITABLE, path)
            return ConnectionCheck(ConnectionOutcome.NEW_FILE, path)
        problem = migrate.sqlite_integrity_problem(path)
        if problem:
            return ConnectionCheck(ConnectionOutcome.UNSOUND_FILE, path, problem)
        return ConnectionCheck(ConnectionOutcome.SQLITE_FILE, path)
    try:
        engine = make_engine(url)
    except ArgumentError:
        return ConnectionCheck(ConnectionOutcome.NOT_A_URL)
    try:
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
    except SQLAlchemyError as error:
        return ConnectionCheck(ConnectionOutcome.CANNOT_CONNECT, detail=first_line(error))
    finally:
        engine.dispose()
    return ConnectionCheck(ConnectionOutcome.POSTGRESQL, detail=str(version))
