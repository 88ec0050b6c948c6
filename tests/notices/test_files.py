"""write_atomic: an interrupted save leaves the old file or the new one, never a truncated one, and no
temporary .partial file behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.notices import files
from desktop_app.notices.files import write_atomic

OLD = b"%PDF-1.4 old notice\n" * 1000
NEW = b"%PDF-1.4 new notice\n" * 5000


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path):
    target = tmp_path / "sub" / "dir" / "通知.pdf"
    assert write_atomic(target, OLD) == target
    assert target.read_bytes() == OLD
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert leftovers(target.parent) == []


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_save_interrupted_midway_keeps_the_old_file(tmp_path, monkeypatch, where, error):
    target = tmp_path / "回执.pdf"
    write_atomic(target, OLD)

    class HalfWriter:
        """The file object of the save: writes half of the data, then fails."""

        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise error

        def __getattr__(self, name):
            return getattr(self.handle, name)

    def fail(*args, **kwargs):
        raise error

    if where == "write":
        real_open = open
        monkeypatch.setattr("builtins.open", lambda *a, **k: HalfWriter(real_open(*a, **k)))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    else:
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(error)):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_file_system_that_cannot_sync_folders_still_saves(tmp_path, monkeypatch):
    """The rename is done: a folder that refuses fsync (some network shares) is no failed save."""
    real_open = os.open

    def no_directory_handles(path, flags, *args):
        if flags & getattr(os, "O_DIRECTORY", 0):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_directory_handles)
    target = tmp_path / "a.pdf"
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW


CHILD = """
import os, sys, time
from pathlib import Path
from desktop_app.notices import files

real_fsync = os.fsync
def fsync_then_hang(fd):
    real_fsync(fd)
    print("written", flush=True)  # the data is in the temporary file, not yet renamed
    time.sleep(60)
os.fsync = fsync_then_hang
files.write_atomic(Path(sys.argv[1]), b"N" * (int(sys.argv[2])))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX")
def test_a_killed_save_never_truncates_and_its_leftover_is_swept(tmp_path):
    target = tmp_path / "报表.pdf"
    write_atomic(target, OLD)
    size = 64 * 1024 * 1024
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), str(size)], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "written"
        finally:
            child.kill()  # SIGKILL: no handler, no finally, no clean-up in the child
            child.wait(timeout=30)
    assert target.read_bytes() == OLD  # the old file, whole
    (leftover,) = leftovers(tmp_path)  # a kill cannot clean up after itself...
    assert (tmp_path / leftover).stat().st_size == size
    # ...so the next save of the same file removes it once it is clearly abandoned,
    stale = time.time() - files.STALE_PARTIAL_SECONDS - 60
    os.utime(tmp_path / leftover, (stale, stale))
    # but never a fresh one (another save may be writing it right now) or another file's.
    fresh = tmp_path / f".{target.name}.0123abcd.partial"
    fresh.write_bytes(b"in progress")
    other = tmp_path / ".其他.pdf.89abcdef.partial"
    other.write_bytes(b"x")
    os.utime(other, (stale, stale))
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert leftovers(tmp_path) == sorted([fresh.name, other.name])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX")
def test_killed_at_any_moment_the_file_is_old_or_new(tmp_path):
    """Kill saves of a large file at random moments: every time, the file is whole."""
    target = tmp_path / "big.pdf"
    old = b"O" * (8 * 1024 * 1024)
    new = b"N" * (8 * 1024 * 1024)
    write_atomic(target, old)
    code = (
        "import sys; from pathlib import Path; from desktop_app.notices.files import write_atomic;"
        "print('go', flush=True); write_atomic(Path(sys.argv[1]), b'N' * (8 * 1024 * 1024))"
    )
    outcomes = set()
    for delay in (0.0, 0.005, 0.01, 0.02, 0.05):
        with subprocess.Popen(
            [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True
        ) as child:
            assert child.stdout is not None
            child.stdout.readline()
            time.sleep(delay)
            child.kill()
            child.wait(timeout=30)
        content = target.read_bytes()
        assert content in (old, new)
        outcomes.add(content == new)
        write_atomic(target, old)
    assert outcomes  # (which outcomes occur depends on the machine's speed)
