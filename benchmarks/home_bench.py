"""The home page's cost at sign-in: the 待办 counts and the page itself, on a given database.

    python -m desktop_app --home /tmp/demo demo                     # once: a demo center
    python benchmarks/home_bench.py --home /tmp/demo                 # its database and key file
    python benchmarks/home_bench.py --url sqlite:////tmp/bench/credit.sqlite3 --home /tmp/bench/home

The database is opened as the app opens it (``store.migrate.open_database``: an older one is upgraded
first, so a benchmark database gets the partial index on pending records). For a leader and for a
supervisor (synthetic accounts; the supervisor is the one who entered the most pending records):

- **counts**: ``services.todo.items(actor)`` (every registered provider, one read transaction), as
  the home page calls it each time it comes into view;
- **page**: building the HomePage offscreen and showing it (its first show runs the counts), to the
  end of the first paint's layout;
- the query plan of the leader's count on SQLite (it should use ix_credit_records_pending).

Prints the median and the worst of --runs runs of each, in milliseconds. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text

from desktop_app import paths
from desktop_app.domain.credit import RecordStatus
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.credit_models import CreditRecord
from desktop_app.store.migrate import open_database


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def busiest_proposer(services: Services) -> str:
    with services.db.session() as session:
        row = session.execute(
            select(CreditRecord.created_by, func.count())
            .where(CreditRecord.status == RecordStatus.PENDING.value)
            .group_by(CreditRecord.created_by)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
    return str(row[0]) if row else "nobody"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True, help="data folder (its database, unless --url)")
    parser.add_argument("--url", help="database URL (default: the SQLite file of --home)")
    parser.add_argument("--key", type=Path, help="key file (default: the one of --home)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    where = paths.set_home(args.home)
    url = args.url or f"sqlite:///{where.database.as_posix()}"
    started = time.perf_counter()
    database, report = open_database(
        url, args.key or where.default_key_file, where.backups, "bench", daily_backup=False
    )
    print(f"opened in {time.perf_counter() - started:.1f} s (upgraded from {report.upgraded_from})")
    services = Services(database)
    with services.db.session() as session:
        records = session.scalar(select(func.count()).select_from(CreditRecord))
    print(f"credit records: {records}")

    leader = CurrentUser(None, "bench-leader", "领导", frozenset({Role.LEADER}), "bench")
    proposer = busiest_proposer(services)
    supervisor = CurrentUser(None, proposer, "科长", frozenset({Role.SUPERVISOR}), "bench", department_id=1)
    for actor in (leader, supervisor):
        items = services.todo.items(actor)
        median, worst = timed(lambda actor=actor: services.todo.items(actor), args.runs)  # type: ignore[misc]
        shown = ", ".join(f"{item.key}={item.count}" for item in items)
        print(f"counts  {actor.username:>16}: median {median:6.1f} ms, worst {worst:6.1f} ms  ({shown})")

    if services.db.backend == "sqlite":
        with services.db.engine.connect() as conn:
            plan = conn.execute(
                text("EXPLAIN QUERY PLAN SELECT count(*) FROM credit_records WHERE status = :s"),
                {"s": RecordStatus.PENDING.value},
            ).all()
        print("plan:", "; ".join(str(row[-1]) for row in plan))

    from PySide6.QtWidgets import QApplication

    from desktop_app.app import prepare_application
    from desktop_app.ui.home import HomePage
    from desktop_app.ui.navigation import pages_for

    app = prepare_application(["home-bench"], "zh_CN")

    def build_and_show(actor: CurrentUser) -> None:
        page = HomePage(
            services, actor, "天河市公共资源交易中心", "2026年12月6日", pages_for(actor), lambda key: page
        )
        page.resize(1090, 740)
        page.show()
        QApplication.processEvents()
        page.hide()
        page.deleteLater()
        QApplication.processEvents()

    for actor in (leader, supervisor):
        build_and_show(actor)  # the first build imports and polishes once
        median, worst = timed(lambda actor=actor: build_and_show(actor), args.runs)  # type: ignore[misc]
        print(f"page    {actor.username:>16}: median {median:6.1f} ms, worst {worst:6.1f} ms")
    del app
    services.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
