"""An expert-evaluation database at the issue's scale (3,000 experts, 5,000 sessions in a year), for
benchmarks/evaluation_ranking_bench.py.

    python benchmarks/evaluation_data.py --url sqlite:////tmp/bench/evaluations.sqlite3
    python benchmarks/evaluation_data.py \\
        --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_evaluations"

The database is made fresh through the app's own migrations (``complaint_data.fresh_database``: the
key file goes to ``--home``, by default beside a SQLite file or in /tmp/bench/evaluations-home), with
thirty staff (the witnesses) through the ORM. Then, by bulk Core INSERTs (executemany, a transaction
per table):

- the experts: credit subjects of kind ``expert`` with an expert number, a specialty and a resident ID
  sealed to its row, lookup-hashed and masked as a flush would; a few removed from the pool;
- ban-type records on about one expert in a hundred (confirmed, some over and some in force today);
- the sessions of this year up to today (all but the last fortnight's finalised; procurement ones with
  their due date), five to nine experts each, drawn from the pool with some experts sitting far more
  often than others;
- the marks: most sessions clean (about one in six with a mark), one to three marks then, an item of
  E01–E17 with its default points (serious items rarely); one session in fifty reopened once, its
  first revision's marks kept with ``current`` false.

Every sealed row (subjects, records, sessions, marks) gets its ``row_mac`` over the model's
``sealed_fields`` (``sealing.row_mac``), so what the benchmark reads verifies. The marks' credit
records, proposals and audit entries are not written: the ranking reads the marks alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import Connection

from benchmarks.complaint_data import add_staff, fresh_database, person, resident_id
from desktop_app import clock
from desktop_app.domain.evaluations import NUMBER_PREFIX, TradeCategory
from desktop_app.domain.identifiers import mask
from desktop_app.domain.search_text import fold
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.crypto import Keyring, SealContext
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, EvaluationSessionExpert
from desktop_app.store.migrate import sqlite_path
from desktop_app.store.sealing import RowSealed, row_mac

ACTOR = "bench"
SEED = Path(__file__).resolve().parent.parent / "db" / "seed"
SPECIALTIES = (
    "房屋建筑工程", "市政公用工程", "公路工程", "水利水电工程", "机电安装工程", "建筑装饰工程",
    "工程造价", "政府采购（货物）", "政府采购（服务）", "信息化工程", "医疗设备", "园林绿化工程",
)  # fmt: skip
ROOMS = tuple(f"第{n}评标室" for n in range(1, 13))
CATEGORY_SHARES = (
    (TradeCategory.CONSTRUCTION, 45),
    (TradeCategory.PROCUREMENT, 35),
    (TradeCategory.TRANSPORT_WATER, 10),
    (TradeCategory.LAND_PROPERTY, 5),
    (TradeCategory.OTHER, 5),
)
PROJECTS = ("道路改造工程", "学校教学楼建设项目", "医疗设备采购项目", "物业管理服务采购", "河道整治工程")
REMARKS = ("", "", "", "经提醒后改正", "现场劝阻无效", "已当场制止")


def sealed_row(keyring: Keyring, model: type[RowSealed], row: dict[str, Any]) -> dict[str, Any]:
    table = model.__table__.name  # type: ignore[attr-defined]
    row["row_mac"] = row_mac(
        keyring, table, row["id"], model.sealed_fields, [row[f] for f in model.sealed_fields]
    )
    return row


def catalogue() -> list[dict[str, Any]]:
    return json.loads((SEED / "evaluation_catalogue.json").read_text(encoding="utf-8"))["items"]


def make_experts(keyring: Keyring, rng: random.Random, count: int, now: datetime) -> list[dict[str, Any]]:
    rows = []
    seen: set[str] = set()
    for sid in range(1, count + 1):
        number = resident_id(rng)
        while number in seen:
            number = resident_id(rng)
        seen.add(number)
        name = person(rng)
        expert_no = f"ZJ{sid:05d}"
        rows.append(
            sealed_row(
                keyring,
                CreditSubject,
                {
                    "id": sid,
                    "kind": "expert",
                    "name": name,
                    "uscc": None,
                    "identifier_override_reason": "",
                    "id_number": keyring.seal(
                        "id_number", number, SealContext("credit_subjects", sid, "id_number")
                    ),
                    "id_number_lookup": keyring.lookup_hash("id_number", number),
                    "id_number_masked": mask("id_number", number),
                    "phone": None,
                    "phone_lookup": None,
                    "phone_masked": None,
                    "legal_representative": "",
                    "expert_no": expert_no,
                    "specialty": rng.choice(SPECIALTIES),
                    "pool_status": "removed" if rng.random() < 0.01 else "active",
                    "staff_id": None,
                    "note": "",
                    "search_text": fold(name),
                    "created_at": now,
                    "created_by": ACTOR,
                    "version": 1,
                    "updated_at": now,
                    "updated_by": ACTOR,
                },
            )
        )
    return rows


def make_bans(
    keyring: Keyring, rng: random.Random, experts: int, today: date, now: datetime
) -> list[dict[str, Any]]:
    rows = []
    for rid, sid in enumerate(rng.sample(range(1, experts + 1), max(1, experts // 100)), start=1):
        decided = today - timedelta(days=rng.randrange(10, 400))
        ban_end = decided + timedelta(days=182)
        row = {
            "id": rid,
            "subject_id": sid,
            "kind": "ban",
            "severity": "general",
            "status": "confirmed",
            "facts": f"评标专家现场考评{decided.year}年累计扣分12分，暂停评标专家资格6个月",
            "legal_basis": "",
            "authority": "天河市财政局",
            "decision_number": f"天财采〔{decided.year}〕{rid}号",
            "decision_date": decided,
            "publicity_min_end": None,
            "publicity_end": ban_end,
            "ban_start": decided,
            "ban_end": ban_end,
            "points": 15,
            "source": "expert_evaluation",
            "source_ref": f"P{rid}",
            "dedupe_key": f"evaluation-bench-ban-{rid}",
            "created_at": now,
            "created_by": ACTOR,
            "confirmed_at": now,
            "confirmed_by": ACTOR,
            "repaired_on": None,
            "closed_at": None,
            "closed_by": "",
            "closed_reason": "",
            "version": 1,
            "updated_at": now,
            "updated_by": ACTOR,
        }
        rows.append(sealed_row(keyring, CreditRecord, row))
    return rows


def make_sessions(
    keyring: Keyring,
    rng: random.Random,
    count: int,
    experts: int,
    staff: list[tuple[int, int, str]],
    today: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Sessions, the experts present and the marks."""
    items = catalogue()
    ordinary = [i for i in items if not i["serious"]]
    serious = [i for i in items if i["serious"]]
    first = date(today.year, 1, 1)
    span = (today - first).days + 1
    days = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(count))
    # Some experts are drawn far more often than others.
    weights = [rng.random() ** 2 + 0.05 for _ in range(experts)]
    pool = list(range(1, experts + 1))
    sessions: list[dict[str, Any]] = []
    present: list[dict[str, Any]] = []
    marks: list[dict[str, Any]] = []
    for session_id, day in enumerate(days, start=1):
        category = rng.choices([c for c, _ in CATEGORY_SHARES], weights=[w for _, w in CATEGORY_SHARES])[0]
        start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) - timedelta(hours=8)
        end = start + timedelta(hours=rng.randrange(3, 9))
        finalised = day < today - timedelta(days=14) or rng.random() < 0.5
        witness = rng.choice(staff)
        reopened = finalised and rng.random() < 0.02
        revision = 2 if reopened else 1
        finalised_at = end + timedelta(hours=1) if finalised else None
        row = {
            "id": session_id,
            "number": f"{NUMBER_PREFIX}{day.year}-{session_id:06d}",
            "project_code": f"TH{day.year}-{category.value[:2].upper()}-{session_id:05d}",
            "project_name": f"天河市{rng.choice(PROJECTS)}",
            "category": category.value,
            "room": rng.choice(ROOMS),
            "scheduled_start": start,
            "scheduled_end": end,
            "actual_start": start,
            "actual_end": end,
            "evaluation_date": day,
            "witness_staff_id": witness[0],
            "witness_name": witness[2],
            "state": "finalised" if finalised else "draft",
            "revision": revision,
            "finalised_at": finalised_at,
            "finalised_by": ACTOR if finalised else "",
            "due_on": day + timedelta(days=7) if category is TradeCategory.PROCUREMENT else None,
            "due_provisional": False,
            "source": "app",
            "import_key": None,
            "search_text": "",
            "created_at": start,
            "created_by": ACTOR,
            "version": 1,
            "updated_at": finalised_at or start,
            "updated_by": ACTOR,
        }
        chosen: list[int] = []
        while len(chosen) < rng.randrange(5, 10):
            sid = rng.choices(pool, weights=weights)[0]
            if sid not in chosen:
                chosen.append(sid)
        for position, sid in enumerate(chosen):
            present.append(
                {"id": len(present) + 1, "session_id": session_id, "subject_id": sid, "position": position}
            )
        sessions.append(sealed_row(keyring, EvaluationSession, row))
        if not finalised or rng.random() >= 1 / 6:
            continue
        revisions = (1, 2) if reopened else (1,)
        picked = [
            (rng.choice(chosen), rng.choice(serious) if rng.random() < 0.04 else rng.choice(ordinary))
            for _ in range(rng.choice((1, 1, 1, 2, 3)))
        ]
        for rev in revisions:
            for sid, item in picked:
                marks.append(
                    sealed_row(
                        keyring,
                        EvaluationMark,
                        {
                            "id": len(marks) + 1,
                            "session_id": session_id,
                            "revision": rev,
                            "subject_id": sid,
                            "item_code": item["code"],
                            "item_text": item["text"],
                            "points": item["default_points"],
                            "serious": bool(item["serious"]),
                            "remark": rng.choice(REMARKS),
                            "evaluation_date": day,
                            "current": rev == revision,
                            "credit_record_id": None,
                        },
                    )
                )
    return sessions, present, marks


def insert_all(conn: Connection, table: Any, rows: list[dict[str, Any]], batch: int = 5_000) -> None:
    for first in range(0, len(rows), batch):
        with conn.begin():
            conn.execute(insert(table), rows[first : first + batch])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--experts", type=int, default=3_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--staff", type=int, default=30)
    parser.add_argument("--home", type=Path, help="where the key file goes (default: beside the SQLite file)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "evaluations-home" if path else Path("/tmp/bench/evaluations-home"))
    started = time.perf_counter()
    database, keyring = fresh_database(args.url, home)
    print(f"schema through the app's migrations: {time.perf_counter() - started:.1f} s (key file in {home})")
    rng = random.Random(args.seed)
    staff, _calendar = add_staff(database, rng, args.staff)
    database.dispose()

    today, now = clock.today(), clock.now()
    phase = time.perf_counter()
    experts = make_experts(keyring, rng, args.experts, now)
    bans = make_bans(keyring, rng, args.experts, today, now)
    sessions, present, marks = make_sessions(keyring, rng, args.sessions, args.experts, staff, today)
    making = time.perf_counter() - phase
    phase = time.perf_counter()
    engine = create_engine(args.url)
    tables = (
        (CreditSubject, experts),
        (CreditRecord, bans),
        (EvaluationSession, sessions),
        (EvaluationSessionExpert, present),
        (EvaluationMark, marks),
    )
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
    print(f"made in {making:.1f} s (MACs, sealing), inserted in {time.perf_counter() - phase:.1f} s")
    print("  " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    print(
        f"  marks current: {sum(m['current'] for m in marks):,}; points {sum(m['points'] for m in marks if m['current']):,}"
    )


if __name__ == "__main__":
    main()
