"""The main window's menus: every underlined Alt key is unique within its menu (and across the menu
bar), in English and in Chinese, for every role."""

from __future__ import annotations

import re
from collections import Counter
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu

from desktop_app.app import apply_language
from desktop_app.domain.roles import Role
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shell import ShellContext

pytestmark = pytest.mark.usefixtures("message_boxes")


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ("打印(&P)…" → "P"); '&&' is a literal ampersand."""
    found = re.search(r"(?<!&)&([^&])", text)
    return found.group(1).upper() if found else None


def duplicates(texts: list[str]) -> dict[str, list[str]]:
    keys = Counter(key for key in map(mnemonic, texts) if key)
    return {key: [t for t in texts if mnemonic(t) == key] for key, n in keys.items() if n > 1}


def menu_clashes(window: MainWindow) -> dict[str, dict[str, list[str]]]:
    bar = window.menuBar()
    clashes = {"<menu bar>": duplicates([action.text() for action in bar.actions()])}
    for action in bar.actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        clashes[action.text()] = duplicates([a.text() for a in menu.actions() if not a.isSeparator()])
    return {menu: found for menu, found in clashes.items() if found}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", [Role.LEADER, Role.HALL_STAFF, Role.SYSTEM_ADMIN], ids=lambda r: r.value)
def test_each_menu_has_unique_alt_keys(
    qtbot: Any,
    qapp: QApplication,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    language: str,
    role: Role,
) -> None:
    actor = admin if role is Role.SYSTEM_ADMIN else core.make_user(services, admin, "someone", role)
    try:
        apply_language(qapp, language)
        window = MainWindow(services, actor, shell_context)
        qtbot.addWidget(window)
        assert menu_clashes(window) == {}
        file_menu = window.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu)
        keys = [mnemonic(a.text()) for a in file_menu.actions() if not a.isSeparator()]
        assert None not in keys  # every command of the File menu has its key
    finally:
        apply_language(qapp, "en")


@pytest.mark.parametrize("role", [Role.LEADER, Role.HALL_STAFF], ids=lambda r: r.value)
def test_no_button_of_a_page_takes_an_alt_key_of_the_menu_bar(
    qtbot: Any,
    qapp: QApplication,
    services: Services,
    admin: CurrentUser,
    shell_context: ShellContext,
    core: ModuleType,
    role: Role,
) -> None:
    """Alt+E on the evaluations' list must reopen the session, not open 编辑(&E): a key both take does
    neither reliably. Each page's buttons as it opens (its first tab), in Chinese."""
    actor = core.make_user(services, admin, "someone", role)
    try:
        apply_language(qapp, "zh_CN")
        window = MainWindow(services, actor, shell_context)
        qtbot.addWidget(window)
        window.show()
        bar_keys = {mnemonic(action.text()) for action in window.menuBar().actions()}
        clashes = {}
        for spec in window.specs:
            if not spec.ready:
                continue
            page = window.open_page(spec.key)
            texts = [
                button.text()
                for button in page.findChildren(QAbstractButton)
                if button.isVisibleTo(window) and mnemonic(button.text()) in bar_keys
            ]
            if texts:
                clashes[spec.key] = texts
        assert clashes == {}
    finally:
        apply_language(qapp, "en")
