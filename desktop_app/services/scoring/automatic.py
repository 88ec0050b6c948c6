"""Automatic items: what arrives on a staff member's sheet by itself, each with the link to its source.

- the complaints' ``staff_deductions`` of the staff member and month (found true, closed late; a
  deduction withdrawn there is a line withdrawn here),
- 差评: cases against the staff member whose follow-up visit in the month rated 不满意/非常不满意,
- 表扬: confirmed 良好 records of the staff member's credit subject decided in the month,
- 政务失信记录: staff integrity records in force on any day of the month (a veto).

``sync_in`` brings a month's sheets up to date while the month is not locked; for a locked month,
what would be added is a late arrival (``late_in``), applied by a reopen. Lines are never deleted: a
source that goes away (a revoked record, a withdrawn deduction) withdraws its line, the link stays.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.complaints import BAD_RATINGS
from desktop_app.domain.credit import RecordKind, RecordStatus, effective_period
from desktop_app.domain.scoring import AutoSource, ContestState, Line, ScoringRule, Total, sheet_total
from desktop_app.services.credit.records import record_facts
from desktop_app.services.scoring.schemes import Scheme
from desktop_app.store.complaint_models import Complaint, StaffDeduction
from desktop_app.store.credit_models import CreditRecord, CreditSubject
from desktop_app.store.scoring_models import ScoringEntry, ScoringSheet

SYNC_ACTOR = "系统（自动计入）"  # who changed a sheet when only its automatic lines moved (named so)
SOURCE_GONE = "来源已撤销或不再生效"
COUNTING_STATUSES = (RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)

Key = tuple[str, str, int]  # (auto_source, source_type, source_id)


@dataclass(frozen=True)
class Arrival:
    """An automatic item a staff member's month should carry."""

    staff_id: int
    month: str
    source: AutoSource
    source_type: str
    source_id: int
    source_ref: str
    points: float | None  # None: the scheme item's default points
    active: bool  # False: withdrawn at its source (the line then does not count)
    arrived_at: datetime

    @property
    def key(self) -> Key:
        return (self.source.value, self.source_type, self.source_id)


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def entry_key(entry: ScoringEntry) -> Key:
    return (entry.auto_source or "", entry.source_type, entry.source_id or 0)


def arrivals_in(
    session: Session, staff_ids: Iterable[int], months: Iterable[str]
) -> dict[tuple[int, str], list[Arrival]]:
    """(staff id, month) → the automatic items those months should carry (a few queries in all)."""
    staff = sorted(set(staff_ids))
    wanted = sorted(set(months))
    found: dict[tuple[int, str], list[Arrival]] = {}
    if not staff or not wanted:
        return found
    month_set = set(wanted)
    first, last = month_bounds(wanted[0])[0], month_bounds(wanted[-1])[1]

    def add(arrival: Arrival) -> None:
        if arrival.month in month_set:
            found.setdefault((arrival.staff_id, arrival.month), []).append(arrival)

    for d in session.scalars(
        select(StaffDeduction).where(StaffDeduction.staff_id.in_(staff), StaffDeduction.month.in_(wanted))
    ):
        try:
            source = AutoSource(d.kind)
        except ValueError:
            continue
        add(
            Arrival(
                d.staff_id,
                d.month,
                source,
                d.source_type,
                d.source_id,
                d.source_ref,
                float(abs(d.points)),  # stored negative: the points lost,
                d.state != "withdrawn",
                d.created_at,
            )
        )

    # 差评 at the follow-up visit (the visit's day where the hall is; a day's margin in UTC).
    low = datetime.combine(first - timedelta(days=1), datetime.min.time()).astimezone()
    high = datetime.combine(last + timedelta(days=2), datetime.min.time()).astimezone()
    for cid, number, staff_id, visited_at in session.execute(
        select(Complaint.id, Complaint.number, Complaint.respondent_staff_id, Complaint.visited_at).where(
            Complaint.respondent_staff_id.in_(staff),
            Complaint.satisfaction.in_([r.value for r in BAD_RATINGS]),
            Complaint.visited_at >= low,
            Complaint.visited_at < high,
        )
    ):
        assert staff_id is not None and visited_at is not None
        day = visited_at.astimezone().date()
        add(
            Arrival(
                staff_id,
                f"{day:%Y-%m}",
                AutoSource.BAD_RATING,
                "complaint",
                cid,
                number,
                None,
                True,
                visited_at,
            )
        )

    owners: dict[int, int] = {
        subject_id: int(staff_id or 0)
        for subject_id, staff_id in session.execute(
            select(CreditSubject.id, CreditSubject.staff_id).where(CreditSubject.staff_id.in_(staff))
        )
    }
    if owners:
        for record in session.scalars(
            select(CreditRecord).where(
                CreditRecord.subject_id.in_(list(owners)),
                CreditRecord.kind.in_([RecordKind.GOOD.value, RecordKind.STAFF_RECORD.value]),
                CreditRecord.status.in_(COUNTING_STATUSES),
                CreditRecord.decision_date <= last,
            )
        ):
            staff_id = owners[record.subject_id]
            arrived = record.confirmed_at or record.created_at
            ref = record.decision_number or f"#{record.id}"
            if record.kind == RecordKind.GOOD.value:
                if record.status == RecordStatus.CONFIRMED.value and record.decision_date >= first:
                    month = f"{record.decision_date:%Y-%m}"
                    add(
                        Arrival(
                            staff_id,
                            month,
                            AutoSource.PRAISE,
                            "credit_record",
                            record.id,
                            ref,
                            None,
                            True,
                            arrived,
                        )
                    )
                continue
            start, end = effective_period(record_facts(record))
            for month in wanted:
                month_first, month_last = month_bounds(month)
                if start <= month_last and (end is None or end >= month_first):
                    add(
                        Arrival(
                            staff_id,
                            month,
                            AutoSource.STAFF_RECORD,
                            "credit_record",
                            record.id,
                            ref,
                            None,
                            True,
                            arrived,
                        )
                    )
    return found


def lines_of(entries: Iterable[ScoringEntry], scheme: Scheme) -> list[Line]:
    lines = []
    for entry in entries:
        if entry.contest_state == ContestState.WITHDRAWN.value:
            continue
        item = scheme.item(entry.item_code)
        if item is not None:
            lines.append(Line(item.dimension, item.kind, entry.points, item.veto))
    return lines


def total_of(entries: Iterable[ScoringEntry], scheme: Scheme, rule: ScoringRule) -> Total:
    return sheet_total(lines_of(entries, scheme), scheme.maximum, rule)


def store_total(
    sheet: ScoringSheet, entries: Sequence[ScoringEntry], scheme: Scheme, rule: ScoringRule
) -> bool:
    """Write the sheet's total, grade and veto; whether any changed."""
    result = total_of(entries, scheme, rule)
    if (sheet.total, sheet.grade, sheet.veto) == (result.total, result.grade, result.veto):
        return False
    sheet.total, sheet.grade, sheet.veto = result.total, result.grade, result.veto
    return True


def sync_sheet_in(
    session: Session,
    sheet: ScoringSheet,
    entries: list[ScoringEntry],
    arrivals: Sequence[Arrival],
    scheme: Scheme,
) -> int:
    """Bring one sheet's automatic lines in line with their sources; the number of lines changed.
    ``entries`` (the sheet's) is extended with the lines added."""
    changed = 0
    present = {entry_key(e): e for e in entries if e.auto_source}
    seen: set[Key] = set()
    for arrival in arrivals:
        item = scheme.for_source(arrival.source)
        if item is None or arrival.key in seen:
            continue
        seen.add(arrival.key)
        entry = present.get(arrival.key)
        if entry is None:
            entry = ScoringEntry(
                sheet_id=sheet.id,
                item_code=item.code,
                points=arrival.points if arrival.points is not None else item.points,
                auto_source=arrival.source.value,
                source_type=arrival.source_type,
                source_id=arrival.source_id,
                source_ref=arrival.source_ref[:40],
                contest_state=ContestState.NONE.value,
            )
            if not arrival.active:
                entry.contest_state = ContestState.WITHDRAWN.value
                entry.decision_note = SOURCE_GONE
            session.add(entry)
            entries.append(entry)
            changed += 1
            continue
        state = ContestState(entry.contest_state)
        if not arrival.active and state != ContestState.WITHDRAWN:
            entry.contest_state, entry.decided_by, entry.decision_note = (
                ContestState.WITHDRAWN.value,
                "",
                SOURCE_GONE,
            )
            changed += 1
        elif arrival.active and state == ContestState.WITHDRAWN and not entry.decided_by:
            entry.contest_state, entry.decision_note = ContestState.NONE.value, ""
            changed += 1
        if arrival.points is not None and entry.points != arrival.points and state == ContestState.NONE:
            entry.points = arrival.points
            changed += 1
    for key, entry in present.items():
        if key not in seen and entry.contest_state != ContestState.WITHDRAWN.value:
            entry.contest_state, entry.decided_by, entry.decision_note = (
                ContestState.WITHDRAWN.value,
                "",
                SOURCE_GONE,
            )
            changed += 1
    return changed


def missing_of(entries: Iterable[ScoringEntry], arrivals: Sequence[Arrival], scheme: Scheme) -> list[Arrival]:
    """The active arrivals a (locked) sheet does not carry: its late arrivals."""
    present = {entry_key(e) for e in entries if e.auto_source}
    return [
        a for a in arrivals if a.active and a.key not in present and scheme.for_source(a.source) is not None
    ]
