"""Reading and verifying the audit trail (the audit admin's work)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from desktop_app.domain.roles import Permission
from desktop_app.services.base import Service
from desktop_app.services.context import CurrentUser
from desktop_app.store import audit
from desktop_app.store.audit import VerifyResult  # the UI reads a verification's result from here
from desktop_app.store.models import AuditEntry

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
    "department.create": "新建科室",
    "department.update": "修改科室",
    "staff.create": "新建人员",
    "staff.update": "修改人员",
    "settings.update": "修改中心设置",
    "pii.unmask": "查看个人信息明文",
    "backup": "备份数据库",
    "restore": "恢复数据库",
    "audit.verify": "校验审计链",
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
}


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    username: str = ""
    action: str = ""
    text: str = ""


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    username: str
    workstation: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    summary: dict[str, Any]


def _apply(query: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.since is not None:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.at < flt.until)
    if flt.username.strip():
        query = query.where(AuditEntry.username == flt.username.strip().lower())
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
            return [
                AuditRow(
                    e.seq,
                    e.at,
                    e.username,
                    e.workstation,
                    e.action,
                    ACTION_LABELS.get(e.action, e.action),
                    e.object_type,
                    e.object_id,
                    json.loads(e.summary or "{}"),
                )
                for e in session.scalars(query)
            ]

    def verify(self, actor: CurrentUser) -> VerifyResult:
        actor.require(Permission.AUDIT_READ)
        with self.db.session() as session:
            result = audit.verify(session, self.db.keyring)
        with self.write() as session:
            self.audit(
                session,
                actor,
                "audit.verify",
                "audit_log",
                "",
                {"intact": result.intact, "checked": result.checked, "first_bad_seq": result.first_bad_seq},
            )
        return result
