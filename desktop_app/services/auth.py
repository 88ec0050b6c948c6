"""Signing in and out, lockout, password changes, and the first system admin of a new center."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import (
    AccountLocked,
    AuditTrailDamaged,
    AuthenticationError,
    PasswordChangeRequired,
    Refusals,
    ValidationError,
)
from desktop_app.domain.passwords import PasswordPolicy
from desktop_app.domain.roles import Role
from desktop_app.paths import db_dir
from desktop_app.services.base import Service
from desktop_app.services.center import DEMO_CENTER, read_settings
from desktop_app.services.context import CurrentUser, system_actor
from desktop_app.store.models import AppMeta, CenterSetting, Department, User, UserRole

log = logging.getLogger(__name__)

# session.info: the damage an entry of signing in met (the chain's head does not verify).
_DAMAGE = "audit_damage"

# argon2id with the library's RFC 9106 defaults; tests swap in a cheaper one.
HASHER = PasswordHasher()
BAD_CREDENTIALS = "用户名或密码不正确。"
# Why a sign-in asks for a new password first: the account has never signed in (its first password
# was set by an administrator), or an administrator reset the password of an account in use.
FIRST_SIGN_IN = "这是您第一次登录。管理员设置的初始密码只用于首次登录，请先设置您自己的新密码。"
PASSWORD_RESET = "管理员已重置您的密码，请先设置新密码。"


@functools.cache
def _dummy_hash() -> str:
    # Made on first need, not at import: hashing is deliberately slow and every start would pay.
    return HASHER.hash("integrity-desk timing equaliser")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalize_username(username: str) -> str:
    return username.strip().lower()


def validate_username(username: str) -> str:
    name = normalize_username(username)
    if not name:
        raise ValidationError("请输入用户名。", field="username")
    if len(name) > 32 or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationError("用户名只能由字母、数字和 . _ - 组成，最多 32 个字符。", field="username")
    return name


def current_user_of(user: User, workstation: str) -> CurrentUser:
    return CurrentUser(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        roles=frozenset(Role(r.role) for r in user.roles),
        workstation=workstation,
        department_id=user.department_id,
        department_name=user.department.name if user.department else "",
        staff_id=user.staff_id,
    )


def lockout_rule(policy: PasswordPolicy) -> str:
    return (
        f"连续输错 {policy.max_failed_logins} 次，账户将锁定 {policy.lockout_minutes} 分钟；"
        "如已锁定，请稍后再试或联系系统管理员。"
    )


def sign_in_refusal(policy: PasswordPolicy) -> str:
    """The one answer to every refused sign-in (it names the center's rule, not the account's state)."""
    return BAD_CREDENTIALS + lockout_rule(policy)


def old_password_refusal(policy: PasswordPolicy) -> str:
    return "用户名或原密码不正确。" + lockout_rule(policy)


@dataclass(frozen=True)
class Attempt:
    """What a password check found (``AuthService._check_password``)."""

    ok: bool
    policy: PasswordPolicy
    failures: int = 0
    locked_until: datetime | None = None
    locked_now: bool = False

    def refusal(self, wrong: str) -> AuthenticationError | None:
        """The detailed answer, for an account already known to the person (the screen lock)."""
        if self.ok:
            return None
        policy = self.policy
        if self.locked_now:
            return AccountLocked(
                f"连续 {policy.max_failed_logins} 次密码错误，账户已锁定 {policy.lockout_minutes} 分钟。"
            )
        if self.locked_until is not None:
            until = self.locked_until.astimezone().strftime("%H:%M")
            return AccountLocked(
                f"连续登录失败次数过多，账户已锁定，请于 {until} 后再试，或请系统管理员解锁。"
            )
        left = policy.max_failed_logins - self.failures
        return AuthenticationError(f"{wrong}再错 {left} 次账户将被锁定。", field="password")


class AuthService(Service):
    # -- first start ------------------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        return self.db.is_empty_of_users()

    def create_first_admin(
        self, username: str, password: str, display_name: str = "", demo: bool = False
    ) -> CurrentUser:
        """Only on a database with no accounts: the system admin, the default departments, settings.
        ``demo``: the demo build's — the database is marked a demo center in the same transaction."""
        refusals = Refusals()  # the username and the password at once
        name = refusals.check(lambda: validate_username(username), "")
        with self.write("该用户名已存在。", "username") as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise ValidationError("系统已初始化，请由系统管理员创建账户。", field="username")
            policy = read_settings(session).policy
            refusals.check(lambda: policy.check(password, name), None)
            refusals.raise_any()
            actor = system_actor(self.db.workstation, "init")
            departments = json.loads((db_dir() / "seed" / "departments.json").read_text(encoding="utf-8"))
            for order, dept_name in enumerate(departments["departments"]):
                if session.scalar(select(Department.id).where(Department.name == dept_name)) is None:
                    session.add(Department(name=dept_name, sort_order=order, updated_by=actor.username))
            user = User(
                username=name,
                display_name=display_name.strip() or "系统管理员",
                password_hash=hash_password(password),
                updated_by=actor.username,
            )
            user.roles = [UserRole(role=Role.SYSTEM_ADMIN.value)]
            session.add(user)
            if demo:
                session.add(AppMeta(key=DEMO_CENTER, value=self.db.now().isoformat()))
            session.flush()
            self.audit(
                session,
                actor,
                "init.first_admin",
                "user",
                user.id,
                {"username": name, "departments": departments["departments"]},
            )
            return current_user_of(user, self.db.workstation)

    # -- signing in -------------------------------------------------------------------------
    # A refused attempt still commits its audit entry and failure count: the helpers below return
    # the error to raise after the transaction, instead of raising inside it (which would roll back).
    #
    # Every refusal of a sign-in reads the same, whatever the reason (no such account, wrong
    # password, locked, disabled with a wrong password) and costs the same hash: the answer must not
    # tell whether an account name exists. What really happened is in the audit trail, and the
    # system admin sees a lock on the users page.
    def login(self, username: str, password: str) -> CurrentUser:
        name = normalize_username(username)
        if not name or not password:
            raise AuthenticationError("请输入用户名和密码。", field="username" if not name else "password")
        refusal: AuthenticationError | None = None
        with self.write() as session:
            policy = read_settings(session).policy
            user = session.scalar(select(User).where(User.username == name))
            if user is None:
                password_matches(_dummy_hash(), password)  # the same work as for a real account
                self._audit_sign_in(
                    session,
                    system_actor(self.db.workstation, "login"),
                    "login.failed",
                    "user",
                    "",
                    {"reason": "账户不存在"},
                )
                refusal = AuthenticationError(sign_in_refusal(policy), field="password")
            else:
                actor = current_user_of(user, self.db.workstation)
                attempt = self._check_password(session, user, actor, password)
                if not attempt.ok:
                    refusal = AuthenticationError(sign_in_refusal(policy), field="password")
                elif not user.active:
                    # Only someone who knows the password learns that the account exists.
                    self._audit_sign_in(
                        session, actor, "login.failed", "user", user.id, {"reason": "账户已停用"}
                    )
                    refusal = AuthenticationError("该账户已停用，请联系系统管理员。")
                elif not user.roles:
                    # Every role it was given waits for a leader (or the audit admin): services/duties.
                    self._audit_sign_in(
                        session, actor, "login.failed", "user", user.id, {"reason": "角色待确认"}
                    )
                    refusal = AuthenticationError(
                        "该账户的角色尚待确认（业务角色由中心领导确认），确认后方可登录。"
                    )
                else:
                    refusal = self._signed_in(session, user, actor, password)
        if refusal is not None:
            raise refusal
        return actor

    def _signed_in(
        self, session: Session, user: User, actor: CurrentUser, password: str
    ) -> AuthenticationError | None:
        # Bookkeeping, not an edit: a plain UPDATE leaves ``version`` alone, so an admin who has
        # this account open elsewhere is not told someone changed it. A sign-in held up by a forced
        # password change is not one yet: ``last_login_at`` stays empty until the account has
        # signed in with a password of its own choosing.
        bookkeeping: dict[str, object] = {}
        if not user.must_change_password:
            bookkeeping["last_login_at"] = self.db.now()
        if HASHER.check_needs_rehash(user.password_hash):
            bookkeeping["password_hash"] = hash_password(password)
        if bookkeeping:
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(**bookkeeping)
                .execution_options(synchronize_session="fetch")
            )
        if user.must_change_password:
            first = user.last_login_at is None
            self._audit_sign_in(
                session,
                actor,
                "login.password_change_required",
                "user",
                user.id,
                {"reason": "首次登录" if first else "密码已被重置"},
            )
            refusal: AuthenticationError | None = PasswordChangeRequired(
                FIRST_SIGN_IN if first else PASSWORD_RESET
            )
        else:
            self._audit_sign_in(session, actor, "login", "user", user.id, {"roles": sorted(actor.roles)})
            refusal = None
        damage = session.info.get(_DAMAGE)
        # On a damaged chain only the audit admin gets in: to verify, and to record the break.
        # Everyone else is told whom to call.
        if damage is not None and Role.AUDIT_ADMIN not in actor.roles:
            return damage
        return refusal

    def _audit_sign_in(
        self,
        session: Session,
        actor: CurrentUser,
        action: str,
        object_type: str = "",
        object_id: str | int = "",
        summary: dict[str, object] | None = None,
    ) -> None:
        """The entry of a sign-in, a failure, a lock or a sign-out. On a damaged chain it cannot be
        appended: the log file keeps it, the transaction goes on (failure counts and lockout still
        hold) and the caller decides whether the sign-in stands."""
        try:
            self.audit(session, actor, action, object_type, object_id, summary)
        except AuditTrailDamaged as damage:
            session.info[_DAMAGE] = damage
            log.warning("audit trail damaged: %s of %s kept in this log only", action, actor.username)

    def _check_password(self, session: Session, user: User, actor: CurrentUser, password: str) -> Attempt:
        """Lockout and password check shared by login, screen unlock and password change.

        The attempt is counted *before* the password is checked, in one UPDATE that also tests the
        lock: that statement takes the account's row (a row lock on PostgreSQL until the commit,
        the write lock on SQLite), so parallel guesses from any number of workstations queue
        behind each other and each one sees the count and lock the previous ones left. At most
        ``max_failed_logins`` passwords are checked before the lock; a success clears the count."""
        now = self.db.now()
        policy = read_settings(session).policy
        claimed = session.execute(
            update(User)
            .where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins, User.password_hash)
            .execution_options(synchronize_session=False)
        ).first()
        if claimed is None:  # locked: no password is checked, but the same time is spent
            password_matches(_dummy_hash(), password)
            until = session.scalar(select(User.locked_until).where(User.id == user.id))
            self._audit_sign_in(session, actor, "login.refused_locked", "user", user.id)
            return Attempt(False, policy, locked_until=until)
        failures, stored_hash = int(claimed[0]), str(claimed[1])
        if password_matches(stored_hash, password):
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(failed_logins=0, locked_until=None)
                .execution_options(synchronize_session=False)
            )
            return Attempt(True, policy)
        self._audit_sign_in(
            session, actor, "login.failed", "user", user.id, {"reason": "密码错误", "count": failures}
        )
        if failures < policy.max_failed_logins:
            return Attempt(False, policy, failures=failures)
        locked_until = now + timedelta(minutes=policy.lockout_minutes)
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=locked_until)
            .execution_options(synchronize_session=False)
        )
        self._audit_sign_in(
            session, actor, "account.locked", "user", user.id, {"minutes": policy.lockout_minutes}
        )
        return Attempt(False, policy, failures=failures, locked_until=locked_until, locked_now=True)

    def unlock_screen(self, actor: CurrentUser, password: str) -> None:
        """Idle lock: the same checks as a login, so guessing here also locks the account.

        The account is known here (it is signed in), so the answer may say how many tries are left."""
        refusal: AuthenticationError | None = None
        with self.write() as session:
            user = session.get(User, actor.user_id)
            if user is None or not user.active:
                refusal = AuthenticationError("该账户已停用，请联系系统管理员。")
            else:
                attempt = self._check_password(session, user, actor, password)
                refusal = attempt.refusal("密码不正确。")
                if refusal is None:
                    self._audit_sign_in(session, actor, "session.unlocked", "user", user.id)
        if refusal is not None:
            raise refusal

    def record_screen_lock(self, actor: CurrentUser) -> None:
        with self.write() as session:
            self._audit_sign_in(session, actor, "session.locked", "user", actor.user_id or "")

    def logout(self, actor: CurrentUser) -> None:
        with self.write() as session:
            self._audit_sign_in(session, actor, "logout", "user", actor.user_id or "")

    # -- passwords --------------------------------------------------------------------------
    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The account's own change: needs the old password (also after an admin reset). Refused
        the same way for an unknown name as for a wrong password (see ``login``)."""
        name = normalize_username(username)
        refusal: AuthenticationError | None = None
        with self.write() as session:
            policy = read_settings(session).policy
            policy.check(new_password, name, "new_password", current=old_password)
            user = session.scalar(select(User).where(User.username == name))
            if user is None or not user.active:
                password_matches(_dummy_hash(), old_password)
                refusal = AuthenticationError(old_password_refusal(policy), field="old_password")
            else:
                actor = current_user_of(user, self.db.workstation)
                attempt = self._check_password(session, user, actor, old_password)
                if not attempt.ok:
                    refusal = AuthenticationError(old_password_refusal(policy), field="old_password")
                else:
                    user.password_hash = hash_password(new_password)
                    user.must_change_password = False
                    user.updated_by = name
                    user.updated_at = self.db.now()
                    if Role.AUDIT_ADMIN in actor.roles:
                        # The audit admin must get in on a damaged chain, also through a forced change.
                        self._audit_sign_in(session, actor, "password.changed", "user", user.id)
                    else:
                        self.audit(session, actor, "password.changed", "user", user.id)
        if refusal is not None:
            raise refusal


def center_name(session: Session) -> str:
    row = session.get(CenterSetting, "center_name")
    return str(json.loads(row.value)) if row else ""
