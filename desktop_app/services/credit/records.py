"""Credit records: entered, confirmed by a leader (bans and serious-list records), declined, revoked;
their attachments. Records are never deleted.

``add_record_in`` is the public way for another module to write a record inside its own transaction
(a complaint found true, an expert's on-site deductions, an import): the same validation, defaults,
leader confirmation and audit entry as the dialog.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import search_text as st
from desktop_app.domain.credit import (
    BARRING_KINDS,
    RecordFacts,
    RecordKind,
    RecordSource,
    RecordStatus,
    Severity,
    in_force,
    state_on,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in, audit_many_in, check_version, get_or_404, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.catalogue import rules_in
from desktop_app.services.credit.subjects import subject_info_in
from desktop_app.services.credit.todo import entered_in_scope
from desktop_app.services.credit.types import (
    AttachmentInfo,
    RecordInfo,
    RecordInput,
    RepairInfo,
    SubjectInfo,
)
from desktop_app.services.credit.validation import record_values
from desktop_app.store.audit import PlannedEntry
from desktop_app.store.credit_models import CreditRecord, CreditRepair, CreditSubject, RecordAttachment
from desktop_app.store.database import Database
from desktop_app.store.models import User

ATTACHMENT_LIMIT = 20 * 1024 * 1024
DUPLICATE_RECORD = "这条记录已经登记过（同一主体、类别、文号、日期和事实）。"


def record_facts(row: Any) -> RecordFacts:
    """What the rules need of a record row (an ORM row or a row of selected columns)."""
    return RecordFacts(
        id=row.id,
        kind=RecordKind(row.kind),
        status=RecordStatus(row.status),
        decision_date=row.decision_date,
        publicity_end=row.publicity_end,
        ban_start=row.ban_start,
        ban_end=row.ban_end,
        points=row.points,
        repaired_on=row.repaired_on,
        decision_number=row.decision_number,
    )


def dedupe_key(subject_id: int, data: RecordInput) -> str:
    """Same subject, kind, decision number, date and facts: the same record (re-imports add nothing)."""
    parts = [
        str(subject_id),
        data.kind.value,
        st.fold(data.decision_number),
        data.decision_date.isoformat(),
        st.fold(data.facts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def record_values_in(session: Session, db: Database, data: RecordInput) -> dict[str, Any]:
    """The validated column values of a new record, with the catalogue's defaults (reads only)."""
    return record_values(data, rules_in(session), db.today())


def new_record(
    db: Database, actor: CurrentUser, subject_id: int, data: RecordInput, values: dict[str, Any]
) -> CreditRecord:
    """The row of a new record from ``record_values_in``'s values (no database).

    A ban or serious-list record waits for a leader's confirmation unless the actor is a leader."""
    barring = RecordKind(values["kind"]) in BARRING_KINDS
    confirmed = not barring or actor.can(Permission.CREDIT_APPROVE)
    return CreditRecord(
        subject_id=subject_id,
        status=(RecordStatus.CONFIRMED if confirmed else RecordStatus.PENDING).value,
        dedupe_key=dedupe_key(subject_id, data),
        created_by=actor.username,
        updated_by=actor.username,
        confirmed_at=db.now() if confirmed and barring else None,
        confirmed_by=actor.username if confirmed and barring else "",
        **values,
    )


def insert_records_in(
    session: Session, actor: CurrentUser, records: Sequence[tuple[CreditRecord, str]]
) -> list[CreditRecord]:
    """Insert prepared records (each with its subject's name, for the audit entry) in one flush, and
    their audit entries in bulk."""
    session.add_all([record for record, _ in records])
    session.flush()
    entries = [
        PlannedEntry(
            "credit.record.create",
            "credit_record",
            record.id,
            {
                "subject": subject_name,
                "kind": record.kind,
                "severity": record.severity,
                "decision_number": record.decision_number,
                "status": record.status,
            },
        )
        for record, subject_name in records
    ]
    audit_many_in(session, actor, entries)
    return [record for record, _ in records]


def add_record_in(session: Session, db: Database, actor: CurrentUser, data: RecordInput) -> CreditRecord:
    """Write a record inside the caller's transaction, as ``actor``, from ``data.source``.

    A ban or serious-list record waits for a leader's confirmation unless the actor is a leader.
    The caller checks the actor's right to propose records."""
    subject = get_or_404(session, CreditSubject, data.subject_id, "该主体")
    values = record_values_in(session, db, data)
    record = new_record(db, actor, subject.id, data, values)
    return insert_records_in(session, actor, [(record, subject.name)])[0]


def revoke_records_in(
    session: Session, db: Database, actor: CurrentUser, record_ids: Sequence[int], reason: str
) -> int:
    """Revoke records inside the caller's transaction (a correction in another module: an expert
    evaluation's revision): each stays in its file, greyed, never counted, with its audit entry.
    Records already revoked or declined are left as they are; returns how many were revoked. The
    caller checks the actor's rights."""
    now = db.now()
    entries: list[PlannedEntry] = []
    for record_id in record_ids:
        record = session.get(CreditRecord, record_id, with_for_update=True)
        if record is None or record.status in (RecordStatus.REVOKED.value, RecordStatus.DECLINED.value):
            continue
        record.status = RecordStatus.REVOKED.value
        record.closed_at = now
        record.closed_by = actor.username
        record.closed_reason = reason
        touch(record, actor, db)
        entries.append(PlannedEntry("credit.record.revoke", "credit_record", record.id, {"reason": reason}))
    session.flush()
    if entries:
        audit_many_in(session, actor, entries)
    return len(entries)


def repair_info(row: CreditRepair) -> RepairInfo:
    return RepairInfo(
        row.id,
        row.record_id,
        row.requested_on,
        row.applicant,
        row.materials,
        row.status,
        row.decided_on,
        row.decided_by,
        row.decision_number,
        row.decision_note,
        row.version,
    )


def attachment_info(row: RecordAttachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.filename, row.size, row.sha256, row.added_at, row.added_by)


def record_info(
    record: CreditRecord,
    on: date,
    repairs: tuple[RepairInfo, ...] = (),
    attachments: tuple[AttachmentInfo, ...] = (),
) -> RecordInfo:
    """A detached copy of a record with its state on ``on`` (no repairs or attachments unless given)."""
    facts = record_facts(record)
    return RecordInfo(
        id=record.id,
        subject_id=record.subject_id,
        kind=RecordKind(record.kind),
        severity=Severity(record.severity),
        status=RecordStatus(record.status),
        facts=record.facts,
        legal_basis=record.legal_basis,
        authority=record.authority,
        decision_number=record.decision_number,
        decision_date=record.decision_date,
        publicity_min_end=record.publicity_min_end,
        publicity_end=record.publicity_end,
        ban_start=record.ban_start,
        ban_end=record.ban_end,
        points=record.points,
        source=RecordSource(record.source),
        source_ref=record.source_ref,
        created_at=record.created_at,
        created_by=record.created_by,
        confirmed_at=record.confirmed_at,
        confirmed_by=record.confirmed_by,
        repaired_on=record.repaired_on,
        closed_at=record.closed_at,
        closed_by=record.closed_by,
        closed_reason=record.closed_reason,
        version=record.version,
        in_force=in_force(facts, on),
        state=state_on(facts, on),
        repairs=repairs,
        attachments=attachments,
    )


def full_record_info_in(session: Session, record: CreditRecord, on: date) -> RecordInfo:
    """A record with its repairs and attachments (the file's tree shows both under it)."""
    repairs = tuple(
        repair_info(r)
        for r in session.scalars(
            select(CreditRepair).where(CreditRepair.record_id == record.id).order_by(CreditRepair.id)
        )
    )
    attachments = tuple(
        attachment_info(a)
        for a in session.scalars(
            select(RecordAttachment)
            .where(RecordAttachment.record_id == record.id)
            .order_by(RecordAttachment.id)
        )
    )
    return record_info(record, on, repairs, attachments)


class RecordOps(Service):
    def add_record(self, actor: CurrentUser, data: RecordInput) -> RecordInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        with self.write(DUPLICATE_RECORD, "decision_number") as session:
            record = add_record_in(session, self.db, actor, data)
            return full_record_info_in(session, record, self.db.today())

    def existing_record(self, subject_id: int, data: RecordInput) -> int | None:
        with self.db.session() as session:
            return session.scalar(
                select(CreditRecord.id).where(CreditRecord.dedupe_key == dedupe_key(subject_id, data))
            )

    def _record_for_change(
        self, session: Session, record_id: int, expected_version: int | None
    ) -> CreditRecord:
        record: CreditRecord = get_or_404(session, CreditRecord, record_id, "该记录")
        check_version(record, expected_version)
        return record

    def _close(self, record: CreditRecord, actor: CurrentUser, status: RecordStatus, reason: str) -> None:
        record.status = status.value
        record.closed_at = self.db.now()
        record.closed_by = actor.username
        record.closed_reason = reason
        touch(record, actor, self.db)

    def confirm_record(self, actor: CurrentUser, record_id: int, expected_version: int | None) -> RecordInfo:
        actor.require(Permission.CREDIT_APPROVE)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status != RecordStatus.PENDING.value:
                raise ValidationError("只有待确认的记录需要确认。")
            record.status = RecordStatus.CONFIRMED.value
            record.confirmed_at = self.db.now()
            record.confirmed_by = actor.username
            touch(record, actor, self.db)
            audit_in(session, actor, "credit.record.confirm", "credit_record", record.id, {})
            return full_record_info_in(session, record, self.db.today())

    def decline_record(
        self, actor: CurrentUser, record_id: int, reason: str, expected_version: int | None
    ) -> RecordInfo:
        actor.require(Permission.CREDIT_APPROVE)
        reason = clean_text(reason, "reason", "不予确认的理由", 2000, required=True, multiline=True)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status != RecordStatus.PENDING.value:
                raise ValidationError("只有待确认的记录可以不予确认。")
            self._close(record, actor, RecordStatus.DECLINED, reason)
            audit_in(session, actor, "credit.record.decline", "credit_record", record.id, {"reason": reason})
            return full_record_info_in(session, record, self.db.today())

    def revoke_record(
        self, actor: CurrentUser, record_id: int, reason: str, expected_version: int | None
    ) -> RecordInfo:
        """Withdraw a record entered in error or annulled: it stays in the file, greyed, and never counts."""
        actor.require(Permission.CREDIT_PROPOSE)
        reason = clean_text(reason, "reason", "撤销理由", 2000, required=True, multiline=True)
        with self.write() as session:
            record = self._record_for_change(session, record_id, expected_version)
            if record.status in (RecordStatus.REVOKED.value, RecordStatus.DECLINED.value):
                raise ValidationError("该记录已撤销或未获确认。")
            if RecordKind(record.kind) in BARRING_KINDS and record.status != RecordStatus.PENDING.value:
                actor.require(Permission.CREDIT_APPROVE)
            self._close(record, actor, RecordStatus.REVOKED, reason)
            audit_in(session, actor, "credit.record.revoke", "credit_record", record.id, {"reason": reason})
            return full_record_info_in(session, record, self.db.today())

    def record(self, record_id: int, on: date | None = None) -> RecordInfo:
        with self.db.session() as session:
            record = get_or_404(session, CreditRecord, record_id, "该记录")
            return full_record_info_in(session, record, on or self.db.today())

    def pending_records(self, actor: CurrentUser) -> list[tuple[SubjectInfo, RecordInfo]]:
        """Bans and serious-list records waiting for a leader: all for a leader, those of the
        account's department for anyone else (``todo.entered_in_scope``), oldest first."""
        actor.require(Permission.CREDIT_LOOKUP)
        query = select(CreditRecord).where(CreditRecord.status == RecordStatus.PENDING.value)
        scope = entered_in_scope(actor)
        if scope is not None:
            query = query.where(scope)
        with self.db.session() as session:
            rows = session.scalars(query.order_by(CreditRecord.created_at)).all()
            return self._with_subjects(session, rows)

    def recent_records(self, actor: CurrentUser, limit: int = 200) -> list[tuple[SubjectInfo, RecordInfo]]:
        """The records changed last (entered, confirmed, repaired, revoked), newest first."""
        actor.require(Permission.CREDIT_PROPOSE)
        with self.db.session() as session:
            rows = session.scalars(
                select(CreditRecord)
                .order_by(CreditRecord.updated_at.desc(), CreditRecord.id.desc())
                .limit(limit)
            ).all()
            return self._with_subjects(session, rows)

    def _with_subjects(self, session: Session, rows: Any) -> list[tuple[SubjectInfo, RecordInfo]]:
        today = self.db.today()
        subjects: dict[int, SubjectInfo] = {}
        found = []
        for record in rows:
            if record.subject_id not in subjects:
                subjects[record.subject_id] = subject_info_in(
                    session.get_one(CreditSubject, record.subject_id)
                )
            found.append((subjects[record.subject_id], full_record_info_in(session, record, today)))
        # Lists show who entered a record by name (the login name only where an admin needs it).
        usernames = {info.created_by for _subject, info in found}
        query = select(User.username, User.display_name).where(User.username.in_(usernames))
        names = {username: name for username, name in session.execute(query)}
        return [
            (subject, replace(info, created_by_name=names.get(info.created_by) or info.created_by))
            for subject, info in found
        ]

    # -- attachments ----------------------------------------------------------------------------
    def add_attachment(
        self, actor: CurrentUser, record_id: int, filename: str, content: bytes
    ) -> AttachmentInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        if not content:
            raise ValidationError("附件是空文件。", field="attachments")
        if len(content) > ATTACHMENT_LIMIT:
            raise ValidationError("附件不能超过 20 MB。", field="attachments")
        name = clean_text(filename, "attachments", "文件名", 255, required=True)
        with self.write() as session:
            record = get_or_404(session, CreditRecord, record_id, "该记录")
            row = RecordAttachment(
                record_id=record.id,
                filename=name,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                added_by=actor.username,
            )
            session.add(row)
            session.flush()
            audit_in(
                session,
                actor,
                "credit.attachment.add",
                "credit_record",
                record.id,
                {"filename": name, "sha256": row.sha256},
            )
            return attachment_info(row)

    def attachment_content(self, attachment_id: int) -> tuple[str, bytes]:
        with self.db.session() as session:
            row = get_or_404(session, RecordAttachment, attachment_id, "该附件")
            return row.filename, row.content
