"""Backups and restore: the copy is sound and sealed, a restore takes only a verified backup of this
center, and the replaced database is kept."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN_PASSWORD, make_user, open_test_database
from sqlalchemy.engine import make_url

from desktop_app import paths
from desktop_app.domain.errors import DomainError, PermissionDenied
from desktop_app.domain.roles import Role
from desktop_app.services import maintenance
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import Database

PHONE = "13812345678"


@pytest.fixture
def sqlite_services(sqlite_database: Database) -> Services:
    return Services(sqlite_database)


@pytest.fixture
def sqlite_admin(sqlite_services: Services) -> CurrentUser:
    sqlite_services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    return sqlite_services.auth.login("sysadmin", ADMIN_PASSWORD)


def staff_numbers(services: Services) -> list[str]:
    return [s.employee_no for s in services.organisation.staff()]


def test_backup_and_restore(
    sqlite_services: Services, sqlite_admin: CurrentUser, isolated_home: paths.Locations
) -> None:
    services, admin = sqlite_services, sqlite_admin
    office = services.organisation.departments()[0].id
    services.organisation.save_staff(
        admin, employee_no="S001", name="张三", department_id=office, phone=PHONE
    )
    backup = services.maintenance.backup(admin, None, isolated_home.backups)
    assert backup.parent == isolated_home.backups and backup.name.endswith("-manual.sqlite3")
    check = sqlite3.connect(backup)
    try:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The copy carries the record of its own making.
        assert check.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone() == (
            "backup",
        )
    finally:
        check.close()
    services.organisation.save_staff(admin, employee_no="S002", name="李四", department_id=office)

    hall = make_user(services, admin, "clerk", Role.HALL_STAFF)
    with pytest.raises(PermissionDenied):
        services.maintenance.restore(hall, backup, isolated_home.backups)

    safety = services.maintenance.restore(admin, backup, isolated_home.backups)
    assert staff_numbers(services) == ["S001"]
    assert "before-restore" in safety.name
    kept = sqlite3.connect(safety)
    try:
        assert [r[0] for r in kept.execute("SELECT employee_no FROM staff ORDER BY 1")] == ["S001", "S002"]
    finally:
        kept.close()
    # The restored database goes on: sealed data opens, the restore is audited, the chain verifies.
    supervisor = make_user(
        services, services.auth.login("sysadmin", ADMIN_PASSWORD), "kezhang", Role.SUPERVISOR
    )
    staff_id = services.organisation.staff()[0].id
    assert services.organisation.reveal_personal_data(supervisor, staff_id, "phone", "核对联系方式") == PHONE
    auditor = make_user(services, admin, "auditor", Role.AUDIT_ADMIN)
    assert "restore" in [r.action for r in services.audit_log.page(auditor, AuditFilter(), 0, 20)]
    assert services.audit_log.verify(auditor).intact


def test_restore_refuses_what_it_cannot_trust(
    sqlite_services: Services, sqlite_admin: CurrentUser, isolated_home: paths.Locations, tmp_path: Path
) -> None:
    services, admin = sqlite_services, sqlite_admin
    backup = services.maintenance.backup(admin, None, isolated_home.backups)
    office = services.organisation.departments()[0].id
    services.organisation.save_staff(admin, employee_no="S001", name="张三", department_id=office)

    tampered = tmp_path / "tampered.sqlite3"
    tampered.write_bytes(backup.read_bytes())
    edit = sqlite3.connect(tampered)
    edit.execute("UPDATE audit_log SET username = 'someone' WHERE seq = 1")
    edit.commit()
    edit.close()

    foreign_home = paths.Locations(tmp_path / "elsewhere")
    foreign_home.ensure()
    foreign = open_test_database(f"sqlite:///{(tmp_path / 'foreign.sqlite3').as_posix()}", foreign_home)
    foreign.dispose()

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 500)

    for source, words in (
        (tampered, "审计链"),
        (tmp_path / "foreign.sqlite3", "密钥"),
        (garbage, "完整性"),
        (tmp_path / "missing.sqlite3", "找不到"),
    ):
        with pytest.raises(DomainError) as caught:
            services.maintenance.restore(admin, source, isolated_home.backups)
        assert words in caught.value.message, (source, caught.value.message)
    assert staff_numbers(services) == ["S001"]
    assert Keyring.load(foreign_home.default_key_file).fingerprint != services.db.keyring.fingerprint


def test_postgresql_backup_is_a_pg_dump_without_the_password_on_the_command_line(
    pg_schema_url: str, isolated_home: paths.Locations, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(pg_schema_url).set(password="s3cret-Pw").render_as_string(hide_password=False)
    database = open_test_database(url, isolated_home)
    try:
        services = Services(database)
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
        admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
        office = services.organisation.departments()[0].id
        services.organisation.save_staff(
            admin, employee_no="S001", name="张三", department_id=office, phone=PHONE
        )
        calls: list[dict[str, Any]] = []
        run = subprocess.run

        def spy(args: list[str], **kwargs: Any) -> Any:
            calls.append({"args": args, "env": kwargs.get("env") or {}})
            return run(args, **kwargs)

        monkeypatch.setattr(maintenance.subprocess, "run", spy)
        made = services.maintenance.backup(admin, None, isolated_home.backups)
    finally:
        database.dispose()
    data = made.read_bytes()
    assert data.startswith(b"PGDMP")
    assert made.suffix != ".sqlite3", "a pg_dump archive must not be named like a SQLite file"
    assert PHONE.encode() not in data
    (call,) = calls
    assert not any("s3cret-Pw" in part for part in call["args"]), "password visible in the process list"
    assert call["env"].get("PGPASSWORD") == "s3cret-Pw"


def test_postgresql_backup_dumps_only_the_centers_schema(
    pg_schema_url: str, isolated_home: paths.Locations
) -> None:
    """A server database may hold other schemas (other centers, or the other tests of this suite):
    the backup is of this center's schema, its search_path, alone."""
    from sqlalchemy import create_engine, text

    base = make_url(pg_schema_url)
    stranger = f"other_{isolated_home.home.parent.name[-8:]}".replace("-", "_").lower()
    engine = create_engine(base.set(query={}))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{stranger}"'))
        conn.execute(text(f'CREATE TABLE "{stranger}".not_ours (id int)'))
    try:
        database = open_test_database(pg_schema_url, isolated_home)
        try:
            services = Services(database)
            services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
            admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
            made = services.maintenance.backup(admin, None, isolated_home.backups)
        finally:
            database.dispose()
        listing = subprocess.run(
            ["pg_restore", "--list", str(made)], capture_output=True, text=True, check=True
        )
        schema = base.query["options"].split("=", 1)[1]
        assert f" {schema} audit_log " in listing.stdout
        assert stranger not in listing.stdout, "the dump holds another schema of the database"
        assert not list(isolated_home.backups.glob("*.partial"))
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{stranger}" CASCADE'))
        engine.dispose()
