"""Backup and restore (system admin)."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from desktop_app.domain.errors import DomainError
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store import audit, backup_files, migrate
from desktop_app.store.database import Database

log = logging.getLogger(__name__)


class MaintenanceService(Service):
    def backup(self, actor: CurrentUser, destination: Path | None, backups_dir: Path) -> Path:
        actor.require(Permission.ADMIN_BACKUP)
        now = self.db.now()
        path = migrate.sqlite_path(self.db.url)
        # A pg_dump archive is not a SQLite file: it gets a name that says what it is.
        suffix = "sqlite3" if path is not None else "pgdump"
        target = destination or backups_dir / f"integrity-desk-{now:%Y%m%d-%H%M%S}-manual.{suffix}"
        if path is not None:
            # Refused before the audit entry: a backup that cannot be written is not recorded as made.
            backup_files.ensure_free_space(
                target.parent, backup_files.sqlite_size(path) + backup_files.SPACE_MARGIN
            )
        # The entry goes in first so the copy carries the record of its own making.
        with self.write() as session:
            self.audit(session, actor, "backup", "database", "", {"to": str(target)})
        # Into the backups folder one program at a time (its leftovers are cleaned under the same lock).
        inside = _inside(target, backups_dir)
        with backup_files.folder_lock(backups_dir) if inside else nullcontext():
            made = migrate.backup_sqlite(path, target) if path is not None else self._pg_dump(target)
            # Beside it, sealed: how far this workstation had seen the audit chain (its witness).
            if self.db.witness is not None:
                self.db.witness.write_beside(made, now)
        return made

    def restore(self, actor: CurrentUser, source: Path, backups_dir: Path) -> Path:
        """Replace the SQLite database with a verified backup; the current one is kept as a backup first.

        Returns the safety copy of the database that was replaced."""
        actor.require(Permission.ADMIN_BACKUP)
        path = migrate.sqlite_path(self.db.url)
        if path is None:
            raise DomainError("PostgreSQL 数据库请在服务器上用 pg_restore 恢复。")
        verified = check_restorable(source, self.db)
        safety = migrate.automatic_backup(path, backups_dir, "before-restore", self.db.now())
        self.db.dispose()
        # Copy through the backup API into the live file, so its WAL and locks stay consistent.
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(path)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if self.db.witness is not None:
            self.db.witness.write_beside(safety, self.db.now())
        migrate.upgrade(self.db.engine)
        # The entries written since the backup are gone from the chain (they are in the safety copy):
        # the restore is a break on record, opening a new segment above everything this workstation
        # saw, so its witness and the backups' witnesses stay true and verify names the gap.
        statements = self.db.witness.backup_statements()[0] if self.db.witness is not None else []
        if self.db.witness is not None:
            statements.append(self.db.witness.statement())
        with self.write() as session:
            audit.lock_head(session)
            restored = audit.verify(session, self.db.keyring)
            audit.open_segment(
                session,
                actor.audit_actor,
                "restore",
                restored,
                {"from": str(source), "entries_verified": verified.checked, "safety_copy": safety.name},
                statements,
                object_type="database",
            )
        return safety

    def _pg_dump(self, target: Path) -> Path:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise DomainError(
                "未找到 pg_dump：PostgreSQL 数据库请在服务器上用 pg_dump 备份，或安装 PostgreSQL 客户端。"
            )
        url = make_url(self.db.url).set(drivername="postgresql")
        # The password goes through the environment: a command line is visible to every local user.
        env = dict(os.environ)
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = backup_files.temporary_name(target)
        # Only this center's schema (the connection's search_path): a server may hold other centers,
        # or other programs, in schemas of the same database.
        with self.db.engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        argv = [pg_dump, "--format=custom", f"--file={tmp}"]
        if schema:
            argv.append(f"--schema={schema}")
        try:
            result = subprocess.run(
                [*argv, url.set(password=None).render_as_string()],
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            if result.returncode != 0:
                raise DomainError(f"pg_dump 失败：{result.stderr.strip()[:300]}")
            backup_files.private_file(tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_restorable(source: Path, database: Database) -> audit.VerifyResult:
    """A file may replace the database only if SQLite finds it sound and its audit chain verifies
    with this center's keys; otherwise raise with the reason."""
    if not source.is_file():
        raise DomainError(f"找不到备份文件：{source}")
    problem = migrate.sqlite_integrity_problem(source, full=True)
    if problem:
        raise DomainError(f"备份文件未通过完整性检查：{problem}")
    # Read-only through a URI: pysqlite ignores (and warns about) "?mode=ro" without uri=true.
    engine = create_engine(f"sqlite:///file:{source.as_posix()}?mode=ro&uri=true", poolclass=NullPool)
    try:
        revision = migrate.current_revision(engine)
        if revision is None or revision not in migrate.known_revisions():
            raise DomainError("备份文件不是本程序的数据库，或来自更新的版本。")
        probe = Database(
            f"sqlite:///{source.as_posix()}", database.keyring, database.workstation, engine=engine
        )
        with probe.session() as session:
            from desktop_app.store.models import AppMeta

            stored = session.get(AppMeta, "key_fingerprint")
            if stored is None or stored.value != database.keyring.fingerprint:
                raise DomainError("备份文件使用的密钥与本中心密钥文件不一致，无法恢复。")
            result = audit.verify(session, database.keyring)
        if not result.intact:
            raise DomainError(f"备份文件的审计链校验失败：{result.reason}")
        return result
    finally:
        engine.dispose()
