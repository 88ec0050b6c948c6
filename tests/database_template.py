"""One migrated database per test session, copied for every test that asks for a ``database``.

Running every Alembic revision was most of a database test's setup. The template is made once, by
``open_database`` as a workstation would make a new database, and each test gets its own copy:

- SQLite: the template file, copied to the test's database path;
- PostgreSQL: the statements the migration and the first opening ran on a scratch schema (dropped
  at once), recorded and replayed in the test's own fresh schema, which is dropped after the test as
  before. The same DDL and seed rows, so the same schema, extensions created in it included; the reads
  (revision checks, inspection, the advisory lock) are not replayed. The DDL is most of the cost (each
  table is files and catalogue rows: ~100 ms, no faster as a CREATE DATABASE ... TEMPLATE, which
  copies the catalogues too), so the schema of the next test is made in a background thread while
  this one runs, and the schema of a finished test dropped there too.

The database remembers the fingerprint of the key file it was opened with (``Database.check_key``):
each copy comes with the template's key file, copied to the test's data folder. Tests about migrating
(tests/migrations) open empty databases and migrate for real.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from desktop_app import paths
from desktop_app.store.migrate import open_database, sqlite_path

# What is not replayed: reads, whatever they lock or inspect. (A migration calling a function for its
# effect, SELECT setval(...), would need replaying: none does; the copy test would tell.)
READS = ("SELECT", "SHOW")


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any
    many: bool


def schema_url(base: str, schema: str) -> str:
    """``base`` with its search_path set to ``schema`` alone."""
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def open_new_database(url: str, key_file: Path, backups: Path) -> None:
    """Open an empty database (create, migrate, key check) as any workstation does; SQLite and
    PostgreSQL share the key file, so both templates carry its fingerprint."""
    database, report = open_database(url, key_file, backups, "ws-test", daily_backup=False)
    database.dispose()
    assert report.upgraded and report.new_database, report


class DatabaseTemplate:
    def __init__(
        self,
        folder: Path,
        pg_base_url: str | None,
        make: Callable[[str, Path, Path], None] = open_new_database,
    ) -> None:
        """``make(url, key_file, backups_folder)`` turns the empty database at ``url`` into the template."""
        self.folder = folder
        self.make = make
        self.pg_base_url = pg_base_url
        self.key_file = folder / "keys" / "integrity-desk.keys"
        self.sqlite_file = folder / "template.sqlite3"
        self._sqlite_made = False
        self._pg_statements: list[Statement] | None = None
        self._pg_worker: ThreadPoolExecutor | None = None
        self._pg_next: Future[str] | None = None
        self._taken: set[str] = set()

    def take_postgresql(self) -> str:
        """The URL of a fresh schema, already filled (call ``fill`` for the key file): made while the
        previous test ran. Give it back to ``drop_postgresql`` after the test."""
        self._recorded_statements()  # the first time, here: it runs the migration under the test's clock
        if self._pg_worker is None:
            self._pg_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-template")
        ready = self._pg_next or self._pg_worker.submit(self._fresh_schema)
        self._pg_next = self._pg_worker.submit(self._fresh_schema)  # the next test's, meanwhile
        url = ready.result()
        self._taken.add(url)
        return url

    def drop_postgresql(self, url: str) -> None:
        assert self._pg_worker is not None
        self._pg_worker.submit(self._drop_schema, url)

    def prepare_server(self) -> None:
        """Before a test migrates an empty schema by itself: the extensions a migration creates are put
        in public first (by recording the template's statements once). Else the first such test creates
        one in its own schema, and dropping that schema takes it from a test running beside it on
        another worker ("referenced operator class was concurrently dropped")."""
        if self.pg_base_url:
            self._recorded_statements()

    def settle(self) -> None:
        """Wait until the background thread is idle: a test working on the server as a whole (a pg_dump
        lists every schema) must not see one made or dropped under it."""
        if self._pg_worker is not None:
            self._pg_worker.submit(lambda: None).result()

    def close(self) -> None:
        """At the end of the session: the schema made ahead is dropped, the thread joined."""
        if self._pg_worker is None:
            return
        if self._pg_next is not None:
            self._drop_schema(self._pg_next.result())
        self._pg_worker.shutdown(wait=True)
        self._pg_worker = None

    def fill(self, url: str, where: paths.Locations) -> None:
        """Make the empty database at ``url`` a migrated one, as ``open_database`` would, with the
        template's key file as the key file of ``where``."""
        path = sqlite_path(url)
        if path is not None:
            self._fill_sqlite(path)
        elif url in self._taken:
            self._taken.discard(url)  # filled in advance
        else:
            self._fill_postgresql(url)
        where.default_key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.key_file, where.default_key_file)

    # -- SQLite ---------------------------------------------------------------------------------
    def _fill_sqlite(self, path: Path) -> None:
        if not self._sqlite_made:
            self.make(f"sqlite:///{self.sqlite_file.as_posix()}", self.key_file, self.folder / "backups")
            # Closed cleanly, the WAL is folded into the file and removed: the file is the database.
            leftovers = [p for p in self.folder.iterdir() if p.name.startswith(f"{self.sqlite_file.name}-")]
            assert not leftovers, leftovers
            self._sqlite_made = True
        if path.exists():
            raise RuntimeError(f"{path} exists: a template copy only fills an empty location")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.sqlite_file, path)

    # -- PostgreSQL -----------------------------------------------------------------------------
    def _fill_postgresql(self, url: str) -> None:
        statements = self._recorded_statements()
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                try:
                    # A test's database need not survive a power cut: no wait for the WAL flush.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    for statement in statements:
                        if statement.many:
                            cursor.executemany(statement.sql, statement.parameters)
                        else:
                            cursor.execute(statement.sql, statement.parameters or None)
                finally:
                    cursor.close()
        finally:
            engine.dispose()

    def _fresh_schema(self) -> str:
        assert self.pg_base_url
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.pg_base_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        finally:
            admin.dispose()
        url = schema_url(self.pg_base_url, schema)
        self._fill_postgresql(url)
        return url

    def _drop_schema(self, url: str) -> None:
        assert self.pg_base_url
        schema = make_url(url).query["options"].removeprefix("-csearch_path=")
        admin = create_engine(self.pg_base_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        finally:
            admin.dispose()

    def _recorded_statements(self) -> Sequence[Statement]:
        if self._pg_statements is None:
            assert self.pg_base_url, "no PostgreSQL server for the tests"
            statements, extensions = self._record(self.pg_base_url)
            if extensions:
                # An extension belongs to the database, not to a schema: left in a test's schema it
                # goes with it, and the next test finds it gone (or, made meanwhile, taken). Kept in
                # public, as a server keeps it, the migration finds it there and names it so.
                self._install_in_public(self.pg_base_url, extensions)
                statements, extensions = self._record(self.pg_base_url)
                assert not extensions, extensions
            self._pg_statements = statements
        return self._pg_statements

    @staticmethod
    def _install_in_public(base: str, extensions: list[str]) -> None:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            for name in extensions:
                try:
                    with admin.connect() as conn:
                        conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{name}" SCHEMA public'))
                except DBAPIError:  # another test run made it a moment ago
                    with admin.connect() as conn:
                        found = conn.execute(
                            text("SELECT 1 FROM pg_extension WHERE extname = :n"), {"n": name}
                        )
                        if found.first() is None:
                            raise
        finally:
            admin.dispose()

    def _record(self, base: str) -> tuple[list[Statement], list[str]]:
        """The statements that succeeded while a workstation opened a scratch schema, and the
        extensions they created in it."""
        scratch = f"tpl_{uuid.uuid4().hex[:12]}"
        recorded: list[Statement] = []

        def record(
            conn: Connection, cursor: Any, sql: str, parameters: Any, context: Any, executemany: bool
        ) -> None:
            if conn.engine.url.query.get("options") != f"-csearch_path={scratch}":
                return  # another engine (the admin's, another test's)
            if not sql.lstrip().upper().startswith(READS):
                recorded.append(Statement(sql, parameters, executemany))

        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{scratch}"'))
            # After the execution: a statement that failed (inside a savepoint) is not replayed.
            event.listen(Engine, "after_cursor_execute", record)
            try:
                self.make(schema_url(base, scratch), self.key_file, self.folder / "backups")
            finally:
                event.remove(Engine, "after_cursor_execute", record)
            with admin.connect() as conn:
                extensions = list(
                    conn.execute(
                        text(
                            "SELECT e.extname FROM pg_extension e JOIN pg_namespace n "
                            "ON n.oid = e.extnamespace WHERE n.nspname = :scratch"
                        ),
                        {"scratch": scratch},
                    ).scalars()
                )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{scratch}" CASCADE'))
            admin.dispose()
        # A statement naming the scratch schema (a migration qualifying a name it looked up) cannot
        # be replayed elsewhere.
        naming = [s.sql for s in recorded if scratch in s.sql or scratch in repr(s.parameters)]
        if naming and not extensions:
            raise RuntimeError(f"the migration names its own schema; cannot replay: {naming[:3]}")
        return recorded, extensions
