"""Backups under concurrency, kills and time: unique temporary names, one daily backup taken once by
several programs starting together, leftovers of a killed backup removed at the next start, and
rotation keeping the newest daily and monthly backups."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import open_test_database

from desktop_app import paths
from desktop_app.store import backup_files, migrate
from desktop_app.store.backup_files import BackupPolicy, folder_lock, to_rotate

ROOT = Path(__file__).resolve().parents[2]


def fill(path: Path, megabytes: int) -> None:
    """Make the database big enough that a copy takes a while (overlapping copies really overlap)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS ballast (data BLOB)")
    conn.executemany("INSERT INTO ballast VALUES (randomblob(65536))", [()] * (megabytes * 16))
    conn.commit()
    conn.close()


def run_together(scripts: list[str], env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    start = time.time() + 2.0  # every process imports first, then all begin at the same instant
    children = [
        subprocess.Popen(
            [sys.executable, "-c", f"import time; time.sleep(max(0, {start} - time.time()))\n{script}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script in scripts
    ]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return results


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    return env


@pytest.fixture
def big_database(sqlite_url: str, isolated_home: paths.Locations) -> Path:
    open_test_database(sqlite_url, isolated_home).dispose()
    fill(isolated_home.database, 24)
    return isolated_home.database


def test_concurrent_starts_take_one_daily_backup_and_all_succeed(
    big_database: Path, isolated_home: paths.Locations
) -> None:
    """Issue 10 item 9: three programs starting on a day without a backup; each one's start must work
    and the day gets exactly one daily backup."""
    script = (
        "from desktop_app.store.migrate import open_database\n"
        f"db, report = open_database('sqlite:///{big_database.as_posix()}', "
        f"__import__('pathlib').Path(r'{isolated_home.default_key_file}'), "
        f"__import__('pathlib').Path(r'{isolated_home.backups}'), 'ws')\n"
        "db.dispose()\n"
        "print(report.backup.name if report.backup else '-', report.backup_problem)\n"
    )
    results = run_together([script] * 4, child_env())
    assert [r.returncode for r in results] == [0] * 4, [r.stderr[-800:] for r in results]
    daily = sorted(p.name for p in isolated_home.backups.glob("*-daily.sqlite3"))
    assert len(daily) == 1, daily
    assert sorted(r.stdout.split()[0] for r in results) == ["-", "-", "-", daily[0]]
    assert not list(isolated_home.backups.glob("*.partial"))


def test_concurrent_backups_to_one_name_never_break_each_other(
    big_database: Path, isolated_home: paths.Locations, tmp_path: Path
) -> None:
    """Backups to the same file at once: each writes its own temporary file; the last rename wins
    and what is there is a sound copy."""
    target = tmp_path / "shared" / "copy.sqlite3"
    script = (
        "from pathlib import Path\nfrom desktop_app.store.migrate import backup_sqlite\n"
        f"backup_sqlite(Path(r'{big_database}'), Path(r'{target}'))\n"
    )
    results = run_together([script] * 4, child_env())
    assert [r.returncode for r in results] == [0] * 4, [r.stderr[-800:] for r in results]
    check = sqlite3.connect(target)
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    check.close()
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_killed_backup_leaves_nothing_after_the_next_start(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    open_test_database(sqlite_url, isolated_home).dispose()
    backups = isolated_home.backups
    leftovers = [
        backups / "integrity-desk-20261201-083000-daily.sqlite3.4242-0badcafe.partial",
        backups / "integrity-desk-20261201-083000-daily.sqlite3.partial",  # the old fixed name
        backups / "integrity-desk-20261201-083000-manual.sqlite3.77-12345678.partial",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"\0" * 4096)
    kept = backups / "integrity-desk-20261130-083000-daily.sqlite3"
    kept.write_bytes(b"a finished backup")
    open_test_database(sqlite_url, isolated_home).dispose()
    assert sorted(p.name for p in backups.iterdir() if not p.name.startswith(".")) == [kept.name]


def test_leftovers_of_a_backup_in_progress_are_left_alone(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    open_test_database(sqlite_url, isolated_home).dispose()
    writing = isolated_home.backups / "integrity-desk-20261201-083000-daily.sqlite3.1-00000000.partial"
    with folder_lock(isolated_home.backups):  # another program is writing it right now
        writing.write_bytes(b"half")
        open_test_database(sqlite_url, isolated_home).dispose()
        assert writing.is_file()
    open_test_database(sqlite_url, isolated_home).dispose()
    assert not writing.exists()


def test_a_failed_copy_removes_its_temporary_file(
    sqlite_url: str, isolated_home: paths.Locations, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_test_database(sqlite_url, isolated_home).dispose()

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_files.os, "replace", full)
    with pytest.raises(OSError):
        migrate.backup_sqlite(isolated_home.database, tmp_path / "out" / "copy.sqlite3")
    assert list((tmp_path / "out").iterdir()) == []


def daily(day: datetime, at: str = "083000") -> str:
    return f"integrity-desk-{day:%Y%m%d}-{at}-daily.sqlite3"


def test_rotation_keeps_the_newest_days_and_the_first_of_the_newest_months() -> None:
    first = datetime(2026, 1, 1)
    names = [daily(first + timedelta(days=n)) for n in range(200)]  # 1 January to 19 July
    names += [
        "integrity-desk-20260301-090000-manual.sqlite3",
        "integrity-desk-20260302-090000-before-upgrade-0004.sqlite3",
        "my own copy.sqlite3",
    ]
    removed = set(to_rotate(names, BackupPolicy(daily_kept=7, monthly_kept=3, other_kept=1)))
    kept = sorted(set(names) - removed)
    assert kept == sorted(
        [daily(first + timedelta(days=n)) for n in range(193, 200)]  # 13 to 19 July
        + [daily(datetime(2026, m, 1)) for m in (5, 6, 7)]
        + [
            "integrity-desk-20260301-090000-manual.sqlite3",
            "integrity-desk-20260302-090000-before-upgrade-0004.sqlite3",
            "my own copy.sqlite3",
        ]
    )
    assert to_rotate(names[:3], BackupPolicy(daily_kept=5, monthly_kept=0)) == []


def test_daily_backups_over_months_stay_within_the_policy(
    sqlite_url: str, isolated_home: paths.Locations
) -> None:
    open_test_database(sqlite_url, isolated_home).dispose()
    policy = BackupPolicy(daily_kept=4, monthly_kept=2)
    start = datetime(2026, 9, 20, 9, 0).astimezone()
    for day in range(75):
        made = migrate.take_daily_backup(
            isolated_home.database, isolated_home.backups, start + timedelta(days=day), policy
        )
        assert made is not None
    names = sorted(p.name for p in isolated_home.backups.glob("*-daily.sqlite3"))
    assert names == [
        daily(datetime(2026, 11, 1), "090000"),
        daily(datetime(2026, 11, 30), "090000"),
        daily(datetime(2026, 12, 1), "090000"),
        daily(datetime(2026, 12, 2), "090000"),
        daily(datetime(2026, 12, 3), "090000"),
    ]
