"""Password policy (defaults: 8 characters, 3 of the 4 character classes).

``PasswordPolicy.rules()`` lists every rule ``check`` applies, in the order it applies them: the
dialogs describe the password to choose from that list (ui.auth_dialogs.policy_hint), so a rule
added here is a rule the hint must name (a test holds the two together).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import Enum

from desktop_app.domain.errors import ValidationError

MAX_LENGTH = 256


class PasswordRule(Enum):
    MIN_LENGTH = "min_length"  # at least ``min_length`` characters
    MAX_LENGTH = "max_length"  # at most MAX_LENGTH characters
    CLASSES = "classes"  # ``min_classes`` of: lower-case, upper-case, digits, symbols
    NOT_USERNAME = "not_username"  # does not contain the username, in any case
    NOT_CURRENT = "not_current"  # a change: differs from the current password


def character_classes(password: str) -> int:
    """How many of the four classes (lower-case, upper-case, digits, symbols) the password uses."""
    return sum(
        (
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
    )


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3
    max_failed_logins: int = 5
    lockout_minutes: int = 30

    def rules(self) -> tuple[PasswordRule, ...]:
        """Every rule a new password must meet, in the order ``check`` tries them."""
        return tuple(PasswordRule)

    def check(self, password: str, username: str = "", field: str = "password", current: str = "") -> None:
        """Refuse a password that breaks a rule, naming the first it breaks. ``current``: the
        password being changed (NOT_CURRENT applies only then)."""
        for rule in self.rules():
            problem = self.broken(rule, password, username, current)
            if problem:
                raise ValidationError(problem, field=field)

    def broken(self, rule: PasswordRule, password: str, username: str = "", current: str = "") -> str:
        """Why ``password`` breaks ``rule`` (a message for the user), or "" when it meets it."""
        if rule is PasswordRule.MIN_LENGTH and len(password) < self.min_length:
            return f"密码至少需要 {self.min_length} 个字符。"
        if rule is PasswordRule.MAX_LENGTH and len(password) > MAX_LENGTH:
            return f"密码不能超过 {MAX_LENGTH} 个字符。"
        if rule is PasswordRule.CLASSES and character_classes(password) < self.min_classes:
            return f"密码需包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"
        if rule is PasswordRule.NOT_USERNAME and username and username.lower() in password.lower():
            return "密码不能包含用户名。"
        if rule is PasswordRule.NOT_CURRENT and current and password == current:
            return "新密码不能与原密码相同。"
        return ""
