"""User accounts, managed by the system admin; roles checked against 三员分立."""

from __future__ import annotations

import builtins
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PermissionDenied, Refusals, ValidationError
from desktop_app.domain.roles import BUSINESS_ROLES, ROLE_LABELS, Permission, Role, check_role_combination
from desktop_app.services.auth import hash_password, validate_username
from desktop_app.services.base import Service
from desktop_app.services.center import read_settings
from desktop_app.services.context import CurrentUser
from desktop_app.services.duties import (
    RoleChange,
    confirmer_of,
    decode_roles,
    encode_roles,
    pending_for_in,
    remember_in_effect,
    split_roles,
)
from desktop_app.store.models import Department, Staff, User, UserRole


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    roles: tuple[Role, ...]
    department_id: int | None
    department_name: str
    staff_id: int | None
    staff_name: str
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None
    version: int
    # Roles asked for by the system admin that wait for a leader's (or the audit admin's)
    # confirmation — the whole set — and who asked, when; () when nothing waits.
    pending_roles: tuple[Role, ...] = ()
    pending_by: str = ""
    pending_since: datetime | None = None

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in self.roles)

    @property
    def pending_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in self.pending_roles)


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        tuple(sorted(Role(r.role) for r in user.roles)),
        user.department_id,
        user.department.name if user.department else "",
        user.staff_id,
        user.staff.name if user.staff else "",
        user.active,
        user.locked_until,
        user.must_change_password,
        user.last_login_at,
        user.version,
        tuple(sorted(decode_roles(user.pending_roles))),
        user.pending_by or "",
        user.pending_since,
    )


def display_name_of(text: str) -> str:
    shown = text.strip()
    if not shown:
        raise ValidationError("请填写姓名。", field="display_name")
    if len(shown) > 50:
        raise ValidationError("姓名不能超过 50 个字符。", field="display_name")
    return shown


def temporary_password(length: int = 12) -> str:
    """Random, readable (no 0/O/1/l/I), and always meets the default 3-of-4 classes rule."""
    letters = "abcdefghjkmnpqrstuvwxyz"
    uppers = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = "23456789"
    symbols = "#%+-=@"
    pool = letters + uppers + digits + symbols
    chars = [secrets.choice(s) for s in (letters, uppers, digits, symbols)]
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def waiting_summary(change: RoleChange) -> dict[str, Any]:
    """For the audit entry: what waits, for whom."""
    if change.pending is None or change.confirmer is None:
        return {}
    return {
        "in_effect": sorted(r.value for r in change.effective),
        "awaiting": change.confirmer.value,
    }


class UserService(Service):
    def list(self) -> list[UserInfo]:
        with self.db.session() as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.username))]

    def get(self, user_id: int) -> UserInfo:
        with self.db.session() as session:
            return _info(self.get_or_404(session, User, user_id, "账户"))

    def _validate_links(
        self,
        session: Session,
        roles: set[Role],
        department_id: int | None,
        staff_id: int | None,
        user_id: int | None,
    ) -> int | None:
        if staff_id is not None:
            staff = session.get(Staff, staff_id)
            if staff is None or not staff.active:
                raise ValidationError("所选人员不存在或已离岗。", field="staff")
            owner = session.scalar(select(User.id).where(User.staff_id == staff_id))
            if owner is not None and owner != user_id:
                raise ValidationError("该人员已有账户。", field="staff")
            if department_id is None and Role.SUPERVISOR in roles:
                department_id = staff.department_id
        if department_id is not None:
            dept = session.get(Department, department_id)
            if dept is None or not dept.active:
                raise ValidationError("所选科室不存在或已停用。", field="department")
        check_role_combination(roles, department_id)
        return department_id

    def create(
        self,
        actor: CurrentUser,
        *,
        username: str,
        display_name: str,
        roles: set[Role],
        password: str,
        department_id: int | None = None,
        staff_id: int | None = None,
        must_change_password: bool = True,
    ) -> UserInfo:
        actor.require(Permission.ADMIN_USERS)
        refusals = Refusals()  # every field at fault at once
        name = refusals.check(lambda: validate_username(username), "")
        shown = refusals.check(lambda: display_name_of(display_name), "")
        if staff_id is None:  # else the department may be the linked staff member's (_validate_links)
            refusals.check(lambda: check_role_combination(roles, department_id), None)
        refusals.raise_any()
        with self.write("该用户名已存在。", "username") as session:
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                raise ValidationError("该用户名已存在。", field="username")
            department_id = self._validate_links(session, set(roles), department_id, staff_id, None)
            read_settings(session).policy.check(password, name)
            user = User(
                username=name,
                display_name=shown,
                staff_id=staff_id,
                department_id=department_id,
                password_hash=hash_password(password),
                must_change_password=must_change_password,
                updated_by=actor.username,
            )
            change = split_roles(session, (), roles)
            self._apply_roles(session, user, change, actor)
            session.add(user)
            session.flush()
            self.audit(
                session,
                actor,
                "user.create",
                "user",
                user.id,
                {
                    "username": name,
                    "roles": sorted(r.value for r in roles),
                    "department_id": department_id,
                    "staff_id": staff_id,
                    **waiting_summary(change),
                },
            )
            session.refresh(user)
            return _info(user)

    def update(
        self,
        actor: CurrentUser,
        user_id: int,
        *,
        display_name: str,
        roles: set[Role],
        department_id: int | None,
        staff_id: int | None,
        active: bool,
        expected_version: int,
    ) -> UserInfo:
        actor.require(Permission.ADMIN_USERS)
        refusals = Refusals()
        shown = refusals.check(lambda: display_name_of(display_name), "")
        if staff_id is None:  # else the department may be the linked staff member's (_validate_links)
            refusals.check(lambda: check_role_combination(roles, department_id), None)
        refusals.raise_any()
        with self.write() as session:
            user = self.get_or_404(session, User, user_id, "账户")
            self.check_version(user, expected_version)
            if user.id == actor.user_id and (not active or Role.SYSTEM_ADMIN not in roles):
                raise ValidationError("不能停用自己的账户或取消自己的系统管理员角色。", field="roles")
            department_id = self._validate_links(session, set(roles), department_id, staff_id, user_id)
            current = {Role(r.role) for r in user.roles}
            asked_before = decode_roles(user.pending_roles) if user.pending_roles else current
            before = {
                "display_name": user.display_name,
                "roles": sorted(r.value for r in asked_before),
                "department_id": user.department_id,
                "staff_id": user.staff_id,
                "active": user.active,
            }
            after = {
                "display_name": shown,
                "roles": sorted(r.value for r in roles),
                "department_id": department_id,
                "staff_id": staff_id,
                "active": active,
            }
            diff: dict[str, Any] = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
            if diff:
                user.display_name = shown
                if before["roles"] != after["roles"]:
                    change = split_roles(session, current, roles)
                    self._apply_roles(session, user, change, actor)
                    diff.update(waiting_summary(change))
                user.department_id = department_id
                user.staff_id = staff_id
                user.active = active
                user.updated_by = actor.username
                user.updated_at = self.db.now()
                self.audit(session, actor, "user.update", "user", user.id, diff)
            session.flush()
            session.refresh(user)
            return _info(user)

    def _apply_roles(self, session: Session, user: User, change: RoleChange, actor: CurrentUser) -> None:
        if {r.role for r in user.roles} != {r.value for r in change.effective}:
            user.roles = [UserRole(role=r.value) for r in sorted(change.effective)]
        remember_in_effect(session, self.db, change.effective)
        if change.pending is None:
            user.pending_roles = user.pending_by = user.pending_since = None
        else:
            user.pending_roles = encode_roles(change.pending)
            user.pending_by = actor.username
            user.pending_since = self.db.now()

    # -- confirmation (separation of duties, services/duties.py) --------------------------------
    def pending(self, actor: CurrentUser) -> builtins.list[UserInfo]:
        """The accounts whose roles wait for this leader's (or audit admin's) confirmation."""
        actor.require(Permission.CONFIRM_ACCOUNTS)
        with self.db.session() as session:
            return [_info(u) for u in pending_for_in(session, actor)]

    def confirm(self, actor: CurrentUser, user_id: int, accept: bool = True) -> UserInfo:
        """A leader puts into effect the business roles the system admin gave (the audit admin, a
        new audit admin's role); ``accept=False`` declines them (the account keeps what it had)."""
        actor.require(Permission.CONFIRM_ACCOUNTS)
        with self.write() as session:
            user = self.get_or_404(session, User, user_id, "账户")
            if user.pending_roles is None:
                raise ValidationError("该账户没有待确认的角色。", field="roles")
            if user.id == actor.user_id:
                raise ValidationError("不能确认自己账户的角色。", field="roles")
            asked = decode_roles(user.pending_roles)
            if confirmer_of(session, asked) not in actor.roles:
                raise PermissionDenied()
            summary: dict[str, Any] = {
                "username": user.username,
                "roles": sorted(r.value for r in asked),
                "requested_by": user.pending_by or "",
            }
            if accept:
                check_role_combination(asked, user.department_id)
                user.roles = [UserRole(role=r.value) for r in sorted(asked)]
                remember_in_effect(session, self.db, asked)
            user.pending_roles = user.pending_by = user.pending_since = None
            user.updated_by = actor.username
            user.updated_at = self.db.now()
            self.audit(session, actor, "user.confirm" if accept else "user.decline", "user", user.id, summary)
            session.flush()
            session.refresh(user)
            return _info(user)

    def reset_password(self, actor: CurrentUser, user_id: int) -> str:
        """A new temporary password, shown once to the admin; the user must change it at next login.

        The admin knows that password: an account with business roles would be theirs to use (三员
        分立). So, once the center has had a leader, its roles wait for a leader's confirmation again
        (services/duties): a second person vouches that the reset went to its owner."""
        actor.require(Permission.ADMIN_USERS)
        password = temporary_password()
        with self.write() as session:
            user = self.get_or_404(session, User, user_id, "账户")
            user.password_hash = hash_password(password)
            user.must_change_password = True
            user.failed_logins = 0
            user.locked_until = None
            user.updated_by = actor.username
            user.updated_at = self.db.now()
            held = {Role(r.role) for r in user.roles}
            change = split_roles(session, held - BUSINESS_ROLES, held) if held & BUSINESS_ROLES else None
            summary: dict[str, Any] = {"username": user.username}
            if change is not None and change.waits:
                asked = decode_roles(user.pending_roles) if user.pending_roles else held
                change = RoleChange(change.effective, frozenset(asked), change.confirmer)
                self._apply_roles(session, user, change, actor)
                summary.update(waiting_summary(change))
            self.audit(session, actor, "user.password_reset", "user", user.id, summary)
        return password

    def unlock(self, actor: CurrentUser, user_id: int) -> None:
        actor.require(Permission.ADMIN_USERS)
        with self.write() as session:
            user = self.get_or_404(session, User, user_id, "账户")
            user.failed_logins = 0
            user.locked_until = None
            user.updated_by = actor.username
            user.updated_at = self.db.now()
            self.audit(session, actor, "user.unlock", "user", user.id, {"username": user.username})
