"""Backup files in the data folder: checked for room, written under a name of their own, one writer
at a time, rotated, and what a killed writer left behind removed at the next start.

Every program that writes into the backups folder holds its lock (``folder_lock``) while it writes,
so a ``*.partial`` file found there by a holder of the lock is a leftover (a kill, a power cut): no
other program can be writing it. A backup made elsewhere (``backup --to FILE``) is written under a
unique temporary name beside its target and removed if the copy fails; only a kill leaves one there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from desktop_app.domain.errors import DiskFull, DomainError

log = logging.getLogger(__name__)
T = TypeVar("T")

LOCK_NAME = ".backups.lock"
PARTIAL_SUFFIX = ".partial"
# What automatic_backup writes (a manual backup is "...-manual.sqlite3" or a name the admin chose).
AUTOMATIC_NAME = re.compile(r"integrity-desk-(\d{8})-\d{6}-(?!manual\.)(.+)\.sqlite3")
# Room asked for beyond the copy itself: the log, the journal of the copy, rounding by the file system.
SPACE_MARGIN = 1024 * 1024


@dataclass(frozen=True)
class BackupPolicy:
    """How many automatic backups are kept (settings.json: ``backups_daily_kept``,
    ``backups_monthly_kept``). Manual backups are never deleted."""

    daily_kept: int = 14  # the newest daily backups
    monthly_kept: int = 12  # the first daily backup of each of the newest months
    other_kept: int = 10  # safety copies: before an upgrade, a restore, a demo


class BackupBusy(DomainError):
    """Another program holds the backups folder longer than we can wait."""


# -- room --------------------------------------------------------------------------------------------
def free_space(folder: Path) -> int | None:
    """Free bytes on the file system of ``folder`` (or of its nearest existing parent)."""
    probe = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if probe is None:
        return None
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None  # a file system that will not say: the write itself will tell


def ensure_free_space(folder: Path, needed: int) -> None:
    """Refuse before writing when ``needed`` bytes will not fit in ``folder``."""
    available = free_space(folder)
    if available is not None and available < needed:
        raise DiskFull(needed, available, folder)


# An import grows a SQLite database (and its write-ahead log, until checkpointed) by up to this many
# times the imported file's size: search keys, the audit entry, indexes; an .xlsx is compressed.
IMPORT_GROWTH = 30


def ensure_room_for_import(url: str, source: Path) -> None:
    """Refuse an import into a SQLite database whose disk cannot take it; a server's disk is the
    server's (PostgreSQL refuses the transaction itself, and nothing is imported)."""
    from desktop_app.store.migrate import sqlite_path

    path = sqlite_path(url)
    if path is None:
        return
    try:
        size = source.stat().st_size
    except OSError:
        return  # the import says why it cannot read the file
    ensure_free_space(path.parent, size * IMPORT_GROWTH + SPACE_MARGIN)


def sqlite_size(path: Path) -> int:
    """What a copy of the database takes: its file and the write-ahead log not yet checkpointed."""
    total = 0
    for suffix in ("", "-wal"):
        with suppress(OSError):
            total += Path(f"{path}{suffix}").stat().st_size
    return total


# -- one writer at a time ----------------------------------------------------------------------------
def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def file_lock(path: Path, wait: float = 120.0, busy: str = "") -> Iterator[bool]:
    """Hold an OS lock on the file ``path`` (released by the OS if the holder dies). Yields True once
    held; with ``wait`` 0, yields False at once when another program holds it; else raises
    ``BackupBusy(busy)`` after ``wait`` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        held = _try_lock(fd)
        while not held and time.monotonic() < deadline:
            time.sleep(0.05)
            held = _try_lock(fd)
        if not held and wait > 0:
            raise BackupBusy(busy or f"文件 {path} 被另一个程序占用，请稍后再试。")
        try:
            yield held
        finally:
            if held:
                _unlock(fd)
    finally:
        os.close(fd)


def folder_lock(folder: Path, wait: float = 120.0) -> contextlib.AbstractContextManager[bool]:
    """The backups folder's lock: whoever writes into the folder holds it."""
    return file_lock(
        folder / LOCK_NAME,
        wait,
        f"另一个程序正在写备份文件夹 {folder}，等待 {wait:.0f} 秒后仍未完成，请稍后再试。",
    )


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files of writers that died, if nobody is writing now (else next time)."""
    if not folder.is_dir() or not any(folder.glob(f"*{PARTIAL_SUFFIX}")):
        return []
    removed: list[Path] = []
    try:
        with folder_lock(folder, wait=0) as held:
            if not held:
                return []
            for leftover in folder.glob(f"*{PARTIAL_SUFFIX}"):
                with suppress(OSError):
                    leftover.unlink()
                    removed.append(leftover)
    except OSError as error:  # a folder we may not write: the start goes on, the next one tries again
        log.warning("could not clean the backups folder: %s", type(error).__name__)
        return []
    if removed:
        log.warning("removed %d unfinished backup file(s) left by an interrupted program", len(removed))
    return removed


# -- writing -----------------------------------------------------------------------------------------
def temporary_name(destination: Path) -> Path:
    """A name no other writer uses: concurrent backups to one target never share a temporary file."""
    return destination.with_name(f"{destination.name}.{os.getpid()}-{secrets.token_hex(4)}{PARTIAL_SUFFIX}")


def copy_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy through SQLite's backup API (safe while other connections write), under a
    temporary name renamed into place when complete; nothing is left behind when it fails."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    ensure_free_space(destination.parent, sqlite_size(source) + SPACE_MARGIN)
    tmp = temporary_name(destination)
    try:
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                record_in_copy(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        private_file(tmp)
        os.replace(tmp, destination)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        Path(f"{tmp}-journal").unlink(missing_ok=True)
        raise
    return destination


def record_in_copy(copy: sqlite3.Connection) -> None:
    """What every SQLite backup the program writes records about itself beyond the copied data,
    written into the copy before it takes its final name (a backup has it, or does not exist).

    The one place for it: every backup (daily, before an upgrade or a restore, manual) passes here.
    Nothing yet; the audit chain's witness (the highest sequence and hash seen) is meant to go here."""
    del copy


def private_file(path: Path) -> None:
    """Owner-only on POSIX (a backup holds the same data as the database). Best effort: a file of
    another owner stays as it is."""
    if os.name == "nt":
        return
    with suppress(OSError):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


def backup_name(now: datetime, reason: str) -> str:
    # Named in the hall's local time (a naive ``now`` is taken as local), like the day it belongs to.
    return f"integrity-desk-{now.astimezone():%Y%m%d-%H%M%S}-{reason}.sqlite3"


def daily_backup_due(backups: Path, now: datetime) -> bool:
    """No backup yet on this day of the hall (its local date: a UTC day starts at 08:00 in China)."""
    return not any(backups.glob(f"integrity-desk-{now.astimezone():%Y%m%d}-*.sqlite3"))


# -- rotation ----------------------------------------------------------------------------------------
def newest(items: list[T], count: int) -> list[T]:
    """The last ``count`` items of a sorted list (none for a count of 0 or less)."""
    return items[max(0, len(items) - count) :] if count > 0 else []


def to_rotate(names: list[str], policy: BackupPolicy) -> list[str]:
    """Of the automatic backups named, those the policy no longer keeps (manual ones never)."""
    daily: list[tuple[str, str]] = []  # (name, yyyymm)
    other: list[str] = []
    for name in sorted(names):
        match = AUTOMATIC_NAME.fullmatch(name)
        if match is None:
            continue
        if match.group(2) == "daily":
            daily.append((name, match.group(1)[:6]))
        else:
            other.append(name)
    keep = {name for name, _ in newest(daily, policy.daily_kept)}
    first_of_month: dict[str, str] = {}
    for name, month in daily:
        first_of_month.setdefault(month, name)
    months = sorted(first_of_month)
    keep |= {first_of_month[m] for m in newest(months, policy.monthly_kept)}
    keep |= set(newest(other, policy.other_kept))
    return [name for name, _ in daily if name not in keep] + [name for name in other if name not in keep]


def rotate(backups: Path, policy: BackupPolicy) -> list[Path]:
    """Delete the automatic backups the policy no longer keeps (the caller holds the folder lock)."""
    names = [p.name for p in backups.glob("integrity-desk-*.sqlite3")]
    removed = []
    for name in to_rotate(names, policy):
        with suppress(OSError):
            (backups / name).unlink()
            removed.append(backups / name)
    if removed:
        log.info("rotated %d old automatic backup(s)", len(removed))
    return removed
