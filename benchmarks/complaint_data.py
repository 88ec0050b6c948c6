"""A complaints database at the issue's scale (200,000 cases), for benchmarks/complaint_list_bench.py.

    python benchmarks/complaint_data.py --url sqlite:////tmp/bench/complaints.sqlite3
    python benchmarks/complaint_data.py --url "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_complaints"

The database is made fresh through the app's own migrations (``store.migrate.open_database``; the key
file goes to ``--home``, by default beside a SQLite file or in /tmp/bench/complaints-home). A
PostgreSQL URL whose ``options`` name a ``search_path`` gets that schema dropped and made again (the
rest of the database is left alone); any other PostgreSQL URL gets its database made again.

Then: sixty staff in the seeded departments (through the ORM), and the cases by bulk Core INSERTs
(executemany, a transaction per batch). A case's received time is spread over the last four years,
more of them recent; channel, category, time-limit class and states in realistic shares (old cases
mostly 回访 or 办结, recent ones open, a few open past their deadline); deadlines counted on the
database's own working-day calendar. Personal data (phone always, an ID number for a third, an
address for two fifths) is sealed to its row, lookup-hashed and masked exactly as a flush would
(``keyring.seal`` with the row's ``SealContext``), and every case gets its ``row_mac`` over the
model's ``sealed_fields`` (``sealing.row_mac``), so the benchmark reads rows that verify. No history
rows and no audit entries: it is a benchmark database, not a history.
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

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from desktop_app import clock
from desktop_app.domain.complaints import (
    CODE_ALPHABET,
    Category,
    Channel,
    Outcome,
    RespondentKind,
    Satisfaction,
    State,
    TimeLimit,
    complaint_number,
)
from desktop_app.domain.identifiers import id_check_char, mask
from desktop_app.domain.search_text import fold
from desktop_app.domain.workdays import WorkCalendar
from desktop_app.services.calendar import calendar_in
from desktop_app.services.demo import GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SURNAMES
from desktop_app.store.complaint_models import Complaint
from desktop_app.store.crypto import Keyring, SealContext
from desktop_app.store.database import Database
from desktop_app.store.migrate import open_database, sqlite_path
from desktop_app.store.models import Department, Staff
from desktop_app.store.sealing import row_mac

ACTOR = "bench"
SEED = Path(__file__).resolve().parent.parent / "db" / "seed"
PREFIX = "TS"
YEARS = 4
FACTS = (
    "窗口工作人员态度生硬，拒绝一次性告知所需材料，要求多次往返",
    "办理投标保证金退还超过承诺时限仍未办结",
    "开标现场系统故障导致解密失败，未及时处理",
    "工作人员以材料不全为由推诿，未说明缺少何种材料",
    "电话咨询多次无人接听，网上留言未获回复",
    "收取资料打印费用未出具票据",
    "评标室空调故障，等候时间过长",
    "交易系统CA锁绑定流程复杂，咨询人员答复前后矛盾",
    "中标公示期间质疑未在法定期限内答复",
    "工作人员上班时间玩手机，办事效率低",
)
REQUESTS = ("要求说明情况并道歉", "要求尽快办结", "要求退还费用", "要求答复处理结果", "")
UNITS = ("", "", "天河市宏达建设工程有限公司", "天河市鑫源商贸有限公司", "湘楚路桥建设集团有限公司", "个人")
STREETS = ("滨江路", "人民路", "建设大道", "解放西路", "芙蓉中路", "高新大道", "东湖路")
WINDOWS = tuple(f"{n}号窗口" for n in range(1, 21))
CHANNEL_SHARES = (
    (Channel.WINDOW, 22),
    (Channel.PHONE, 28),
    (Channel.LETTER, 3),
    (Channel.BOX, 4),
    (Channel.MAILBOX, 13),
    (Channel.HOTLINE, 20),
    (Channel.RATING, 10),
)
CATEGORY_SHARES = (
    (Category.ATTITUDE, 30),
    (Category.EFFICIENCY, 25),
    (Category.FEES, 4),
    (Category.SHIRKING, 12),
    (Category.DISCIPLINE, 6),
    (Category.SYSTEM, 13),
    (Category.OTHER, 10),
)
SATISFACTION_SHARES = (
    (Satisfaction.VERY_SATISFIED, 35),
    (Satisfaction.SATISFIED, 38),
    (Satisfaction.FAIRLY, 17),
    (Satisfaction.DISSATISFIED, 7),
    (Satisfaction.VERY_DISSATISFIED, 3),
)
DAYS = {TimeLimit.SIMPLE: 2, TimeLimit.GENERAL: 5, TimeLimit.COMPLEX: 10}


def pick(rng: random.Random, shares: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in shares], weights=[w for _, w in shares])[0]


def lookup_code(case_id: int) -> str:
    """Unique by construction: the id in base 25 over the code alphabet, spread by a multiplier."""
    x = (case_id * 1_000_003 + 7_919) % len(CODE_ALPHABET) ** 8
    digits = []
    for _ in range(8):
        x, d = divmod(x, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[d])
    raw = "".join(digits)
    return f"{raw[:4]}-{raw[4:]}"


def resident_id(rng: random.Random) -> str:
    born = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 18_000))
    first17 = f"3799{rng.randrange(1, 99):02d}{born:%Y%m%d}{rng.randrange(0, 999):03d}"
    return first17 + id_check_char(first17)


def person(rng: random.Random) -> str:
    given = tuple(GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE)
    return rng.choice(tuple(SURNAMES)) + "".join(rng.choices(given, k=rng.choice((1, 2))))


def fresh_database(url: str, home: Path) -> tuple[Database, Keyring]:
    parsed = make_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif parsed.get_backend_name() == "postgresql":
        options = str(parsed.query.get("options", ""))
        if "search_path=" in options:
            schema = options.split("search_path=", 1)[1].split(",")[0].split()[0]
            admin = create_engine(parsed.difference_update_query(["options"]))
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
        else:
            maintenance = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with maintenance.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
            maintenance.dispose()
    home.mkdir(parents=True, exist_ok=True)
    key_file = home / "integrity-desk.key"
    key_file.unlink(missing_ok=True)
    database, _ = open_database(url, key_file, home / "backups", "bench", daily_backup=False)
    return database, Keyring.load(key_file)


def add_staff(
    database: Database, rng: random.Random, count: int
) -> tuple[list[tuple[int, int, str]], WorkCalendar]:
    """(staff id, department id, name) of ``count`` staff made through the ORM, and the calendar."""
    with database.session(write=True) as session:
        if not session.scalar(select(func.count()).select_from(Department)):
            # A fresh database has none until the center is set up: the seed's names.
            names = json.loads((SEED / "departments.json").read_text(encoding="utf-8"))["departments"]
            session.add_all(Department(name=name) for name in names)
            session.flush()
        departments = list(session.scalars(select(Department.id).order_by(Department.id)))
        for n in range(count):
            session.add(
                Staff(
                    employee_no=f"B{n:04d}", name=person(rng), department_id=departments[n % len(departments)]
                )
            )
        session.flush()
        staff = [(s.id, s.department_id, s.name) for s in session.scalars(select(Staff).order_by(Staff.id))]
        calendar = calendar_in(session, database)
    return staff, calendar


def sealed(keyring: Keyring, kind: str, value: str | None, case_id: int, column: str) -> tuple[Any, Any, Any]:
    if value is None:
        return None, None, None
    return (
        keyring.seal(kind, value, SealContext("complaints", case_id, column)),
        keyring.lookup_hash(kind, value),
        mask(kind, value),
    )


def make_case(
    case_id: int,
    received_at: datetime,
    serial: int,
    rng: random.Random,
    keyring: Keyring,
    staff: list[tuple[int, int, str]],
    calendar: WorkCalendar,
    today: date,
) -> dict[str, Any]:
    received_on = received_at.astimezone().date()
    channel = pick(rng, CHANNEL_SHARES)
    category = pick(rng, CATEGORY_SHARES)
    limit = rng.choices((TimeLimit.SIMPLE, TimeLimit.GENERAL, TimeLimit.COMPLEX), weights=(25, 60, 15))[0]
    days = DAYS[limit]
    due = calendar.add_working_days(received_on, days)
    acceptance = calendar.add_working_days(received_on, 3)
    anonymous = channel in (Channel.BOX, Channel.MAILBOX) and rng.random() < 0.3
    name = "" if anonymous else person(rng)
    mobile = None if anonymous else rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"
    id_number = resident_id(rng) if not anonymous and rng.random() < 0.33 else None
    address = (
        f"天河市{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2800)}室"
        if not anonymous and rng.random() < 0.4
        else None
    )
    receiver = rng.choice(staff)
    kind = rng.choices(
        (RespondentKind.STAFF, RespondentKind.WINDOW, RespondentKind.DEPARTMENT, RespondentKind.NONE),
        weights=(45, 30, 15, 10),
    )[0]
    respondent = rng.choice(staff)
    respondent_staff_id = respondent[0] if kind is RespondentKind.STAFF else None
    respondent_department_id = respondent[1] if kind is RespondentKind.DEPARTMENT else None
    respondent_text = {
        RespondentKind.STAFF: respondent[2],
        RespondentKind.WINDOW: rng.choice(WINDOWS),
        RespondentKind.DEPARTMENT: f"科室{respondent[1]}",
        RespondentKind.NONE: "",
    }[kind]
    facts = rng.choice(FACTS) + ("。" if rng.random() < 0.5 else f"，{rng.choice(FACTS)}。")
    request = rng.choice(REQUESTS)

    age = (today - received_on).days
    roll = rng.random()
    handler = rng.choice(staff)
    department_id: int | None = handler[1]
    handler_id: int | None = handler[0]
    outcome = satisfaction = None
    closed_on: date | None = None
    closed_at = visited_at = None
    state_reason = transfer_to = ""
    if roll < 0.06:
        state, department_id, handler_id = State.REJECTED, None, None
        state_reason = "不属于本中心受理范围"
    elif age > 40 or (age > 12 and roll < 0.85) or (age > 3 and roll < 0.35):
        # Mostly closed in time; one in twelve a few working days late.
        late = rng.random() < 0.08
        if late:
            closed_on = calendar.add_working_days(due.day, rng.randrange(1, 6)).day
        else:
            closed_on = received_on + timedelta(
                days=rng.randrange(1, max(2, (due.day - received_on).days + 1))
            )
        closed_on = min(closed_on, today)
        closed_at = datetime.combine(closed_on, datetime.min.time()).astimezone() + timedelta(
            hours=rng.randrange(9, 17), minutes=rng.randrange(0, 60)
        )
        outcome = rng.choices((Outcome.TRUE, Outcome.PARTLY, Outcome.FALSE), weights=(30, 25, 45))[0]
        state = State.CLOSED
        if (today - closed_on).days > 5 and rng.random() < 0.8:
            state = State.VISITED
            satisfaction = pick(rng, SATISFACTION_SHARES)
            visited_at = closed_at + timedelta(days=rng.randrange(1, 5))
    else:
        state = rng.choices(
            (State.REGISTERED, State.ACCEPTED, State.TRANSFERRED, State.INVESTIGATING),
            weights=(15, 25, 10, 50),
        )[0]
        if state is State.REGISTERED:
            department_id = handler_id = None
        if state is State.TRANSFERRED:
            transfer_to = "行政监督部门"
    received_utc = received_at.astimezone(UTC)
    created = received_utc + timedelta(minutes=rng.randrange(1, 30))
    number = complaint_number(PREFIX, received_on.year, serial)
    code = lookup_code(case_id)
    phone, phone_lookup, phone_masked = sealed(keyring, "phone", mobile, case_id, "complainant_phone")
    id_blob, id_lookup, id_masked = sealed(keyring, "id_number", id_number, case_id, "complainant_id_number")
    address_blob, address_lookup, address_masked = sealed(
        keyring, "address", address, case_id, "complainant_address"
    )
    row: dict[str, Any] = {
        "id": case_id,
        "version": 1,
        "updated_at": closed_at.astimezone(UTC) if closed_at else created,
        "updated_by": ACTOR,
        "number": number,
        "year": received_on.year,
        "serial": serial,
        "lookup_code": code,
        "channel": channel.value,
        "received_at": received_utc,
        "received_on": received_on,
        "receiver_username": ACTOR,
        "receiver_staff_id": receiver[0],
        "receiver_name": receiver[2],
        "anonymous": anonymous,
        "complainant_name": name,
        "complainant_unit": "" if anonymous else rng.choice(UNITS),
        "complainant_id_type": "resident_id" if id_number else "",
        "complainant_id_number": id_blob,
        "complainant_id_number_lookup": id_lookup,
        "complainant_id_number_masked": id_masked,
        "complainant_phone": phone,
        "complainant_phone_lookup": phone_lookup,
        "complainant_phone_masked": phone_masked,
        "complainant_address": address_blob,
        "complainant_address_lookup": address_lookup,
        "complainant_address_masked": address_masked,
        "respondent_kind": kind.value,
        "respondent_staff_id": respondent_staff_id,
        "respondent_department_id": respondent_department_id,
        "respondent_subject_id": None,
        "respondent_text": respondent_text,
        "project_code": f"TH{received_on.year}-GC-{rng.randrange(1, 999):03d}" if rng.random() < 0.15 else "",
        "category": category.value,
        "facts": facts,
        "request": request,
        "time_limit": limit.value,
        "time_limit_days": days,
        "deadline": due.day,
        "deadline_provisional": due.provisional,
        "acceptance_deadline": acceptance.day,
        "statutory": "none",
        "state": state.value,
        "state_reason": state_reason,
        "transfer_to": transfer_to,
        "department_id": department_id,
        "handler_staff_id": handler_id,
        "outcome": outcome.value if outcome else None,
        "reply": "经调查核实，已按规定处理并答复投诉人。" if outcome else "",
        "closed_at": closed_at.astimezone(UTC) if closed_at else None,
        "closed_on": closed_on,
        "satisfaction": satisfaction.value if satisfaction else None,
        "visited_at": visited_at.astimezone(UTC) if visited_at else None,
        "visit_note": "",
        "followup_contact_deadline": None,
        "followup_rectify_deadline": None,
        "followup_contacted_at": None,
        "followup_done_at": None,
        "followup_note": "",
        "receipt_notice": "",
        "reply_notice": "",
        "linked_to_id": None,
        "credit_record_id": None,
        "created_at": created,
        "created_by": ACTOR,
    }
    row["search_text"] = fold(
        " ".join(
            (number, code.replace("-", ""), name, row["complainant_unit"], respondent_text,
             row["project_code"], facts, request)
        )
    )  # fmt: skip
    row["row_mac"] = row_mac(
        keyring, "complaints", case_id, Complaint.sealed_fields, [row[f] for f in Complaint.sealed_fields]
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--staff", type=int, default=60)
    parser.add_argument("--home", type=Path, help="where the key file goes (default: beside the SQLite file)")
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    path = sqlite_path(args.url)
    home = args.home or (path.parent / "complaints-home" if path else Path("/tmp/bench/complaints-home"))
    started = time.perf_counter()
    database, keyring = fresh_database(args.url, home)
    print(f"schema through the app's migrations: {time.perf_counter() - started:.1f} s (key file in {home})")
    rng = random.Random(args.seed)
    staff, calendar = add_staff(database, rng, args.staff)
    database.dispose()

    today = clock.today()
    now = clock.now()
    span = YEARS * 365 * 86_400
    # Received times, oldest first (numbers and ids follow them); more cases lately.
    offsets = sorted((span * rng.random() ** 1.3 for _ in range(args.cases)), reverse=True)
    moments = [now - timedelta(seconds=o) for o in offsets]
    engine = create_engine(args.url)
    table = Complaint.__table__
    serials: dict[int, int] = {}
    making = inserting = 0.0
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode = OFF")
            conn.exec_driver_sql("PRAGMA synchronous = OFF")
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            conn.commit()
        for first in range(0, args.cases, args.batch):
            phase = time.perf_counter()
            rows = []
            for index in range(first, min(first + args.batch, args.cases)):
                received_at = moments[index]
                year = received_at.astimezone().year
                serials[year] = serials.get(year, 0) + 1
                rows.append(
                    make_case(index + 1, received_at, serials[year], rng, keyring, staff, calendar, today)
                )
            making += time.perf_counter() - phase
            phase = time.perf_counter()
            with conn.begin():
                conn.execute(insert(table), rows)
            inserting += time.perf_counter() - phase
            done = first + len(rows)
            if done % 50_000 < args.batch:
                print(f"  cases {done:>8,}  ({done / (making + inserting):,.0f}/s)", flush=True)
        phase = time.perf_counter()
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('complaints', 'id'), (SELECT max(id) FROM complaints))"
            )
            conn.commit()
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM (ANALYZE) complaints"
            )
        else:
            conn.exec_driver_sql("PRAGMA journal_mode = WAL")
            conn.commit()
        finishing = time.perf_counter() - phase
        counts = dict(conn.execute(select(table.c.state, func.count()).group_by(table.c.state)).all())
    engine.dispose()
    total = sum(counts.values())
    print(
        f"cases: {total:,} in {making + inserting:.1f} s (making {making:.1f} s: sealing, MACs, deadlines; "
        f"inserting {inserting:.1f} s); finishing {finishing:.1f} s"
    )
    print("  by state: " + ", ".join(f"{s} {n:,}" for s, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
