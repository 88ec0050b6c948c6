"""Errors a user can fix. Each carries a Chinese message and, where one field is to blame, its name."""

from __future__ import annotations


class DomainError(Exception):
    """A problem the user can fix; ``field`` names the input widget (its objectName) to point at."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    pass


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
