"""Engine and session setup for SQLite (embedded default) and PostgreSQL (several workstations)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, configure_mappers, sessionmaker
from sqlalchemy.pool import QueuePool

from desktop_app.domain.errors import KeyMismatch
from desktop_app.store.base import utcnow
from desktop_app.store.crypto import Keyring
from desktop_app.store.models import AppMeta

if TYPE_CHECKING:
    from desktop_app.store.witness import WitnessFile

# Where a transaction leaves the audit entry it appended last (store.audit sets it).
AUDIT_TIP = "audit_tip"

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 15_000
# PostgreSQL's counterpart: a statement waiting this long for a lock (a row another workstation's
# transaction holds, the audit head) fails instead of waiting for ever. A write holds the audit head
# for its own duration only — an import about a second per 10,000 rows — so this is ample.
PG_LOCK_TIMEOUT_MS = 15_000
KEY_FINGERPRINT = "key_fingerprint"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # pysqlite's own transaction handling would defer BEGIN; we issue BEGIN ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that read first and then
        # writes can fail with SQLITE_BUSY instead of waiting its turn.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Connections are kept (opening one and setting its pragmas costs ~0.5 ms, a tenth of a
        # lookup); pysqlite's thread check is off so the pool may hand one to another thread, which
        # SQLAlchemy serialises (one checkout at a time per connection).
        engine = create_engine(
            parsed,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=8,
            connect_args={"check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # Added to the URL's own server options (a search_path, say), which connect_args would replace.
        given = parsed.query.get("options", "")
        options = " ".join(
            [*(given if isinstance(given, tuple) else [given]), f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}"]
        )
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_size=2,
            max_overflow=4,
            connect_args={
                "connect_timeout": 10,
                "application_name": "integrity-desk",
                "options": options.strip(),
            },
        )
    raise ValueError(f"unsupported database: {backend}")


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether a driver error is a lock wait that ran out (SQLite's busy timeout, PostgreSQL's
    lock_timeout): another workstation held the data too long, nothing is wrong with it."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) == "55P03":  # lock_not_available
        return True
    return type(orig).__name__ == "OperationalError" and "database is locked" in str(orig)


class Database:
    """One database, its keys and this workstation's name; hands out sessions to the services."""

    def __init__(
        self,
        url: str,
        keyring: Keyring,
        workstation: str = "workstation",
        clock: Callable[[], datetime] = utcnow,
        engine: Engine | None = None,
    ) -> None:
        # Every model known and every mapper configured before the first session: otherwise a
        # thread importing a model module (the start-up's warm-up) can meet another thread's first
        # query configuring the mappers while the module is half defined.
        import desktop_app.store.all_models  # noqa: F401

        configure_mappers()
        self.url = url
        self.engine = engine or make_engine(url)
        self.engine.dialect.integrity_keyring = keyring  # type: ignore[attr-defined]
        self.keyring = keyring
        self.workstation = workstation[:64]
        self.clock = clock
        self.backend = self.engine.dialect.name
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.backend == "sqlite"
            else self.engine
        )
        self._write = sessionmaker(writer, expire_on_commit=False)
        # This workstation's sealed witness of the audit chain (store.witness); set by open_database.
        self.witness: WitnessFile | None = None
        # What the server offers beyond the schema (an index a migration made only where it could),
        # learnt on first use by the service that needs it.
        self.capabilities: dict[str, bool] = {}

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back otherwise."""
        factory = self._write if write else self._read
        with factory() as session:
            session.info["database"] = self
            with session.begin():
                yield session
            tip = session.info.get(AUDIT_TIP)
        if tip is not None and self.witness is not None:
            # Committed: from now on this workstation has seen the chain reach this entry.
            self.witness.saw(tip)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today where this workstation is: the day a verdict or a default date is for."""
        return self.clock().astimezone().date()

    def check_key(self) -> bool:
        """Compare the key file with the fingerprint the database remembers; store it on first use.

        Returns True when the fingerprint was stored now (a new database)."""
        with self.session(write=True) as session:
            stored = session.get(AppMeta, KEY_FINGERPRINT)
            if stored is None:
                session.add(AppMeta(key=KEY_FINGERPRINT, value=self.keyring.fingerprint))
                session.add(AppMeta(key="created_at", value=self.now().isoformat()))
                return True
            if stored.value != self.keyring.fingerprint:
                raise KeyMismatch(
                    "密钥文件与此数据库不匹配：请使用创建该数据库时生成的密钥文件"
                    "（多工作站须共用同一份密钥文件）。"
                )
            return False

    def is_empty_of_users(self) -> bool:
        from desktop_app.store.models import User

        with self.session() as session:
            return session.scalar(select(User.id).limit(1)) is None

    def dispose(self) -> None:
        self.engine.dispose()
