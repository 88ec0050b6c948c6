"""An import never keeps another desk from signing in or looking up (issue 10, item 8), on SQLite and
PostgreSQL: the rows are read, checked and prepared before the write lock is taken, every connection
waits a bounded time for a lock, and a wait that runs out is a Chinese message, not a driver error.
How long the lock is held is measured in ``benchmarks/import_lock_bench.py``, not here."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import DEFAULT_PASSWORD, open_test_database
from sqlalchemy import func, select, text

from desktop_app import paths
from desktop_app.domain.errors import Conflict
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.importing import SubjectRows
from desktop_app.services.facade import Services
from desktop_app.store import database as database_module
from desktop_app.store.credit_models import CreditSubject
from tests.builders import chain_intact, company, company_code

ROWS = 1_200  # three batches of the evaluator: the import is paused in the middle of the file


def subjects_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["主体类型", "名称", "统一社会信用代码"])
        for n in range(ROWS):
            writer.writerow(["投标人", f"测试建设第{n}号有限公司", company_code(10_000 + n)])
    return path


def test_sign_in_and_lookup_from_another_desk_during_an_import(
    services: Services,
    leader: CurrentUser,
    clerk: CurrentUser,
    isolated_home: paths.Locations,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    huajian = company(services, leader, "天河华建建筑工程有限公司", company_code(1))
    path = subjects_file(tmp_path / "主体.csv")
    paused, resume = threading.Event(), threading.Event()
    original = SubjectRows.evaluate
    batches: list[int] = []

    def evaluate(self: SubjectRows, batch: list[Any]) -> Any:
        batches.append(len(batch))
        if len(batches) == 2:  # the import is under way: its first rows are read and checked
            paused.set()
            resume.wait(60)
        return original(self, batch)

    monkeypatch.setattr(SubjectRows, "evaluate", evaluate)
    # The other desk would give up after a second (not 15): a lock held now fails the test quickly.
    monkeypatch.setattr(database_module, "SQLITE_BUSY_TIMEOUT_MS", 1_000)
    monkeypatch.setattr(database_module, "PG_LOCK_TIMEOUT_MS", 1_000)
    other = open_test_database(services.db.url, isolated_home, "ws-2")
    outcome: dict[str, Any] = {}

    def run_import() -> None:
        try:
            outcome["report"] = services.credit_import.commit(leader, path, skip_bad=False, kind="subjects")
        except BaseException as exc:  # reported by the test below
            outcome["error"] = exc

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert paused.wait(60), outcome
        desk = Services(other)
        signed_in = desk.auth.login("clerk1", DEFAULT_PASSWORD)
        hits = desk.credit.search(signed_in, "天河华建").hits
        assert [h.subject_id for h in hits] == [huajian]
        check = desk.credit.entry_check(signed_in, "天河华建", huajian, print_notice=False)
        assert check.check.subject_id == huajian
    finally:
        resume.set()
        worker.join(120)
        other.dispose()
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert report.committed and report.created == ROWS  # all or nothing, and here all
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CreditSubject)) == ROWS + 1
    assert chain_intact(services.db)


def test_every_connection_waits_a_bounded_time_for_a_lock(services: Services) -> None:
    with services.db.engine.connect() as connection:
        if services.db.backend == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
        else:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "15s"


def test_a_lock_wait_that_runs_out_is_a_message(
    services: Services,
    clerk: CurrentUser,
    isolated_home: paths.Locations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A desk that holds the write lock too long (a stuck transaction) costs the others a clear
    refusal after the timeout, never a driver error (a crash report, exit code 70)."""
    monkeypatch.setattr(database_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(database_module, "PG_LOCK_TIMEOUT_MS", 300)
    other = open_test_database(services.db.url, isolated_home, "ws-2")
    try:
        with services.db.session(write=True) as session:
            session.execute(text("UPDATE audit_head SET last_seq = last_seq WHERE id = 1"))
            with pytest.raises(Conflict, match="数据库正忙"):
                Services(other).auth.login("clerk1", DEFAULT_PASSWORD)
            session.rollback()
    finally:
        other.dispose()
