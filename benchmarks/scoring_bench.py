"""Opening a department's month and the center's ranking with 500 staff and 24 months of history, through
the service layer; with them the calibration, the grade distribution, a quarter's 平时考核 and 标兵
candidates, the year, a staff member's last 12 months, the 待办 and (once the papers have it) the
export of a month to .xlsx.

    python benchmarks/scoring_data.py --url sqlite:////tmp/bench/scoring.sqlite3      # once: the data
    python benchmarks/scoring_bench.py --url sqlite:////tmp/bench/scoring.sqlite3
    python benchmarks/scoring_bench.py \\
        --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_scoring"

The database is opened as the app opens it (``store.migrate.open_database``, key file from --home, by
default where scoring_data.py left it). Each step is one service call (its own session, as the GUI
makes it), run --repeat times: the first (cold) apart, then p50 and worst of the rest. Goal (issue 13):
opening a department's month and the center ranking ≤ 200 ms each.

The month opened is the last one the data has (locked): opening it reads its sheets and checks what
arrived late; the present month (not opened yet) is opened once at the end — that one writes the
sheets of every member of the department.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from desktop_app import clock
from desktop_app.domain.roles import Role
from desktop_app.domain.scoring import month_of
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.services.scoring import todo
from desktop_app.services.scoring.rollups import RollupOps
from desktop_app.store.migrate import open_database, sqlite_path
from desktop_app.store.models import Department, Staff

GOAL_MS = 200.0


def timed(call: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    """(cold ms, warm ms samples)."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples[0], samples[1:] or samples


def report(label: str, cold: float, warm: list[float], goal: float | None = None) -> None:
    mark = ""
    if goal is not None:
        mark = "  ok" if max(warm) <= goal else f"  OVER {goal:.0f} ms"
    p50 = statistics.median(warm)
    print(f"  {label:<46} cold {cold:8.1f} ms   p50 {p50:8.1f} ms   worst {max(warm):8.1f} ms{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "scoring-home" if path else Path("/tmp/bench/scoring-home"))
    db, _ = open_database(
        args.url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False
    )
    print(f"opened through the app ({db.backend})")
    with db.session() as session:
        department_id, department_name = session.execute(
            select(Department.id, Department.name).order_by(Department.id).limit(1)
        ).one()
        staff_id = session.scalar(select(func.min(Staff.id)).where(Staff.department_id == department_id))
        members = session.scalar(
            select(func.count()).select_from(Staff).where(Staff.department_id == department_id)
        )
    today = clock.today()
    last = month_of(today.year, today.month - 1) if today.month > 1 else month_of(today.year - 1, 12)
    year, quarter = int(last[:4]), (int(last[5:]) - 1) // 3 + 1
    leader = CurrentUser(None, "bench-leader", "领导", frozenset({Role.LEADER}), "bench")
    supervisor = CurrentUser(
        None, "bench-super", "科长", frozenset({Role.SUPERVISOR}), "bench", department_id=department_id
    )
    services = Services(db)
    scoring: Any = getattr(services, "scoring", None) or RollupOps(db)
    repeat = args.repeat

    ranking = scoring.ranking(leader, last)
    print(
        f"{last}: {len(ranking):,} sheets in the center ranking; {department_name} has {members} staff; "
        f"top {ranking[0].staff_name} {ranking[0].total}"
    )
    if hasattr(scoring, "department_month"):
        report(
            f"department's month {last} (locked, supervisor)",
            *timed(lambda: scoring.department_month(supervisor, department_id, last), repeat),
            GOAL_MS,
        )
    else:
        print("  department_month: not in this branch yet (score-core) — the department's ranking instead")
    report(
        f"department's ranking {last} (supervisor)",
        *timed(lambda: scoring.ranking(supervisor, last), repeat),
        GOAL_MS,
    )
    report(f"center ranking {last} (leader)", *timed(lambda: scoring.ranking(leader, last), repeat), GOAL_MS)
    report(
        f"leader's overview {last} (all departments)",
        *timed(lambda: scoring.month_overview(leader, last), repeat),
    )
    report("late arrivals (every locked month)", *timed(lambda: scoring.late_arrivals(leader), repeat))
    report(f"calibration {last}", *timed(lambda: scoring.calibration(leader, last), repeat), GOAL_MS)
    report(f"grade distribution {last}", *timed(lambda: scoring.grade_distribution(leader, last), repeat))
    report(f"quarter {year} Q{quarter} (all)", *timed(lambda: scoring.quarter(leader, year, quarter), repeat))
    report(f"candidates {year} Q{quarter}", *timed(lambda: scoring.candidates(leader, year, quarter), repeat))
    report(f"annual {year} (all)", *timed(lambda: scoring.annual(leader, year), repeat))
    report("history, 12 months", *timed(lambda: scoring.history(leader, staff_id), repeat))

    def todo_items() -> object:
        with db.session() as session:
            return todo.todo_in(session, db, leader)

    report("待办 (leader)", *timed(todo_items, repeat))
    if hasattr(scoring, "export_month"):
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "scores.xlsx"
            report(
                f"export {last} to .xlsx (all, {len(ranking)} rows)",
                *timed(lambda: scoring.export_month(leader, last, target), 3),
            )
    else:
        print("  export_month: not in this branch yet (score-papers)")
    if hasattr(scoring, "department_month"):
        present = month_of(today.year, today.month)
        started = time.perf_counter()
        opened = scoring.department_month(supervisor, department_id, present)
        print(
            f"  first opening of {present} ({len(opened.rows)} sheets written): "
            f"{(time.perf_counter() - started) * 1000:.1f} ms"
        )
        report(
            f"department's month {present} (draft, synced)",
            *timed(lambda: scoring.department_month(supervisor, department_id, present), repeat),
            GOAL_MS,
        )


if __name__ == "__main__":
    main()
