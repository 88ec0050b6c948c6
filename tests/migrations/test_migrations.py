"""Alembic is the only way the schema changes: every revision upgrades to a schema that matches the
models exactly, on SQLite and PostgreSQL; newer databases are refused untouched; SQLite is backed up
before an upgrade; damaged files are refused; workstations opening one fresh database together migrate
it once."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import ADMIN_PASSWORD, open_test_database
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

import desktop_app.store.all_models  # noqa: F401
from desktop_app import paths
from desktop_app.clock import SteppingClock
from desktop_app.domain.errors import DatabaseTooNew, DomainError
from desktop_app.services.complaints.listing import TEXT_INDEXES
from desktop_app.services.credit.search import TRIGRAM_INDEX
from desktop_app.services.facade import Services
from desktop_app.store import audit, migrate
from desktop_app.store.backup_files import BackupPolicy
from desktop_app.store.base import Base
from desktop_app.store.crypto import Keyring
from desktop_app.store.database import Database, make_engine
from desktop_app.store.migrate import alembic_config, head_revision, open_database, script_directory
from desktop_app.store.models import AppMeta, AuditHead, Staff
from tests.builders import SAMPLE_ID

NEWER = "ffffffffffff"


def all_revisions() -> list[str]:
    """Every revision in db/versions, oldest first (walked, never listed by hand)."""
    return [rev.revision for rev in reversed(list(script_directory().walk_revisions()))]


def run_alembic(engine: Engine, action: str, target: str) -> None:
    """Run alembic the way the application does: on an open connection, foreign keys off on SQLite."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        with conn.begin():
            getattr(command, action)(cfg, target)


def not_the_trigram_index(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """PostgreSQL's trigram index is made by migration 0006 where the server can, and is no model's."""
    return not (type_ == "index" and name in {TRIGRAM_INDEX, *TEXT_INDEXES})


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": not_the_trigram_index}
        )
        return list(compare_metadata(context, Base.metadata))


def revision_of(engine: Engine) -> str | None:
    return migrate.current_revision(engine)


def populate(services: Services) -> int:
    services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    dept = services.organisation.departments()[0].id
    staff = services.organisation.save_staff(
        admin,
        employee_no="S001",
        name="张三",
        department_id=dept,
        phone="13812345678",
        id_number=SAMPLE_ID,
    )
    return staff.id


def test_revisions_form_one_line() -> None:
    revisions = all_revisions()
    assert revisions, "no migration scripts found"
    assert revisions[-1] == head_revision()
    assert len(script_directory().get_heads()) == 1


@pytest.mark.parametrize("revision", [None, *all_revisions()], ids=lambda r: r or "empty")
def test_database_at_every_revision_upgrades_to_the_models(
    revision: str | None, db_url: str, isolated_home: paths.Locations
) -> None:
    engine = make_engine(db_url)
    try:
        if revision is not None:
            run_alembic(engine, "upgrade", revision)
        assert revision_of(engine) == revision
    finally:
        engine.dispose()

    database, report = open_database(
        db_url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=False
    )
    try:
        assert report.upgraded is (revision != head_revision())
        assert report.upgraded_from == (revision if report.upgraded else None)
        assert revision_of(database.engine) == head_revision()
        assert schema_differences(database.engine) == []
        # The upgraded database works: accounts, sealed personal data, a verifying audit chain.
        services = Services(database)
        staff_id = populate(services)
        admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
        assert services.organisation.staff()[0].phone_masked == "138****5678"
        assert staff_id
        assert services.audit_log.verify(admin_audit(services, admin)).intact
    finally:
        database.dispose()


def admin_audit(services: Services, admin: Any) -> Any:
    """An audit admin account, signed in (the system admin cannot read the audit log)."""
    from desktop_app.domain.roles import Role

    services.users.create(
        admin,
        username="auditor",
        display_name="审计员",
        roles={Role.AUDIT_ADMIN},
        password="Audit#2026x",
        must_change_password=False,
    )
    return services.auth.login("auditor", "Audit#2026x")


def test_head_schema_matches_models(database: Any) -> None:
    assert revision_of(database.engine) == head_revision()
    assert schema_differences(database.engine) == []


def test_downgrade_to_base_and_back(database: Any, isolated_home: paths.Locations) -> None:
    populate(Services(database))
    engine = database.engine
    run_alembic(engine, "downgrade", "base")
    assert revision_of(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    run_alembic(engine, "upgrade", "head")
    assert revision_of(engine) == head_revision()
    assert schema_differences(engine) == []
    database.dispose()
    reopened = open_test_database(database.url, isolated_home)
    try:
        assert reopened.is_empty_of_users()
    finally:
        reopened.dispose()


@pytest.mark.parametrize(
    "revision",
    [r for r in all_revisions() if script_directory().get_revision(r).down_revision is not None],
)
def test_step_down_and_up_keeps_the_data(
    revision: str, database: Any, isolated_home: paths.Locations
) -> None:
    """Downgrade one step below a revision with data in, and let open_database bring it back."""
    services = Services(database)
    staff_id = populate(services)
    below = script_directory().get_revision(revision).down_revision
    assert isinstance(below, str)
    database.dispose()
    run_alembic(database.engine, "downgrade", below)
    assert revision_of(database.engine) == below

    reopened, report = open_database(
        database.url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=False
    )
    try:
        assert report.upgraded and report.upgraded_from == below
        assert schema_differences(reopened.engine) == []
        with reopened.session() as session:
            staff = session.get(Staff, staff_id)
            assert staff is not None and staff.phone == "13812345678"
            assert audit.verify(session, reopened.keyring).intact
        again = Services(reopened)
        again.auth.login("sysadmin", ADMIN_PASSWORD)
        if migrate.sqlite_path(database.url) is not None:
            # SQLite: a copy of the database as it was, before the upgrade touched it.
            assert report.backup is not None and report.backup.is_file()
            assert "before-upgrade" in report.backup.name
            copy = create_engine(f"sqlite:///{report.backup.as_posix()}")
            try:
                assert revision_of(copy) == below
            finally:
                copy.dispose()
        else:
            assert report.backup is None
    finally:
        reopened.dispose()


# -- a newer database --------------------------------------------------------------------------
def stamp(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_newer_database_is_refused_and_left_untouched(db_url: str, isolated_home: paths.Locations) -> None:
    database = open_test_database(db_url, isolated_home)
    populate(Services(database))
    stamp(database.engine, NEWER)
    database.dispose()
    path = migrate.sqlite_path(db_url)
    before = path.read_bytes() if path else None
    backups_before = sorted(isolated_home.backups.iterdir())

    with pytest.raises(DatabaseTooNew) as caught:
        open_database(db_url, isolated_home.default_key_file, isolated_home.backups, "ws")
    assert NEWER in caught.value.message

    if path is not None:
        assert path.read_bytes() == before
    assert sorted(isolated_home.backups.iterdir()) == backups_before
    engine = create_engine(db_url)
    try:
        assert revision_of(engine) == NEWER
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
    finally:
        engine.dispose()


# -- SQLite files --------------------------------------------------------------------------------
def test_garbage_file_is_refused_with_a_clear_message(isolated_home: paths.Locations) -> None:
    path = isolated_home.database
    path.write_bytes(b"this is not a database, it is a note someone saved here\n" * 200)
    before = path.read_bytes()
    with pytest.raises(DomainError) as caught:
        open_database(
            f"sqlite:///{path.as_posix()}", isolated_home.default_key_file, isolated_home.backups, "ws"
        )
    assert "损坏" in caught.value.message and "备份" in caught.value.message
    assert path.read_bytes() == before
    assert not isolated_home.default_key_file.exists()


def test_damaged_pages_are_refused(sqlite_url: str, isolated_home: paths.Locations) -> None:
    database = open_test_database(sqlite_url, isolated_home)
    services = Services(database)
    populate(services)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    for number in range(60):
        services.organisation.save_staff(
            admin, employee_no=f"N{number:03d}", name=f"人员{number}", department_id=1, post="窗口" * 20
        )
    database.dispose()
    path = isolated_home.database
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset + 8 : offset + page] = b"\xa5" * (page - 8)
    path.write_bytes(bytes(data))
    with pytest.raises(DomainError) as caught:
        open_test_database(sqlite_url, isolated_home)
    assert "损坏" in caught.value.message


def _damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset + 8 : offset + page] = b"\xa5" * (page - 8)
    path.write_bytes(bytes(data))


def test_page_walk_runs_once_a_day_before_the_daily_backup(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    """A large file is walked page by page once a day (before the daily backup, which must never copy a
    damaged file); later starts that day read only the header and the schema."""
    where = isolated_home

    def start() -> Database:
        return open_database(sqlite_url, where.default_key_file, where.backups, "ws", daily_backup=True)[0]

    database = start()
    services = Services(database)
    populate(services)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    for number in range(60):
        services.organisation.save_staff(
            admin, employee_no=f"N{number:03d}", name=f"人员{number}", department_id=1, post="窗口" * 20
        )
    database.dispose()
    for backup in where.backups.glob("*.sqlite3"):
        backup.unlink()  # as on the next morning: no backup of today yet
    _damage_pages(where.database)
    with pytest.raises(DomainError) as caught:
        start()
    assert "损坏" in caught.value.message
    assert not list(where.backups.glob("*.sqlite3")), "a damaged file was backed up"


def test_later_starts_of_the_day_still_refuse_a_file_that_is_not_a_database(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    where = isolated_home
    for _ in range(2):  # created, then the first start of the day with a file: walked and backed up
        open_database(sqlite_url, where.default_key_file, where.backups, "ws", daily_backup=True)[0].dispose()
    assert list(where.backups.glob("*-daily.sqlite3")), "the first start of the day made its backup"
    where.database.write_bytes(b"not a database" * 500)
    with pytest.raises(DomainError) as caught:
        open_database(sqlite_url, where.default_key_file, where.backups, "ws", daily_backup=True)
    assert "损坏" in caught.value.message


def test_backup_before_upgrade_is_a_consistent_copy(sqlite_url: str, isolated_home: paths.Locations) -> None:
    database = open_test_database(sqlite_url, isolated_home)
    populate(Services(database))
    database.dispose()
    made = migrate.automatic_backup(isolated_home.database, isolated_home.backups, "test", database.now())
    check = sqlite3.connect(made)
    try:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("SELECT count(*) FROM users").fetchone() == (1,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        check.close()


def test_daily_backup_once_a_day(sqlite_url: str, isolated_home: paths.Locations) -> None:
    first, report = open_database(
        sqlite_url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=True
    )
    first.dispose()
    assert report.new_database and report.backup is None  # nothing to save yet
    second, report = open_database(
        sqlite_url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=True
    )
    second.dispose()
    assert report.backup is not None and "daily" in report.backup.name
    third, report = open_database(
        sqlite_url, isolated_home.default_key_file, isolated_home.backups, "ws", daily_backup=True
    )
    third.dispose()
    assert report.backup is None


def test_the_daily_backup_follows_the_hall_day(
    sqlite_url: str, isolated_home: paths.Locations, fixed_clock: SteppingClock
) -> None:
    """The first start of each day in the hall backs up, named in the hall's time: a UTC day would
    start at 08:00 there, skipping the backup of a start just after midnight and making a second
    one in the morning."""
    where = isolated_home
    hall = ZoneInfo("Asia/Shanghai")
    fixed_clock.current = datetime(2026, 12, 31, 23, 58, tzinfo=hall).astimezone(UTC)

    def start() -> str | None:
        database, report = open_database(
            sqlite_url, where.default_key_file, where.backups, "ws", daily_backup=True
        )
        database.dispose()
        return report.backup.name if report.backup is not None else None

    assert start() is None  # a new database: nothing to save yet
    assert (start() or "").startswith("integrity-desk-20261231-2358")
    assert start() is None
    fixed_clock.advance(timedelta(minutes=4))  # 00:02 on New Year's Day
    assert (start() or "").startswith("integrity-desk-20270101-0002")
    fixed_clock.advance(timedelta(hours=8, minutes=28))  # 08:30: a new UTC day, the same hall day
    assert start() is None


def test_automatic_rotation_never_deletes_manual_backups(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    database = open_test_database(sqlite_url, isolated_home)
    services = Services(database)
    populate(services)
    admin = services.auth.login("sysadmin", ADMIN_PASSWORD)
    manual = services.maintenance.backup(admin, None, isolated_home.backups)
    assert manual.is_file()
    start = database.now()
    from datetime import timedelta

    policy = BackupPolicy(daily_kept=5, monthly_kept=0)
    for day in range(1, 10):
        migrate.automatic_backup(
            isolated_home.database, isolated_home.backups, "daily", start + timedelta(days=day), policy
        )
    database.dispose()
    assert manual.is_file(), "an automatic rotation deleted the administrator's own backup"
    automatic = [p for p in isolated_home.backups.iterdir() if "-daily" in p.name]
    assert len(automatic) == policy.daily_kept


def test_install_folder_with_space_and_percent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str, isolated_home: paths.Locations
) -> None:
    """The bundle may live in "C:\\Program Files\\..." or under a user name with a space."""
    bundle = tmp_path / "Program Files 100%" / "Integrity Desk"
    shutil.copytree(paths.db_dir(), bundle / "db", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "db_dir", lambda: bundle / "db")
    assert all_revisions() == [r.revision for r in reversed(list(script_directory().walk_revisions()))]
    database = open_test_database(sqlite_url, isolated_home)
    try:
        assert revision_of(database.engine) == head_revision()
    finally:
        database.dispose()


# -- several workstations at once ---------------------------------------------------------------
def test_workstations_opening_a_fresh_postgresql_database_together(
    pg_schema_url: str,
    isolated_home: paths.Locations,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Keyring.generate().save(isolated_home.default_key_file)  # the hall shares one key file
    count = 4
    barrier = threading.Barrier(count)
    # Widen the race window: hold every workstation at the key check until all have arrived. When
    # opening is properly serialised only one can be there at a time, and the gate gives up in 1 s.
    gate = threading.Barrier(count, timeout=1.0)
    check_key = Database.check_key

    def gated_check_key(self: Database) -> bool:
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        return check_key(self)

    monkeypatch.setattr(Database, "check_key", gated_check_key)
    errors: list[BaseException] = []
    opened: list[Any] = []

    def workstation(number: int) -> None:
        try:
            barrier.wait()
            database, _ = open_database(
                pg_schema_url,
                isolated_home.default_key_file,
                isolated_home.backups,
                f"ws-{number}",
                daily_backup=False,
            )
            opened.append(database)
        except BaseException as exc:
            errors.append(exc)

    with caplog.at_level(logging.INFO, logger="alembic.runtime.migration"):
        threads = [threading.Thread(target=workstation, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    try:
        assert errors == []
        assert len(opened) == count
        runs = [r for r in caplog.records if r.getMessage().startswith("Running upgrade  -> ")]
        assert len(runs) == 1, "the schema was created more than once"
        with opened[0].session() as session:
            assert session.scalars(select(AppMeta.key)).all().count("key_fingerprint") == 1
            assert session.get(AuditHead, 1) is not None
        services = Services(opened[1])
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD)
        Services(opened[2]).auth.login("sysadmin", ADMIN_PASSWORD)
    finally:
        for database in opened:
            database.dispose()


OPENER = """
import sys, time
from pathlib import Path
from desktop_app.store.migrate import open_database
home, url, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
(home / f"ready-{name}").touch()
while not (home / "go").exists():
    time.sleep(0.002)
database, report = open_database(url, home / "keys" / "k", home / "backups", name, daily_backup=False)
database.dispose()
print("opened")
"""


def test_processes_opening_a_fresh_sqlite_file_together(tmp_path: Path) -> None:
    """Copies of the program started at once on the first run (a double click too many): all open
    the new SQLite file, the schema is made once, and they agree on one new key file."""
    home = tmp_path / "shared"
    home.mkdir()
    url = f"sqlite:///{(home / 'db.sqlite3').as_posix()}"
    count = 3
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(home), url, f"ws-{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]
    deadline = time.monotonic() + 30
    while len(list(home.glob("ready-*"))) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    (home / "go").touch()
    outcomes = [worker.communicate(timeout=60) for worker in workers]
    for worker, (out, err) in zip(workers, outcomes, strict=True):
        assert worker.returncode == 0, err[-2000:]
        assert out.strip() == "opened"
    engine = create_engine(url)
    try:
        assert revision_of(engine) == head_revision()
        assert schema_differences(engine) == []
        with engine.connect() as conn:
            stored = conn.execute(
                text("SELECT value FROM app_meta WHERE key = 'key_fingerprint'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert Keyring.load(home / "keys" / "k").fingerprint == stored
    assert [p.name for p in (home / "keys").iterdir()] == ["k"]


def test_postgresql_url_without_driver_is_accepted(
    pg_schema_url: str, isolated_home: paths.Locations
) -> None:
    plain = make_url(pg_schema_url).set(drivername="postgresql").render_as_string(hide_password=False)
    database = open_test_database(plain, isolated_home)
    try:
        assert database.backend == "postgresql"
    finally:
        database.dispose()


def test_fast_revision_graph_agrees_with_alembic() -> None:
    """Start-up reads the revision graph without importing alembic; it must say what alembic says."""
    graph = migrate.known_revisions()
    scripts = {rev.revision: rev.down_revision for rev in script_directory().walk_revisions()}
    assert graph == scripts
    assert migrate.head_revision() == script_directory().get_current_head()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from desktop_app.store.migrate import open_database\n"
        f"home = Path({str(tmp_path)!r})\n"
        "url = f'sqlite:///{home}/x.sqlite3'\n"
        "open_database(url, home / 'k', home / 'b', 'ws')[0].dispose()\n"
        "assert 'alembic' in sys.modules  # the first opening migrates\n"
        "for name in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[name]\n"
        "open_database(url, home / 'k', home / 'b', 'ws')[0].dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_0004_makes_stored_commendations_ungraded(db_url: str, isolated_home: paths.Locations) -> None:
    """A center that entered good records at 0003 (as "general", the only way then) finds them and its
    catalogue "not graded" after the upgrade; bad records keep their grade."""
    engine = make_engine(db_url)
    try:
        run_alembic(engine, "upgrade", "0003")
        with engine.begin() as conn:
            assert conn.scalar(text("SELECT severity FROM credit_rules WHERE kind = 'good'")) == "general"
            conn.execute(
                text(
                    "INSERT INTO credit_subjects (id, kind, name, uscc, identifier_override_reason,"
                    " legal_representative, specialty, note, search_text, created_at, created_by,"
                    " version, updated_at, updated_by) VALUES (1, 'bidder', '华建', '91440101MA5C000019',"
                    " '', '', '', '', '华建', :now, 'x', 1, :now, 'x')"
                ),
                {"now": datetime(2026, 5, 1)},
            )
            for record_id, kind, severity in ((1, "good", "general"), (2, "bad", "general")):
                conn.execute(
                    text(
                        "INSERT INTO credit_records (id, subject_id, kind, severity, status, facts, legal_basis,"
                        " authority, decision_number, decision_date, points, source, source_ref, dedupe_key,"
                        " created_at, created_by, confirmed_by, closed_by, closed_reason, version, updated_at,"
                        " updated_by) VALUES (:id, 1, :kind, :severity, 'confirmed', 'f', '', '', '',"
                        " :day, 3, 'manual', '', :key, :now, 'x', '', '', '', 1, :now, 'x')"
                    ),
                    {
                        "id": record_id,
                        "kind": kind,
                        "severity": severity,
                        "day": date(2026, 5, 1),
                        "key": f"k{record_id}",
                        "now": datetime(2026, 5, 1),
                    },
                )
        run_alembic(engine, "upgrade", "0004")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT severity FROM credit_rules WHERE kind = 'good'")) == "none"
            stored = dict(conn.execute(text("SELECT kind, severity FROM credit_records")).all())
        assert stored == {"good": "none", "bad": "general"}
    finally:
        engine.dispose()


def test_0006_derives_the_infix_initials_of_stored_names(db_url: str, isolated_home: paths.Locations) -> None:
    """Subjects stored before 0006 are found by the initials of a run inside their names after it:
    the rows the migration derives are those the application writes for the same names."""
    from desktop_app.domain.search_text import subject_search_keys

    subjects = {
        1: ("某市鑫鑫建设工程有限公司", ["天河华建有限公司", "东华建"], False),
        2: ("单雄信", [], True),
        3: ("华", [], False),
    }
    engine = make_engine(db_url)
    try:
        run_alembic(engine, "upgrade", "0005")
        with engine.begin() as conn:
            for sid, (name, aliases, person) in subjects.items():
                for initials, rank in subject_search_keys(name, aliases, person).initials:
                    conn.execute(
                        text(
                            "INSERT INTO credit_search_initials (initials, rank, subject_id) VALUES (:i, :r, :s)"
                        ),
                        {"i": initials, "r": rank, "s": sid},
                    )
        run_alembic(engine, "upgrade", "0006")
        with engine.connect() as conn:
            for sid, (name, aliases, person) in subjects.items():
                stored = set(
                    conn.execute(
                        text("SELECT initials, rank FROM credit_search_infix_initials WHERE subject_id = :s"),
                        {"s": sid},
                    ).all()
                )
                assert stored == set(subject_search_keys(name, aliases, person).infix_initials), name
        indexes = {i["name"] for i in inspect(engine).get_indexes("credit_subjects")}
        # The test server has pg_trgm and a UTF-8 LC_CTYPE: the trigram index is made there.
        assert (TRIGRAM_INDEX in indexes) is (engine.dialect.name == "postgresql")
        run_alembic(engine, "downgrade", "0005")
        assert "credit_search_infix_initials" not in inspect(engine).get_table_names()
        assert TRIGRAM_INDEX not in {i["name"] for i in inspect(engine).get_indexes("credit_subjects")}
    finally:
        engine.dispose()
