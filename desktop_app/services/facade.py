"""All services of one open database, as the GUI and the CLI use them."""

from __future__ import annotations

from functools import cached_property

from desktop_app.services.audit_log import AuditLogService
from desktop_app.services.auth import AuthService
from desktop_app.services.center import CenterService
from desktop_app.services.maintenance import MaintenanceService
from desktop_app.services.organisation import OrganisationService
from desktop_app.services.users import UserService
from desktop_app.store.database import Database


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db

    @cached_property
    def auth(self) -> AuthService:
        return AuthService(self.db)

    @cached_property
    def users(self) -> UserService:
        return UserService(self.db)

    @cached_property
    def organisation(self) -> OrganisationService:
        return OrganisationService(self.db)

    @cached_property
    def center(self) -> CenterService:
        return CenterService(self.db)

    @cached_property
    def audit_log(self) -> AuditLogService:
        return AuditLogService(self.db)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        return MaintenanceService(self.db)
