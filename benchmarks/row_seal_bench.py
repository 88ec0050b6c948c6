"""What the row MACs (store.sealing) cost, on a database made by benchmarks/credit_data.py.

    python benchmarks/row_seal_bench.py --url sqlite:////tmp/bench/credit.sqlite3 [--subjects 200]

Times, for the subjects with the most records: the MAC check of the rows a verdict rests on
(``failing_rows_in``: the subject, all its records, their repairs) beside the whole detail pane
(``subject_file``) and the verdict without the check; then ``audit verify``'s row check of every
sealed table. With ``--seal-copy-of FILE`` (a SQLite database made before revision 0008), opens a
copy with this program and times the one-time seal of its existing rows (store.resealing).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.integrity import failing_rows_in
from desktop_app.services.credit.verdicts import assessments_in
from desktop_app.services.facade import Services
from desktop_app.store.migrate import open_database, sqlite_path


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def ms(call: object, items: list[int]) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        call(item)  # type: ignore[operator]
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--seal-copy-of", type=Path, help="a SQLite database made before revision 0008")
    parser.add_argument("--seal-home", type=Path, help="the key folder of that database")
    args = parser.parse_args()
    path = sqlite_path(args.url)
    home = args.home or (path.parent / "home" if path else Path("/tmp/bench/home"))
    db, _ = open_database(
        args.url, home / "integrity-desk.key", home / "backups", "bench", daily_backup=False
    )
    services = Services(db)
    actor = CurrentUser(None, "bench", "基准", frozenset({Role.HALL_STAFF, Role.AUDIT_ADMIN}), "bench")
    with db.engine.connect() as conn:
        busiest = [
            (int(r[0]), int(r[1]))
            for r in conn.execute(
                text(
                    "SELECT subject_id, count(*) AS n FROM credit_records GROUP BY subject_id "
                    "ORDER BY n DESC, subject_id LIMIT :n"
                ),
                {"n": args.subjects},
            )
        ]
    ids = [sid for sid, _ in busiest]
    today = db.today()
    for sid in ids[:10]:  # warm: statement caches, pages
        services.credit.subject_file(actor, sid)

    def check(sid: int) -> None:
        with db.session() as session:
            failing_rows_in(session, [sid])

    def verdict_only(sid: int) -> None:
        with db.session() as session:
            assessments_in(session, [sid], today)

    checks = ms(check, ids)
    verdicts = ms(verdict_only, ids)
    files = ms(lambda sid: services.credit.subject_file(actor, sid), ids)
    print(f"{len(ids)} subjects with the most records ({busiest[-1][1]}–{busiest[0][1]} records each):")
    for label, samples in (
        ("MAC check of the rows the verdict rests on", checks),
        ("verdict without the check", verdicts),
        ("detail pane (subject_file, check included)", files),
    ):
        print(f"  {label:<46} p50 {statistics.median(samples):7.2f} ms   p95 {p95(samples):7.2f} ms")
    started = time.perf_counter()
    found = services.integrity.verify_rows(actor)
    print(
        f"audit verify, business rows: {found.checked:,} MACs and {found.personal_checked:,} rows of personal "
        f"data in {time.perf_counter() - started:.1f} s; sound: {found.sound}"
    )
    db.dispose()

    if args.seal_copy_of:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "before-0008.sqlite3"
            shutil.copy2(args.seal_copy_of, copy)
            key_home = args.seal_home or args.seal_copy_of.parent / "home"
            started = time.perf_counter()
            sealed, report = open_database(
                f"sqlite:///{copy}",
                key_home / "integrity-desk.key",
                Path(folder) / "backups",
                "bench",
                daily_backup=False,
            )
            took = time.perf_counter() - started
            with sealed.engine.connect() as conn:
                summary = conn.execute(
                    text("SELECT summary FROM audit_log WHERE action = 'integrity.seal'")
                ).scalar_one()
            print(
                f"upgrade of a copy made before 0008 (upgraded: {report.upgraded}) with the one-time seal: {took:.1f} s"
            )
            print(f"  audit entry: {summary}")
            sealed.dispose()


if __name__ == "__main__":
    main()
