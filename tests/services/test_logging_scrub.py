"""The log file never holds personal data: ID numbers and mobile numbers are masked, also inside an
exception's message and traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app import logging_setup
from desktop_app.logging_setup import scrub

ID_NUMBER = "440301199001011234"
ID_NUMBER_X = "11010519491231002X"
MOBILE = "13812345678"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"身份证 {ID_NUMBER} 不匹配", ID_NUMBER),
        (f"id={ID_NUMBER_X}", ID_NUMBER_X),
        (f"id={ID_NUMBER_X.lower()}", ID_NUMBER_X.lower()),
        (f"电话{MOBILE}。", MOBILE),
        (f"tel:{MOBILE},", MOBILE),
        (f"+86{MOBILE}", MOBILE),
        (f"0086{MOBILE}", MOBILE),
        (f"+86 {MOBILE}", MOBILE),
    ],
)
def test_scrub_masks_personal_numbers(text: str, hidden: str) -> None:
    cleaned = scrub(text)
    assert hidden not in cleaned
    assert hidden[:3] in cleaned and hidden[-4:] in cleaned  # still recognisable for support


def test_scrub_forms() -> None:
    assert scrub(ID_NUMBER) == "440301********1234"
    assert scrub(MOBILE) == "138****5678"


@pytest.mark.parametrize(
    "text",
    [
        "seq 12345 of 67890",
        "order 1234567890123",  # 13 digits: neither an ID nor a mobile
        "12812345678",  # no mobile starts with 12
        "2026-11-27 10:00:00",
    ],
)
def test_scrub_leaves_other_numbers(text: str) -> None:
    assert scrub(text) == text


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = tmp_path / "logs" / "integrity-desk.log"
    handler = logging_setup.configure(path)
    yield path
    root.removeHandler(handler)
    handler.close()
    root.setLevel(level)


def test_exception_messages_are_scrubbed_in_the_log_file(log_file: Path) -> None:
    log = logging.getLogger("desktop_app.test")
    try:
        raise ValueError(f"身份证号 {ID_NUMBER} 校验失败，联系电话 {MOBILE}")
    except ValueError:
        log.exception("保存人员 %s 失败", ID_NUMBER_X)
    log.info("来电 %s", f"+86{MOBILE}")
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    assert "ValueError" in written and "校验失败" in written and "Traceback" in written
    for secret in (ID_NUMBER, ID_NUMBER_X, MOBILE):
        assert secret not in written, secret
    assert "440301********1234" in written and "138****5678" in written


def test_configure_replaces_its_own_handler(log_file: Path, tmp_path: Path) -> None:
    second = logging_setup.configure(tmp_path / "other" / "x.log")
    try:
        files = [h for h in logging.getLogger().handlers if isinstance(h, logging_setup.QuietFileHandler)]
        assert files == [second]
    finally:
        logging.getLogger().removeHandler(second)
        second.close()


def test_the_log_file_rotates_by_size_keeping_the_newest_files(tmp_path: Path) -> None:
    """As logging.handlers.RotatingFileHandler: x.log grows to the limit, then becomes x.log.1 (the
    older ones move up one), and no more than ``backup_count`` old files are kept."""
    folder = tmp_path / "logs"
    folder.mkdir()
    path = folder / "x.log"
    handler = logging_setup.QuietFileHandler(
        path, max_bytes=100, backup_count=2, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("desktop_app.test.rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        assert not path.exists()  # delay: opened at the first record
        for index in range(8):
            log.warning("line %d %s", index, "x" * 40)  # 48 bytes a line: two lines to a file
    finally:
        log.removeHandler(handler)
        log.propagate = True
        handler.close()
    assert sorted(p.name for p in folder.iterdir()) == ["x.log", "x.log.1", "x.log.2"]
    assert all(p.stat().st_size <= 100 for p in folder.iterdir())
    assert path.read_text(encoding="utf-8").startswith("line 6 ")
    assert (folder / "x.log.1").read_text(encoding="utf-8").startswith("line 4 ")
    assert (folder / "x.log.2").read_text(encoding="utf-8").startswith("line 2 ")
    assert handler.failed is None
