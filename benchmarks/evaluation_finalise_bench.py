"""Finalising an evaluation session (the witness's sign-off), median of N.

    python benchmarks/evaluation_finalise_bench.py [--runs 30] [--experts 300] [--pg URL]

Each run signs off a fresh session of 9 experts (the 17 items of the catalogue) through
``services.evaluations.finalise``: the grid checked, the revision and marks written, one credit record
per mark through the credit module (validation, catalogue defaults, its audit entry), the experts'
points for the year recomputed and the thresholds' proposals made, the session's audit entry — one
transaction. Three shapes: a clean session (no mark, the common case), a typical one (3 marks), a bad
one (20 marks); and a correction (reopen, then sign-off revoking and re-adding the records). The
experts rotate through a pool, so points accumulate and proposals appear as they would over a year.
SQLite in a temporary folder; PostgreSQL too when --pg or INTEGRITY_DESK_TEST_PG_URL names a server
(a fresh schema, dropped afterwards).

With ``--year-url URL [--year-home DIR]`` (a database made by benchmarks/evaluation_data.py: 3,000
experts, 5,000 sessions), also: the session list (newest 1,000; filtered by text; overdue), the
expert picker, and a typical sign-off among a year of data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ITEMS = [f"E{n:02d}" for n in range(1, 14)]  # the non-serious items (E14–E16 are serious)


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def run(url: str, home: Path, runs: int, pool: int) -> dict[str, list[float]]:
    from desktop_app import paths
    from desktop_app.domain.credit import SubjectKind
    from desktop_app.domain.evaluations import TradeCategory
    from desktop_app.domain.identifiers import id_check_char
    from desktop_app.domain.roles import Role
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.credit import SubjectInput
    from desktop_app.services.evaluations.types import GridInput, GridMark, SessionInput
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database

    def id_number(body: str) -> str:
        return body + id_check_char(body)

    paths.set_home(home)
    database, _ = open_database(url, home / "keys", home / "backups", "bench")
    services = Services(database)
    leader = CurrentUser(None, "leader", "尹百川", frozenset({Role.LEADER}), "bench")
    experts = [
        services.credit.create_subject(
            leader,
            SubjectInput(
                SubjectKind.EXPERT,
                f"专家{n:04d}",
                id_number=id_number(f"11010519{60 + n // 300:02d}0101{n % 300:03d}"),
                expert_no=f"Z{n:05d}",
                specialty="土建",
            ),
        ).id
        for n in range(pool)
    ]
    items = {item.code: item for item in services.evaluations.items_on(database.today())}
    day = database.today() - timedelta(days=1)
    cursor = 0

    def new_session() -> tuple[int, int, list[int]]:
        nonlocal cursor
        ids = [experts[(cursor + i) % pool] for i in range(9)]
        cursor += 9
        start = datetime.combine(day, dtime(9)).astimezone()
        data = SessionInput("GC-BENCH", "基准测试项目", TradeCategory.CONSTRUCTION, "第1评标室", start)
        info = services.evaluations.create_session(leader, replace(data, expert_ids=tuple(ids)))
        return info.id, info.version, ids

    def grid(ids: list[int], marks: int) -> GridInput:
        cells = [(ids[i % 9], ITEMS[(i // 9 + i) % len(ITEMS)]) for i in range(marks)]
        return GridInput(
            tuple(GridMark(sid, code, items[code].default_points) for sid, code in dict.fromkeys(cells))
        )

    samples: dict[str, list[float]] = {
        "clean (0 marks)": [],
        "typical (3 marks)": [],
        "bad (20 marks)": [],
        "correction": [],
    }
    for index in range(runs + 1):
        for label, marks in (("clean (0 marks)", 0), ("typical (3 marks)", 3), ("bad (20 marks)", 20)):
            session_id, version, ids = new_session()
            started = time.perf_counter()
            result = services.evaluations.finalise(leader, session_id, grid(ids, marks), version)
            elapsed = (time.perf_counter() - started) * 1000
            if index:
                samples[label].append(elapsed)
        reopened = services.evaluations.reopen(leader, result.session.id, "更正", result.session.version)
        started = time.perf_counter()
        services.evaluations.finalise(leader, reopened.id, grid(ids, 5), reopened.version)
        elapsed = (time.perf_counter() - started) * 1000
        if index:  # the first run loads modules: a witness's first sign-off of the day
            samples["correction"].append(elapsed)
    database.dispose()
    return samples


def year_figures(url: str, home: Path, runs: int) -> None:
    from desktop_app.domain.evaluations import TradeCategory
    from desktop_app.domain.roles import Role
    from desktop_app.services.context import CurrentUser
    from desktop_app.services.evaluations.types import GridInput, GridMark, SessionFilter, SessionInput
    from desktop_app.services.facade import Services
    from desktop_app.store.migrate import open_database

    db, _ = open_database(url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False)
    services = Services(db)
    ev = services.evaluations
    leader = CurrentUser(None, "bench-leader", "领导", frozenset({Role.LEADER}), "bench")

    def timed(label: str, call: object) -> None:
        values = []
        for index in range(runs + 1):
            started = time.perf_counter()
            call()  # type: ignore[operator]
            if index:
                values.append((time.perf_counter() - started) * 1000)
        print(f"  {label}: median {statistics.median(values):.0f} ms, p95 {p95(values):.0f} ms")

    timed("session list, newest 1,000", lambda: ev.sessions(leader))
    timed("session list, text 张", lambda: ev.sessions(leader, SessionFilter(text="张")))
    timed("session list, overdue", lambda: ev.sessions(leader, SessionFilter(overdue_only=True)))
    today = db.today()
    timed("expert picker, 张", lambda: ev.candidates(leader, "张", today))
    with db.session(write=True) as session:  # the generator numbers its sessions without the counter
        from sqlalchemy import func, select

        from desktop_app.services.notices import next_serial
        from desktop_app.store.evaluation_models import EvaluationSession

        count = session.scalar(select(func.count()).select_from(EvaluationSession)) or 0
        while next_serial(session, "evaluation_session", today.year) < count:
            pass
    roster = [row.subject_id for row in ev.roster(leader) if row.pool.may_evaluate]
    values = []
    for index in range(runs):
        ids = tuple(roster[index * 9 : index * 9 + 9])
        start = datetime.combine(today - timedelta(days=1), dtime(9)).astimezone()
        info = ev.create_session(
            leader,
            SessionInput(
                "GC-BENCH", "基准测试项目", TradeCategory.CONSTRUCTION, "第1评标室", start, expert_ids=ids
            ),
        )
        marks = GridInput(
            (GridMark(ids[0], "E04", 5), GridMark(ids[1], "E01", 2), GridMark(ids[2], "E06", 10))
        )
        started = time.perf_counter()
        ev.finalise(leader, info.id, marks, info.version)
        values.append((time.perf_counter() - started) * 1000)
    print(f"  finalise typical (3 marks) among a year: median {statistics.median(values):.0f} ms")
    db.dispose()


def report(backend: str, samples: dict[str, list[float]]) -> None:
    for label, values in samples.items():
        print(
            f"  finalise {label} ({backend}): median {statistics.median(values):.0f} ms, "
            f"p95 {p95(values):.0f} ms over {len(values)} runs"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("INTEGRITY_DESK_TEST_PG_URL", ""))
    parser.add_argument("--year-url", default="")
    parser.add_argument("--year-home", type=Path)
    args = parser.parse_args()
    if args.year_url:
        print("A year's database:")
        year_figures(args.year_url, args.year_home or Path("/tmp/bench/evaluations-home"), 10)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        print("SQLite:")
        report("SQLite", run(f"sqlite:///{home / 'bench.sqlite3'}", home, args.runs, args.experts))
    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(args.pg)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in args.pg else "?"
        url = f"{args.pg}{separator}options=-csearch_path%3D{schema}"
        try:
            with tempfile.TemporaryDirectory() as folder:
                print("PostgreSQL:")
                report("PostgreSQL", run(url, Path(folder), args.runs, args.experts))
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


if __name__ == "__main__":
    main()
