"""Sign-in under attack: parallel guessing from several workstations cannot get past the lockout,
and a refusal never tells whether an account name exists."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from conftest import DEFAULT_PASSWORD, make_user, open_test_database

from desktop_app import paths
from desktop_app.clock import SteppingClock
from desktop_app.domain.errors import AccountLocked, AuthenticationError, DomainError
from desktop_app.domain.roles import Role
from desktop_app.services import auth
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.store.database import Database
from desktop_app.store.models import User
from tests.builders import audit_actions

WRONG = "wrong-Password1"
POOLS = 6


@pytest.fixture
def workstations(database: Database, isolated_home: paths.Locations) -> Iterator[list[Services]]:
    """Six workstations: each its own Database, engine and connection pool on the same data."""
    opened = [open_test_database(database.url, isolated_home, f"ws-{i}") for i in range(POOLS)]
    yield [Services(db) for db in opened]
    for db in opened:
        db.dispose()


class HashCounter:
    """Counts the password checks made against one account's stored hash (the timing equaliser's
    dummy hash is not a password check), and says when ``threshold`` of them have finished."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, stored_hash: str, threshold: int) -> None:
        self.stored_hash = stored_hash
        self.threshold = threshold
        self.checked = 0
        self.dummies = 0
        self.reached = threading.Event()
        self._lock = threading.Lock()
        real: Callable[[str, str], bool] = auth.password_matches

        def counting(stored: str, password: str) -> bool:
            result = real(stored, password)
            with self._lock:
                if stored == self.stored_hash:
                    self.checked += 1
                    if self.checked >= self.threshold:
                        self.reached.set()
                else:
                    self.dummies += 1
            return result

        monkeypatch.setattr(auth, "password_matches", counting)


def stored_hash_of(services: Services, username: str) -> str:
    with services.db.session() as session:
        user = session.query(User).filter_by(username=username).one()
        return user.password_hash


def run_parallel(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job on its own thread; each result is the job's return value or the error it raised."""
    results: list[Any] = [None] * len(jobs)

    def runner(index: int, job: Callable[[], Any]) -> None:
        try:
            results[index] = job()
        except DomainError as exc:
            results[index] = exc

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a sign-in hung"
    return results


def test_parallel_guesses_from_six_pools_check_at_most_five_passwords(
    services: Services,
    admin: CurrentUser,
    workstations: list[Services],
    monkeypatch: pytest.MonkeyPatch,
    fixed_clock: SteppingClock,
) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    max_failed = services.center.get().policy.max_failed_logins
    assert max_failed == 5
    counter = HashCounter(monkeypatch, stored_hash_of(services, "clerk"), max_failed)
    start = threading.Barrier(30)

    def guess(index: int) -> Callable[[], Any]:
        def job() -> Any:
            start.wait()
            return workstations[index % POOLS].auth.login("clerk", WRONG)

        return job

    def right() -> Any:
        start.wait()
        # Still racing the 24 other guesses, but after five passwords have been checked.
        assert counter.reached.wait(timeout=60)
        return workstations[5].auth.login("clerk", DEFAULT_PASSWORD)

    results = run_parallel([guess(i) for i in range(29)] + [right])

    assert counter.checked == max_failed  # 29 wrong + 1 right, only five passwords ever checked
    assert all(isinstance(r, AuthenticationError) for r in results), results
    assert not isinstance(results[-1], CurrentUser)
    with services.db.session() as session:
        locked_until = session.query(User.locked_until).filter_by(username="clerk").scalar()
    assert locked_until is not None

    # Refused until the lock ends, then the right password signs in.
    with pytest.raises(AuthenticationError):
        workstations[0].auth.login("clerk", DEFAULT_PASSWORD)
    assert counter.checked == max_failed
    fixed_clock.advance(timedelta(minutes=30, seconds=1))
    assert workstations[0].auth.login("clerk", DEFAULT_PASSWORD).username == "clerk"
    assert counter.checked == max_failed + 1


def test_thirty_parallel_wrong_guesses_lock_once(
    services: Services,
    admin: CurrentUser,
    workstations: list[Services],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    counter = HashCounter(monkeypatch, stored_hash_of(services, "clerk"), 5)
    start = threading.Barrier(30)

    def guess(index: int) -> Callable[[], Any]:
        def job() -> Any:
            start.wait()
            return workstations[index % POOLS].auth.login("clerk", WRONG)

        return job

    results = run_parallel([guess(i) for i in range(30)])
    assert all(isinstance(r, AuthenticationError) for r in results)
    assert counter.checked == 5
    assert counter.dummies == 25  # the refused ones spent the same time as a check
    assert audit_actions(services.db).count("account.locked") == 1


def refusal_of(call: Callable[[], Any]) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        call()
    return caught.value


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(
    services: Services, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(services, admin, "clerk", Role.HALL_STAFF)
    counter = HashCounter(monkeypatch, stored_hash_of(services, "clerk"), 99)
    answers = []
    for _attempt in range(7):  # past the lock: a locked account answers the same as well
        real = refusal_of(lambda: services.auth.login("clerk", WRONG))
        unknown = refusal_of(lambda: services.auth.login("nobody", WRONG))
        assert (type(real), real.message, real.field) == (type(unknown), unknown.message, unknown.field)
        assert "再错" not in real.message
        answers.append(real.message)
    assert len(set(answers)) == 1
    assert not isinstance(refusal_of(lambda: services.auth.login("clerk", DEFAULT_PASSWORD)), AccountLocked)
    # The same work for each: one hash per attempt, real or dummy.
    assert counter.checked + counter.dummies == 7 * 2 + 1
    assert counter.checked == 5

    # Changing the password: the same answer for an unknown name and a wrong old password.
    real = refusal_of(lambda: services.auth.change_password("super1x", WRONG, "New#Password2026"))
    make_user(services, admin, "other", Role.HALL_STAFF)
    known = refusal_of(lambda: services.auth.change_password("other", WRONG, "New#Password2026"))
    assert (real.message, real.field) == (known.message, known.field)
