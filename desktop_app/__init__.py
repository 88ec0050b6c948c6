"""Integrity Desk (诚信服务台): the service-hall desktop application of a public resource trading center."""

from __future__ import annotations

import re
import sys
from pathlib import Path

APP_NAME = "IntegrityDesk"
DISPLAY_NAME = "诚信服务台"


def _read_version() -> str:
    # Frozen builds and source checkouts have pyproject.toml beside the package; an installed
    # distribution has metadata. pyproject wins so an editable install never shows a stale version.
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1)
    from importlib import metadata  # only for an installed wheel: it costs a cold start ~35 ms

    try:
        return metadata.version("integrity-desk")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> str:
    # Read on first use: a plain start of the GUI never needs it before the login window is up.
    if name == "__version__":
        version = _read_version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
