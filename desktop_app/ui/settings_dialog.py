"""This workstation's settings (settings.json): language, database, workstation name, key file.

They take effect at the next start: the database in use cannot change under an open session.
"""

from __future__ import annotations

import dataclasses
import os
import socket

from PySide6.QtCore import Qt
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
from desktop_app.settings import DB_URL_ENV, LANGUAGES, Settings
from desktop_app.ui import operations
from desktop_app.ui.common import clear_field_errors, show_field_error
from desktop_app.ui.shell import ShellContext
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data, named

# Shown in their own language, so that someone who cannot read the current one finds theirs.
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}
SUPPORTED_SCHEMES = ("sqlite", "postgresql")


class SettingsDialog(FormDialog):
    def __init__(self, context: ShellContext, parent: QWidget | None = None) -> None:
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
        self.form.addRow(self.tr("Database URL:"), row)
        self.connection_result = QLabel(self)
        self.connection_result.setObjectName("connection_result")
        self.connection_result.setWordWrap(True)
        self.connection_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connection_result.hide()
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
            self.form.addRow("", note)

        self.workstation = self.add_field(
            self.tr("Workstation name:"), QLineEdit(self), "workstation", self.tr("Workstation name")
        )
        self.workstation.setMaxLength(64)
        self.workstation.setText(settings.workstation)
        self.workstation.setPlaceholderText(
            self.tr("Empty: the computer's name ({name})").format(name=socket.gethostname())
        )

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
        self.form.addRow(self.tr("Key file:"), row)

        self.set_hint(
            self.tr(
                "Changes are saved in {file} and take effect the next time Integrity Desk starts."
            ).format(file=where.settings_file)
        )
        self.setMinimumWidth(640)
        self.language.setFocus()

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
        self.connection_result.show()

    def submit(self) -> None:
        clear_field_errors(self)
        url = self.db_url.text().strip()
        try:
            self._check_url(url)
        except DomainError as error:
            show_field_error(self, error)
            return
        updated = dataclasses.replace(
            self.loaded,
            language=str(self.language.currentData()),
            db_url=url,
            workstation=self.workstation.text().strip(),
            key_file=self.key_file.text().strip(),
        )
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
