"""What many tests build: valid identifiers, and the credit subjects and records most tests start from.

- Identifiers: ``uscc(body)`` and ``resident_id(body)`` complete a 17-character body with its check
  character; ``company_code(n)`` is the n-th test company's code; ``born_on(day)`` a resident ID of a
  person born that day. The hypothesis strategies draw valid codes (birth dates up to the clock's today).
- Subjects and records go through the credit service as an actor, the way the GUI and the CLI do:
  ``company(...)``, ``expert(...)``, and record inputs ``bad(...)``, ``serious(...)``, ``ban(...)`` with
  dates fixed in 2026 (before every clock the suite runs at), changed with keyword arguments.
- The audit trail as tests read it: ``audit_actions``, ``last_audit_seq``, ``audit_entries``,
  ``chain_intact``.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app import clock
from desktop_app.domain.credit import RecordKind, Severity, SubjectKind
from desktop_app.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit import AliasInput, RecordInput, SubjectInput
from desktop_app.services.facade import Services
from desktop_app.store import audit
from desktop_app.store.database import Database
from desktop_app.store.models import AuditEntry

# Samples with a known check character (computed by hand, or well known).
SAMPLE_ID = "440301199001011234"
SAMPLE_ID_X = "11010519491231002X"
SAMPLE_USCC = "91350100M000100Y43"


# -- identifiers --------------------------------------------------------------------------------
def uscc(body: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    return body + uscc_check_char(body)


def resident_id(body: str) -> str:
    """A valid resident ID number from its first 17 digits."""
    return body + id_check_char(body)


def company_code(n: int) -> str:
    """The n-th test company's code: distinct for every n below 100,000."""
    return uscc(f"91440101MA5C{n:05d}")


def born_on(day: date, region: str = "440301", sequence: str = "123") -> str:
    """A valid resident ID number of someone born on ``day``."""
    return resident_id(f"{region}{day:%Y%m%d}{sequence}")


def wrong_check(code: str) -> str:
    """The code with another check character: right format, wrong sum."""
    return code[:-1] + ("1" if code[-1] != "1" else "2")


uscc_bodies = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)
regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """Valid resident ID numbers of people born from 1900 up to today (the application clock's)."""
    region = draw(regions)
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=clock.today()))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return born_on(born, region, sequence)


# -- credit subjects ----------------------------------------------------------------------------
def company(
    services: Services,
    actor: CurrentUser,
    name: str = "华建有限公司",
    code: str | int = 1,
    *aliases: str,
    kind: SubjectKind = SubjectKind.BIDDER,
) -> int:
    """A company's credit file (a bidder unless told); ``code`` is a USCC or the n of company_code(n)."""
    data = SubjectInput(
        kind,
        name,
        uscc=company_code(code) if isinstance(code, int) else code,
        aliases=tuple(AliasInput(a) for a in aliases),
    )
    return services.credit.create_subject(actor, data).id


def expert(services: Services, actor: CurrentUser, name: str, id_number: str, *aliases: str) -> int:
    """A bid-evaluation expert's credit file."""
    data = SubjectInput(
        SubjectKind.EXPERT, name, id_number=id_number, aliases=tuple(AliasInput(a) for a in aliases)
    )
    return services.credit.create_subject(actor, data).id


# -- credit records -----------------------------------------------------------------------------
BAN_FIRST, BAN_LAST = date(2026, 3, 10), date(2026, 9, 9)


def _changed(record: RecordInput, changes: dict[str, Any]) -> RecordInput:
    return dataclasses.replace(record, **changes)


def ban(sid: int, **changes: Any) -> RecordInput:
    """A general ban decided on 2026-03-01, barring from BAN_FIRST to BAN_LAST."""
    record = RecordInput(
        sid,
        RecordKind.BAN,
        Severity.GENERAL,
        date(2026, 3, 1),
        facts="串通投标",
        authority="天河市住建局",
        decision_number="天建罚〔2026〕3号",
        ban_start=BAN_FIRST,
        ban_end=BAN_LAST,
    )
    return _changed(record, changes)


def serious(sid: int, **changes: Any) -> RecordInput:
    """A listing as a seriously dishonest subject, decided on 2026-04-15."""
    record = RecordInput(
        sid,
        RecordKind.SERIOUS,
        Severity.SERIOUS,
        date(2026, 4, 15),
        facts="提供虚假材料骗取中标",
        authority="天河市发改委",
        decision_number="天发改〔2026〕9号",
    )
    return _changed(record, changes)


def bad(sid: int, **changes: Any) -> RecordInput:
    """A general bad-behaviour record, decided on 2026-04-15."""
    record = RecordInput(sid, RecordKind.BAD, Severity.GENERAL, date(2026, 4, 15), facts="迟交投标保证金")
    return _changed(record, changes)


# -- the audit trail ----------------------------------------------------------------------------
def audit_actions(database: Database, after_seq: int = 0) -> list[str]:
    """The actions of the audit entries after ``after_seq``, oldest first."""
    with database.session() as session:
        query = select(AuditEntry.action).where(AuditEntry.seq > after_seq).order_by(AuditEntry.seq)
        return list(session.scalars(query))


def last_audit_seq(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0


def audit_entries(database: Database, action: str) -> list[dict[str, object]]:
    """Entries of one action: object id, username and the summary's fields."""
    with database.session() as session:
        rows = session.execute(
            select(AuditEntry.object_id, AuditEntry.summary, AuditEntry.username)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.seq)
        ).all()
    return [{"object_id": o, "username": u, **json.loads(s)} for o, s, u in rows]


def chain_intact(database: Database) -> bool:
    with database.session() as session:
        return audit.verify(session, database.keyring).intact


def append_junk_audit_row(database: Database) -> int:
    """A row put at the end of the audit log with a database tool (no key, so no valid link or MAC):
    the damaged chain of issue 10, item 2. Returns its seq."""
    with database.session(write=True) as session:
        seq = int(session.scalar(select(func.max(AuditEntry.seq))) or 0) + 1
        session.add(
            AuditEntry(
                seq=seq,
                at=datetime(2026, 1, 1, tzinfo=UTC),
                user_id=None,
                username="x",
                workstation="x",
                action="junk",
                object_type="",
                object_id="",
                summary="{}",
                prev_hash="0" * 64,
                entry_hash="f" * 64,
            )
        )
    return seq
