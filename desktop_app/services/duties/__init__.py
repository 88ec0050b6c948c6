"""Separation of duties (三员分立) for the roles the system admin gives.

The system admin manages accounts but holds no business right; without this rule they could give
themselves one (a supervisor account of their own, then unmask personal data). So, once the center
has had a leader, a business role the system admin adds to an account takes effect only when a
leader confirms it; once it has had an audit admin, a new audit admin waits for the audit admin.
Before that — a center being set up — roles take effect at once: the first leader and the first
audit admin are how the center starts.

"Has had" is remembered in ``app_meta`` when such a role first takes effect, so that taking the role
away from every leader (or disabling them) does not reopen the setting-up door. A center whose
leaders have all left cannot confirm a leader any more: then the audit admin confirms one.

Removing a role takes effect at once (less right is never a risk); while the added roles wait, the
account keeps the roles it had that it also keeps afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.roles import BUSINESS_ROLES, ROLE_LABELS, Role
from desktop_app.services.context import CurrentUser
from desktop_app.store.database import Database
from desktop_app.store.models import AppMeta, User, UserRole

# The roles whose first appearance ends the setting up, and the meta key that remembers it.
FIRST_IN_EFFECT = {Role.LEADER: "duties.first_leader_at", Role.AUDIT_ADMIN: "duties.first_audit_admin_at"}


def roles_text(roles: Iterable[Role]) -> str:
    return "、".join(ROLE_LABELS[r] for r in sorted(roles))


def encode_roles(roles: Iterable[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


def decode_roles(text: str | None) -> frozenset[Role]:
    return frozenset(Role(part) for part in (text or "").split(",") if part)


def center_has_had(session: Session, role: Role) -> bool:
    """Whether ``role`` has ever been in effect on this center (remembered, or held by an account)."""
    if session.get(AppMeta, FIRST_IN_EFFECT[role]) is not None:
        return True
    return session.scalar(select(UserRole.user_id).where(UserRole.role == role.value).limit(1)) is not None


def active_holders(session: Session, role: Role, excluding: int | None = None) -> list[int]:
    query = select(User.id).join(UserRole, UserRole.user_id == User.id)
    query = query.where(UserRole.role == role.value, User.active.is_(True))
    if excluding is not None:
        query = query.where(User.id != excluding)
    return list(session.scalars(query))


def remember_in_effect(session: Session, db: Database, roles: Iterable[Role]) -> None:
    """Note the first time a leader or an audit admin takes effect (ends the setting up for good)."""
    for role in roles:
        key = FIRST_IN_EFFECT.get(role)
        if key is not None and session.get(AppMeta, key) is None:
            session.add(AppMeta(key=key, value=db.now().isoformat()))


@dataclass(frozen=True)
class RoleChange:
    """What a system admin's choice of roles does now, and what waits."""

    effective: frozenset[Role]
    pending: frozenset[Role] | None  # the whole set asked for, or None when nothing waits
    confirmer: Role | None  # who confirms what waits

    @property
    def waits(self) -> bool:
        return self.pending is not None


def split_roles(session: Session, current: Iterable[Role], wanted: Iterable[Role]) -> RoleChange:
    """The roles in effect at once and those that wait, for a change from ``current`` to ``wanted``."""
    now_held, asked = frozenset(current), frozenset(wanted)
    added = asked - now_held
    confirmer: Role | None = None
    if added & BUSINESS_ROLES and center_has_had(session, Role.LEADER):
        confirmer = Role.LEADER
    elif Role.AUDIT_ADMIN in added and center_has_had(session, Role.AUDIT_ADMIN):
        confirmer = Role.AUDIT_ADMIN
    if confirmer is None:
        return RoleChange(asked, None, None)
    return RoleChange(now_held & asked, asked, confirmer)


def confirmer_of(session: Session, pending: frozenset[Role]) -> Role:
    """Who may confirm ``pending``: a leader for business roles — the audit admin when the center
    has no active leader left — and the audit admin for an audit admin."""
    if pending & BUSINESS_ROLES:
        return Role.LEADER if active_holders(session, Role.LEADER) else Role.AUDIT_ADMIN
    return Role.AUDIT_ADMIN


def may_confirm(session: Session, actor: CurrentUser, user: User) -> bool:
    if user.pending_roles is None or user.id == actor.user_id:
        return False
    return confirmer_of(session, decode_roles(user.pending_roles)) in actor.roles


def pending_for_in(session: Session, actor: CurrentUser) -> list[User]:
    """The accounts whose roles wait for ``actor``'s confirmation (never the actor's own)."""
    if not actor.roles & {Role.LEADER, Role.AUDIT_ADMIN}:
        return []
    waiting = session.scalars(select(User).where(User.pending_roles.is_not(None)).order_by(User.username))
    return [user for user in waiting if user.active and may_confirm(session, actor, user)]
