"""Faults of the machine, as the command line meets them: a full disk (simulated, and real on a small
tmpfs where one can be mounted), a log file that cannot be written, a data folder readable by other
users, a key file others can read. Each gets an exit code that says what happened and a line of
Chinese, never a Python traceback."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
import subprocess
import uuid
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app import paths
from desktop_app.cli import EXIT_OK, EXIT_REFUSED
from desktop_app.cli.common import EXIT_DISK_FULL
from desktop_app.logging_setup import QuietFileHandler
from desktop_app.services.audit_log import AuditLogService
from desktop_app.store import backup_files

ROOT_PASSWORD = "Boss#2026pw"
USER_PASSWORD = "Staff#2026pw"
Usage = namedtuple("Usage", "total used free")
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions (Windows is left as it is)")


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and "Logging error" not in text, text


def subjects_csv(folder: Path, rows: int = 3) -> Path:
    from tests.builders import company_code

    lines = ["主体类型,名称,统一社会信用代码,身份证号,曾用名,法定代表人,联系电话,校验例外说明"]
    lines += [f"投标人,故障测试第{i}号建设有限公司,{company_code(900 + i)},,,张三,," for i in range(rows)]
    path = folder / "subjects.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system says 64 KB are free (shutil.disk_usage, which the checks ask)."""
    monkeypatch.setattr(backup_files.shutil, "disk_usage", lambda path: Usage(10**9, 10**9, 65536))


def leftovers(home: Path) -> list[str]:
    return [p.name for p in home.rglob("*.partial")]


# -- a full disk, simulated ----------------------------------------------------------------------------
def test_backup_on_a_full_disk_is_refused_before_writing(admin_cli, isolated_home, full_disk) -> None:
    def backups() -> list[str]:
        return sorted(p.name for p in isolated_home.backups.iterdir() if not p.name.startswith("."))

    before = backups()
    result = admin_cli("backup", user="root", password=ROOT_PASSWORD)
    assert result.code == EXIT_DISK_FULL, result.text
    assert "磁盘空间不足：需要" in result.err and "可用 64.0 KB" in result.err
    no_traceback(result.text)
    assert backups() == before
    assert leftovers(isolated_home.home) == []


def test_import_on_a_full_disk_is_refused_and_imports_nothing(admin_cli, isolated_home, tmp_path) -> None:
    assert admin_cli.add_user("boss", "leader").code == 0
    source = subjects_csv(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backup_files.shutil, "disk_usage", lambda path: Usage(10**9, 10**9, 65536))
        result = admin_cli("import", "subjects", str(source), user="boss", password=USER_PASSWORD)
    assert result.code == EXIT_DISK_FULL, result.text
    assert "磁盘空间不足：需要" in result.err
    no_traceback(result.text)
    conn = sqlite3.connect(isolated_home.database)
    assert conn.execute("SELECT count(*) FROM credit_subjects").fetchone() == (0,)
    conn.close()
    # With room again, the same file imports.
    again = admin_cli("import", "subjects", str(source), user="boss", password=USER_PASSWORD)
    assert again.code == EXIT_OK, again.text


def test_a_disk_filling_inside_a_command_has_its_own_exit_code(
    admin_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not 1 (the code of a broken audit chain), not 70 (a bug): 5, with a line saying so."""
    from sqlalchemy.exc import OperationalError

    assert admin_cli.add_user("checker", "audit-admin").code == 0

    def full(self: object, actor: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(AuditLogService, "verify", full)
    result = admin_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert result.code == EXIT_DISK_FULL, result.text
    assert "磁盘空间不足" in result.err
    no_traceback(result.text)


def test_the_compulsory_daily_backup_failing_does_not_stop_the_program(
    admin_cli, isolated_home, full_disk
) -> None:
    for made in isolated_home.backups.glob("integrity-desk-*"):
        made.unlink()  # a day without a backup yet
    assert admin_cli.add_user("checker", "audit-admin").code == 0
    result = admin_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert result.code == EXIT_OK, result.text
    assert "警告：今日自动备份未能完成（磁盘空间不足" in result.err
    no_traceback(result.text)
    assert not list(isolated_home.backups.glob("integrity-desk-*")), "a partial backup took the space"


def test_a_log_file_that_cannot_be_written_shows_no_traceback(
    admin_cli, isolated_home, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, record: object) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(QuietFileHandler, "should_roll_over", full)
    assert admin_cli.add_user("checker", "audit-admin").code == 0
    result = admin_cli("audit", "verify", user="checker", password=USER_PASSWORD)
    assert result.code == EXIT_OK, result.text
    no_traceback(result.text)
    assert f"警告：日志文件 {isolated_home.log_file} 未能写入（磁盘空间不足）" in result.err


# -- a full disk, for real -----------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs. Skipped only where mounting is impossible (not root, no CAP_SYS_ADMIN, no mount)."""
    mount = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_disk(folder: Path, leave: int) -> Path:
    filler = folder / "filler.bin"
    free = shutil.disk_usage(folder).free
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def test_a_real_full_disk(cli, small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "hall"
    at = ["--home", str(home)]
    assert cli(*at, "init", "--admin", "root", "--name", "管理员", stdin=ROOT_PASSWORD + "\n").code == 0
    assert cli(*at, "user", "add", "boss", "--display-name", "领导", "--role", "leader",
               "--no-password-change", stdin=USER_PASSWORD + "\n", user="root", password=ROOT_PASSWORD).code == 0  # fmt: skip
    for made in (home / "backups").glob("integrity-desk-*"):
        made.unlink()
    filler = fill_disk(small_disk, leave=48 * 1024)

    backup = cli(*at, "backup", user="root", password=ROOT_PASSWORD)
    assert backup.code == EXIT_DISK_FULL, backup.text
    assert "磁盘空间不足：需要" in backup.err
    assert "警告：今日自动备份未能完成" in backup.err  # the start went on without its backup
    no_traceback(backup.text)
    assert leftovers(home) == []

    source = subjects_csv(tmp_path)
    imported = cli(*at, "import", "subjects", str(source), user="boss", password=USER_PASSWORD)
    assert imported.code == EXIT_DISK_FULL, imported.text
    no_traceback(imported.text)

    filler.unlink()
    again = cli(*at, "backup", user="root", password=ROOT_PASSWORD)
    assert again.code == EXIT_OK, again.text
    assert cli(*at, "import", "subjects", str(source), user="boss", password=USER_PASSWORD).code == EXIT_OK


# -- permissions ---------------------------------------------------------------------------------------
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_the_data_folder_is_private_to_its_owner(admin_cli, isolated_home) -> None:
    assert admin_cli("backup", user="root", password=ROOT_PASSWORD).code == EXIT_OK
    where = isolated_home
    for folder in (where.home, where.backups, where.logs, where.notices, where.default_key_file.parent):
        assert mode(folder) == 0o700, (folder, oct(mode(folder)))
    files = [where.database, where.log_file, where.default_key_file, *where.backups.glob("*.sqlite3")]
    assert len(files) > 3
    for file in files:
        assert mode(file) == 0o600, (file, oct(mode(file)))


@posix_only
def test_what_was_left_readable_before_is_made_private_at_start(admin_cli, isolated_home) -> None:
    where = isolated_home
    for folder in (where.home, where.backups, where.logs):
        folder.chmod(0o755)
    for file in (where.database, *where.backups.iterdir(), where.log_file):
        file.chmod(0o644)
    assert admin_cli.add_user("checker", "audit-admin").code == EXIT_OK
    for folder in (where.home, where.backups, where.logs):
        assert mode(folder) == 0o700, folder
    for file in (where.database, *where.backups.glob("*.sqlite3"), where.log_file):
        assert mode(file) == 0o600, file


@posix_only
@pytest.mark.parametrize("exposed", [0o644, 0o666, 0o640])
def test_a_key_file_others_can_read_is_refused_with_the_fix(admin_cli, isolated_home, exposed: int) -> None:
    key = isolated_home.default_key_file
    key.chmod(exposed)
    result = admin_cli("backup", user="root", password=ROOT_PASSWORD)
    assert result.code == EXIT_REFUSED, result.text
    assert f"chmod 600 {key}" in result.err
    assert f"{exposed:04o}" in result.err
    no_traceback(result.text)
    key.chmod(0o600)
    assert admin_cli("backup", user="root", password=ROOT_PASSWORD).code == EXIT_OK


def test_paths_make_private_leaves_other_files_of_a_chosen_folder_alone(tmp_path: Path) -> None:
    where = paths.Locations(tmp_path / "chosen")
    where.home.mkdir()
    theirs = where.home / "notes.txt"
    theirs.write_text("not ours")
    theirs.chmod(0o644)
    where.ensure()
    assert mode(theirs) == 0o644
