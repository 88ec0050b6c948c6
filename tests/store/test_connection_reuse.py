"""SQLite connections are kept between sessions: opening one (and setting its pragmas) cost ~0.5 ms,
a tenth of a lookup at the entry desk."""

from __future__ import annotations

from sqlalchemy import event, text

from desktop_app.store.database import Database


def test_sessions_reuse_one_sqlite_connection(sqlite_database: Database) -> None:
    opened: list[object] = []
    event.listen(sqlite_database.engine, "connect", lambda *_: opened.append(1))
    sqlite_database.engine.dispose()  # start from an empty pool
    for _ in range(5):
        with sqlite_database.session() as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1  # pragmas still set
    with sqlite_database.session(write=True) as session:
        session.execute(text("SELECT 1"))
    assert len(opened) == 1


def test_opening_a_database_configures_every_mapper_first() -> None:
    """A worker thread may still be importing a model module when another thread runs its first
    query: the mappers are configured once, complete, when a Database is made (the start-up's
    warm-up thread met exactly that: "SubjectAlias is not defined")."""
    import subprocess
    import sys

    probe = (
        "from desktop_app.store.crypto import Keyring\n"
        "from desktop_app.store.database import Database\n"
        "from desktop_app.store.base import Base\n"
        "Database('sqlite://', Keyring.generate())\n"
        "import sys\n"
        "assert 'desktop_app.store.credit_models' in sys.modules\n"
        "print(all(m.configured for m in Base.registry.mappers))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
