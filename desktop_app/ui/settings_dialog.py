"""This workstation's settings (settings.json): language; and, for the system administrator, the
database, the workstation name, the key file and the workstation's admin password.

Which database and which key file a workstation uses is the system administrator's business, not a
clerk's: the dialog shows those settings to a signed-in system administrator. Anyone else sees the
language only, unless they confirm with the workstation's admin password (set here by the
administrator): that is how IT fixes the database settings on the login screen's database-problem
path, where nobody can sign in. A workstation whose administrator never set that password has no
lock to open there: its database settings are open on that path, and the dialog says so.

Settings take effect at the next start: the database in use cannot change under an open session.
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_app.domain.errors import DomainError, ValidationError
from desktop_app.domain.passwords import MAX_LENGTH, PasswordPolicy
from desktop_app.settings import DB_URL_ENV, LANGUAGES, Settings, host_name
from desktop_app.ui import operations
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named

# Shown in their own language, so that someone who cannot read the current one finds theirs.
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
SUPPORTED_SCHEMES = ("sqlite", "postgresql")


def _password_edit(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    edit = named(QLineEdit(parent), name, accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(MAX_LENGTH)
    return edit


class SettingsDialog(FormDialog):
    """``admin``: a system administrator is signed in (every setting). ``signed_in`` False: nobody
    is (the database-problem path), where a workstation without an admin password is not locked."""

    def __init__(
        self,
        context: ShellContext,
        parent: QWidget | None = None,
        *,
        admin: bool = False,
        signed_in: bool = True,
    ) -> None:
        super().__init__(self.tr("Settings"), parent)
        self.context = context
        self.saved: Settings | None = None
        where = context.where
        # What is in the file (saved earlier in this session, perhaps), not what this start uses.
        self.loaded = settings = Settings.load(where)

        self.language = self.add_field(self.tr("Language:"), QComboBox(self), "language", self.tr("Language"))
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        combo_select_data(self.language, settings.language)

        # -- the administrator's part --------------------------------------------------------------
        self.admin_note = QLabel(self)
        self.admin_note.setObjectName("admin_settings_note")
        self.admin_note.setWordWrap(True)
        self.form.addRow(self.admin_note)
        self.unlock_password = _password_edit(self, "unlock_password", self.tr("Workstation admin password"))
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(self.unlock)
        self.unlock_password.installEventFilter(self)  # Enter there unlocks, and does not save
        row = QHBoxLayout()
        row.addWidget(self.unlock_password, 1)
        row.addWidget(self.unlock_button)
        self.form.addRow(self.tr("Admin password:"), row)
        self.unlock_row = self.form.rowCount() - 1

        self.db_url = named(QLineEdit(self), "db_url", self.tr("Database URL"))
        self.db_url.setText(settings.db_url)
        self.db_url.setPlaceholderText(self.tr("Empty: the SQLite file in the data folder"))
        self.db_url.setToolTip(
            self.tr(
                "Empty: the SQLite file {path}.\nFor several workstations sharing one PostgreSQL server: "
                "postgresql+psycopg://user:password@server/database"
            ).format(path=where.database)
        )
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("test_connection")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_button.setEnabled(context.check_connection is not None)
        row = QHBoxLayout()
        row.addWidget(self.db_url, 1)
        row.addWidget(self.test_button)
        self._admin_row(self.tr("Database URL:"), row)
        self.connection_result = QLabel(self)
        self.connection_result.setObjectName("connection_result")
        self.connection_result.setWordWrap(True)
        self.connection_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("", self.connection_result)
        override = context.db_url_override or os.environ.get(DB_URL_ENV)
        if override:
            note = QLabel(
                self.tr(
                    "This start uses a database given on the command line or in {variable}, which "
                    "takes precedence over this setting."
                ).format(variable=DB_URL_ENV),
                self,
            )
            note.setObjectName("db_url_overridden")
            note.setWordWrap(True)
            self._admin_row("", note)

        self.workstation = named(QLineEdit(self), "workstation", self.tr("Workstation name"))
        self.workstation.setMaxLength(64)
        self.workstation.setText(settings.workstation)
        self.workstation.setPlaceholderText(
            self.tr("Empty: the computer's name ({name})").format(name=host_name())
        )
        self._admin_row(self.tr("Workstation name:"), self.workstation)

        self.key_file = named(QLineEdit(self), "key_file", self.tr("Key file"))
        self.key_file.setText(settings.key_file)
        self.key_file.setPlaceholderText(self.tr("Empty: {path}").format(path=where.default_key_file))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setObjectName("browse_key_file")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse_key_file)
        row = QHBoxLayout()
        row.addWidget(self.key_file, 1)
        row.addWidget(browse)
        self._admin_row(self.tr("Key file:"), row)

        # The workstation's admin password is set by a signed-in system administrator only.
        self.new_admin_password: QLineEdit | None = None
        self.repeat_admin_password: QLineEdit | None = None
        if admin:
            self.new_admin_password = new = _password_edit(
                self, "new_admin_password", self.tr("New workstation admin password")
            )
            new.setPlaceholderText(
                self.tr("Empty: keep the current one")
                if settings.admin_password_hash
                else self.tr("Not set yet")
            )
            new.setToolTip(
                self.tr(
                    "Asked before the database settings can be changed while no administrator is signed "
                    "in, for example when the database cannot be opened."
                )
            )
            self._admin_row(self.tr("Workstation admin password:"), new)
            self.repeat_admin_password = repeat = _password_edit(
                self, "repeat_admin_password", self.tr("Repeat the workstation admin password")
            )
            self._admin_row(self.tr("Repeat:"), repeat)

        self.set_hint(
            self.tr(
                "Changes are saved in {file} and take effect the next time Integrity Desk starts."
            ).format(file=where.settings_file)
        )
        self.setMinimumWidth(640)

        if admin:
            self.unlocked = True
            self.admin_note.hide()
        elif settings.admin_password_hash:
            self.unlocked = False
            self.admin_note.setText(
                self.tr(
                    "The database, the workstation name and the key file are set by the system "
                    "administrator. To change them here, type the workstation's admin password."
                )
            )
        elif not signed_in:
            self.unlocked = True
            self.admin_note.setText(
                self.tr(
                    "This workstation has no admin password yet, so anyone can change its database "
                    "settings here. The system administrator sets one in Tools → Settings."
                )
            )
        else:
            self.unlocked = False
            self.admin_note.setText(
                self.tr(
                    "The database, the workstation name and the key file are set by the system administrator."
                )
            )
        self.form.setRowVisible(self.unlock_row, not self.unlocked and bool(settings.admin_password_hash))
        self._show_admin_rows(self.unlocked)
        self.language.setFocus()

    def _admin_row(self, label: str, field: QWidget | QHBoxLayout) -> None:
        self.form.addRow(label, field)  # every row after the unlock row is the administrator's

    def _show_admin_rows(self, shown: bool) -> None:
        result_row = self.form.getWidgetPosition(self.connection_result)[0]
        for row in range(self.unlock_row + 1, self.form.rowCount()):
            self.form.setRowVisible(row, shown and row != result_row)  # the result: after a test

    # -- the lock ----------------------------------------------------------------------------------
    def unlock(self) -> None:
        """Check the workstation's admin password; right: show the administrator's settings."""
        from desktop_app.services.auth import password_matches  # argon2, when someone unlocks

        clear_field_errors(self)
        if not password_matches(self.loaded.admin_password_hash, self.unlock_password.text()):
            self.unlock_password.selectAll()
            show_field_error(
                self,
                ValidationError(self.tr("The workstation admin password is not right."), "unlock_password"),
            )
            return
        self.unlocked = True
        self.unlock_password.clear()
        self.form.setRowVisible(self.unlock_row, False)
        self.admin_note.hide()
        self._show_admin_rows(True)
        self.db_url.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.unlock_password
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.unlock()
            return True
        return super().eventFilter(watched, event)

    def _browse_key_file(self) -> None:
        start = self.key_file.text() or str(self.context.where.default_key_file.parent)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the key file"), start)
        if path:
            self.key_file.setText(path)

    def _check_url(self, url: str) -> None:
        scheme = url.split(":", 1)[0].split("+", 1)[0].lower() if ":" in url else ""
        if url and scheme not in SUPPORTED_SCHEMES:
            raise ValidationError(
                self.tr(
                    "The database URL must start with sqlite:/// or postgresql+psycopg:// (leave it "
                    "empty for the SQLite file in the data folder)."
                ),
                field="db_url",
            )

    def test_connection(self) -> None:
        clear_field_errors(self)
        self.connection_result.hide()
        url = self.db_url.text().strip() or f"sqlite:///{self.context.where.database.as_posix()}"
        check = self.context.check_connection
        if check is None:
            return

        def probe() -> str:
            self._check_url(url)
            return check(url)

        message = operations.run(self, probe).value
        if message is None:
            return
        self.connection_result.setText(message)
        self.form.setRowVisible(self.form.getWidgetPosition(self.connection_result)[0], True)
        self.connection_result.show()

    def _admin_password_hash(self) -> str:
        """The hash to keep: the current one, or that of a new password typed twice (checked)."""
        if self.new_admin_password is None or self.repeat_admin_password is None:
            return self.loaded.admin_password_hash
        new, repeat = self.new_admin_password.text(), self.repeat_admin_password.text()
        if not new and not repeat:
            return self.loaded.admin_password_hash
        if new != repeat:
            raise ValidationError(
                self.tr("The two passwords are not the same. Type the password again."),
                field="repeat_admin_password",
            )
        PasswordPolicy().check(new, field="new_admin_password")
        from desktop_app.services.auth import hash_password

        return hash_password(new)

    def submit(self) -> None:
        clear_field_errors(self)
        changes: dict[str, object] = {"language": str(self.language.currentData())}
        if self.unlocked:
            url = self.db_url.text().strip()
            try:
                self._check_url(url)
                admin_hash = self._admin_password_hash()
            except DomainError as error:
                show_field_error(self, error)
                return
            changes.update(
                db_url=url,
                workstation=self.workstation.text().strip(),
                key_file=self.key_file.text().strip(),
                admin_password_hash=admin_hash,
            )
        updated = dataclasses.replace(self.loaded, **changes)  # type: ignore[arg-type]
        try:
            updated.save(self.context.where)
        except OSError as error:
            show_field_error(
                self,
                DomainError(self.tr("The settings could not be saved: {error}").format(error=error.strerror)),
            )
            return
        self.saved = updated
        self.accept()
