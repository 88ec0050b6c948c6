"""Reading and verifying the audit trail (the audit admin's work).

The page reads each entry in words (``audit_labels``): people by name beside their login name, the
object by its kind and name, the summary's fields and coded values in Chinese."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import AuditTrailDamaged, DomainError, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.services.audit_labels import UNNUMBERED, SummaryWords, object_label, person_label
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store import audit

# The UI reads a verification's result and the breaks on record from here.
from desktop_app.store.audit import RecordedBreak, VerifyResult
from desktop_app.store.credit_models import CreditRecord, CreditRepair, CreditSubject
from desktop_app.store.models import AuditEntry, Department, Staff, User
from desktop_app.store.witness import Seen, Statement

ACTION_LABELS = {
    "init.first_admin": "初始化系统",
    "login": "登录",
    "login.failed": "登录失败",
    "login.refused_locked": "锁定期间尝试登录",
    "login.password_change_required": "登录（需修改密码）",
    "account.locked": "账户锁定",
    "logout": "退出",
    "session.locked": "锁屏",
    "session.unlocked": "解除锁屏",
    "password.changed": "修改密码",
    "user.create": "新建账户",
    "user.update": "修改账户",
    "user.password_reset": "重置密码",
    "user.unlock": "解锁账户",
    "user.confirm": "确认账户角色",
    "user.decline": "驳回账户角色",
    "department.create": "新建科室",
    "department.update": "修改科室",
    "staff.create": "新建人员",
    "staff.update": "修改人员",
    "settings.update": "修改中心设置",
    "pii.unmask": "查看个人信息明文",
    "backup": "备份数据库",
    "restore": "恢复数据库",
    "audit.verify": "校验审计链",
    "audit.break": "记录审计链断裂",
    "integrity.verify": "校验业务数据",
    "integrity.seal": "升级后为已有数据加校验码",
    "demo.build": "生成演示数据",
    "print": "打印",
    "export": "导出",
    "notice.issue": "出具文书",
    "notice.reprint": "补打文书",
    "notice.verify": "验证文书",
    "credit.subject.create": "新建信用主体",
    "credit.subject.update": "修改信用主体",
    "credit.identifier_override": "代码校验例外",
    "credit.record.create": "新增信用记录",
    "credit.record.confirm": "确认信用记录",
    "credit.record.decline": "不予确认信用记录",
    "credit.record.revoke": "撤销信用记录",
    "credit.repair.request": "申请信用修复",
    "credit.repair.decide": "决定信用修复",
    "credit.attachment.add": "添加记录附件",
    "credit.entry_check": "登记核验",
    "credit.batch_check": "批量核验",
    "credit.rule.save": "修改信用目录",
    "credit.score_rule.save": "修改信用评分规则",
    "credit.import.subjects": "导入信用主体",
    "credit.import.records": "导入信用记录",
    "calendar.day.create": "登记工作日历日期",
    "calendar.day.update": "修改工作日历日期",
    "calendar.day.delete": "删除工作日历日期",
    "calendar.import.days": "导入工作日历",
    "complaint.register": "登记投诉",
    "complaint.accept": "受理投诉",
    "complaint.reject": "不予受理投诉",
    "complaint.transfer": "转办投诉",
    "complaint.assign": "分派投诉",
    "complaint.investigate": "开始调查处理投诉",
    "complaint.note": "记录投诉内部备注",
    "complaint.close": "办结投诉",
    "complaint.visit": "回访投诉人",
    "complaint.followup_contacted": "差评跟进：已联系投诉人",
    "complaint.followup_rectified": "差评跟进：整改完成",
    "complaint.extension_request": "申请投诉延期",
    "complaint.extension_decide": "审批投诉延期",
    "complaint.credit_draft": "据投诉起草信用记录",
    "complaint.rule": "修改投诉规则",
    "complaint.export": "导出投诉清单",
    "complaint.export.unmasked": "导出投诉清单（含个人信息）",
    "evaluation.import.sessions": "导入专家考评表",
    "evaluation.item.save": "修改专家考评项目",
    "evaluation.rule.save": "修改专家考评阈值规则",
    "evaluation.session.create": "新建专家考评场次",
    "evaluation.session.update": "修改专家考评场次",
    "evaluation.session.finalise": "专家考评定稿",
    "evaluation.session.reopen": "重新打开专家考评",
    "evaluation.proposal.confirm": "确认专家处理建议",
    "evaluation.proposal.reject": "不予确认专家处理建议",
    # expert evaluations: papers
    "evaluation.export": "导出年度专家考评",
    # monthly staff scoring
    "scoring.scheme.save": "修改考核方案",
    "scoring.post_scheme.set": "设置岗位考核方案",
    "scoring.rule.save": "修改考核等次规则",
    "scoring.month.open": "开始科室月度考核",
    "scoring.month.sync": "自动计入考核扣分/加分",
    "scoring.sheet.save": "保存月度考核评分表",
    "scoring.month.submit": "提交科室月度考核",
    "scoring.month.return": "退回科室月度考核",
    "scoring.month.lock": "锁定科室月度考核",
    "scoring.month.reopen": "重新打开科室月度考核",
    "scoring.entry.contest": "对自动计入的考核项提出申诉",
    "scoring.entry.decide": "处理考核项申诉",
    # monthly scoring: the month's .xlsx
    "scoring.export": "导出月度考核结果",
}


log = logging.getLogger(__name__)

__all__ = ["ACTION_LABELS", "AuditFilter", "AuditLogService", "AuditRow", "RecordedBreak", "VerifyResult"]

FOUND_MAX = 500  # characters the audit admin may write about a break


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    username: str = ""  # a login name, or a person's name as the page shows it
    action: str = ""
    text: str = ""


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    username: str  # the login name (the audit admin's key to an account)
    workstation: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    summary: dict[str, Any]
    person: str = ""  # who, by name
    object_text: str = ""  # 信用记录 #488（某公司）
    summary_text: str = ""  # one line in words
    summary_lines: tuple[str, ...] = ()  # the same, a field a line, values in full


def _apply(query: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.since is not None:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.at < flt.until)
    if flt.username.strip():
        who = flt.username.strip()
        named = select(User.username).where(User.display_name == who)
        query = query.where(or_(AuditEntry.username == who.lower(), AuditEntry.username.in_(named)))
    if flt.action:
        query = query.where(
            or_(AuditEntry.action == flt.action, AuditEntry.action.startswith(flt.action + "."))
        )
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        query = query.where(or_(AuditEntry.summary.like(like), AuditEntry.object_id == flt.text.strip()))
    return query


class AuditLogService(Service):
    def count(self, actor: CurrentUser, flt: AuditFilter) -> int:
        actor.require(Permission.AUDIT_READ)
        with self.db.session() as session:
            return int(session.scalar(_apply(select(func.count()).select_from(AuditEntry), flt)) or 0)

    def page(self, actor: CurrentUser, flt: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
        """Newest first, one page at a time, for a lazily loading table."""
        actor.require(Permission.AUDIT_READ)
        with self.db.session() as session:
            query = (
                _apply(select(AuditEntry), flt).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
            )
            entries = list(session.scalars(query))
            names = _Names(session, entries)
            return [_row(entry, names) for entry in entries]

    def verify(self, actor: CurrentUser) -> VerifyResult:
        """The whole chain, the breaks on record, and what this workstation and its backups saw.

        Also on a damaged chain, where the check itself cannot be appended (the log keeps it)."""
        actor.require(Permission.AUDIT_READ)
        statements, problems = self._statements()
        with self.db.session() as session:
            result = audit.verify(session, self.db.keyring, statements)
        if problems:
            result = replace(result, notes=(*problems, *result.notes))
        if result.intact and result.head_sound and self.db.witness is not None:
            self.db.witness.saw(Seen(result.segment, result.last_good_seq, result.last_good_hash))
        try:
            with self.write() as session:
                self.audit(
                    session,
                    actor,
                    "audit.verify",
                    "audit_log",
                    "",
                    {
                        "intact": result.intact,
                        "checked": result.checked,
                        "first_bad_seq": result.first_bad_seq,
                        "breaks": len(result.breaks),
                    },
                )
        except AuditTrailDamaged:
            log.warning("audit chain damaged: the check by %s is kept in this log only", actor.username)
        return result

    def record_break(self, actor: CurrentUser, found: str) -> RecordedBreak:
        """The audit admin records a damaged chain (what was found; the entry says by whom) and opens
        a new segment after the last entry that verifies, so audited work can go on. Every later
        ``verify`` reports the break."""
        actor.require(Permission.AUDIT_RECORD_BREAK)
        text = " ".join(found.split())
        if not text:
            raise ValidationError("请写明发现了什么（例如：哪些记录缺失或异常、如何发现）。", field="found")
        if len(text) > FOUND_MAX:
            raise ValidationError(f"说明最多 {FOUND_MAX} 个字。", field="found")
        statements, _problems = self._statements()
        with self.write() as session:
            audit.lock_head(session)
            result = audit.verify(session, self.db.keyring, statements)
            if result.intact:
                raise DomainError("审计链校验完整，没有需要记录的断裂。")
            entry = audit.open_segment(
                session, actor.audit_actor, "audit.break", result, {"found": text}, statements
            )
            seq = entry.seq
        return RecordedBreak(
            seq,
            entry.at,
            actor.username,
            "audit.break",
            result.last_good_seq,
            text,
            result.reason,
        )

    def _statements(self) -> tuple[list[Statement], list[str]]:
        """This workstation's witness and those beside its backups; the ones that cannot be used."""
        witness = self.db.witness
        if witness is None:
            return [], []
        statements, problems = witness.backup_statements()
        problem = witness.problem()
        if problem:
            problems.insert(0, problem)
        return [witness.statement(), *statements], problems


def _row(entry: AuditEntry, names: _Names) -> AuditRow:
    summary = json.loads(entry.summary or "{}")
    words = SummaryWords(entry.action, entry.object_type, names.of_value)
    return AuditRow(
        entry.seq,
        entry.at,
        entry.username,
        entry.workstation,
        entry.action,
        ACTION_LABELS.get(entry.action, entry.action),
        entry.object_type,
        entry.object_id,
        summary,
        person_label(entry.username, names.people),
        names.object_text(entry.object_type, entry.object_id),
        words.line(summary),
        tuple(words.lines(summary)),
    )


def _ids(values: set[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


class _Names:
    """The names of the people and objects a page of entries refers to by login or number, read
    in one query per kind."""

    def __init__(self, session: Session, entries: list[AuditEntry]) -> None:
        by_type: dict[str, set[str]] = {}
        departments: set[int] = set()
        staff: set[int] = set()
        records: set[int] = set()
        for entry in entries:
            if entry.object_id:
                by_type.setdefault(entry.object_type, set()).add(entry.object_id)
            summary = json.loads(entry.summary or "{}")
            if isinstance(summary.get("changed"), dict):
                summary = summary["changed"]
            for key, wanted in (("department_id", departments), ("staff_id", staff), ("record", records)):
                value = summary.get(key)
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, int) and not isinstance(item, bool):
                        wanted.add(item)
        logins = {e.username for e in entries}
        user_ids = _ids(by_type.get("user", set()))
        users = session.execute(
            select(User.id, User.username, User.display_name).where(
                or_(User.username.in_(logins), User.id.in_(user_ids))
            )
        ).all()
        self.people = {u.username: u.display_name for u in users}
        self.users = {u.id: f"{u.display_name}（{u.username}）" for u in users}
        departments |= _ids(by_type.get("department", set()))
        self.departments = dict(
            session.execute(
                select(Department.id, Department.name).where(Department.id.in_(departments))
            ).all()
        )
        staff |= _ids(by_type.get("staff", set()))
        self.staff = dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff))).all())
        self.subjects = dict(
            session.execute(
                select(CreditSubject.id, CreditSubject.name).where(
                    CreditSubject.id.in_(_ids(by_type.get("credit_subject", set())))
                )
            ).all()
        )
        repairs = _ids(by_type.get("credit_repair", set()))
        self.repair_records = dict(
            session.execute(
                select(CreditRepair.id, CreditRepair.record_id).where(CreditRepair.id.in_(repairs))
            ).all()
        )
        records |= _ids(by_type.get("credit_record", set())) | set(self.repair_records.values())
        self.record_subjects = dict(
            session.execute(
                select(CreditRecord.id, CreditSubject.name)
                .join(CreditSubject, CreditSubject.id == CreditRecord.subject_id)
                .where(CreditRecord.id.in_(records))
            ).all()
        )

    def of_value(self, key: str, value: Any) -> str | None:
        """A summary's id in words: 科室 8 → 建设工程科."""
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if key == "department_id":
            return self.departments.get(value, f"#{value}")
        if key == "staff_id":
            return self.staff.get(value, f"#{value}")
        if key == "record":
            return self._record(value)
        return None

    def _record(self, record_id: int) -> str:
        subject = self.record_subjects.get(record_id)
        return f"#{record_id}（{subject}）" if subject else f"#{record_id}"

    def object_text(self, object_type: str, object_id: str) -> str:
        label = object_label(object_type)
        if not object_id or object_type in UNNUMBERED:
            return label
        key = int(object_id) if object_id.isdigit() else None
        name = None
        if key is not None:
            if object_type == "user":
                name = self.users.get(key)
            elif object_type == "staff":
                name = self.staff.get(key)
            elif object_type == "department":
                name = self.departments.get(key)
            elif object_type == "credit_subject":
                name = self.subjects.get(key)
            elif object_type == "credit_record":
                name = self._record(key)
            elif object_type == "credit_repair":
                record = self.repair_records.get(key)
                subject = self.record_subjects.get(record) if record is not None else None
                name = f"#{key}（{subject}）" if subject else None
        if name is None:
            name = object_id if object_type == "notice" or key is None else f"#{object_id}"
        return f"{label} {name}" if label else name
