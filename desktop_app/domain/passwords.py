"""Password policy (defaults: 8 characters, 3 of the 4 character classes)."""

from __future__ import annotations

import string
from dataclasses import dataclass

from desktop_app.domain.errors import ValidationError


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3
    max_failed_logins: int = 5
    lockout_minutes: int = 30

    def check(self, password: str, username: str = "", field: str = "password") -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符。", field=field)
        if len(password) > 256:
            raise ValidationError("密码不能超过 256 个字符。", field=field)
        classes = sum(
            (
                any(c in string.ascii_lowercase for c in password),
                any(c in string.ascii_uppercase for c in password),
                any(c in string.digits for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        if classes < self.min_classes:
            raise ValidationError(
                f"密码需包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。", field=field
            )
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", field=field)
