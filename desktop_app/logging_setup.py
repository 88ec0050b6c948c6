"""Rotating log file in the data folder. Personal data never reaches it: services log identifiers
and counts, never values, and this filter masks anything that still looks like an ID or phone number."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path
from typing import TextIO

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


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file, whose own failures (a full disk, a folder made read-only) are never shown to the
    user as Python's "--- Logging error ---" traceback: the record is dropped and ``failed`` says so,
    for the program to mention once in its own words."""

    failed: OSError | None = None

    def _open(self) -> TextIO:
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
        self.stream = None  # type: ignore[assignment]


def configure(log_file: Path, level: int = logging.INFO) -> logging.Handler:
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        private(log_file.parent)
    except OSError:
        pass  # the handler fails quietly at its first record, and says so through ``failed``
    # delay: opened at the first record, so a file that cannot be opened is a handled failure too.
    handler = QuietFileHandler(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8", delay=True)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, logging.handlers.RotatingFileHandler):
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
