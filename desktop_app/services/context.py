"""Who is acting: the signed-in account as the services see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.roles import ROLE_LABELS, Permission, Role, permissions_of

if TYPE_CHECKING:
    # The login window knows who signs in before the data layer has loaded (it loads meanwhile).
    from desktop_app.store.audit import AuditActor


@dataclass(frozen=True)
class CurrentUser:
    user_id: int | None
    username: str
    display_name: str
    roles: frozenset[Role]
    workstation: str
    department_id: int | None = None
    department_name: str = ""
    staff_id: int | None = None
    permissions: frozenset[Permission] = field(default=frozenset())

    def __post_init__(self) -> None:
        if not self.permissions:
            object.__setattr__(self, "permissions", permissions_of(self.roles))

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise PermissionDenied()

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in sorted(self.roles))

    @property
    def audit_actor(self) -> AuditActor:
        from desktop_app.store.audit import AuditActor

        return AuditActor(self.user_id, self.username, self.workstation)


def system_actor(workstation: str, what: str = "system") -> CurrentUser:
    """The app itself (first-start bootstrap, demo builder): audited under a fixed name."""
    return CurrentUser(None, f"<{what}>", "系统", frozenset(), workstation)
