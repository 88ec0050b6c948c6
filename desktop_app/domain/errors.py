"""Errors a user can fix. Each carries a Chinese message and, where one field is to blame, its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A problem the user can fix; ``field`` names the input widget (its objectName) to point at."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    pass


class ValidationErrors(ValidationError):
    """Several refusals of one input, reported together so that a form marks every field at fault at
    once. ``errors`` holds one ValidationError per field, in the form's order; ``field`` is the first
    one's and ``message`` all the messages in a row (each is a sentence ending in 。), so code that
    knows only one refusal (an import's row report, a message box) still says everything."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        flat: list[ValidationError] = []
        for error in errors:
            flat.extend(error.errors if isinstance(error, ValidationErrors) else (error,))
        if not flat:
            raise ValueError("ValidationErrors needs at least one error")
        self.errors: tuple[ValidationError, ...] = tuple(flat)
        super().__init__("".join(e.message for e in flat), field=flat[0].field)


def refusals_of(error: DomainError) -> tuple[DomainError, ...]:
    """The single refusals an error stands for: its ``errors`` for ValidationErrors, else itself."""
    return error.errors if isinstance(error, ValidationErrors) else (error,)


class Refusals:
    """Collects what is wrong with one input instead of stopping at the first problem.

    ``value = refusals.check(lambda: clean_text(...), default)`` runs a check and keeps its refusal;
    ``refusals.add(message, field)`` records one directly; ``raise_any()`` raises nothing, the one
    ValidationError, or ValidationErrors for several. A field keeps only its first refusal (a later
    check that depends on it would only repeat it); ``failed(field)`` says whether it has one."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def failed(self, *fields: str) -> bool:
        return any(e.field in fields for e in self.errors)

    def keep(self, error: ValidationError) -> None:
        for single in error.errors if isinstance(error, ValidationErrors) else (error,):
            if single.field is None or not self.failed(single.field):
                self.errors.append(single)

    def add(self, message: str, field: str | None = None) -> None:
        self.keep(ValidationError(message, field=field))

    def check(self, call: Callable[[], T], default: T) -> T:
        try:
            return call()
        except ValidationError as error:
            self.keep(error)
            return default

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


class PermissionDenied(DomainError):
    def __init__(self, message: str = "您没有执行此操作的权限。") -> None:
        super().__init__(message)


class AuthenticationError(DomainError):
    pass


class AccountLocked(AuthenticationError):
    pass


class PasswordChangeRequired(AuthenticationError):
    """The password is right, but the account must choose a new one first (the message says why:
    a first sign-in, or an administrator's reset)."""

    def __init__(self, message: str = "请先修改密码。") -> None:
        super().__init__(message)


class NotFound(DomainError):
    pass


class StaleEdit(DomainError):
    """Another workstation saved the record after this one loaded it."""


class Conflict(DomainError):
    pass


class DatabaseTooNew(DomainError):
    pass


class KeyMismatch(DomainError):
    pass


class AuditTrailDamaged(DomainError):
    """The audit chain's head does not verify, so no entry may be appended to it: every write that
    needs an audit entry stops until the audit admin has looked and recorded the break. ``reason``
    is what was found, without the advice."""

    def __init__(self, reason: str, audit_admins: str = "") -> None:
        whom = f"审计管理员（{audit_admins}）" if audit_admins else "审计管理员"
        super().__init__(
            f"审计日志已损坏（{reason}），为免新记录接在无法核实的记录之后，业务操作已暂停。"
            f"请联系{whom}：核查后由其在审计页记录断裂，即可恢复办理。"
        )
        self.reason = reason


class KeyFileExposed(KeyMismatch):
    """The key file can be read by other local users: refused until its owner makes it private."""


class DiskFull(DomainError):
    """Not enough free space for what is about to be written (checked before, not found half-way)."""

    def __init__(self, needed: int, available: int, folder: object) -> None:
        super().__init__(
            f"磁盘空间不足：需要 {_size(needed)}，可用 {_size(available)}（{folder}）。请清理磁盘后重试。"
        )
        self.needed = needed
        self.available = available


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class DataCheckFailed(DomainError):
    """A row an answer or a document rests on fails its MAC: changed in the database behind the
    program's back. Nothing is certified from it; the audit administrator is told to look."""
