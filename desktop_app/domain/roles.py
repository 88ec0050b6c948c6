"""Roles and what each may do (DOMAIN.md "People and roles").

System, security and audit administration never share an account (三员分立), and the admin roles hold
no business rights: ``check_role_combination`` is the one place that rule lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from desktop_app.domain.errors import ValidationError


class Role(StrEnum):
    HALL_STAFF = "hall-staff"
    SUPERVISOR = "supervisor"
    LEADER = "leader"
    SYSTEM_ADMIN = "system-admin"
    AUDIT_ADMIN = "audit-admin"


ROLE_LABELS: dict[Role, str] = {
    Role.HALL_STAFF: "大厅工作人员",
    Role.SUPERVISOR: "科室负责人",
    Role.LEADER: "中心领导",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.AUDIT_ADMIN: "审计管理员",
}

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset({Role.HALL_STAFF, Role.SUPERVISOR, Role.LEADER})


class Permission(StrEnum):
    CREDIT_LOOKUP = "credit.lookup"
    CREDIT_PROPOSE = "credit.propose"
    CREDIT_APPROVE = "credit.approve"
    COMPLAINT_TAKE = "complaint.take"
    COMPLAINT_HANDLE = "complaint.handle"
    EXPERT_EVALUATE = "expert.evaluate"
    EXPERT_DECIDE = "expert.decide"
    SCORING_FILL = "scoring.fill"
    SCORING_LOCK = "scoring.lock"
    SCORING_READ_OWN = "scoring.read_own"
    UNMASK_PERSONAL_DATA = "pii.unmask"
    ADMIN_USERS = "admin.users"
    ADMIN_ORGANISATION = "admin.organisation"
    ADMIN_SETTINGS = "admin.settings"
    ADMIN_BACKUP = "admin.backup"
    AUDIT_READ = "audit.read"
    AUDIT_RECORD_BREAK = "audit.record_break"  # open a new segment after a damaged audit chain
    # A leader confirms business roles given by the system admin; the audit admin a second audit admin.
    CONFIRM_ACCOUNTS = "accounts.confirm"
    # A numbered test page is a write (it takes a number): not for the audit admin, who only reads.
    PRINT_TEST_PAGE = "notices.test_page"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.HALL_STAFF: frozenset(
        {
            Permission.CREDIT_LOOKUP,
            Permission.COMPLAINT_TAKE,
            Permission.EXPERT_EVALUATE,
            Permission.SCORING_READ_OWN,
            Permission.PRINT_TEST_PAGE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.CREDIT_LOOKUP,
            Permission.CREDIT_PROPOSE,
            Permission.COMPLAINT_TAKE,
            Permission.COMPLAINT_HANDLE,
            Permission.EXPERT_EVALUATE,
            Permission.SCORING_FILL,
            Permission.SCORING_READ_OWN,
            Permission.UNMASK_PERSONAL_DATA,
            Permission.PRINT_TEST_PAGE,
        }
    ),
    Role.LEADER: frozenset(
        {
            Permission.CREDIT_LOOKUP,
            Permission.CREDIT_PROPOSE,
            Permission.CREDIT_APPROVE,
            Permission.COMPLAINT_TAKE,
            Permission.COMPLAINT_HANDLE,
            Permission.EXPERT_EVALUATE,
            Permission.EXPERT_DECIDE,
            Permission.SCORING_LOCK,
            Permission.SCORING_READ_OWN,
            Permission.UNMASK_PERSONAL_DATA,
            Permission.CONFIRM_ACCOUNTS,
            Permission.PRINT_TEST_PAGE,
        }
    ),
    Role.SYSTEM_ADMIN: frozenset(
        {
            Permission.ADMIN_USERS,
            Permission.ADMIN_ORGANISATION,
            Permission.ADMIN_SETTINGS,
            Permission.ADMIN_BACKUP,
            Permission.PRINT_TEST_PAGE,
        }
    ),
    Role.AUDIT_ADMIN: frozenset(
        {Permission.AUDIT_READ, Permission.AUDIT_RECORD_BREAK, Permission.CONFIRM_ACCOUNTS}
    ),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError(f"未知角色“{text}”，可选：{allowed}", field="roles") from None


def check_role_combination(roles: Iterable[Role], department_id: int | None) -> None:
    """Raise unless the set of roles may sit on one account."""
    chosen = set(roles)
    if not chosen:
        raise ValidationError("请至少选择一个角色。", field="roles")
    admin = chosen & ADMIN_ROLES
    if len(admin) > 1:
        raise ValidationError("系统管理员与审计管理员不能由同一账户担任（三员分立）。", field="roles")
    if admin and chosen & BUSINESS_ROLES:
        raise ValidationError("管理员账户不能同时拥有业务角色。", field="roles")
    if Role.SUPERVISOR in chosen and department_id is None:
        raise ValidationError("科室负责人必须指定所负责的科室。", field="department")
