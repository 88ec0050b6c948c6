"""Writing a PDF so that a crash or a full disk never leaves a half-written file behind."""

from __future__ import annotations

import glob
import os
import secrets
import time
from pathlib import Path

# No save of a notice takes this long: an older temporary file beside the target was left by a save
# that was killed (power cut, task manager) before it could clean up after itself.
STALE_PARTIAL_SECONDS = 3600


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it into place: the
    reader sees either the old file or the new one, never a truncated one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        # Make the rename itself durable (POSIX); Windows has no directory handles to sync. Best
        # effort: some file systems (network shares) refuse it, and the file is in place already.
        try:
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass
    return path


def _remove_stale_partials(path: Path) -> None:
    """Remove what a killed save of ``path`` left behind (a save that fails cleanly removes its own)."""
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.{'[0-9a-f]' * 8}.partial"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass  # removed by another save meanwhile, or not ours to remove: never fail a save over it
