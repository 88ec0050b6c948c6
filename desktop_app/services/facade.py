"""All services of one open database, as the GUI and the CLI use them."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Each service is imported when first used: start-up pays only for what the login needs.
    from desktop_app.services.audit_log import AuditLogService
    from desktop_app.services.auth import AuthService
    from desktop_app.services.calendar import CalendarImportService, CalendarService
    from desktop_app.services.center import CenterService
    from desktop_app.services.complaints import ComplaintService
    from desktop_app.services.complaints.importing import ComplaintImportService
    from desktop_app.services.credit import CreditService
    from desktop_app.services.credit.importing import CreditImportService
    from desktop_app.services.drafts import DraftService
    from desktop_app.services.evaluations import EvaluationService
    from desktop_app.services.evaluations.importing import EvaluationImportService
    from desktop_app.services.integrity import IntegrityService
    from desktop_app.services.maintenance import MaintenanceService
    from desktop_app.services.notices import NoticeService
    from desktop_app.services.organisation import OrganisationService
    from desktop_app.services.scoring import ScoringService
    from desktop_app.services.todo import TodoService
    from desktop_app.services.users import UserService
    from desktop_app.store.database import Database


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Why today's compulsory backup could not be made when the database was opened (None: made,
        # or not due): the program works on, and a system administrator is told at sign-in.
        self.backup_problem: str | None = None

    def dispose(self) -> None:
        """Close the database's connections (the program is done with it)."""
        self.db.dispose()

    @cached_property
    def auth(self) -> AuthService:
        from desktop_app.services.auth import AuthService

        return AuthService(self.db)

    @cached_property
    def users(self) -> UserService:
        from desktop_app.services.users import UserService

        return UserService(self.db)

    @cached_property
    def organisation(self) -> OrganisationService:
        from desktop_app.services.organisation import OrganisationService

        return OrganisationService(self.db)

    @cached_property
    def center(self) -> CenterService:
        from desktop_app.services.center import CenterService

        return CenterService(self.db)

    @cached_property
    def audit_log(self) -> AuditLogService:
        from desktop_app.services.audit_log import AuditLogService

        return AuditLogService(self.db)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        from desktop_app.services.maintenance import MaintenanceService

        return MaintenanceService(self.db)

    @cached_property
    def notices(self) -> NoticeService:
        from desktop_app.services.notices import NoticeService

        return NoticeService(self.db)

    @cached_property
    def credit(self) -> CreditService:
        from desktop_app.services.credit import CreditService

        return CreditService(self.db)

    @cached_property
    def credit_import(self) -> CreditImportService:
        from desktop_app.services.credit.importing import CreditImportService

        return CreditImportService(self.db)

    @cached_property
    def integrity(self) -> IntegrityService:
        from desktop_app.services.integrity import IntegrityService

        return IntegrityService(self.db)

    @cached_property
    def calendar(self) -> CalendarService:
        from desktop_app.services.calendar import CalendarService

        return CalendarService(self.db)

    @cached_property
    def calendar_import(self) -> CalendarImportService:
        from desktop_app.services.calendar import CalendarImportService

        return CalendarImportService(self.db)

    @cached_property
    def complaints(self) -> ComplaintService:
        from desktop_app.services.complaints import ComplaintService

        return ComplaintService(self.db)

    @cached_property
    def complaint_import(self) -> ComplaintImportService:
        from desktop_app.services.complaints.importing import ComplaintImportService

        return ComplaintImportService(self.db)

    @cached_property
    def evaluation_import(self) -> EvaluationImportService:
        from desktop_app.services.evaluations.importing import EvaluationImportService

        return EvaluationImportService(self.db)

    @cached_property
    def drafts(self) -> DraftService:
        from desktop_app.services.drafts import DraftService

        return DraftService(self.db)

    @cached_property
    def todo(self) -> TodoService:
        from desktop_app.services.todo import TodoService

        return TodoService(self.db)

    @cached_property
    def evaluations(self) -> EvaluationService:
        from desktop_app.services.evaluations import EvaluationService

        return EvaluationService(self.db)

    @cached_property
    def scoring(self) -> ScoringService:
        from desktop_app.services.scoring import ScoringService

        return ScoringService(self.db)
