"""The yearly ranking of experts (3,000 experts, 5,000 sessions), through the service layer; with it the
roster (the 评标专家 tab), one expert's year, and the pending-proposal count of the status bar.

    python benchmarks/evaluation_data.py --url sqlite:////tmp/bench/evaluations.sqlite3      # once: the data
    python benchmarks/evaluation_ranking_bench.py --url sqlite:////tmp/bench/evaluations.sqlite3
    python benchmarks/evaluation_ranking_bench.py \\
        --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_evaluations"

The database is opened as the app opens it (``store.migrate.open_database``, key file from --home, by
default where evaluation_data.py left it). Each step is one service call (its own session, as the GUI
makes it), run --repeat times: the first (cold) apart, then p50 and worst of the rest. Goal (issue 12):
the yearly ranking ≤ 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app import clock
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations import EvaluationService
from desktop_app.store.migrate import open_database, sqlite_path

GOAL_MS = 1000.0


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
    print(f"  {label:<40} cold {cold:8.1f} ms   p50 {p50:8.1f} ms   worst {max(warm):8.1f} ms{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "evaluations-home" if path else Path("/tmp/bench/evaluations-home"))
    db, _ = open_database(
        args.url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False
    )
    print(f"opened through the app ({db.backend})")
    evaluations = EvaluationService(db)
    leader = CurrentUser(None, "bench-leader", "领导", frozenset({Role.LEADER}), "bench")
    year = clock.today().year

    ranking = evaluations.ranking(year)
    print(
        f"ranking {year}: {len(ranking):,} experts, top {ranking[0].name} {ranking[0].points} points, "
        f"{sum(1 for r in ranking if r.points)} with points"
    )
    report(f"yearly ranking {year} (all)", *timed(lambda: evaluations.ranking(year), args.repeat), GOAL_MS)
    report("yearly ranking, top 50", *timed(lambda: evaluations.ranking(year, 50), args.repeat), GOAL_MS)
    roster = evaluations.roster(leader)
    report(f"roster ({len(roster):,} experts)", *timed(lambda: evaluations.roster(leader), args.repeat))
    report("roster, text 张", *timed(lambda: evaluations.roster(leader, text="张"), args.repeat))
    top = ranking[0].subject_id
    report("one expert's year (expert_status)", *timed(lambda: evaluations.expert_status(top), args.repeat))
    report(
        "pending proposals (status bar)",
        *timed(lambda: evaluations.pending_proposal_count(leader), args.repeat),
    )
    db.dispose()


if __name__ == "__main__":
    main()
