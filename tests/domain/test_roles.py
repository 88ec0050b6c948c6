"""Roles: 三员分立, admin accounts hold no business rights, supervisors need a department."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roles import (
    ADMIN_ROLES,
    BUSINESS_ROLES,
    ROLE_LABELS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    check_role_combination,
    parse_role,
    permissions_of,
)

# Neither business nor administration: confirming roles (a leader, the audit admin for an audit
# admin) and printing a numbered test page (everyone but the audit admin, who only reads).
DUTIES = {Permission.CONFIRM_ACCOUNTS, Permission.PRINT_TEST_PAGE}
BUSINESS_PERMISSIONS = {
    p
    for p in Permission
    if not p.value.startswith(("admin.", "audit.")) and p is not Permission.AUDIT_READ and p not in DUTIES
}


def test_every_role_has_a_label_and_permissions() -> None:
    assert set(ROLE_LABELS) == set(Role)
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert set(Role) == ADMIN_ROLES | BUSINESS_ROLES
    assert not ADMIN_ROLES & BUSINESS_ROLES


def test_system_and_audit_admin_never_on_one_account() -> None:
    with pytest.raises(ValidationError) as caught:
        check_role_combination({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN}, None)
    assert caught.value.field == "roles"
    assert "三员分立" in caught.value.message


@pytest.mark.parametrize("admin", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("business", sorted(BUSINESS_ROLES))
def test_admin_with_business_role_refused(admin: Role, business: Role) -> None:
    with pytest.raises(ValidationError) as caught:
        check_role_combination({admin, business}, 1)
    assert caught.value.field == "roles"


def test_no_role_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_role_combination(set(), None)
    assert caught.value.field == "roles"


def test_supervisor_needs_a_department() -> None:
    with pytest.raises(ValidationError) as caught:
        check_role_combination({Role.SUPERVISOR}, None)
    assert caught.value.field == "department"
    with pytest.raises(ValidationError):
        check_role_combination({Role.SUPERVISOR, Role.HALL_STAFF}, None)
    check_role_combination({Role.SUPERVISOR}, 3)


@pytest.mark.parametrize(
    "roles",
    [
        {Role.SYSTEM_ADMIN},
        {Role.AUDIT_ADMIN},
        {Role.HALL_STAFF},
        {Role.LEADER},
        {Role.HALL_STAFF, Role.LEADER},
    ],
)
def test_allowed_combinations(roles: set[Role]) -> None:
    check_role_combination(roles, None)


def test_admins_have_no_business_permission() -> None:
    for role in ADMIN_ROLES:
        assert not ROLE_PERMISSIONS[role] & BUSINESS_PERMISSIONS, role


def test_business_roles_have_no_admin_permission() -> None:
    admin_only = {p for p in Permission if p.value.startswith(("admin.", "audit."))}
    for role in BUSINESS_ROLES:
        assert not ROLE_PERMISSIONS[role] & admin_only, role


def test_audit_admin_reads_the_audit_log_and_may_only_record_a_break() -> None:
    # Recording a break writes nothing but the audit log's own entry (issue 10, item 2); confirming
    # is for a second audit admin (item 6).
    assert ROLE_PERMISSIONS[Role.AUDIT_ADMIN] == {
        Permission.AUDIT_READ,
        Permission.AUDIT_RECORD_BREAK,
        Permission.CONFIRM_ACCOUNTS,
    }


def test_system_admin_rights() -> None:
    granted = ROLE_PERMISSIONS[Role.SYSTEM_ADMIN]
    assert {
        Permission.ADMIN_USERS,
        Permission.ADMIN_ORGANISATION,
        Permission.ADMIN_SETTINGS,
        Permission.ADMIN_BACKUP,
        Permission.PRINT_TEST_PAGE,
    } == granted
    assert Permission.UNMASK_PERSONAL_DATA not in granted
    assert Permission.CONFIRM_ACCOUNTS not in granted  # never confirms the roles it gives
    assert Permission.AUDIT_READ not in granted
    assert Permission.AUDIT_RECORD_BREAK not in granted


def test_business_permissions_per_role() -> None:
    hall = ROLE_PERMISSIONS[Role.HALL_STAFF]
    assert Permission.CREDIT_LOOKUP in hall and Permission.COMPLAINT_TAKE in hall
    assert Permission.UNMASK_PERSONAL_DATA not in hall
    assert Permission.SCORING_FILL not in hall and Permission.CREDIT_APPROVE not in hall
    supervisor = ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert Permission.SCORING_FILL in supervisor and Permission.COMPLAINT_HANDLE in supervisor
    assert Permission.SCORING_LOCK not in supervisor and Permission.CREDIT_APPROVE not in supervisor
    leader = ROLE_PERMISSIONS[Role.LEADER]
    assert {Permission.CREDIT_APPROVE, Permission.SCORING_LOCK, Permission.EXPERT_DECIDE} <= leader
    assert Permission.CONFIRM_ACCOUNTS in leader and Permission.CONFIRM_ACCOUNTS not in supervisor


def test_permissions_of_is_the_union() -> None:
    both = permissions_of([Role.HALL_STAFF, Role.LEADER])
    assert both == ROLE_PERMISSIONS[Role.HALL_STAFF] | ROLE_PERMISSIONS[Role.LEADER]
    assert permissions_of([]) == frozenset()


def test_parse_role() -> None:
    assert parse_role(" Hall-Staff ") is Role.HALL_STAFF
    with pytest.raises(ValidationError) as caught:
        parse_role("root")
    assert caught.value.field == "roles"
