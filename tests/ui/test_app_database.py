"""The GUI's start opens the database through services.opening: each refusal the service names is
put in the application's own (translated) words, and the settings dialog's check says what it found."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import app as app_module
from desktop_app import paths
from desktop_app.domain.errors import DomainError
from desktop_app.settings import Settings

UNREACHABLE = "postgresql+psycopg://nobody:not-logged@127.0.0.1:1/none"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (UNREACHABLE, "The database cannot be reached: "),
        ("mysql://server/db", "Only SQLite and PostgreSQL databases are supported."),
        ("::not a url::", "The database URL in the settings is not valid."),
        ("postgresql+nosuchdriver://server/db", "The database URL in the settings is not valid."),
    ],
)
def test_a_database_that_cannot_be_opened_is_explained(
    url: str, words: str, monkeypatch: pytest.MonkeyPatch, qapp: QApplication, isolated_home: paths.Locations
) -> None:
    shown: list[str] = []

    def record(box: QMessageBox) -> int:  # the user reads it and quits
        shown.append(box.informativeText())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    assert app_module.open_database_interactively(isolated_home, Settings(), url) is None
    assert len(shown) == 1
    assert shown[0].startswith(words)
    assert "not-logged" not in shown[0]


def test_the_connection_check_names_a_server_it_cannot_reach(qapp: QApplication) -> None:
    with pytest.raises(DomainError, match=r"^Cannot connect: ") as refused:
        app_module.check_connection(UNREACHABLE)
    assert refused.value.field == "db_url"
    assert "not-logged" not in refused.value.message
