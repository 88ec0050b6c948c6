"""Opening a database: keys, backup, Alembic upgrade, integrity check, refusal of newer databases."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from desktop_app.domain.errors import DatabaseTooNew, DomainError, KeyMismatch
from desktop_app.paths import db_dir
from desktop_app.store import audit
from desktop_app.store.base import utcnow
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import KEY_FINGERPRINT, Database, make_engine
from desktop_app.store.models import AppMeta, AuditHead

log = logging.getLogger(__name__)

MIGRATION_LOCK_ID = 0x1D_E5_C0_01  # any constant shared by every workstation
AUTO_BACKUPS_KEPT = 20


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(db_dir()))
    cfg.set_main_option("version_locations", str(db_dir() / "versions"))
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _check_not_newer(current: str | None) -> None:
    if current is None:
        return
    known = {rev.revision for rev in script_directory().walk_revisions()}
    if current not in known:
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
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(destination)
    return destination


def automatic_backup(source: Path, backups: Path, reason: str, now: datetime) -> Path:
    target = backups / f"integrity-desk-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    made = backup_sqlite(source, target)
    auto = sorted(backups.glob("integrity-desk-*-*.sqlite3"))
    for old in auto[:-AUTO_BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    log.info("backup written: %s (%s)", made.name, reason)
    return made


def _daily_backup_due(backups: Path, now: datetime) -> bool:
    return not any(backups.glob(f"integrity-desk-{now:%Y%m%d}-*.sqlite3"))


def sqlite_integrity_problem(path: Path, full: bool = False) -> str | None:
    """None when SQLite says the file is sound, else its first complaint."""
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            pragma = "integrity_check" if full else "quick_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:3])
    if fk:
        return f"外键不一致：{fk[0]}"
    return None


def upgrade(engine: Engine) -> None:
    cfg = alembic_config()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            # One workstation migrates at a time; the others wait here, then find nothing to do.
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_ID})
            conn.commit()
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_ID})
                conn.commit()
        return
    with engine.connect() as conn:
        # Batch migrations copy tables; foreign keys must be off for that and can't change in a transaction.
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _stored_fingerprint(engine: Engine) -> str | None:
    if not inspect(engine).has_table(AppMeta.__tablename__):
        return None
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT value FROM app_meta WHERE key = :k"), {"k": KEY_FINGERPRINT}
        ).scalar_one_or_none()


def _load_or_create_keyring(key_file: Path, engine: Engine) -> Keyring:
    if key_file.is_file():
        return Keyring.load(key_file)
    if _stored_fingerprint(engine) is not None:
        raise KeyMismatch(
            f"找不到密钥文件：{key_file}。该数据库已有数据，请从已有工作站或密钥备份复制密钥文件。"
        )
    keyring = Keyring.generate()
    keyring.save(key_file)
    log.info("new key file created at %s", key_file)
    return keyring


@dataclass
class OpenReport:
    backup: Path | None = None
    upgraded_from: str | None = None
    upgraded: bool = False
    new_database: bool = False


def open_database(
    url: str,
    key_file: Path,
    backups: Path,
    workstation: str,
    clock: Callable[[], datetime] = utcnow,
    daily_backup: bool = True,
) -> tuple[Database, OpenReport]:
    """Everything the app does with a database before the login dialog appears."""
    report = OpenReport()
    engine = make_engine(url)
    try:
        current = current_revision(engine)
        _check_not_newer(current)
        keyring = _load_or_create_keyring(key_file, engine)
        head = head_revision()
        path = sqlite_path(url)
        if path is not None and path.is_file() and current is not None:
            problem = sqlite_integrity_problem(path)
            if problem:
                raise DomainError(f"数据库文件损坏（{problem}），请从备份恢复。")
            now = clock()
            if current != head:
                report.backup = automatic_backup(path, backups, f"before-upgrade-{current[:12]}", now)
            elif daily_backup and _daily_backup_due(backups, now):
                report.backup = automatic_backup(path, backups, "daily", now)
        if current != head:
            report.upgraded_from = current
            report.upgraded = True
            log.info("upgrading database schema from %s to %s", current, head)
            upgrade(engine)
        database = Database(url, keyring, workstation, clock=clock, engine=engine)
        report.new_database = database.check_key()
        with database.session(write=True) as session:
            if session.get(AuditHead, 1) is None:
                session.add(audit.initial_head(keyring))
        return database, report
    except Exception:
        engine.dispose()
        raise
