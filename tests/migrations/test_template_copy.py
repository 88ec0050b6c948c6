"""The tests' database template (tests/database_template.py): a copy is the database a workstation
makes by migrating an empty one, table for table, index for index, row for row, on SQLite and
PostgreSQL; and each copy is a database of its own."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import open_test_database, pg_base_url
from sqlalchemy import Engine, create_engine, inspect, text

from desktop_app import paths
from tests.database_template import DatabaseTemplate, schema_url

# Written when the database is opened: the instant differs, not the row.
VARYING = {("app_meta", "created_at")}


def _row(values: tuple[Any, ...], timestamps: list[bool]) -> tuple[Any, ...]:
    """Timestamps left out: the template was migrated a few microseconds earlier."""
    return tuple("<timestamp>" if stamp else v for v, stamp in zip(values, timestamps, strict=True))


def _index(index: Any) -> str:
    """An index as text; a partial index's condition by its SQL (the clause object has no equality)."""
    options = {key: str(value) for key, value in index.get("dialect_options", {}).items()}
    return repr({**index, "dialect_options": options})


def schema_and_rows(engine: Engine) -> dict[str, Any]:
    found = inspect(engine)
    tables: dict[str, Any] = {}
    with engine.connect() as conn:
        for name in sorted(found.get_table_names()):
            columns = found.get_columns(name)
            stamps = [any(t in str(c["type"]) for t in ("DATETIME", "TIMESTAMP")) for c in columns]
            names = ", ".join(f'"{c["name"]}"' for c in columns)
            rows = [_row(tuple(row), stamps) for row in conn.execute(text(f'SELECT {names} FROM "{name}"'))]
            if name == "app_meta":
                rows = [(k, "…" if (name, k) in VARYING else v) for k, v in rows]
            tables[name] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                    for c in found.get_columns(name)
                ],
                "primary_key": found.get_pk_constraint(name),
                "foreign_keys": sorted(map(repr, found.get_foreign_keys(name))),
                "indexes": sorted(map(_index, found.get_indexes(name))),
                "unique": sorted(map(repr, found.get_unique_constraints(name))),
                "checks": sorted(map(repr, found.get_check_constraints(name))),
                "rows": sorted(map(repr, rows)),
            }
        if engine.dialect.name == "postgresql":
            tables["<sequences>"] = sorted(
                map(tuple, conn.execute(text("SELECT sequencename, last_value FROM pg_sequences "
                                             "WHERE schemaname = current_schema()")))
            )  # fmt: skip
    return tables


@contextmanager
def second_location(db_url: str, home: paths.Locations) -> Iterator[str]:
    """Another empty database beside ``db_url``: a file in ``home``, or a schema on the same server."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{home.database.as_posix()}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = db_url.split("?")[0]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_a_copy_is_the_migrated_database(
    db_url: str, isolated_home: paths.Locations, database_template: DatabaseTemplate, tmp_path
) -> None:
    copy_home = paths.Locations(tmp_path / "copy")
    copy_home.ensure()
    with second_location(db_url, copy_home) as url:
        database_template.fill(url, copy_home)
        copy = open_test_database(url, copy_home)
        # Migrated for real, with the same key (its fingerprint is a row like the others).
        isolated_home.default_key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(copy_home.default_key_file, isolated_home.default_key_file)
        migrated = open_test_database(db_url, isolated_home)
        try:
            assert schema_and_rows(copy.engine) == schema_and_rows(migrated.engine)
            # A database of its own: what the copy writes, the other does not see.
            with copy.session(write=True) as session:
                session.execute(text("UPDATE app_meta SET value = 'x' WHERE key = 'created_at'"))
            with migrated.session() as session:
                assert (
                    session.execute(text("SELECT value FROM app_meta WHERE key = 'created_at'")).scalar()
                    != "x"
                )
        finally:
            copy.dispose()
            migrated.dispose()


def make_with_an_extension(url: str, key_file: Path, backups: Path) -> None:
    """A migration like the one of a trigram index: it creates the extension if it may, then names
    the schema the extension is in to use its operator class."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            schema = conn.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                    "WHERE e.extname = 'pg_trgm'"
                )
            ).scalar_one()
            conn.execute(text("CREATE TABLE names (name text)"))
            conn.execute(
                text(f'CREATE INDEX ix_names_trgm ON names USING gin (name "{schema}".gin_trgm_ops)')
            )
    finally:
        engine.dispose()


def make_naming_its_schema(url: str, key_file: Path, backups: Path) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.execute(text(f'CREATE TABLE "{schema}".names (name text)'))
    finally:
        engine.dispose()


@pytest.fixture
def pg_base() -> str:
    base = pg_base_url()
    if not base:
        pytest.skip("INTEGRITY_DESK_TEST_PG_URL not set (outside CI)")
    return base


def test_an_extension_a_migration_makes_is_kept_in_public_for_every_copy(
    pg_base: str, tmp_path: Path
) -> None:
    admin = create_engine(pg_base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first() is None:
            pytest.skip("this server has no pg_trgm")
    template = DatabaseTemplate(tmp_path, pg_base, make_with_an_extension)
    taken = []
    try:
        # Taking one makes the next meanwhile: two test schemas exist at once.
        taken = [template.take_postgresql(), template.take_postgresql()]
        for url in taken:
            engine = create_engine(url)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT to_regclass('ix_names_trgm')")).scalar() is not None
            engine.dispose()
        with admin.connect() as conn:
            home = conn.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                    "WHERE e.extname = 'pg_trgm'"
                )
            ).scalar_one()
        assert home == "public"
    finally:
        for url in taken:
            template.drop_postgresql(url)
        template.close()
        admin.dispose()


def test_a_migration_naming_its_own_schema_is_refused(pg_base: str, tmp_path: Path) -> None:
    template = DatabaseTemplate(tmp_path, pg_base, make_naming_its_schema)
    try:
        with pytest.raises(RuntimeError, match="names its own schema"):
            template.take_postgresql()
    finally:
        template.close()
