"""The credit file of one subject as the lookup's detail pane shows it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desktop_app.domain.credit import RecordStatus
from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service, get_or_404
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.checks import subject_checks_in
from desktop_app.services.credit.records import full_record_info_in
from desktop_app.services.credit.subjects import subject_info_in
from desktop_app.services.credit.types import SubjectFile
from desktop_app.services.credit.verdicts import assessments_in
from desktop_app.store.credit_models import CreditRecord, CreditSubject


class FileOps(Service):
    def subject_file(self, actor: CurrentUser, subject_id: int, on: date | None = None) -> SubjectFile:
        actor.require(Permission.CREDIT_LOOKUP)
        on = on or self.db.today()
        with self.db.session() as session:
            subject = get_or_404(session, CreditSubject, subject_id, "该主体")
            info = subject_info_in(subject)
            assessment = assessments_in(session, [subject_id], on, verify=True)[subject_id]
            records = [
                full_record_info_in(session, r, on)
                for r in session.scalars(
                    select(CreditRecord)
                    .where(CreditRecord.subject_id == subject_id)
                    .order_by(CreditRecord.decision_date.desc(), CreditRecord.id.desc())
                )
            ]
            records.sort(key=lambda r: (not r.in_force, r.status != RecordStatus.PENDING))
            checks = subject_checks_in(session, subject_id)
            barring = tuple(r for r in records if r.id in assessment.barring_record_ids)
            return SubjectFile(info, on, assessment, tuple(records), tuple(checks), barring)
