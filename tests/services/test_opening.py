"""services.opening: the one door to a database before anyone signs in (the GUI and the CLI use it
instead of the store), with driver errors turned into messages."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from desktop_app import paths
from desktop_app.domain.errors import DatabaseTooNew, ValidationError
from desktop_app.services import opening
from desktop_app.services.opening import ConnectionOutcome, VersionState
from desktop_app.store.migrate import alembic_config, head_revision, known_revisions

UNREACHABLE = "postgresql+psycopg://nobody:not-logged@127.0.0.1:1/none"


def open_here(url: str, where: paths.Locations) -> opening.OpenReport:
    services, report = opening.open_services(url, where.default_key_file, where.backups, "ws-test")
    services.dispose()
    return report


def step_down(url: str, revision: str) -> None:
    """Take a database at head back to an earlier revision, as an older program left it."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            with conn.begin():
                command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def previous_revision() -> str:
    parent = known_revisions()[head_revision()]
    assert parent is not None
    return parent


def stamp(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()


# -- opening -----------------------------------------------------------------------------------------
def test_opening_a_fresh_database_sets_it_up(db_url: str, isolated_home: paths.Locations) -> None:
    services, report = opening.open_services(
        db_url, isolated_home.default_key_file, isolated_home.backups, "ws-test"
    )
    try:
        assert services.auth.needs_first_admin()
    finally:
        services.dispose()
    assert report.new_database and report.upgraded and report.upgraded_from is None
    assert report.backup is None and report.head == head_revision()
    again = open_here(db_url, isolated_home)
    assert not again.new_database and not again.upgraded


def test_opening_an_older_database_backs_it_up_and_upgrades(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    open_here(sqlite_url, isolated_home)
    step_down(sqlite_url, previous_revision())
    report = opening.upgrade_database(
        sqlite_url, isolated_home.default_key_file, isolated_home.backups, "ws-test"
    )
    assert report.upgraded and report.upgraded_from == previous_revision()
    assert report.backup is not None and report.backup.is_file()
    assert f"before-upgrade-{previous_revision()}" in report.backup.name
    assert opening.version_status(sqlite_url).state is VersionState.UP_TO_DATE


def test_an_unreachable_server_is_a_message_without_the_password(isolated_home: paths.Locations) -> None:
    for attempt in (
        lambda: open_here(UNREACHABLE, isolated_home),
        lambda: opening.version_status(UNREACHABLE),
    ):
        with pytest.raises(opening.DatabaseUnreachable) as refused:
            attempt()
        message = refused.value.message
        assert message.startswith("无法打开数据库（PostgreSQL 127.0.0.1:1/none）：")
        assert refused.value.reason and refused.value.reason in message
        assert "not-logged" not in message


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("::not a url::", opening.InvalidDatabaseUrl),
        ("postgresql+nosuchdriver://server/db", opening.InvalidDatabaseUrl),
        ("mysql://server/db", opening.UnsupportedDatabase),
    ],
)
def test_urls_that_cannot_be_opened_are_refused_by_name(
    url: str, error: type[Exception], isolated_home: paths.Locations
) -> None:
    with pytest.raises(error) as refused:
        open_here(url, isolated_home)
    assert refused.value.field == "db_url"  # type: ignore[attr-defined]
    with pytest.raises(error):
        opening.version_status(url)


def test_a_newer_database_is_refused(sqlite_url: str, isolated_home: paths.Locations) -> None:
    open_here(sqlite_url, isolated_home)
    stamp(create_engine(sqlite_url), "9999_from_the_future")
    with pytest.raises(DatabaseTooNew):
        open_here(sqlite_url, isolated_home)


# -- version status ----------------------------------------------------------------------------------
def test_version_status_through_a_database_s_life(db_url: str, isolated_home: paths.Locations) -> None:
    missing = opening.version_status(db_url)
    assert (missing.state, missing.current, missing.head) == (VersionState.MISSING, None, head_revision())
    assert not isolated_home.database.exists(), "asking must not create the database"
    open_here(db_url, isolated_home)
    assert opening.version_status(db_url) == opening.VersionStatus(
        head_revision(), head_revision(), VersionState.UP_TO_DATE
    )
    step_down(db_url, previous_revision())
    behind = opening.version_status(db_url)
    assert (behind.state, behind.current) == (VersionState.BEHIND, previous_revision())
    stamp(create_engine(db_url), "f00dfeed")
    newer = opening.version_status(db_url)
    assert (newer.state, newer.current) == (VersionState.NEWER, "f00dfeed")


# -- demo --force ------------------------------------------------------------------------------------
def test_setting_a_database_aside_keeps_a_backup_and_the_old_key(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    where = isolated_home
    open_here(sqlite_url, where)
    old_key = where.default_key_file.read_bytes()
    aside = opening.set_aside_for_demo(sqlite_url, where.home, where.backups, where.default_key_file)
    assert not where.database.exists() and not where.default_key_file.exists()
    assert aside.backup is not None and aside.backup.name.endswith("-before-demo.sqlite3")
    with sqlite3.connect(aside.backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    conn.close()
    assert aside.key_file is not None and aside.key_file.read_bytes() == old_key
    # nothing left to set aside: nothing is done
    assert opening.set_aside_for_demo(sqlite_url, where.home, where.backups, where.default_key_file) == (
        opening.SetAside(None, None)
    )


def test_a_damaged_database_is_set_aside_byte_for_byte(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    junk = b"\0not sqlite" * 500
    isolated_home.database.write_bytes(junk)
    aside = opening.set_aside_for_demo(
        sqlite_url, isolated_home.home, isolated_home.backups, isolated_home.default_key_file
    )
    assert aside.backup is not None and aside.backup.read_bytes() == junk
    assert not isolated_home.database.exists()


def test_only_a_sqlite_file_in_the_home_is_set_aside(tmp_path: Path, isolated_home: paths.Locations) -> None:
    where = isolated_home
    outside = tmp_path / "production.sqlite3"
    outside.write_bytes(b"precious")
    for url, words in (
        (f"sqlite:///{outside.as_posix()}", "不在数据目录"),
        (UNREACHABLE, "只能用于数据目录中的 SQLite 数据库"),
        ("sqlite://", "只能用于数据目录中的 SQLite 数据库"),
    ):
        with pytest.raises(ValidationError, match=words):
            opening.set_aside_for_demo(url, where.home, where.backups, where.default_key_file)
    assert outside.read_bytes() == b"precious"


# -- trying a URL ------------------------------------------------------------------------------------
def test_trying_sqlite_urls_never_creates_a_file(isolated_home: paths.Locations) -> None:
    missing = isolated_home.home / "new" / "db.sqlite3"
    found = opening.check_connection(f"sqlite:///{missing.as_posix()}")
    assert (found.outcome, found.path, found.usable) == (ConnectionOutcome.NEW_FILE, missing, True)
    assert not missing.exists() and not missing.parent.exists()
    assert opening.check_connection("sqlite://").outcome is ConnectionOutcome.MEMORY

    junk = isolated_home.home / "junk.sqlite3"
    junk.write_bytes(b"\0not sqlite" * 500)
    unsound = opening.check_connection(f"sqlite:///{junk.as_posix()}")
    assert (unsound.outcome, unsound.path, unsound.usable) == (ConnectionOutcome.UNSOUND_FILE, junk, False)
    assert unsound.detail

    url = f"sqlite:///{isolated_home.database.as_posix()}"
    open_here(url, isolated_home)
    assert opening.check_connection(url).outcome is ConnectionOutcome.SQLITE_FILE


def test_trying_a_sqlite_file_in_a_folder_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # File permissions do not bind root (the CI container): the folder is refused through os.access.
    folder = tmp_path / "locked"
    folder.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)
    found = opening.check_connection(f"sqlite:///{(folder / 'db.sqlite3').as_posix()}")
    assert (found.outcome, found.usable) == (ConnectionOutcome.FOLDER_NOT_WRITABLE, False)
    assert found.path == folder / "db.sqlite3"


def test_trying_urls_that_are_not_databases_we_use() -> None:
    assert opening.check_connection("::not a url::").outcome is ConnectionOutcome.NOT_A_URL
    assert opening.check_connection("mysql://server/db").outcome is ConnectionOutcome.UNSUPPORTED
    failed = opening.check_connection(UNREACHABLE)
    assert failed.outcome is ConnectionOutcome.CANNOT_CONNECT and not failed.usable
    assert failed.detail and "not-logged" not in failed.detail


def test_trying_a_postgresql_server(pg_schema_url: str) -> None:
    found = opening.check_connection(pg_schema_url)
    assert found.outcome is ConnectionOutcome.POSTGRESQL and found.usable
    assert found.detail[:2].isdigit()  # the server's version, such as "15.6"
