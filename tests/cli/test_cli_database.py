"""``db current`` and ``db upgrade`` on a database an older program left, and database URLs the
program cannot use: refusals with a reason, never a crash."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine

from desktop_app.store.migrate import alembic_config, head_revision, known_revisions


def step_down(url: str) -> str:
    """Take the database back one revision, as the previous release left it; returns that revision."""
    previous = known_revisions()[head_revision()]
    assert previous is not None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            with conn.begin():
                command.downgrade(cfg, previous)
    finally:
        engine.dispose()
    return previous


def test_a_database_left_by_the_previous_release(admin_cli, isolated_home):
    previous = step_down(f"sqlite:///{isolated_home.database.as_posix()}")
    current = admin_cli("db", "current")
    assert current.code == 0
    assert f"数据库版本：{previous}" in current.out and "需要升级" in current.out
    upgraded = admin_cli("db", "upgrade")
    assert upgraded.code == 0, upgraded.text
    assert f"已升级：{previous} → {head_revision()}" in upgraded.out
    backup = next(isolated_home.backups.glob(f"*-before-upgrade-{previous}.sqlite3"))
    assert f"升级前备份：{backup}" in upgraded.out
    assert upgraded.err == ""  # db upgrade says it on stdout, not as a hint


def test_other_commands_say_that_they_upgraded(admin_cli, isolated_home):
    previous = step_down(f"sqlite:///{isolated_home.database.as_posix()}")
    result = admin_cli("audit", "verify", user="root", password="Boss#2026pw")
    assert result.code == 2  # root is no audit admin: refused, but only after opening
    assert f"提示：数据库已从版本 {previous} 升级（升级前备份：" in result.err


def test_urls_the_program_cannot_use_are_refused_with_a_reason(cli):
    for url, words in (
        ("::not a url::", "数据库地址无效"),
        ("mysql://server/db", "只支持 SQLite 和 PostgreSQL 数据库"),
        ("postgresql+nosuchdriver://server/db", "数据库地址无效"),
    ):
        for args in (("db", "current"), ("db", "upgrade"), ("init", "--admin", "root")):
            result = cli("--db-url", url, *args, stdin="Boss#2026pw\n")
            assert result.code == 2, (url, args, result.text)
            assert words in result.err and "Traceback" not in result.err
