"""Alembic environment. The application runs migrations through desktop_app.store.migrate, which
passes an open connection; the alembic command line (for developers) uses the URL in alembic.ini's
``sqlalchemy.url`` or INTEGRITY_DESK_DB_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

import desktop_app.store.all_models  # noqa: F401  (registers every table on Base.metadata)
from desktop_app.store.base import Base, UTCDateTime
from desktop_app.store.crypto import EncryptedPII

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = os.environ.get("INTEGRITY_DESK_DB_URL") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes plain SQLAlchemy types: a script must not change when the app's types do."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if type_ == "type" and isinstance(obj, EncryptedPII):
        return "sa.LargeBinary()"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
