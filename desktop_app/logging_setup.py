"""Rotating log file in the data folder. Personal data never reaches it: services log identifiers
and counts, never values, and this filter masks anything that still looks like an ID or phone number."""

from __future__ import annotations

import logging
import logging.handlers
import re
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


def configure(log_file: Path, level: int = logging.INFO) -> logging.Handler:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
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
