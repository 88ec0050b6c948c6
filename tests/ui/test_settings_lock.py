"""Tools → Settings: the database, the workstation name and the key file are the system
administrator's. A clerk changes the language only; on the database-problem path (nobody signed
in) the workstation's admin password unlocks the rest, and a workstation without one says so."""

from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.domain.roles import Role
from desktop_app.services.auth import hash_password, password_matches
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.settings import Settings
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.shell import ShellContext

from .shell_support import field_error, press_enter, type_text

pytestmark = pytest.mark.usefixtures("message_boxes")

DATABASE_FIELDS = ("db_url", "workstation", "key_file")
ADMIN_FIELDS = (*DATABASE_FIELDS, "new_admin_password", "repeat_admin_password")
STATION_PASSWORD = "Station#2026"


def visible_fields(dialog: SettingsDialog) -> set[str]:
    names = ("language", "unlock_password", *ADMIN_FIELDS)
    return {name for name in names if (found := dialog.findChild(QWidget, name)) and found.isVisible()}


def saved_before(context: ShellContext, **values: Any) -> Settings:
    settings = dataclasses.replace(
        Settings(), db_url="sqlite:////srv/hall.sqlite3", workstation="前台1号", **values
    )
    settings.save(context.where)
    return settings


def settings_of(qtbot: Any, services: Services, actor: CurrentUser, context: ShellContext) -> SettingsDialog:
    window = MainWindow(services, actor, context)
    qtbot.addWidget(window)
    window.show()
    dialog = window.open_settings()
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    return dialog


def test_a_clerk_changes_the_language_only(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext, core: ModuleType
) -> None:
    before = saved_before(shell_context)
    clerk = core.make_user(services, admin, "clerk", Role.HALL_STAFF)
    dialog = settings_of(qtbot, services, clerk, shell_context)
    assert visible_fields(dialog) == {"language"}
    note = dialog.findChild(QLabel, "admin_settings_note")
    assert note.isVisible() and "system administrator" in note.text()
    dialog.db_url.setText("sqlite:////tmp/elsewhere.sqlite3")  # hidden: not saved even if set
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    press_enter(qtbot, dialog.language)
    assert not dialog.isVisible()
    after = Settings.load(shell_context.where)
    assert after.language == "en"
    assert (after.db_url, after.workstation) == (before.db_url, before.workstation)


def test_the_system_administrator_changes_everything_and_sets_the_workstation_password(
    qtbot: Any, services: Services, admin: CurrentUser, shell_context: ShellContext
) -> None:
    saved_before(shell_context)
    dialog = settings_of(qtbot, services, admin, shell_context)
    assert visible_fields(dialog) == {"language", *ADMIN_FIELDS}
    assert not dialog.findChild(QLabel, "admin_settings_note").isVisible()
    type_text(qtbot, dialog.new_admin_password, STATION_PASSWORD)
    type_text(qtbot, dialog.repeat_admin_password, "Station#2027")
    press_enter(qtbot, dialog.repeat_admin_password)
    assert "not the same" in field_error(dialog, "repeat_admin_password")
    dialog.new_admin_password.setText("weakweak")
    dialog.repeat_admin_password.setText("weakweak")
    press_enter(qtbot, dialog.repeat_admin_password)
    assert "至少 3 类" in field_error(dialog, "new_admin_password")
    assert dialog.isVisible() and Settings.load(shell_context.where).admin_password_hash == ""

    dialog.new_admin_password.setText(STATION_PASSWORD)
    dialog.repeat_admin_password.setText(STATION_PASSWORD)
    dialog.workstation.setText("前台2号")
    press_enter(qtbot, dialog.repeat_admin_password)
    assert not dialog.isVisible()
    after = Settings.load(shell_context.where)
    assert after.workstation == "前台2号"
    assert password_matches(after.admin_password_hash, STATION_PASSWORD)
    assert STATION_PASSWORD not in shell_context.where.settings_file.read_text(encoding="utf-8")

    again = settings_of(qtbot, services, admin, shell_context)  # empty: the password is kept
    press_enter(qtbot, again.language)
    assert Settings.load(shell_context.where).admin_password_hash == after.admin_password_hash


def test_nobody_signed_in_unlocks_the_database_settings_with_the_workstation_password(
    qtbot: Any, shell_context: ShellContext
) -> None:
    saved_before(shell_context, admin_password_hash=hash_password(STATION_PASSWORD))
    dialog = SettingsDialog(shell_context, signed_in=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert visible_fields(dialog) == {"language", "unlock_password"}
    type_text(qtbot, dialog.unlock_password, "Guess#2026x")
    press_enter(qtbot, dialog.unlock_password)
    assert "not right" in field_error(dialog, "unlock_password")
    assert visible_fields(dialog) == {"language", "unlock_password"} and dialog.isVisible()

    dialog.unlock_password.setText(STATION_PASSWORD)
    press_enter(qtbot, dialog.unlock_password)
    assert visible_fields(dialog) == {"language", *DATABASE_FIELDS}  # its password: the admin's
    assert dialog.isVisible()  # Enter in the password field unlocks; it does not save
    dialog.db_url.setText("sqlite:////srv/fixed.sqlite3")
    dialog.submit()
    assert Settings.load(shell_context.where).db_url == "sqlite:////srv/fixed.sqlite3"


def test_a_workstation_without_an_admin_password_says_its_database_settings_are_open(
    qtbot: Any, shell_context: ShellContext
) -> None:
    dialog = SettingsDialog(shell_context, signed_in=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert visible_fields(dialog) == {"language", *DATABASE_FIELDS}  # setting a password: the admin's
    note = dialog.findChild(QLabel, "admin_settings_note")
    assert note.isVisible() and "no admin password" in note.text()
