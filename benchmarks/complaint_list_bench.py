"""The complaints list at 200,000 cases, through the service layer: first rows, a filter change, pages
in the middle and at the end, and an export of 10,000 rows to .xlsx.

    python benchmarks/complaint_data.py --url sqlite:////tmp/bench/complaints.sqlite3      # once: the data
    python benchmarks/complaint_list_bench.py --url sqlite:////tmp/bench/complaints.sqlite3
    python benchmarks/complaint_list_bench.py \\
        --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_complaints"

The database is opened as the app opens it (``store.migrate.open_database``, key file from --home, by
default where complaint_data.py left it). What the list page does when it shows a filter is timed as
one step: ``services.complaints.count`` and the first page (``rows``, offset 0, limit 100), each call in
a session of its own, as the GUI makes them. Each step runs --repeat times (the first, cold, is shown
apart); p50 and worst of the rest. Goals (issue 11): first rows ≤ 300 ms, a filter change ≤ 300 ms.
Then pages deep in the list (OFFSET: the database walks every row before the page), the monthly
statistics, and the export of 10,000 rows (masked, and in clear with a reason).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app import clock
from desktop_app.domain.complaints import Category, State, month_of
from desktop_app.domain.roles import Role
from desktop_app.services.complaints import ComplaintFilter, ListOrder
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database, sqlite_path

GOAL_MS = 300.0
PAGE = 100


def timed(call: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """(cold ms, warm ms samples)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples[0], samples[1:] or samples


def report(label: str, cold: float, warm: list[float], goal: float | None = GOAL_MS) -> None:
    p50 = statistics.median(warm)
    mark = ""
    if goal is not None:
        mark = "  ok" if max(warm) <= goal else f"  OVER {goal:.0f} ms"
    print(f"  {label:<44} cold {cold:8.1f} ms   p50 {p50:8.1f} ms   worst {max(warm):8.1f} ms{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--export-rows", type=int, default=10_000)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "complaints-home" if path else Path("/tmp/bench/complaints-home"))
    started = time.perf_counter()
    db, _ = open_database(
        args.url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False
    )
    print(f"opened through the app in {time.perf_counter() - started:.2f} s ({db.backend})")
    services = Services(db)
    clerk = CurrentUser(None, "bench", "基准", frozenset({Role.HALL_STAFF}), "bench")
    leader = CurrentUser(None, "bench-leader", "领导", frozenset({Role.LEADER}), "bench")
    newest = ListOrder("received_at", True)

    def first_rows(where: ComplaintFilter, order: ListOrder = newest) -> Callable[[], object]:
        def step() -> object:
            total = services.complaints.count(clerk, where)
            return total, services.complaints.rows(clerk, where, order, 0, PAGE)

        return step

    everyone = ComplaintFilter()
    total = services.complaints.count(clerk, everyone)
    print(f"cases: {total:,}")
    print(f"list: count + first {PAGE} rows")
    report("all, newest first (opening the page)", *timed(first_rows(everyone), args.repeat))
    filters = {
        "state: 调查处理 + 受理": ComplaintFilter(states=frozenset({State.INVESTIGATING, State.ACCEPTED})),
        "category: 系统故障": ComplaintFilter(categories=frozenset({Category.SYSTEM})),
        "overdue": ComplaintFilter(overdue=True),
        "due within a working day": ComplaintFilter(due_within_day=True),
        "text: 保证金": ComplaintFilter(text="保证金"),
        "text: a number (TS…-000123)": ComplaintFilter(text="-000123"),
        "text, rare: 空调 + category 其他": ComplaintFilter(
            text="空调", categories=frozenset({Category.OTHER})
        ),
        "received in the last 30 days": ComplaintFilter(received_from=clock.today() - timedelta(days=30)),
    }
    print("filter change: count + first rows")
    for label, where in filters.items():
        found = services.complaints.count(clerk, where)
        report(f"{label} ({found:,})", *timed(first_rows(where), args.repeat))
    print("sorted by another column: count + first rows")
    for key in ("deadline", "number", "state"):
        report(f"by {key}, ascending", *timed(first_rows(everyone, ListOrder(key, False)), args.repeat))
    print("pages deep in the list (rows only; OFFSET walks the rows before the page)")
    for label, offset in (("middle", total // 2), ("end", max(0, total - PAGE))):
        report(
            f"{label} (offset {offset:,})",
            *timed(lambda o=offset: services.complaints.rows(clerk, everyone, newest, o, PAGE), args.repeat),
        )
        report(
            f"{label}, filtered state 回访",
            *timed(
                lambda o=offset: services.complaints.rows(
                    clerk, ComplaintFilter(states=frozenset({State.VISITED})), newest, o // 2, PAGE
                ),
                args.repeat,
            ),
        )
    print("monthly statistics (GROUP BY, row checks of the month)")
    month = month_of(clock.today() - timedelta(days=40))
    report(
        f"monthly_stats {month}", *timed(lambda: services.complaints.monthly_stats(clerk, month), args.repeat)
    )
    started = time.perf_counter()
    issued = services.complaints.stats_report(leader, month)
    print(
        f"  stats_report {month}: {(time.perf_counter() - started) * 1000:.0f} ms ({len(issued.pdf):,} bytes PDF)"
    )

    # The most recent days that hold at least --export-rows cases.
    days = 1
    while (
        services.complaints.count(clerk, ComplaintFilter(received_from=clock.today() - timedelta(days=days)))
        < (args.export_rows)
        and days < 5000
    ):
        days = int(days * 1.3) + 1
    where = ComplaintFilter(received_from=clock.today() - timedelta(days=days))
    print(f"export to .xlsx (received in the last {days} days)")
    with tempfile.TemporaryDirectory() as folder:
        for label, actor, reason in (
            ("masked", clerk, None),
            ("in clear, with a reason", leader, "基准测试"),
        ):
            target = Path(folder) / f"{label[:6]}.xlsx"
            started = time.perf_counter()
            count = services.complaints.export_xlsx(actor, where, newest, target, reveal_reason=reason)
            seconds = time.perf_counter() - started
            print(
                f"  {label:<26} {count:,} rows in {seconds:.2f} s ({count / seconds:,.0f} rows/s), "
                f"{target.stat().st_size / 2**20:.1f} MiB"
            )
    db.dispose()


if __name__ == "__main__":
    main()
