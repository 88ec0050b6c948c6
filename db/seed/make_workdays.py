"""Writes ``workdays.json``: the days off and make-up workdays of 2025 and 2026, the seed of the
working-day calendar (migration 0012).

Made once, on 2026-12-06, from the ``chinesecalendar`` package 1.11.0 (the State Council's notices
as that package transcribes them), which the application does not depend on: the table in the
database is the truth, edited and imported by the system admin, and
``tests/services/test_workdays_service.py`` checks the 2026 rows against DOMAIN.md §5. To run it
again (a later year the package knows, say), outside the application's environment:

    pip download chinesecalendar --no-deps -d /tmp/cc
    python -m venv /tmp/ccenv && /tmp/ccenv/bin/pip install /tmp/cc/*.whl
    /tmp/ccenv/bin/python db/seed/make_workdays.py 2025 2026

Weekends inside a holiday are listed as days off (as the notices list them); a make-up workday is a
weekend day worked. Names are the holidays' official Chinese names.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import chinese_calendar  # type: ignore[import-not-found]
from chinese_calendar import constants

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


def main(years: list[int]) -> None:
    days = []
    for kind, table in (("off", constants.holidays), ("work", constants.workdays)):
        for day, name in table.items():
            if day.year in years:
                days.append({"date": day.isoformat(), "kind": kind, "name": NAMES[name]})
    days.sort(key=lambda d: d["date"])
    seed = {
        "source": f"chinesecalendar {chinese_calendar.__version__}",
        "years": years,
        "days": days,
    }
    target = Path(__file__).with_name("workdays.json")
    # One day a line: a reviewer reads the file against the State Council's notice.
    lines = ",\n".join("  " + json.dumps(day, ensure_ascii=False) for day in days)
    head = json.dumps({k: v for k, v in seed.items() if k != "days"}, ensure_ascii=False)[:-1]
    target.write_text(f'{head}, "days": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"{len(days)} days of {years} written to {target}", file=sys.stderr)


if __name__ == "__main__":
    main([int(year) for year in sys.argv[1:]] or [2025, 2026])
