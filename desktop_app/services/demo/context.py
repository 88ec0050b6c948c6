"""What every demo step gets: the context (services, actors, people, a random stream of its own), the
report the CLI prints, and the step type itself."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.domain.roles import ROLE_LABELS, Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services

if TYPE_CHECKING:
    from desktop_app.services.demo.people import DemoPerson

DEFAULT_SEED = 2026
SYSADMIN = "sysadmin"
AUDITOR = "auditor"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[Role, ...]
    display_name: str
    department: str
    password: str

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in self.roles)


@dataclass
class DemoReport:
    seed: int
    center_name: str = ""
    departments: list[str] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def password_of(self, username: str) -> str:
        for account in self.accounts:
            if account.username == username:
                return account.password
        raise KeyError(username)


@dataclass
class DemoContext:
    services: Services
    seed: int
    admin: CurrentUser
    report: DemoReport
    people: list[DemoPerson]
    passwords: dict[str, str]  # username → password, for every demo account
    departments: dict[str, int] = field(default_factory=dict)
    staff_ids: dict[str, int] = field(default_factory=dict)  # employee_no → staff id
    _actors: dict[str, CurrentUser] = field(default_factory=dict)

    def rng(self, step: str) -> random.Random:
        return step_rng(self.seed, step)

    def actor(self, username: str) -> CurrentUser:
        """Sign in as a demo account (once; the login is audited like any other)."""
        if username not in self._actors:
            self._actors[username] = self.services.auth.login(username, self.passwords[username])
        return self._actors[username]

    def signed_in(self, username: str, actor: CurrentUser) -> None:
        """Remember an actor already signed in (the first admin, who made everything else)."""
        self._actors[username] = actor


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]


def step_rng(seed: int, step: str) -> random.Random:
    return random.Random(f"integrity-desk demo {seed}:{step}")
