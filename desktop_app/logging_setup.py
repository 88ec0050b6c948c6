"""Rotating log file in the data folder. Personal data never reaches it: services log identifiers
and counts, never values, and this filter masks anything that still looks like an ID or phone number."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from io import TextIOWrapper
from pathlib import Path

_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
# After a non-digit, or right after the country code (+86 / 0086 written without a space).
_MOBILE = re.compile(r"(?:(?<!\d)|(?<=86))(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def scrub(text: str) -> str:
    text = _ID_NUMBER.sub(r"\1********\2", text)
    return _MOBILE.sub(r"\1****\2", text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class ScrubbingFormatter(logging.Formatter):
    """Tracebacks carry local values in their text (exception messages); scrub those too."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class QuietFileHandler(logging.FileHandler):
    """The log file, rotated by size as ``logging.handlers.RotatingFileHandler`` does (the same
    rule and names: ``x.log.1`` … ``x.log.N``), whose own failures (a full disk, a folder made
    read-only) are never shown to the user as Python's "--- Logging error ---" traceback: the record
    is dropped and ``failed`` says so, for the program to mention once in its own words.

    Not built on ``logging.handlers``: that module brings ``socket``, ``pickle`` and ``queue`` with
    it, which cost the login window ~10 ms before its first paint and which the log never uses."""

    failed: OSError | None = None

    def __init__(
        self,
        filename: Path,
        max_bytes: int,
        backup_count: int,
        encoding: str | None = None,
        delay: bool = False,
    ) -> None:
        super().__init__(filename, mode="a", encoding=encoding, delay=delay)
        self.max_bytes = max_bytes
        self.backup_count = backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.should_roll_over(record):
                self.roll_over()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def should_roll_over(self, record: logging.LogRecord) -> bool:
        """Whether writing ``record`` would take the file to ``max_bytes`` (only a regular file is
        ever rotated)."""
        if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:  # delay: opened at the first record
            self.stream = self._open()
        stream = self.stream
        if self.max_bytes <= 0:
            return False
        message = f"{self.format(record)}\n"
        stream.seek(0, 2)  # the end, also where Windows does not keep the append position
        return stream.tell() + len(message) >= self.max_bytes

    def roll_over(self) -> None:
        """x.log.N-1 → x.log.N, …, x.log → x.log.1; the oldest goes."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.backup_count > 0:
            for index in range(self.backup_count - 1, 0, -1):
                older = f"{self.baseFilename}.{index}"
                newer = f"{self.baseFilename}.{index + 1}"
                if os.path.exists(older):
                    if os.path.exists(newer):
                        os.remove(newer)
                    os.rename(older, newer)
            first = f"{self.baseFilename}.1"
            if os.path.exists(first):
                os.remove(first)
            if os.path.exists(self.baseFilename):
                os.rename(self.baseFilename, first)
        if not self.delay:
            self.stream = self._open()

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        with contextlib.suppress(OSError):
            private(Path(self.baseFilename))
        return stream

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        self.failed = error if isinstance(error, OSError) else OSError(str(error))
        # A stream left half-written or closed by the failure: reopen at the next record.
        try:
            if self.stream is not None:
                self.stream.close()
        except OSError:
            pass
        self.stream = None


def configure(log_file: Path, level: int = logging.INFO) -> logging.Handler:
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        private(log_file.parent)
    except OSError:
        pass  # the handler fails quietly at its first record, and says so through ``failed``
    # delay: opened at the first record, so a file that cannot be opened is a handled failure too.
    handler = QuietFileHandler(log_file, max_bytes=2_000_000, backup_count=5, encoding="utf-8", delay=True)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, QuietFileHandler):
            root.removeHandler(existing)
            existing.close()
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def private(path: Path) -> None:
    """Owner-only on POSIX: the log names accounts and workstations."""
    if os.name != "nt":
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def log_failure(handler: logging.Handler) -> OSError | None:
    """Why the log file could not be written during the run, if it could not."""
    return getattr(handler, "failed", None)
