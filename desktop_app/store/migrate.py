"""Opening a database: keys, backup, Alembic upgrade, integrity check, refusal of newer databases."""

from __future__ import annotations

import errno
import logging
import os
import re
import shlex
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.engine import make_url

from desktop_app.domain.errors import DatabaseTooNew, DomainError, KeyFileExposed, KeyMismatch
from desktop_app.paths import db_dir, locations
from desktop_app.store import audit, backup_files, resealing
from desktop_app.store.backup_files import BackupPolicy
from desktop_app.store.base import utcnow
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import KEY_FINGERPRINT, Database, make_engine
from desktop_app.store.models import AppMeta, AuditEntry, AuditHead
from desktop_app.store.witness import WitnessFile

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATION_LOCK_ID = 0x1D_E5_C0_01  # any constant shared by every workstation


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    # One location per OS path separator: alembic's legacy rule splits on spaces, which breaks an
    # install folder such as "C:\\Program Files\\..." or a user folder with a space in its name.
    cfg.set_main_option("path_separator", "os")
    # Options go through ConfigParser interpolation: a literal % in the path must be doubled.
    folder = str(db_dir()).replace("%", "%%")
    cfg.set_main_option("script_location", folder)
    cfg.set_main_option("version_locations", os.path.join(folder, "versions"))
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


# Importing alembic costs a good part of a cold start; a database already at head needs none of it.
# These read the revision graph straight from the scripts (a test checks they agree with alembic).
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*['\"]?([\w-]+|None)['\"]?\s*$", re.M)


def known_revisions() -> dict[str, str | None]:
    """Every revision in db/versions with its parent (None for the first)."""
    graph: dict[str, str | None] = {}
    for script in (db_dir() / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(text)}
        if "revision" in found:
            parent = found.get("down_revision")
            graph[found["revision"]] = None if parent in (None, "None") else parent
    return graph


def head_revision() -> str:
    graph = known_revisions()
    heads = set(graph) - {parent for parent in graph.values() if parent}
    if len(heads) != 1:
        raise RuntimeError(f"migration scripts must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def _check_not_newer(current: str | None) -> None:
    if current is None:
        return
    if current not in known_revisions():
        raise DatabaseTooNew(
            f"此数据库由更新版本的诚信服务台创建（架构版本 {current}），本程序无法打开。请先升级本程序。"
        )


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Consistent copy through SQLite's backup API (safe while other connections write)."""
    return backup_files.copy_sqlite(source, destination)


def automatic_backup(
    source: Path, backups: Path, reason: str, now: datetime, policy: BackupPolicy | None = None
) -> Path:
    """A backup into the data folder's backups, by one program at a time, then rotation."""
    with backup_files.folder_lock(backups):
        made = backup_files.copy_sqlite(source, backups / backup_files.backup_name(now, reason))
        # Rotate only what this function writes: an administrator's manual backup is never ours to delete.
        backup_files.rotate(backups, policy or BackupPolicy())
    log.info("backup written: %s (%s)", made.name, reason)
    return made


def take_daily_backup(
    source: Path, backups: Path, now: datetime, policy: BackupPolicy | None = None
) -> Path | None:
    """The first start of the day backs up; the others, even starting in the same second, find it
    made (they wait on the folder's lock, then look again)."""
    with backup_files.folder_lock(backups):
        if not backup_files.daily_backup_due(backups, now):
            return None
        made = backup_files.copy_sqlite(source, backups / backup_files.backup_name(now, "daily"))
        backup_files.rotate(backups, policy or BackupPolicy())
    log.info("backup written: %s (daily)", made.name)
    return made


def _daily_backup_due(backups: Path, now: datetime) -> bool:
    return backup_files.daily_backup_due(backups, now)


def daily_backup_problem(error: BaseException) -> str:
    """Why the daily backup could not be made, in Chinese, for the administrator."""
    if isinstance(error, DomainError):
        return error.message
    if (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "disk is full" in str(error):
        return "磁盘空间不足"
    return f"{type(error).__name__}: {error}"


def sqlite_integrity_problem(path: Path, full: bool = False) -> str | None:
    """None when SQLite says the file is sound, else its first complaint."""
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            pragma = "integrity_check" if full else "quick_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            # Foreign keys are enforced on every write; checking them all again is for a file from
            # elsewhere (a restore), not for each day's start (11 s on a million credit subjects).
            fk = conn.execute("PRAGMA foreign_key_check").fetchall() if full else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:3])
    if fk:
        return f"外键不一致：{fk[0]}"
    return None


def sqlite_header_problem(path: Path) -> str | None:
    """The cheap check of every start: the file is an SQLite database and its schema can be read."""
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            return "文件头不是 SQLite 数据库"
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def _refuse_if_damaged(path: Path, problem: str | None) -> None:
    if problem:
        raise DomainError(f"数据库文件 {path} 已损坏（{problem}），请从备份恢复。")


# Alembic keeps its ``context`` and ``op`` proxies in module globals: one run per process at a time.
_ALEMBIC_LOCK = threading.Lock()


@contextmanager
def _opening_lock(engine: Engine) -> Iterator[Connection | None]:
    """PostgreSQL: the migration advisory lock, held on a connection of its own while a workstation
    opens the database (revision check, upgrade, key check, audit head), so a fresh database is set up
    by one workstation while the others wait and then find everything in place. Yields that
    connection; on SQLite yields None (its write lock does the same job, see ``_upgrade_on``)."""
    if engine.dialect.name != "postgresql":
        yield None
        return
    with engine.connect() as conn:
        # Waiting here for another workstation's upgrade may take minutes: not the lock_timeout of
        # every connection (store.database), which is for the few seconds of a business write.
        conn.execute(text("SET lock_timeout = 0"))
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_ID})
        conn.execute(text("RESET lock_timeout"))
        conn.commit()
        try:
            yield conn
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_ID})
                conn.commit()
            except Exception:  # the session lock goes with the connection: make sure it goes
                log.warning("could not release the migration lock; dropping the connection", exc_info=True)
                conn.invalidate()


def _upgrade_on(conn: Connection) -> None:
    from alembic import command

    cfg = alembic_config()
    sqlite = conn.dialect.name == "sqlite"
    with _ALEMBIC_LOCK:
        if sqlite:
            # Batch migrations copy tables; foreign keys must be off for that and can't change in a
            # transaction. IMMEDIATE: take the write lock before alembic reads the revision, so a
            # second program opening the same file waits, then finds nothing to do (a deferred
            # transaction would fail with "database is locked" or create the tables twice).
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            conn.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; one workstation at a time, the others wait and find nothing to do."""
    with _opening_lock(engine) as locked:
        if locked is not None:
            _upgrade_on(locked)
            return
        with engine.connect() as conn:
            _upgrade_on(conn)


def _stored_fingerprint(engine: Engine) -> str | None:
    if not inspect(engine).has_table(AppMeta.__tablename__):
        return None
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT value FROM app_meta WHERE key = :k"), {"k": KEY_FINGERPRINT}
        ).scalar_one_or_none()


def refuse_exposed_key_file(key_file: Path) -> None:
    """A key file other local users can read (or change) is refused, with the command that fixes it:
    whoever reads it can forge audit entries and open the sealed personal data. POSIX only."""
    if os.name == "nt":
        return
    mode = key_file.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyFileExposed(
            f"密钥文件 {key_file} 的权限为 {mode:04o}，其他用户可以读取或修改，程序拒绝使用。"
            f"请由文件所有者运行：chmod 600 {shlex.quote(str(key_file))}"
        )


def _load_or_create_keyring(key_file: Path, engine: Engine) -> Keyring:
    if key_file.is_file():
        refuse_exposed_key_file(key_file)
        return Keyring.load(key_file)
    if _stored_fingerprint(engine) is not None:
        raise KeyMismatch(
            f"找不到密钥文件：{key_file}。该数据库已有数据，请从已有工作站或密钥备份复制密钥文件。"
        )
    keyring = Keyring.generate()
    try:
        keyring.save(key_file, exclusive=True)
    except FileExistsError:
        # Another copy of the program created it a moment ago: theirs is the one, never overwrite it.
        return Keyring.load(key_file)
    log.info("new key file created at %s", key_file)
    return keyring


@dataclass
class OpenReport:
    backup: Path | None = None
    upgraded_from: str | None = None
    upgraded: bool = False
    new_database: bool = False
    # Why today's compulsory backup could not be made: the program works on, the administrator is told.
    backup_problem: str | None = None


def open_database(
    url: str,
    key_file: Path,
    backups: Path,
    workstation: str,
    clock: Callable[[], datetime] = utcnow,
    daily_backup: bool = True,
    witness_folder: Path | None = None,
    policy: BackupPolicy | None = None,
) -> tuple[Database, OpenReport]:
    """Everything the app does with a database before the login dialog appears.

    ``witness_folder`` keeps this workstation's sealed witness of the audit chain (the data folder)."""
    report = OpenReport()
    engine = make_engine(url)
    try:
        path = sqlite_path(url)
        backup_files.remove_leftovers(backups)
        existing = path if path is not None and path.is_file() and path.stat().st_size > 0 else None
        checked = False
        if existing is not None:
            # Before any connection touches it: a damaged file gets a clear refusal, not a driver error.
            # The full page walk takes seconds on a large file, so it runs once a day, before the daily
            # backup (a damaged file must never become the newest backup), and before any upgrade.
            if daily_backup and not _daily_backup_due(backups, clock()):
                _refuse_if_damaged(existing, sqlite_header_problem(existing))
            else:
                _refuse_if_damaged(existing, sqlite_integrity_problem(existing))
                checked = True
        with _opening_lock(engine) as locked:
            current = current_revision(engine)
            _check_not_newer(current)
            keyring = _load_or_create_keyring(key_file, engine)
            witness = WitnessFile(witness_folder or locations().home, backups, keyring, url, workstation)
            head = head_revision()
            if existing is not None and current is not None:
                now = clock()
                if current != head and not checked:
                    _refuse_if_damaged(existing, sqlite_integrity_problem(existing))
                if current != head:
                    # No upgrade without its backup: a failure here stops the opening.
                    report.backup = automatic_backup(
                        existing, backups, f"before-upgrade-{current[:12]}", now, policy
                    )
                elif daily_backup and _daily_backup_due(backups, now):
                    try:
                        report.backup = take_daily_backup(existing, backups, now, policy)
                    except (OSError, sqlite3.Error, DomainError) as error:
                        # The hall must work on a day the backup cannot be made; the admin is told.
                        report.backup_problem = daily_backup_problem(error)
                        log.error("daily backup failed: %s", report.backup_problem)
                if report.backup is not None:
                    witness.write_beside(report.backup, now)
            if current != head:
                report.upgraded_from = current
                report.upgraded = True
                log.info("upgrading database schema from %s to %s", current, head)
                if locked is not None:
                    _upgrade_on(locked)
                else:
                    with engine.connect() as conn:
                        _upgrade_on(conn)
            database = Database(url, keyring, workstation, clock=clock, engine=engine)
            database.witness = witness
            report.new_database = database.check_key()
            if path is not None:
                # Made with the process's umask (often 0644): the database is for its owner alone.
                # SQLite gives its -wal and -shm files the database file's mode.
                for suffix in ("", "-wal", "-shm", "-journal"):
                    backup_files.private_file(Path(f"{path}{suffix}"))
            with database.session(write=True) as session:
                # Only an empty chain gets a new head: a head row deleted under a chain stays missing,
                # so the damage is seen (and recorded by the audit admin), never papered over.
                if (
                    session.get(AuditHead, 1) is None
                    and session.scalar(select(AuditEntry.seq).limit(1)) is None
                ):
                    session.add(audit.initial_head(keyring))
            # After a migration that added row MACs: the existing rows sealed once, with the key.
            resealing.complete_pending_seal(database)
        return database, report
    except Exception:
        engine.dispose()
        raise
