"""Shared fixtures: every test gets its own data folder, a migrated database and a fixed clock.

The database is a copy of one migrated once per session (tests/database_template.py).

The clock (``desktop_app.clock``) stands at ``suite_now()`` (tests/suite_clock.py), in the hall's time
zone (TZ is Asia/Shanghai for the whole run), and moves one microsecond per reading;
INTEGRITY_DESK_TEST_NOW sets another instant (``INTEGRITY_DESK_TEST_NOW=2026-12-31T23:59:59+08:00``:
the suite must pass on the eve of a new year too). A test that needs time to pass advances
``fixed_clock``.

Tests marked by the ``db_url`` fixture run twice: on SQLite and on the PostgreSQL server named by
INTEGRITY_DESK_TEST_PG_URL (each test in a schema of its own, dropped afterwards). In CI a missing
server is an error, never a skip. GUI tests (tests/ui) run on SQLite only, except the flows marked
``both_databases`` (tests/ui/conftest.py): the screens show what the services return, and those are
tested on both.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "zh_CN.UTF-8")

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from desktop_app import clock, paths
from desktop_app.domain.roles import Role
from desktop_app.services import auth
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from desktop_app.store.migrate import open_database
from tests.database_template import DatabaseTemplate, schema_url
from tests.suite_clock import HALL_ZONE, suite_now

# Local dates are the hall's, whatever the machine running the tests is set to.
os.environ["TZ"] = HALL_ZONE
time.tzset()

PG_ENV = "INTEGRITY_DESK_TEST_PG_URL"
ADMIN_PASSWORD = "Admin#2026"
DEFAULT_PASSWORD = "Passw0rd#x"


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[clock.SteppingClock]:
    """The application's clock for this test: suite_now(), one microsecond further at each reading."""
    stepping = clock.SteppingClock(suite_now())
    clock.set_clock(stepping)
    yield stepping
    clock.set_clock(None)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The product uses argon2id's RFC 9106 costs; tests verify behaviour, not cost.
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[paths.Locations]:
    home = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    monkeypatch.delenv("INTEGRITY_DESK_DB_URL", raising=False)
    monkeypatch.delenv(paths.KEY_FILE_ENV, raising=False)
    monkeypatch.delenv("INTEGRITY_DESK_PASSWORD", raising=False)
    where = paths.set_home(home)
    where.ensure()
    yield where
    paths.set_home(None)


def pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI"):
        raise RuntimeError(f"{PG_ENV} is not set: the PostgreSQL tests must run in CI")
    return url


@pytest.fixture
def pg_schema_url(database_template: DatabaseTemplate) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    base = pg_base_url()
    if not base:
        pytest.skip(f"{PG_ENV} not set (outside CI)")
    database_template.prepare_server()
    database_template.settle()  # no template schema made or dropped meanwhile
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, isolated_home: paths.Locations) -> str:
    """Where the test's database is: an SQLite file not yet made, or a fresh PostgreSQL schema (empty,
    or already a copy of the template when the test uses ``database``: made while the last test ran)."""
    if request.param == "sqlite":
        return f"sqlite:///{isolated_home.database.as_posix()}"
    if "database" not in request.fixturenames or not pg_base_url():
        return str(request.getfixturevalue("pg_schema_url"))
    template: DatabaseTemplate = request.getfixturevalue("database_template")
    request.getfixturevalue("fixed_clock")  # the template is first migrated under the test's clock
    url = template.take_postgresql()
    request.addfinalizer(lambda: template.drop_postgresql(url))
    return url


@pytest.fixture
def sqlite_url(isolated_home: paths.Locations) -> str:
    return f"sqlite:///{isolated_home.database.as_posix()}"


def open_test_database(url: str, where: paths.Locations, workstation: str = "ws-test") -> Database:
    database, _ = open_database(url, where.default_key_file, where.backups, workstation, daily_backup=False)
    return database


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplate]:
    """Migrated once per session (each backend when first needed), copied for each test."""
    template = DatabaseTemplate(tmp_path_factory.mktemp("template"), os.environ.get(PG_ENV))
    yield template
    template.close()


@pytest.fixture
def database(
    db_url: str,
    isolated_home: paths.Locations,
    database_template: DatabaseTemplate,
    fixed_clock: clock.SteppingClock,
) -> Iterator[Database]:
    """A migrated database of this test's own: a copy of the session's template, opened as before."""
    database_template.fill(db_url, isolated_home)
    database = open_test_database(db_url, isolated_home)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(
    sqlite_url: str,
    isolated_home: paths.Locations,
    database_template: DatabaseTemplate,
    fixed_clock: clock.SteppingClock,
) -> Iterator[Database]:
    database_template.fill(sqlite_url, isolated_home)
    database = open_test_database(sqlite_url, isolated_home)
    yield database
    database.dispose()


@pytest.fixture
def services(database: Database) -> Services:
    return Services(database)


@pytest.fixture
def admin(services: Services) -> CurrentUser:
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
    return services.auth.login("sysadmin", ADMIN_PASSWORD)


def make_user(
    services: Services,
    admin: CurrentUser,
    username: str,
    *roles: Role,
    department: str = "评审科",
    password: str = DEFAULT_PASSWORD,
) -> CurrentUser:
    """Create an account (no forced change) and sign it in."""
    dept_id = next(d.id for d in services.organisation.departments() if d.name == department)
    services.users.create(
        admin,
        username=username,
        display_name=username,
        roles=set(roles),
        password=password,
        department_id=dept_id if Role.SUPERVISOR in roles else None,
        must_change_password=False,
    )
    PASSWORDS[username] = password
    confirm_pending(services, username)
    return services.auth.login(username, password)


PASSWORDS: dict[str, str] = {}  # what make_user gave each account (the confirmer signs in with it)


def confirm_pending(services: Services, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Put into effect the roles waiting for a leader (or the audit admin), as the first of them:
    once the center has a leader, roles given by the system admin wait (services/duties)."""
    accounts = services.users.list()
    info = next(u for u in accounts if u.username == username)
    if not info.pending_roles:
        return
    wanted = Role.AUDIT_ADMIN if set(info.pending_roles) == {Role.AUDIT_ADMIN} else Role.LEADER
    for other in accounts:
        if other.id != info.id and other.active and wanted in other.roles:
            confirmer = services.auth.login(other.username, PASSWORDS.get(other.username, password))
            services.users.confirm(confirmer, info.id)
            return
    raise AssertionError(f"no {wanted} to confirm {username}")


# Signed-in accounts of each business role (the credit, complaint and scoring tests act as them).
@pytest.fixture
def leader(services: Services, admin: CurrentUser) -> CurrentUser:
    return make_user(services, admin, "leader1", Role.LEADER)


@pytest.fixture
def supervisor(services: Services, admin: CurrentUser) -> CurrentUser:
    return make_user(services, admin, "super1", Role.SUPERVISOR)


@pytest.fixture
def clerk(services: Services, admin: CurrentUser) -> CurrentUser:
    return make_user(services, admin, "clerk1", Role.HALL_STAFF)
