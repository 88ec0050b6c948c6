"""The instant the suite runs at: every test starts with ``desktop_app.clock`` there (tests/conftest.py).

INTEGRITY_DESK_TEST_NOW chooses another one, with its UTC offset
(``INTEGRITY_DESK_TEST_NOW=2026-12-31T23:59:59+08:00``); local dates are the hall's (Asia/Shanghai).
Module-level test data computed at import, before any fixture runs, reads ``suite_today()``.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

NOW_ENV = "INTEGRITY_DESK_TEST_NOW"
HALL_ZONE = "Asia/Shanghai"
# A Wednesday morning in the hall: a working day, well inside a year.
DEFAULT_NOW = "2026-11-18T10:30:00+08:00"


def suite_now() -> datetime:
    """The instant every test starts at (aware)."""
    value = os.environ.get(NOW_ENV) or DEFAULT_NOW
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise RuntimeError(f"{NOW_ENV}={value!r} needs a UTC offset, for example +08:00")
    return moment


def suite_today() -> date:
    """The hall's date at suite_now()."""
    return suite_now().astimezone(ZoneInfo(HALL_ZONE)).date()
