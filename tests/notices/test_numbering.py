"""Numbering of issued documents: per type and year, gapless, never reused, also when several
workstations (several ``Database`` objects on one PostgreSQL, or threads on one SQLite file) issue at
once, and when an issue fails half-way."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import ADMIN_PASSWORD, open_test_database
from sqlalchemy import func, select

from desktop_app.domain.errors import ValidationError
from desktop_app.notices import documents
from desktop_app.notices.fonts import MissingGlyphs
from desktop_app.services.facade import Services
from desktop_app.store.notice_models import IssuedNotice, NoticeCopy, NoticeCounter

from . import support

YEAR = 2026


@pytest.fixture
def clock(database) -> Callable[[datetime], None]:
    """Fix the database clock (mid-year, so the local time zone cannot move the year)."""

    def set_to(when: datetime) -> None:
        database.clock = lambda: when

    set_to(datetime(YEAR, 6, 15, 9, 30, tzinfo=UTC))
    return set_to


def numbers(services: Services) -> list[str]:
    with services.db.session() as session:
        return list(session.scalars(select(IssuedNotice.number).order_by(IssuedNotice.id)))


def counter(services: Services, doc_type: str, year: int = YEAR) -> int | None:
    with services.db.session() as session:
        row = session.get(NoticeCounter, (doc_type, year))
        return None if row is None else row.last_serial


def test_numbers_per_type_and_year(services, admin, clock):
    issued = [services.notices.issue(admin, "test_page", support.test_page()).number for _ in range(3)]
    assert issued == ["CS2026-000001", "CS2026-000002", "CS2026-000003"]
    assert services.notices.issue(admin, "receipt", support.receipt()).number == "HZ2026-000001"
    assert (
        services.notices.issue(admin, "official_notice", support.official_notice()).number == "TZ2026-000001"
    )
    assert services.notices.issue(admin, "table_report", support.table_report(5)).number == "BB2026-000001"
    assert services.notices.issue(admin, "test_page", support.test_page()).number == "CS2026-000004"
    clock(datetime(YEAR + 1, 6, 1, tzinfo=UTC))  # a new year starts again at 1
    assert services.notices.issue(admin, "test_page", support.test_page()).number == "CS2027-000001"
    assert services.notices.issue(admin, "receipt", support.receipt()).number == "HZ2027-000001"
    with services.db.session() as session:
        rows = session.execute(select(IssuedNotice.doc_type, IssuedNotice.year, IssuedNotice.serial)).all()
    assert sorted(rows) == sorted(
        [("test_page", YEAR, n) for n in (1, 2, 3, 4)]
        + [("receipt", YEAR, 1), ("official_notice", YEAR, 1), ("table_report", YEAR, 1)]
        + [("test_page", YEAR + 1, 1), ("receipt", YEAR + 1, 1)]
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_unknown_type_is_refused(services, admin):
    with pytest.raises(ValidationError, match="未知文书类型"):
        services.notices.issue(admin, "no_such_type", support.test_page())
    assert numbers(services) == []


def test_a_failed_issue_consumes_no_number(services, admin, clock, monkeypatch):
    first = services.notices.issue(admin, "test_page", support.test_page())
    assert first.number == "CS2026-000001"

    real_render = documents.render

    def broken(*args: Any, **kwargs: Any) -> bytes:
        real_render(*args, **kwargs)  # the number was taken, the PDF made: then the disk fails
        raise OSError("disk full")

    monkeypatch.setattr(documents, "render", broken)
    with pytest.raises(OSError):
        services.notices.issue(admin, "test_page", support.test_page())
    monkeypatch.setattr(documents, "render", real_render)
    assert counter(services, "test_page") == 1

    # A document the font cannot print fails inside the same transaction: no number either.
    bad = support.receipt()
    with pytest.raises(MissingGlyphs):
        services.notices.issue(admin, "receipt", type(bad)(bad.center_name, "回执", (("投诉人", "𠮷"),)))
    assert counter(services, "receipt") is None

    assert services.notices.issue(admin, "test_page", support.test_page()).number == "CS2026-000002"
    assert services.notices.issue(admin, "receipt", support.receipt()).number == "HZ2026-000001"
    assert numbers(services) == ["CS2026-000001", "CS2026-000002", "HZ2026-000001"]
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(NoticeCopy)) == 3
    # Neither failure left an audit entry.
    assert len(audit_rows(services, "notice.issue")) == 3


def audit_rows(services: Services, action: str) -> list[Any]:
    from desktop_app.store.models import AuditEntry

    with services.db.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _issue_concurrently(
    url: str, where: Any, actor: Any, workers: int, per_worker: int, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """``workers`` workstations (each its own Database, engine and pool) issuing at once."""
    # Numbering is what is under test: a stand-in PDF keeps 1000 issues fast (a real render only
    # holds the counter row lock longer; it cannot change which number a transaction gets).
    monkeypatch.setattr(
        documents, "render", lambda layout, document, stamp, demo=False: f"%PDF {stamp.number}".encode()
    )
    databases = [open_test_database(url, where, workstation=f"ws-{n:02d}") for n in range(workers)]
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(workers)

    def work(database: Any) -> None:
        try:
            service = Services(database).notices
            start.wait(timeout=60)
            mine = [service.issue(actor, "test_page", support.test_page()).number for _ in range(per_worker)]
            with lock:
                results.extend(mine)
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(db,)) for db in databases]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        for database in databases:
            database.dispose()
    assert not errors, errors
    return results


def _expect_gapless(results: list[str], total: int, services: Services, year: int) -> None:
    assert len(results) == total
    assert sorted(results) == [f"CS{year}-{n:06d}" for n in range(1, total + 1)]
    with services.db.session() as session:
        serials = sorted(
            session.scalars(select(IssuedNotice.serial).where(IssuedNotice.doc_type == "test_page"))
        )
        workstations = set(session.scalars(select(IssuedNotice.workstation)))
    assert serials == list(range(1, total + 1))
    assert counter(services, "test_page", year) == total
    assert len(workstations) > 1


def test_twenty_workstations_on_postgresql_get_gapless_distinct_numbers(
    pg_schema_url, isolated_home, monkeypatch
):
    setup = open_test_database(pg_schema_url, isolated_home)
    try:
        services = Services(setup)
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
        actor = services.auth.login("sysadmin", ADMIN_PASSWORD)
        year = setup.now().astimezone().year
        results = _issue_concurrently(pg_schema_url, isolated_home, actor, 20, 50, monkeypatch)
        _expect_gapless(results, 1000, services, year)
        assert len(audit_rows(services, "notice.issue")) == 1000
    finally:
        setup.dispose()


def test_threads_on_one_sqlite_file_get_gapless_distinct_numbers(sqlite_url, isolated_home, monkeypatch):
    setup = open_test_database(sqlite_url, isolated_home)
    try:
        services = Services(setup)
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
        actor = services.auth.login("sysadmin", ADMIN_PASSWORD)
        year = setup.now().astimezone().year
        results = _issue_concurrently(sqlite_url, isolated_home, actor, 6, 25, monkeypatch)
        _expect_gapless(results, 150, services, year)
    finally:
        setup.dispose()


def test_concurrent_reprints_are_all_counted(db_url, isolated_home):
    """Workstations reprinting the same notice at once: every reprint counted, none lost."""
    setup = open_test_database(db_url, isolated_home)
    try:
        services = Services(setup)
        services.auth.create_first_admin("sysadmin", ADMIN_PASSWORD, "系统管理员")
        actor = services.auth.login("sysadmin", ADMIN_PASSWORD)
        number = services.notices.issue(actor, "receipt", support.receipt()).number
        databases = [open_test_database(db_url, isolated_home, f"ws-{n}") for n in range(6)]
        errors: list[BaseException] = []
        start = threading.Barrier(len(databases))

        def work(database: Any) -> None:
            try:
                start.wait(timeout=60)
                for _ in range(4):
                    Services(database).notices.reprint(actor, number)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(db,)) for db in databases]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        for database in databases:
            database.dispose()
        assert not errors, errors
        with services.db.session() as session:
            notice = session.scalar(select(IssuedNotice).where(IssuedNotice.number == number))
            assert notice is not None
            copies = session.scalar(
                select(func.count()).select_from(NoticeCopy).where(NoticeCopy.kind == "reprint")
            )
        assert copies == 24
        assert notice.reprints == 24
        assert services.notices.verify(actor, number, notice.verify_code).reprints == 24
    finally:
        setup.dispose()
