"""A monthly-scoring database at the issue's scale (500 staff in 8 departments, 24 months of locked
sheets with their lines), for benchmarks/scoring_bench.py.

    python benchmarks/scoring_data.py --url sqlite:////tmp/bench/scoring.sqlite3
    python benchmarks/scoring_data.py \\
        --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_scoring"

The database is made fresh through the app's own migrations (``complaint_data.fresh_database``: the
key file goes to ``--home``, by default beside a SQLite file or in /tmp/bench/scoring-home; the
schemes, posts and bands seeded by revision 0016), the departments of the seed and the staff through
the ORM (posts in realistic shares: 窗口受理, 投诉受理, 见证员, one 科长 per department, the rest on the
default scheme). Then, by bulk Core INSERTs (executemany, a transaction per batch), for each of the 24
months before the present one and each department:

- the department's month, locked (submitted and locked by ``bench``; an override reason when its 优秀
  exceed the quota); one department month in thirty reopened once: revision 2 locked again;
- a sheet per staff member (the scheme of their post; ``current`` on the last revision) with its lines:
  the five base lines (lowered by a few points, more often for some staff than for others), deductions for lateness and
  the like, now and then an automatic one (a complaint found true, a case closed late, a 差评, with a
  case number), rarely a veto, a bonus for praise now and then; total, grade and veto by
  ``domain.scoring.sheet_total`` under the default rule.

Every sealed row (department months, sheets, lines) gets its ``row_mac`` over the model's
``sealed_fields`` (``sealing.row_mac``), so what the benchmark reads verifies. No audit entries, no
complaints or credit records behind the automatic lines: the roll-ups read the sheets alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import Connection

from benchmarks.complaint_data import fresh_database, person
from desktop_app import clock
from desktop_app.domain.scoring import (
    DEFAULT_RULE,
    AutoSource,
    Dimension,
    ItemKind,
    Line,
    excellent_quota,
    month_of,
    previous_months,
    sheet_total,
)
from desktop_app.store.crypto import Keyring
from desktop_app.store.migrate import sqlite_path
from desktop_app.store.models import Department, Staff
from desktop_app.store.scoring_models import (
    ScoringDepartmentMonth,
    ScoringEntry,
    ScoringPostScheme,
    ScoringScheme,
    ScoringSchemeItem,
    ScoringSheet,
)
from desktop_app.store.sealing import RowSealed, row_mac

ACTOR = "bench"
SEED = Path(__file__).resolve().parent.parent / "db" / "seed"
POSTS = (("窗口受理", 40), ("投诉受理", 8), ("见证员", 20), ("综合管理", 20), ("", 12))
LOWERED_BASE = ("B01", "B02", "B03", "B04")


def sealed_row(keyring: Keyring, model: type[RowSealed], row: dict[str, Any]) -> dict[str, Any]:
    table = model.__table__.name  # type: ignore[attr-defined]
    row["row_mac"] = row_mac(
        keyring, table, row["id"], model.sealed_fields, [row[f] for f in model.sealed_fields]
    )
    return row


def add_people(database: Any, rng: random.Random, count: int) -> list[tuple[int, int, str]]:
    """(staff id, department id, post) of ``count`` staff in the seed's eight departments."""
    with database.session(write=True) as session:
        if not session.scalar(select(func.count()).select_from(Department)):
            names = json.loads((SEED / "departments.json").read_text(encoding="utf-8"))["departments"]
            session.add_all(Department(name=name, sort_order=n) for n, name in enumerate(names))
            session.flush()
        departments = list(session.scalars(select(Department.id).order_by(Department.id)))
        for n in range(count):
            department = departments[n % len(departments)]
            head = n < len(departments)
            post = "科长" if head else rng.choices([p for p, _ in POSTS], weights=[w for _, w in POSTS])[0]
            session.add(Staff(employee_no=f"K{n:04d}", name=person(rng), department_id=department, post=post))
        session.flush()
        return [(s.id, s.department_id, s.post) for s in session.scalars(select(Staff).order_by(Staff.id))]


def schemes_in(database: Any) -> tuple[dict[str, int], int, dict[int, dict[str, dict[str, Any]]]]:
    """The post → scheme id map, the default scheme's id, and each scheme's items by code."""
    with database.session() as session:
        by_name = {s.name: s.id for s in session.scalars(select(ScoringScheme))}
        default = next(s.id for s in session.scalars(select(ScoringScheme).where(ScoringScheme.is_default)))
        posts = {p.post: by_name[p.scheme_name] for p in session.scalars(select(ScoringPostScheme))}
        items: dict[int, dict[str, dict[str, Any]]] = {sid: {} for sid in by_name.values()}
        for item in session.scalars(select(ScoringSchemeItem)):
            items[item.scheme_id][item.code] = {
                "dimension": Dimension(item.dimension),
                "kind": ItemKind(item.kind),
                "points": float(item.points),
                "min": float(item.min_points),
                "max": float(item.max_points),
                "veto": item.veto,
                "auto": item.auto_source,
            }
    return posts, default, items


def sheet_lines(
    rng: random.Random, items: dict[str, dict[str, Any]], case_ids: Any, skill: float
) -> list[dict[str, Any]]:
    """The lines of one sheet (item code, points, automatic source and its case), spread as a
    department scores: most near full marks, some lowered, a few with heavy deductions."""
    lines = []
    for code, item in items.items():
        if item["kind"] != ItemKind.BASE:
            continue
        points = item["points"]
        if code in LOWERED_BASE and rng.random() < 0.45 + 0.5 * (1 - skill):
            points = max(item["min"], points - rng.choice((0.5, 1, 1, 2, 2, 3, 4, 5)))
        lines.append({"code": code, "points": points, "auto": None})
    manual = [
        c for c, i in items.items() if i["kind"] == ItemKind.DEDUCTION and not i["auto"] and not i["veto"]
    ]
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        code = rng.choice(manual)
        lines.append({"code": code, "points": items[code]["points"], "auto": None})
    for source, share in (
        (AutoSource.COMPLAINT_TRUE, 0.015),
        (AutoSource.COMPLAINT_OVERDUE, 0.02),
        (AutoSource.BAD_RATING, 0.03),
        (AutoSource.PRAISE, 0.05),
    ):
        if rng.random() < share:
            code = next((c for c, i in items.items() if i["auto"] == source.value), None)
            if code is not None:
                lines.append(
                    {
                        "code": code,
                        "points": items[code]["points"],
                        "auto": source.value,
                        "case": next(case_ids),
                    }
                )
    if rng.random() < 0.004:
        code = next(c for c, i in items.items() if i["veto"] and not i["auto"])
        lines.append({"code": code, "points": items[code]["points"], "auto": None})
    if rng.random() < 0.05:
        code = next((c for c, i in items.items() if i["kind"] == ItemKind.BONUS and not i["auto"]), None)
        if code is not None:
            lines.append({"code": code, "points": items[code]["points"], "auto": None})
    return lines


def make_months(
    keyring: Keyring,
    rng: random.Random,
    staff: list[tuple[int, int, str]],
    months: list[str],
    schemes: tuple[dict[str, int], int, dict[int, dict[str, dict[str, Any]]]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    posts, default, items = schemes
    department_months: list[dict[str, Any]] = []
    sheets: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    by_department: dict[int, list[tuple[int, str]]] = {}
    for staff_id, department_id, post in staff:
        by_department.setdefault(department_id, []).append((staff_id, post))
    case_numbers = iter(range(1, 10**7))
    for month in months:
        year, number = int(month[:4]), int(month[5:])
        locked_at = datetime(year, number, 1, tzinfo=UTC) + timedelta(days=40)
        for department_id, members in by_department.items():
            revisions = 2 if rng.random() < 1 / 30 else 1
            excellent = 0
            for revision in range(1, revisions + 1):
                for staff_id, post in members:
                    scheme_id = posts.get(post, default)
                    scheme_items = items[scheme_id]
                    lines = sheet_lines(rng, scheme_items, case_numbers, random.Random(staff_id).random())
                    total = sheet_total(
                        (
                            Line(
                                scheme_items[x["code"]]["dimension"],
                                scheme_items[x["code"]]["kind"],
                                x["points"],
                                scheme_items[x["code"]]["veto"],
                            )
                            for x in lines
                        ),
                        110,
                        DEFAULT_RULE,
                    )
                    if revision == revisions and total.grade == DEFAULT_RULE.excellent:
                        excellent += 1
                    sheet_id = len(sheets) + 1
                    sheets.append(
                        sealed_row(
                            keyring,
                            ScoringSheet,
                            {
                                "id": sheet_id,
                                "staff_id": staff_id,
                                "department_id": department_id,
                                "month": month,
                                "revision": revision,
                                "current": revision == revisions,
                                "scheme_id": scheme_id,
                                "post": post,
                                "state": "locked",
                                "total": total.total,
                                "grade": total.grade,
                                "veto": total.veto,
                                "remark": "",
                                "created_at": locked_at,
                                "version": 1,
                                "updated_at": locked_at,
                                "updated_by": ACTOR,
                            },
                        )
                    )
                    for line in lines:
                        case = line.get("case")
                        entries.append(
                            sealed_row(
                                keyring,
                                ScoringEntry,
                                {
                                    "id": len(entries) + 1,
                                    "sheet_id": sheet_id,
                                    "item_code": line["code"],
                                    "points": float(line["points"]),
                                    "evidence": "考勤记录"
                                    if line["code"].startswith("D") and not case
                                    else "",
                                    "remark": "",
                                    "auto_source": line["auto"],
                                    "source_type": "complaint" if case else "",
                                    "source_id": case,
                                    "source_ref": f"TS{year}-{case:06d}" if case else "",
                                    "contest_state": "none",
                                    "contest_reason": "",
                                    "contested_by": "",
                                    "decided_by": "",
                                    "decided_at": None,
                                    "decision_note": "",
                                },
                            )
                        )
            over = excellent > excellent_quota(len(members), DEFAULT_RULE)
            department_months.append(
                sealed_row(
                    keyring,
                    ScoringDepartmentMonth,
                    {
                        "id": len(department_months) + 1,
                        "department_id": department_id,
                        "month": month,
                        "state": "locked",
                        "revision": revisions,
                        "submitted_at": locked_at - timedelta(days=3),
                        "submitted_by": ACTOR,
                        "locked_at": locked_at,
                        "locked_by": ACTOR,
                        "override_reason": "经中心领导班子审定" if over else "",
                        "returned_at": None,
                        "returned_by": "",
                        "return_reason": "",
                        "reopened_at": locked_at - timedelta(days=1) if revisions > 1 else None,
                        "reopened_by": ACTOR if revisions > 1 else "",
                        "reopen_reason": "迟到的投诉扣分" if revisions > 1 else "",
                        "version": 1,
                        "updated_at": locked_at,
                        "updated_by": ACTOR,
                    },
                )
            )
    return department_months, sheets, entries


def insert_all(conn: Connection, table: Any, rows: list[dict[str, Any]], batch: int = 5_000) -> None:
    for first in range(0, len(rows), batch):
        with conn.begin():
            conn.execute(insert(table), rows[first : first + batch])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--home", type=Path, help="where the key file goes (default: beside the SQLite file)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "scoring-home" if path else Path("/tmp/bench/scoring-home"))
    started = time.perf_counter()
    database, keyring = fresh_database(args.url, home)
    print(f"schema through the app's migrations: {time.perf_counter() - started:.1f} s (key file in {home})")
    rng = random.Random(args.seed)
    staff = add_people(database, rng, args.staff)
    schemes = schemes_in(database)
    database.dispose()

    today = clock.today()
    last = month_of(today.year, today.month - 1) if today.month > 1 else month_of(today.year - 1, 12)
    months = previous_months(last, args.months)
    phase = time.perf_counter()
    department_months, sheets, entries = make_months(keyring, rng, staff, months, schemes)
    making = time.perf_counter() - phase
    phase = time.perf_counter()
    engine = create_engine(args.url)
    tables = ((ScoringDepartmentMonth, department_months), (ScoringSheet, sheets), (ScoringEntry, entries))
    with engine.connect() as conn:
        for model, rows in tables:
            insert_all(conn, model.__table__, rows)
        if conn.dialect.name == "postgresql":
            for model, _rows in tables:
                name = model.__table__.name
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                )
            conn.commit()
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            for model, _rows in tables:
                autocommit.exec_driver_sql(f"VACUUM (ANALYZE) {model.__table__.name}")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        counts = {
            model.__table__.name: conn.scalar(select(func.count()).select_from(model.__table__))
            for model, _rows in tables
        }
    engine.dispose()
    print(
        f"made in {making:.1f} s (MACs), inserted in {time.perf_counter() - phase:.1f} s; months {months[0]}…{months[-1]}"
    )
    print("  " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    current = [s for s in sheets if s["current"]]
    grades: dict[str, int] = {}
    for sheet in current:
        grades[sheet["grade"]] = grades.get(sheet["grade"], 0) + 1
    print(f"  current sheets {len(current):,}: " + ", ".join(f"{g} {n:,}" for g, n in grades.items()))


if __name__ == "__main__":
    main()
