"""批量核验 speed: a bid opening's list of --lines bidders previewed and confirmed.

    python benchmarks/credit_batch_bench.py [--lines 300] [--subjects 3000] [--pg postgresql://postgres@127.0.0.1:5432/test]

A fresh database (SQLite in a temporary folder; with --pg a database of its own on that server,
dropped afterwards) made through the app's migration path, --subjects companies through the credit
service (a tenth banned, a fifth with a bad record), then a list file: most lines a name and its USCC,
some a name alone, some a code alone, a few unknown companies. Prints the preview time, the confirm
time, how long its write transaction lasted, what of it was rendering the PDFs, and how long another
workstation's single 登记核验 started during the write transaction waited for it. The PDFs are drawn
after that transaction (services.notices.render_later_in); the time shows both parts.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desktop_app.domain import search_text
from desktop_app.domain.credit import RecordKind, Severity, SubjectKind
from desktop_app.domain.identifiers import uscc_check_char
from desktop_app.domain.roles import Role
from desktop_app.notices import documents
from desktop_app.services.credit import LineState, RecordInput, SubjectInput, batch
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database

PASSWORD = "Bench#2026pw"
ON = date(2026, 5, 6)
WORDS = [
    "华建",
    "启航",
    "清风",
    "恒通",
    "宏远",
    "鼎盛",
    "金桥",
    "远大",
    "中兴",
    "广厦",
    "联创",
    "嘉禾",
    "瑞丰",
    "同创",
    "德信",
    "永安",
    "天成",
    "长青",
    "海川",
    "立信",
]
TRADES = [
    "建筑工程",
    "建设",
    "市政工程",
    "园林绿化",
    "招标代理",
    "工程咨询",
    "设备安装",
    "路桥",
    "水利工程",
    "装饰工程",
]


def code(n: int) -> str:
    body = f"91440101MA5D{n:05d}"
    return body + uscc_check_char(body)


def name(n: int) -> str:
    return f"天河{WORDS[n % len(WORDS)]}{WORDS[(n // 20) % len(WORDS)]}{TRADES[n % len(TRADES)]}有限公司{n}号"


def fill(services: Services, subjects: int) -> Any:
    services.auth.create_first_admin("sysadmin", PASSWORD, "系统管理员")
    admin = services.auth.login("sysadmin", PASSWORD)
    for username, role in (("leader", Role.LEADER), ("clerk", Role.HALL_STAFF), ("clerk2", Role.HALL_STAFF)):
        services.users.create(
            admin,
            username=username,
            display_name=username,
            roles={role},
            password=PASSWORD,
            department_id=None,
            must_change_password=False,
        )
    leader = services.auth.login("leader", PASSWORD)
    # Once the center has a leader, the roles the system admin gives wait for one (services/duties).
    for info in services.users.list():
        if info.pending_roles:
            services.users.confirm(leader, info.id)
    for n in range(subjects):
        sid = services.credit.create_subject(
            leader, SubjectInput(SubjectKind.BIDDER, name(n), uscc=code(n))
        ).id
        if n % 10 == 0:
            services.credit.add_record(
                leader,
                RecordInput(
                    sid,
                    RecordKind.BAN,
                    Severity.GENERAL,
                    date(2026, 3, 1),
                    facts="串通投标",
                    authority="天河市住建局",
                    decision_number=f"天建罚〔2026〕{n}号",
                    ban_start=date(2026, 3, 10),
                    ban_end=date(2026, 9, 9),
                ),
            )
        elif n % 5 == 1:
            services.credit.add_record(
                leader,
                RecordInput(sid, RecordKind.BAD, Severity.GENERAL, date(2026, 4, 15), facts="迟交保证金"),
            )
    return services.auth.login("clerk", PASSWORD), services.auth.login("clerk2", PASSWORD)


def write_list(path: Path, lines: int, subjects: int, rng: random.Random) -> Path:
    picked = rng.sample(range(subjects), lines)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["序号", "名称", "统一社会信用代码"])
        for index, n in enumerate(picked, 1):
            share = index % 30
            if share < 20:
                out.writerow([index, name(n), code(n)])
            elif share < 26:
                out.writerow([index, name(n), ""])
            elif share < 29:
                out.writerow([index, "", code(n)])
            else:
                out.writerow([index, f"未登记的某某公司{index}号", ""])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--subjects", type=int, default=3000)
    parser.add_argument("--pg", help="a PostgreSQL server URL; a database of its own is made there")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--inside", action="store_true", help="draw the PDFs inside the write transaction (for comparison)"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    admin_engine = None
    if args.pg:
        base = make_url(args.pg)
        name_db = f"batch_bench_{int(time.time())}"
        admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name_db}"))
        url = base.set(database=name_db).render_as_string(hide_password=False)
    try:
        db, _ = open_database(url, folder / "bench.key", folder / "backups", "bench", daily_backup=False)
        services = Services(db)
        started = time.perf_counter()
        clerk, other = fill(services, args.subjects)
        print(f"{db.backend}: {args.subjects} subjects in {time.perf_counter() - started:.1f} s")
        source = write_list(folder / "名单.csv", args.lines, args.subjects, random.Random(args.seed))
        search_text.fold("热身")

        rendering: list[float] = []
        render = documents.render
        writing = threading.Event()
        check_in = batch.entry_check_in

        calls = [0]
        args_lines = args.lines

        def first_check(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if calls[0] == min(10, args_lines):  # well inside the confirmation's write transaction
                writing.set()
            return check_in(*args, **kwargs)

        batch.entry_check_in = first_check  # type: ignore[assignment]
        if args.inside:
            from desktop_app.services import notices

            notices.render_later_in = lambda session: []  # type: ignore[assignment]

        def timed_render(layout: str, document: Any, stamp: Any) -> bytes:
            begun = time.perf_counter()
            try:
                return render(layout, document, stamp)
            finally:
                rendering.append(time.perf_counter() - begun)

        documents.render = timed_render  # type: ignore[assignment]

        started = time.perf_counter()
        preview = services.credit.preview_check_list(clerk, source, ON)
        preview_s = time.perf_counter() - started
        choices = {line.row: line.candidates[0].subject_id for line in preview.undecided if line.candidates}
        print(
            f"preview of {len(preview.lines)} lines: {preview_s:.2f} s "
            f"({len(preview.undecided)} to decide, {preview.count(LineState.NOT_FOUND)} not found)"
        )

        waits: list[float] = []

        def another_workstation() -> None:
            writing.wait()
            begun = time.perf_counter()
            services.credit.entry_check(other, code(1), subject_id, ON)
            waits.append(time.perf_counter() - begun)

        subject_id = services.credit.search(other, code(1)).hits[0].subject_id
        worker = threading.Thread(target=another_workstation)
        worker.start()
        started = time.perf_counter()
        result = services.credit.certify_list(clerk, preview, choices)
        total = time.perf_counter() - started
        worker.join()
        print(
            f"confirm: {total:.2f} s in all; write transaction {result.write_seconds:.2f} s; then "
            f"{result.pdf_seconds:.2f} s drawing and storing the PDFs (drawing {sum(rendering):.2f} s for "
            f"{len(rendering)} documents, median {statistics.median(rendering) * 1000:.1f} ms); "
            f"{len(result.certificates)} certificates, summary {len(result.summary.pdf) // 1024} KiB"
        )
        print(f"another workstation's single check started during it waited {waits[0]:.2f} s")
        services.dispose()
    finally:
        if admin_engine is not None:
            with admin_engine.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name_db} WITH (FORCE)"))
            admin_engine.dispose()


if __name__ == "__main__":
    main()
