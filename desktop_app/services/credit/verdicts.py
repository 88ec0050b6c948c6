"""The entry verdict, score and grade of subjects on a day, from the records that can count then."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.credit import (
    Assessment,
    RecordFacts,
    RecordKind,
    RecordStatus,
    assess,
    score_rule_in_force,
    unverifiable,
)
from desktop_app.services.base import Service, get_or_404
from desktop_app.services.credit.catalogue import score_rules_in
from desktop_app.services.credit.integrity import failing_rows_in, failure_text
from desktop_app.services.credit.records import record_facts
from desktop_app.store.credit_models import CreditRecord, CreditSubject


def assessments_in(
    session: Session, subject_ids: Sequence[int], on: date, verify: bool = False
) -> dict[int, Assessment]:
    """Verdict, score and grade of each subject on ``on`` (one query for all of them).

    ``verify``: for a verdict that is shown as the answer or certified, check the MACs of every row
    it rests on first; a subject with a failing row gets ``Verdict.TAMPERED`` and no score."""
    rule = score_rule_in_force(score_rules_in(session), on)
    by_subject: dict[int, list[RecordFacts]] = {sid: [] for sid in subject_ids}
    if subject_ids:
        rows = session.execute(
            select(
                CreditRecord.id,
                CreditRecord.subject_id,
                CreditRecord.kind,
                CreditRecord.status,
                CreditRecord.decision_date,
                CreditRecord.publicity_end,
                CreditRecord.ban_start,
                CreditRecord.ban_end,
                CreditRecord.points,
                CreditRecord.repaired_on,
                CreditRecord.decision_number,
            ).where(
                CreditRecord.subject_id.in_(subject_ids),
                CreditRecord.status.in_((RecordStatus.CONFIRMED.value, RecordStatus.REPAIRED.value)),
                # Only a record whose publicity or ban has not ended before ``on`` can count
                # (domain effective_period / ban_period end no later than these): most of a
                # long-standing file has expired, and search assesses up to 50 files a keystroke.
                or_(
                    CreditRecord.publicity_end.is_(None),
                    CreditRecord.publicity_end >= on,
                    and_(
                        CreditRecord.kind == RecordKind.BAN.value,
                        or_(CreditRecord.ban_end.is_(None), CreditRecord.ban_end >= on),
                    ),
                ),
            )
        )
        for row in rows:
            by_subject[row.subject_id].append(record_facts(row))
    answers = {sid: assess(records, on, rule) for sid, records in by_subject.items()}
    if verify:
        for sid, failing in failing_rows_in(session, subject_ids).items():
            answers[sid] = unverifiable(on, failure_text(failing))
    return answers


def data_as_of_in(session: Session) -> datetime | None:
    """When the credit data last changed: what a printed answer is valid as of."""
    latest = [
        session.scalar(select(func.max(CreditSubject.updated_at))),
        session.scalar(select(func.max(CreditRecord.updated_at))),
    ]
    present = [v for v in latest if v is not None]
    return max(present) if present else None


class VerdictOps(Service):
    def assess(self, subject_id: int, on: date | None = None) -> Assessment:
        on = on or self.db.today()
        with self.db.session() as session:
            get_or_404(session, CreditSubject, subject_id, "该主体")
            return assessments_in(session, [subject_id], on, verify=True)[subject_id]

    def data_as_of(self) -> datetime | None:
        """When the credit data last changed: what a printed answer is valid as of."""
        with self.db.session() as session:
            return data_as_of_in(session)
