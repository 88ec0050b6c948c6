"""Start-up pieces of desktop_app.app: translations, font, crash handler, database problems, smoke test."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QMessageBox, QWidget
from sqlalchemy import create_engine, text

from desktop_app import app as app_module
from desktop_app import paths
from desktop_app.domain.errors import DomainError
from desktop_app.services.facade import Services
from desktop_app.settings import Settings
from desktop_app.ui.auth_dialogs import LoginDialog
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.shell import ShellContext

from .shell_support import press_enter

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"


class RecordedBoxes:
    """QMessageBox objects built with the constructor and exec()'d, recorded instead of shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, click_role: QMessageBox.ButtonRole | None = None):
        self.shown: list[tuple[str, str]] = []
        self.click_role = click_role

        def fake_exec(box: QMessageBox) -> int:
            self.shown.append((box.text(), box.informativeText()))
            for button in box.buttons():
                if self.click_role is not None and box.buttonRole(button) == self.click_role:
                    button.click()
                    break
            return 0

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)


# -- language and font ------------------------------------------------------------------------------
def test_chinese_by_default_and_english_after_switching_in_the_settings(
    qtbot: Any, qapp: QApplication, services: Services, shell_context: ShellContext
) -> None:
    where = shell_context.where
    try:
        assert Settings.load(where).language == "zh_CN"
        assert app_module.apply_language(qapp, Settings.load(where).language)
        login = LoginDialog(services, shell_context)
        qtbot.addWidget(login)
        assert login.windowTitle() == "登录 — 诚信服务台"
        assert login.save_button.text() == "登录"
        # Qt's own translation too: standard texts of Qt's dialogs speak Chinese.
        assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"

        dialog = SettingsDialog(shell_context)
        qtbot.addWidget(dialog)
        dialog.show()
        combo = dialog.findChild(QComboBox, "language")
        assert combo is not None and combo.currentText() == "简体中文"
        combo.setCurrentIndex(combo.findData("en"))
        press_enter(qtbot, combo)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert Settings.load(where).language == "en"

        assert not app_module.apply_language(qapp, Settings.load(where).language)
        english = LoginDialog(services, shell_context)
        qtbot.addWidget(english)
        assert english.windowTitle() == "Sign in — Integrity Desk"
        assert english.save_button.text() == "Sign in"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        app_module.apply_language(qapp, "en")


def test_the_bundled_font_comes_first_and_has_chinese(qapp: QApplication) -> None:
    family = app_module.install_font(qapp)
    assert family == "WenQuanYi Micro Hei"
    assert qapp.font().families()[0] == family
    assert len(qapp.font().families()) >= 2  # the system's fonts stay behind it
    metrics = QFontMetrics(QFont(family))
    assert all(metrics.inFontUcs4(ord(c)) for c in "诚信服务台投诉受理〔〕")


def test_a_refused_field_is_drawn_with_a_red_border(qtbot: Any, message_boxes: Any) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    form.setStyleSheet((ROOT / "resources" / "style.qss").read_text(encoding="utf-8"))
    edit = QLineEdit(form)
    edit.setObjectName("phone")
    edit.setGeometry(0, 0, 200, 30)
    form.resize(220, 40)
    form.show()
    qtbot.waitExposed(form)

    def border() -> QColor:
        return QColor(edit.grab().toImage().pixel(0, 15))

    assert border().red() < 200  # the ordinary grey-blue border
    show_field_error(form, DomainError("电话号码格式不正确", field="phone"))
    marked = border()
    assert (marked.red(), marked.green(), marked.blue()) == (0xC6, 0x28, 0x28)
    assert edit.toolTip() == "电话号码格式不正确"
    clear_field_errors(form)
    assert border().red() < 200


def test_every_visible_string_has_a_chinese_translation(tmp_path: Path) -> None:
    """lupdate over the sources again: every string must be in the .ts, translated, and in the .qm."""
    sys.path.insert(0, str(TRANSLATIONS))
    try:
        import update_translations as tool
    finally:
        sys.path.remove(str(TRANSLATIONS))
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [tool.tool("lupdate"), "-no-obsolete", "-locations", "none", *tool.sources(), "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    committed: dict[tuple[str, str], str] = {}
    for context in ET.parse(TRANSLATIONS / "integrity_desk_zh_CN.ts").getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") != "unfinished"
            # A plural (%n) message holds its text in <numerusform> elements.
            forms = (
                [f.text or "" for f in translation.findall("numerusform")] if translation is not None else []
            )
            text = (forms[0] if forms else translation.text or "") if done and translation is not None else ""
            committed[(context.findtext("name") or "", message.findtext("source") or "")] = text
    wanted = [
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(fresh).getroot().iter("context")
        for message in context.iter("message")
    ]
    assert len(wanted) > 100
    missing = [key for key in wanted if not committed.get(key, "").strip()]
    assert missing == []
    for context in ("Navigation", "MainWindow", "LoginDialog", "LockDialog", "App"):
        assert any(c == context for c, _ in wanted), context

    rebuilt = tmp_path / "rebuilt.qm"
    subprocess.run(
        [
            tool.tool("lrelease"),
            "-silent",
            str(TRANSLATIONS / "integrity_desk_zh_CN.ts"),
            "-qm",
            str(rebuilt),
        ],
        check=True,
    )
    assert rebuilt.read_bytes() == (TRANSLATIONS / "integrity_desk_zh_CN.qm").read_bytes(), (
        "the .qm is older than the .ts: run update_translations.py update"
    )


# -- crash handler ----------------------------------------------------------------------------------
def test_an_uncaught_error_is_logged_with_its_traceback_and_shown(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, isolated_home: paths.Locations
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    boxes = RecordedBoxes(monkeypatch)
    handler = app_module.ensure_logging(isolated_home.log_file)
    assert handler is not None
    try:
        app_module.install_crash_handler(isolated_home.log_file)
        try:
            raise ValueError("boom for 13812345678")
        except ValueError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    log = isolated_home.log_file.read_text(encoding="utf-8")
    assert "unhandled exception" in log
    assert "Traceback (most recent call last)" in log
    assert "ValueError: boom for 138****5678" in log  # personal data masked in the log
    assert "13812345678" not in log
    assert len(boxes.shown) == 1
    assert str(isolated_home.log_file) in boxes.shown[0][1]


# -- database problems ------------------------------------------------------------------------------
def make_newer_database(where: paths.Locations) -> None:
    app_module.open_configured(where, Settings(), f"sqlite:///{where.database.as_posix()}").dispose()
    engine = create_engine(f"sqlite:///{where.database.as_posix()}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()


def test_a_newer_database_is_refused_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, isolated_home: paths.Locations
) -> None:
    make_newer_database(isolated_home)
    boxes = RecordedBoxes(monkeypatch)
    assert app_module.open_database_interactively(isolated_home, Settings(), None) is None
    text_shown, details = boxes.shown[0]
    assert text_shown == "The database could not be opened."
    assert "更新版本" in details
    assert str(isolated_home.log_file) in details


def test_run_gui_exits_with_code_1_when_the_database_cannot_open(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, isolated_home: paths.Locations
) -> None:
    import PySide6.QtCore

    make_newer_database(isolated_home)
    RecordedBoxes(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(PySide6.QtCore, "qInstallMessageHandler", lambda handler: None)  # keep pytest-qt's
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert app_module.run_gui(isolated_home, Settings(language="en"), None, ["integrity-desk"]) == 1
    finally:
        qapp.setStyleSheet("")
        app_module.apply_language(qapp, "en")
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    assert "not opened" in isolated_home.log_file.read_text(encoding="utf-8")


def test_the_settings_dialog_can_fix_the_database_url(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication, isolated_home: paths.Locations
) -> None:
    make_newer_database(isolated_home)
    boxes = RecordedBoxes(monkeypatch, click_role=QMessageBox.ButtonRole.ActionRole)
    fixed = isolated_home.home / "other.sqlite3"

    def fill_in(dialog: SettingsDialog) -> int:
        dialog.db_url.setText(f"sqlite:///{fixed.as_posix()}")
        dialog.submit()
        return int(dialog.result())

    monkeypatch.setattr(SettingsDialog, "exec", fill_in)
    opened = app_module.open_database_interactively(isolated_home, Settings(), None)
    assert opened is not None
    database, settings, url = opened
    database.dispose()
    assert len(boxes.shown) == 1
    assert settings.db_url == url == f"sqlite:///{fixed.as_posix()}"
    assert Settings.load(isolated_home).db_url == url
    assert fixed.is_file()


def test_check_connection_inspects_sqlite_files_without_creating_them(isolated_home: paths.Locations) -> None:
    missing = isolated_home.home / "new" / "db.sqlite3"
    assert "does not exist yet" in app_module.check_connection(f"sqlite:///{missing.as_posix()}")
    assert not missing.exists()
    junk = isolated_home.home / "junk.sqlite3"
    junk.write_bytes(b"\0not sqlite" * 500)
    for url, words in (
        (f"sqlite:///{junk.as_posix()}", "not a sound SQLite database"),
        ("mysql://server/db", "Only SQLite and PostgreSQL"),
        ("::not a url::", "not a database URL"),
    ):
        with pytest.raises(DomainError, match=words) as refused:
            app_module.check_connection(url)
        assert refused.value.field == "db_url"


# -- smoke test -------------------------------------------------------------------------------------
def test_smoke_test_prints_ok_against_a_fresh_home(tmp_path: Path) -> None:
    home = tmp_path / "fresh-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTEGRITY_DESK_", "QT_QPA_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--home", str(home), "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok" in proc.stdout.split()
    engine = create_engine(f"sqlite:///{(home / 'integrity-desk.sqlite3').as_posix()}")
    try:
        with engine.connect() as conn:
            # The synthetic actor left no trace: no account, no audit entry.
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
    finally:
        engine.dispose()
    assert not (home / "ui-state.ini").exists()  # an offscreen size is never remembered
