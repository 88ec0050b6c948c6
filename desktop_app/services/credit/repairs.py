"""Credit repair (信用修复): asked for after a record's minimum publicity, decided by whoever keeps
the files (a leader for bans and serious-list records); an approved repair ends the record the day
before its decision date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from desktop_app.domain.credit import BARRING_KINDS, RecordKind, RecordStatus
from desktop_app.domain.errors import Refusals, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.text import clean_text
from desktop_app.services.base import Service, audit_in, check_version, get_or_404, touch
from desktop_app.services.context import CurrentUser
from desktop_app.services.credit.records import repair_info
from desktop_app.services.credit.types import RepairInfo
from desktop_app.store.credit_models import CreditRecord, CreditRepair


class RepairOps(Service):
    def request_repair(
        self, actor: CurrentUser, record_id: int, requested_on: date, applicant: str, materials: str
    ) -> RepairInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        refusals = Refusals()  # every field at fault at once
        applicant = refusals.check(
            lambda: clean_text(applicant, "applicant", "申请人", 100, required=True), ""
        )
        materials = refusals.check(
            lambda: clean_text(materials, "materials", "申请材料", 4000, required=True, multiline=True), ""
        )
        with self.write() as session:
            record: CreditRecord = get_or_404(session, CreditRecord, record_id, "该记录")
            if record.kind == RecordKind.GOOD.value:
                raise ValidationError("良好记录无需修复。")
            if record.status != RecordStatus.CONFIRMED.value:
                raise ValidationError("只有已生效的记录可以申请信用修复。")
            if record.publicity_min_end and requested_on <= record.publicity_min_end:
                refusals.add(
                    f"公示最短期限至 {record.publicity_min_end.isoformat()}，期满后方可申请修复。",
                    "requested_on",
                )
            refusals.raise_any()
            pending = session.scalar(
                select(func.count())
                .select_from(CreditRepair)
                .where(CreditRepair.record_id == record.id, CreditRepair.status == "requested")
            )
            if pending:
                raise ValidationError("该记录已有待决定的修复申请。")
            repair = CreditRepair(
                record_id=record.id,
                requested_on=requested_on,
                applicant=applicant,
                materials=materials,
                created_by=actor.username,
                updated_by=actor.username,
            )
            session.add(repair)
            session.flush()
            audit_in(
                session,
                actor,
                "credit.repair.request",
                "credit_repair",
                repair.id,
                {"record": record.id, "applicant": applicant},
            )
            return repair_info(repair)

    def decide_repair(
        self,
        actor: CurrentUser,
        repair_id: int,
        approve: bool,
        decided_on: date,
        decision_number: str = "",
        note: str = "",
        expected_version: int | None = None,
    ) -> RepairInfo:
        actor.require(Permission.CREDIT_PROPOSE)
        refusals = Refusals()  # every field at fault at once
        decision_number = refusals.check(
            lambda: clean_text(decision_number, "decision_number", "决定文号", 100), ""
        )
        note = refusals.check(
            lambda: clean_text(note, "decision_note", "决定说明", 2000, required=not approve, multiline=True),
            "",
        )
        with self.write() as session:
            repair: CreditRepair = get_or_404(session, CreditRepair, repair_id, "该修复申请")
            check_version(repair, expected_version)
            if repair.status != "requested":
                raise ValidationError("该修复申请已经决定。")
            if decided_on < repair.requested_on:
                refusals.add("决定日期不能早于申请日期。", "decided_on")
            refusals.raise_any()
            record: CreditRecord = session.get_one(CreditRecord, repair.record_id)
            if RecordKind(record.kind) in BARRING_KINDS:
                actor.require(Permission.CREDIT_APPROVE)
            repair.status = "approved" if approve else "rejected"
            repair.decided_on = decided_on
            repair.decided_by = actor.username
            repair.decision_number = decision_number
            repair.decision_note = note
            touch(repair, actor, self.db)
            if approve:
                if record.status != RecordStatus.CONFIRMED.value:
                    raise ValidationError("该记录已不在生效状态，无需修复。")
                record.status = RecordStatus.REPAIRED.value
                record.repaired_on = decided_on
                touch(record, actor, self.db)
            session.flush()
            audit_in(
                session,
                actor,
                "credit.repair.decide",
                "credit_repair",
                repair.id,
                {"record": record.id, "approved": approve, "decided_on": decided_on.isoformat()},
            )
            return repair_info(repair)

    def repair(self, repair_id: int) -> RepairInfo:
        with self.db.session() as session:
            return repair_info(get_or_404(session, CreditRepair, repair_id, "该修复申请"))
