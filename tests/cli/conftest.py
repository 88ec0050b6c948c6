"""Fixtures of the command-line tests: run ``main([...])`` in-process with a given stdin and password.

``cli`` acts on the SQLite database of the test's data folder; ``any_cli`` runs twice, with
``--db-url`` on SQLite and on the PostgreSQL test schema. ``admin_cli`` is ``cli`` after ``init``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from desktop_app import paths
from desktop_app.__main__ import main
from desktop_app.cli import PASSWORD_ENV
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database

ROOT_PASSWORD = "Boss#2026pw"
USER_PASSWORD = "Staff#2026pw"
NEW_PASSWORD = "Fresh#2026pw"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class Cli:
    """Calls ``main`` the way a shell would: arguments, standard input, INTEGRITY_DESK_PASSWORD."""

    def __init__(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        where: paths.Locations,
        db_url: str | None = None,
    ) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.where = where
        self.db_url = db_url
        self.base = ["--db-url", db_url] if db_url else []

    def __call__(
        self, *args: str, stdin: str = "", user: str | None = None, password: str | None = None
    ) -> Result:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        if password is None:
            self.monkeypatch.delenv(PASSWORD_ENV, raising=False)
        else:
            self.monkeypatch.setenv(PASSWORD_ENV, password)
        argv = [*self.base, *(["--user", user] if user else []), *args]
        self.capsys.readouterr()
        code = main(argv)
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    # -- shortcuts ----------------------------------------------------------------------------
    def init(self, admin: str = "root", password: str = ROOT_PASSWORD) -> Result:
        return self("init", "--admin", admin, "--name", "系统管理员", stdin=password + "\n")

    def add_user(
        self,
        username: str,
        *roles: str,
        department: str | None = None,
        password: str = USER_PASSWORD,
        change_required: bool = False,
        confirm: bool = True,
    ) -> Result:
        """``user add`` as root; with ``confirm``, roles left waiting (separation of duties) are then
        confirmed by the first leader (or audit admin), who signs in with ``USER_PASSWORD``."""
        args = ["user", "add", username, "--display-name", f"测试{username}"]
        for role in roles:
            args += ["--role", role]
        if department:
            args += ["--department", department]
        if not change_required:
            args.append("--no-password-change")
        result = self(*args, stdin=password + "\n", user="root", password=ROOT_PASSWORD)
        if confirm and result.code == 0:
            from tests.conftest import confirm_pending

            with self.services() as services:
                confirm_pending(services, username, USER_PASSWORD)
        return result

    @contextmanager
    def services(self) -> Iterator[Services]:
        """The database as the tests see it, opened beside the CLI (no automatic backup)."""
        url = self.db_url or f"sqlite:///{self.where.database.as_posix()}"
        database, _ = open_database(
            url, self.where.default_key_file, self.where.backups, "ws-test", daily_backup=False
        )
        try:
            yield Services(database)
        finally:
            database.dispose()


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated_home: paths.Locations
) -> Cli:
    return Cli(capsys, monkeypatch, isolated_home)


@pytest.fixture
def admin_cli(cli: Cli) -> Cli:
    result = cli.init()
    assert result.code == 0, result.text
    return cli


@pytest.fixture
def any_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: paths.Locations,
    db_url: str,
) -> Cli:
    """Runs the test on SQLite and on PostgreSQL (``--db-url``)."""
    return Cli(capsys, monkeypatch, isolated_home, db_url)
