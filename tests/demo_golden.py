"""What ``integrity-desk --home H demo`` produced for the default seed, kept as test data.

The demo is built by the command line in-process, at a fixed instant (its dates count back from
today), and compared with ``tests/data/demo/``: the printed text with the data folder written as
``<HOME>``, and one digest per table of what the demo put in the database. Timestamps, password
hashes, sealed bytes, keyed lookups and the search columns the credit service derives are left out:
they vary with the key file, the salt or the number of clock readings, not with the demo.

Regenerate (only when the demo is meant to change) with ``python -m tests.demo_golden --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import clock, paths
from desktop_app.store.credit_models import (
    CreditRecord,
    CreditRepair,
    CreditSubject,
    SubjectAlias,
    SubjectContact,
)
from desktop_app.store.database import Database
from desktop_app.store.evaluation_models import EvaluationMark, EvaluationSession, ExpertProposal
from desktop_app.store.migrate import open_database
from desktop_app.store.models import AuditEntry, CenterSetting, Department, Staff, User
from desktop_app.store.scoring_models import ScoringDepartmentMonth, ScoringEntry, ScoringSheet

DATA = Path(__file__).resolve().parent / "data" / "demo"
STDOUT_FILE = DATA / "stdout.txt"
DIGEST_FILE = DATA / "database.json"
# The instant the golden demo was built at; its own, whatever clock the rest of the suite uses.
GOLDEN_NOW = datetime.fromisoformat("2026-11-18T10:30:00+08:00")
HOME_MARK = "<HOME>"


def normalise_stdout(text: str, home: Path) -> str:
    return text.replace(str(home), HOME_MARK)


# The columns compared, per table (what the demo decides, nothing a key, a salt or a timestamp varies).
STAFF = (
    "id", "employee_no", "name", "department_id", "post", "active", "phone", "phone_masked", "id_number",
    "id_number_masked", "version", "updated_by",
)  # fmt: skip
USERS = (
    "id", "username", "display_name", "staff_id", "department_id", "must_change_password", "failed_logins",
    "active", "version", "updated_by",
)  # fmt: skip
SUBJECTS = (
    "id", "kind", "name", "uscc", "identifier_override_reason", "id_number", "id_number_masked", "phone",
    "phone_masked", "legal_representative", "expert_no", "specialty", "pool_status", "staff_id", "note",
    "created_by", "version", "updated_by",
)  # fmt: skip
RECORDS = (
    "id", "subject_id", "kind", "severity", "status", "facts", "legal_basis", "authority", "decision_number",
    "decision_date", "publicity_min_end", "publicity_end", "ban_start", "ban_end", "points", "source",
    "source_ref", "dedupe_key", "created_by", "confirmed_by", "repaired_on", "closed_by", "closed_reason",
    "version", "updated_by",
)  # fmt: skip
REPAIRS = (
    "id", "record_id", "requested_on", "applicant", "materials", "status", "decided_on", "decided_by",
    "decision_number", "decision_note", "created_by", "version", "updated_by",
)  # fmt: skip
EVALUATION_SESSIONS = (
    "id", "number", "project_code", "project_name", "category", "room", "evaluation_date", "witness_staff_id",
    "witness_name", "state", "revision", "finalised_by", "due_on", "source", "created_by", "version",
)  # fmt: skip
EVALUATION_MARKS = (
    "id", "session_id", "revision", "subject_id", "item_code", "points", "serious", "remark", "evaluation_date",
    "current", "credit_record_id",
)  # fmt: skip
PROPOSALS = (
    "id", "subject_id", "year", "action", "reason", "points", "state", "session_id", "authority",
    "decision_number", "decision_date", "suspend_from", "suspend_until", "credit_record_id", "version",
)  # fmt: skip
SCORING_MONTHS = (
    "id", "department_id", "month", "state", "revision", "submitted_by", "locked_by", "override_reason",
    "returned_by", "return_reason", "reopened_by", "reopen_reason", "version", "updated_by",
)  # fmt: skip
SCORING_SHEETS = (
    "id", "staff_id", "department_id", "month", "revision", "current", "scheme_id", "post", "state", "total",
    "grade", "veto", "remark", "version", "updated_by",
)  # fmt: skip
SCORING_ENTRIES = (
    "id", "sheet_id", "item_code", "points", "evidence", "remark", "auto_source", "source_type", "source_id",
    "source_ref", "contest_state", "contest_reason", "contested_by", "decided_by", "decision_note",
)  # fmt: skip
# The workstation is the machine's name, and the chain's hashes cover timestamps.
AUDIT = ("seq", "user_id", "username", "action", "object_type", "object_id", "summary")


def _stable_audit(row: list[Any]) -> list[Any]:
    """An audit row without what the key file decides: an issued notice's PDF (its verification code
    and QR code are keyed) has another SHA-256 under another key."""
    summary = json.loads(row[-1]) if row[-1] else {}
    if isinstance(summary, dict) and "pdf_sha256" in summary:
        summary["pdf_sha256"] = "<keyed>"
        row = [*row[:-1], json.dumps(summary, ensure_ascii=False, sort_keys=True)]
    return row


def _rows(session: Session, model: Any, fields: Sequence[str], order: Any = None) -> list[list[Any]]:
    """Whole rows through the ORM: sealed personal data is compared in clear, not as ciphertext."""
    query = select(model).order_by(order if order is not None else model.id)
    return [[getattr(obj, name) for name in fields] for obj in session.scalars(query)]


def database_tables(database: Database) -> dict[str, list[list[Any]]]:
    with database.session() as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        records = session.scalars(select(CreditRecord).order_by(CreditRecord.id)).all()
        return {
            "departments": _rows(session, Department, ("id", "name", "sort_order", "active", "version")),
            "staff": _rows(session, Staff, STAFF),
            "users": [[*(getattr(u, f) for f in USERS), sorted(r.role for r in u.roles)] for u in users],
            "center_settings": _rows(
                session, CenterSetting, ("key", "value", "version", "updated_by"), CenterSetting.key
            ),
            "credit_subjects": _rows(session, CreditSubject, SUBJECTS),
            "subject_aliases": _rows(session, SubjectAlias, ("id", "subject_id", "name", "kind")),
            "subject_contacts": _rows(session, SubjectContact, ("id", "subject_id", "name", "role", "phone")),
            "credit_records": [
                [*(getattr(r, f) for f in RECORDS), r.confirmed_at is not None, r.closed_at is not None]
                for r in records
            ],
            "credit_repairs": _rows(session, CreditRepair, REPAIRS),
            "evaluation_sessions": _rows(session, EvaluationSession, EVALUATION_SESSIONS),
            "evaluation_marks": _rows(session, EvaluationMark, EVALUATION_MARKS),
            "expert_proposals": _rows(session, ExpertProposal, PROPOSALS),
            "scoring_department_months": _rows(session, ScoringDepartmentMonth, SCORING_MONTHS),
            "scoring_sheets": _rows(session, ScoringSheet, SCORING_SHEETS),
            "scoring_entries": _rows(session, ScoringEntry, SCORING_ENTRIES),
            "audit_entries": [_stable_audit(r) for r in _rows(session, AuditEntry, AUDIT, AuditEntry.seq)],
        }


def digest(tables: dict[str, list[list[Any]]]) -> dict[str, dict[str, Any]]:
    result = {}
    for name, rows in tables.items():
        text = json.dumps(rows, ensure_ascii=False, default=str, separators=(",", ":"))
        result[name] = {"rows": len(rows), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    return result


def database_digest(where: paths.Locations) -> dict[str, dict[str, Any]]:
    url = f"sqlite:///{where.database.as_posix()}"
    database, _ = open_database(url, where.default_key_file, where.backups, "ws-golden", daily_backup=False)
    try:
        return digest(database_tables(database))
    finally:
        database.dispose()


def build_in_process(home: Path) -> tuple[int, str, dict[str, dict[str, Any]]]:
    """Run ``demo`` through ``main`` (the caller sets the clock to GOLDEN_NOW); (exit code, normalised
    stdout, table digests)."""
    import contextlib
    import io

    from desktop_app.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--home", str(home), "demo"])
    where = paths.set_home(home)
    return code, normalise_stdout(out.getvalue(), home), database_digest(where)


def _write(home: Path) -> None:
    """Capture the golden data: the real command's stdout (a child process) and, in-process at
    GOLDEN_NOW, the database; the in-process stdout must equal the command's."""
    import os
    import subprocess

    command_home = home / "command"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTEGRITY_DESK_")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--home", str(command_home), "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    command_out = normalise_stdout(done.stdout, command_home)
    clock.set_clock(clock.SteppingClock(GOLDEN_NOW))
    try:
        code, out, tables = build_in_process(home / "in-process")
    finally:
        clock.set_clock(None)
    assert code == 0, out
    assert out == command_out, "in-process output differs from the command's"
    DATA.mkdir(parents=True, exist_ok=True)
    STDOUT_FILE.write_text(command_out, encoding="utf-8")
    DIGEST_FILE.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written {STDOUT_FILE} and {DIGEST_FILE}")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.demo_golden --write")
    with tempfile.TemporaryDirectory() as folder:
        _write(Path(folder))
