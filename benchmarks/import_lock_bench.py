"""How long an import holds the write lock, and what a sign-in and a lookup at another desk wait meanwhile.

    python benchmarks/import_lock_bench.py --url sqlite:////tmp/bench/import_lock.sqlite3
    python benchmarks/import_lock_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/import_lock_bench

The database is made fresh (the SQLite file removed, the PostgreSQL database dropped and created) through
the app's own opening path, with a leader, a clerk and a system admin. Then, for each table (``--rows``
subjects from an .xlsx, then as many records on them), the leader previews and commits the file while a
second *process* (another workstation: its own interpreter, its own connections) signs the clerk in and
makes a lookup (a search plus a 登记核验, which writes its row and audit entry) in a loop.

Printed per table: the preview time, the commit time, the time the commit held the write lock (SQLite:
from BEGIN IMMEDIATE to COMMIT; PostgreSQL: the write transaction, which holds the audit head's row lock
from its first entry to COMMIT), and the other desk's sign-in and lookup latencies (p50, max) and
failures during the commit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database, sqlite_path

PASSWORD = "Bench-Passw0rd!"


def fresh(url: str) -> None:
    path = sqlite_path(url)
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def code(n: int) -> str:
    body = f"9144{n:08d}MA5C0"[:17]
    return body + uscc_check_char(body)


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    import openpyxl

    subjects = folder / "subjects.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("信用主体")
    sheet.append(["主体类型", "名称", "统一社会信用代码", "曾用名", "法定代表人", "联系电话"])
    for n in range(rows):
        alias = f"华建{n}号集团" if n % 7 == 0 else ""
        sheet.append(["投标人", f"天河测试{n}号建筑工程有限公司", code(n), alias, "张三", f"138{n:08d}"])
    book.save(subjects)
    records = folder / "records.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("信用记录")
    sheet.append(["主体名称或代码", "记录类别", "严重程度", "事实", "决定机关", "决定文号", "决定日期"])
    for n in range(rows):
        sheet.append(
            [
                code(n),
                "不良行为",
                "一般",
                f"第{n}次迟到",
                "天河市住建局",
                f"天建罚〔2026〕{n}号",
                "2026-02-01",
            ]
        )
    book.save(records)
    return subjects, records


def make_accounts(services: Services) -> CurrentUser:
    services.auth.create_first_admin("sysadmin", PASSWORD, "系统管理员")
    admin = services.auth.login("sysadmin", PASSWORD)
    for name, role in (("leader1", Role.LEADER), ("clerk1", Role.HALL_STAFF)):
        services.users.create(
            admin,
            username=name,
            display_name=name,
            roles={role},
            password=PASSWORD,
            must_change_password=False,
        )
    leader = services.auth.login("leader1", PASSWORD)
    # Once the center has a leader, the roles the system admin gives wait for one (services/duties).
    for info in services.users.list():
        if info.pending_roles:
            services.users.confirm(leader, info.id)
    return leader


def other_desk(url: str, home: str, start: Event, stop: Event, results: Any) -> None:
    """Another workstation: sign the clerk in, then look a name up and record the check, in a loop."""
    db, _ = open_database(url, Path(home) / "key", Path(home) / "backups", "desk-2", daily_backup=False)
    services = Services(db)
    samples: dict[str, list[float]] = {"sign-in": [], "lookup": []}
    failures: list[str] = []
    start.wait()
    n = 0
    while not stop.is_set():
        for name, call in (
            ("sign-in", lambda: services.auth.login("clerk1", PASSWORD)),
            ("lookup", lambda: lookup(services, n)),  # noqa: B023 (called at once)
        ):
            began = time.perf_counter()
            try:
                call()
                samples[name].append(time.perf_counter() - began)
            except Exception as exc:  # what the clerk would see: counted, named
                failures.append(
                    f"{name} after {time.perf_counter() - began:.1f} s: {type(exc).__name__}: {exc}"
                )
        n += 1
        time.sleep(0.2)
    results.put((samples, failures))
    db.dispose()


def lookup(services: Services, n: int) -> None:
    clerk = getattr(services, "_bench_clerk", None)
    if clerk is None:
        clerk = services.auth.login("clerk1", PASSWORD)
        services._bench_clerk = clerk  # type: ignore[attr-defined]
    query = f"天河测试{n % 50}号"
    found = services.credit.search(clerk, query)
    subject = found.hits[0].subject_id if found.hits else None
    services.credit.entry_check(clerk, query, subject, print_notice=False)


@contextmanager
def write_lock_timer(services: Services, held: list[float], cpu: list[float] | None = None) -> Iterator[None]:
    """Time every write transaction this process opens (the import's is the one that matters): wall
    time in ``held``, this process's CPU time in ``cpu`` (what a loaded machine does not inflate)."""
    db = services.db
    original = db.session

    @contextmanager
    def timed(write: bool = False) -> Iterator[Any]:
        if not write:
            with original() as session:
                yield session
            return
        began, began_cpu = time.perf_counter(), time.process_time()
        try:
            with original(write=True) as session:
                yield session
        finally:
            held.append(time.perf_counter() - began)
            if cpu is not None:
                cpu.append(time.process_time() - began_cpu)

    db.session = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        db.session = original  # type: ignore[method-assign]


def figures(values: list[float]) -> str:
    if not values:
        return "none"
    return f"n {len(values)}, p50 {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()

    fresh(args.url)
    work = Path(tempfile.mkdtemp(prefix="import-lock-"))
    home = work / "home"
    db, _ = open_database(args.url, home / "key", home / "backups", "desk-1", daily_backup=False)
    services = Services(db)
    leader = make_accounts(services)
    subjects, records = write_files(work, args.rows)
    print(f"{db.backend}: {args.rows:,} rows a table; files in {work}", flush=True)

    context = multiprocessing.get_context("spawn")
    for kind, path in (("subjects", subjects), ("records", records)):
        start, stop, results = context.Event(), context.Event(), context.Queue()
        desk = context.Process(target=other_desk, args=(args.url, str(home), start, stop, results))
        desk.start()
        began = time.perf_counter()
        preview = services.credit_import.preview(leader, kind, path)
        previewed = time.perf_counter()
        assert preview.bad_count == 0, preview.bad_rows[:3]
        held: list[float] = []
        cpu: list[float] = []
        start.set()
        time.sleep(1.0)  # the other desk is signing in and looking up before the commit starts
        committing = time.perf_counter()
        with write_lock_timer(services, held, cpu):
            report = services.credit_import.commit(leader, preview, skip_bad=False)
        committed = time.perf_counter()
        time.sleep(1.0)
        stop.set()
        samples, failures = results.get(timeout=120)
        desk.join(timeout=60)
        assert report.created == args.rows, (report.created, report.bad_rows[:3])
        lock = max(held) if held else float("nan")
        lock_cpu = cpu[held.index(lock)] if held else float("nan")
        print(
            f"  {kind}: preview {previewed - began:.1f} s; commit {committed - committing:.1f} s, "
            f"write lock held {lock:.2f} s ({lock / args.rows * 10_000:.2f} s per 10,000 rows; "
            f"CPU in it {lock_cpu:.2f} s, {lock_cpu / args.rows * 10_000:.2f} s per 10,000 rows)",
            flush=True,
        )
        for name, values in samples.items():
            print(f"    other desk {name}: {figures(values)}", flush=True)
        for failure in failures[:5]:
            print(f"    other desk FAILED: {failure}")
        if len(failures) > 5:
            print(f"    ... {len(failures) - 5} more failures")
    db.dispose()


if __name__ == "__main__":
    main()
