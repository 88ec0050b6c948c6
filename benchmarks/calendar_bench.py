"""What a working-day deadline costs, for the complaints module that counts one per case (an import
of 12345 transfers counts thousands in one transaction; a list shows "overdue by N working days"
for each row in view).

    python benchmarks/calendar_bench.py                         # a fresh SQLite database in a temp dir
    python benchmarks/calendar_bench.py --url postgresql://USER@HOST/A_DATABASE_OF_ITS_OWN --home /tmp/h

Measured (median of --runs, microseconds a call):

- **SELECT 1 transaction**: a read transaction with one trivial query (the floor under the next two:
  a connection from the pool, its round trips);
- **first read**: ``calendar_in`` in a new transaction when the calendar changed since the last read
  (the rows are read and the WorkCalendar built);
- **next transaction**: ``calendar_in`` in a new transaction, calendar unchanged (one aggregate
  query: the table's fingerprint);
- **same transaction**: ``deadline_in`` again in one transaction (no query);
- **add_working_days** of 5 and of 30 working days, and **working_days_between** over a year, pure.

Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from desktop_app import paths
from desktop_app.services.calendar import (
    calendar_in,
    deadline_in,
    forget_cached_calendars,
    forget_calendar,
)
from desktop_app.store.migrate import open_database


def median_us(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    parser.add_argument("--home", type=Path, help="data folder (key file, backups)")
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="calendar-bench-"))
    where = paths.set_home(home)
    url = args.url or f"sqlite:///{(home / 'bench.sqlite3').as_posix()}"
    db, _ = open_database(url, where.default_key_file, where.backups, "bench", daily_backup=False)
    try:
        received = date(2026, 9, 30)

        def first_read() -> None:
            with db.session() as session:
                forget_cached_calendars()  # as after a change: the kept copy no longer matches
                calendar_in(session, db)

        def trivial_transaction() -> None:
            with db.session() as session:
                session.execute(text("SELECT 1"))

        def next_transaction() -> None:
            with db.session() as session:
                calendar_in(session, db)

        with db.session() as session:
            deadline_in(session, db, received, 5)

            def same_transaction() -> None:
                deadline_in(session, db, received, 5)

            same = median_us(same_transaction, args.runs)
            calendar = calendar_in(session, db)
            forget_calendar(session)
        results = {
            "SELECT 1 transaction": median_us(trivial_transaction, args.runs),
            "first read": median_us(first_read, args.runs // 5 or 1),
            "next transaction": median_us(next_transaction, args.runs),
            "same transaction": same,
            "add_working_days 5": median_us(lambda: calendar.add_working_days(received, 5), args.runs),
            "add_working_days 30": median_us(lambda: calendar.add_working_days(received, 30), args.runs),
            "working_days_between 1 year": median_us(
                lambda: calendar.working_days_between(received, received + timedelta(days=365)), args.runs
            ),
        }
    finally:
        db.dispose()
    print(f"{db.backend}, {len(calendar.days)} listed days, median of {args.runs} runs:")
    for name, value in results.items():
        print(f"  {name:30s} {value:8.1f} µs")


if __name__ == "__main__":
    main()
