"""What a page of the main window is: its navigation entry, and the commands it may offer.

Each module's UI package declares its entries (``ENTRIES`` in its ``navigation`` module) as
``PageSpec``s whose ``factory`` builds the page, importing the page's module only then; the window
lists them in the order of ``desktop_app.ui.navigation.MODULES``.

A page offers a command by having its method; the window checks with ``isinstance``:

- ``SearchablePage.focus_search()``   Ctrl+F  put the cursor in the page's search box
- ``CreatingPage.new_item()``         Ctrl+N  start a new item
- ``PrintingPage.print_current()``    Ctrl+P  print what the page shows
- ``UnsavedInputPage.has_unsaved_changes()``  asked before signing out or quitting
- ``RefreshablePage.refresh()``       reload what it shows (a tab shown again, data changed)
- ``TargetedPage.show_target(target)``  show one of its lists (a home page 待办 opens it there)

A page whose offer changes while it is shown (the tab in view, the account's rights) also is a
``VaryingCommandsPage``: ``offers(command)`` says what it offers now, and it emits
``commands_changed`` when that changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from desktop_app.domain.roles import Permission
from desktop_app.services.context import CurrentUser

if TYPE_CHECKING:
    from desktop_app.services.facade import Services

PageFactory = Callable[["Services", CurrentUser, QWidget | None], QWidget]


def _no_description() -> str:
    return ""


@dataclass(frozen=True)
class PageSpec:
    """A navigation entry. Titles and descriptions call ``QCoreApplication.translate("Navigation",
    "...")`` literally (not through a helper) so that lupdate finds them."""

    key: str
    title: Callable[[], str]
    any_of: frozenset[Permission]
    factory: PageFactory
    description: Callable[[], str] = _no_description  # one sentence: what the page is for
    # False while the module is not built: its page says so, and its home card does not look live.
    ready: bool = True

    def visible_to(self, actor: CurrentUser) -> bool:
        return bool(self.any_of & actor.permissions)

    def create(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> QWidget:
        return self.factory(services, actor, parent)


class PageCommand(Enum):
    FIND = "find"  # Ctrl+F
    NEW = "new"  # Ctrl+N
    PRINT = "print"  # Ctrl+P


@runtime_checkable
class SearchablePage(Protocol):
    def focus_search(self) -> None: ...


@runtime_checkable
class CreatingPage(Protocol):
    def new_item(self) -> None: ...


@runtime_checkable
class PrintingPage(Protocol):
    def print_current(self) -> None: ...


@runtime_checkable
class UnsavedInputPage(Protocol):
    def has_unsaved_changes(self) -> bool: ...


@runtime_checkable
class RefreshablePage(Protocol):
    def refresh(self) -> None: ...


@runtime_checkable
class TargetedPage(Protocol):
    def show_target(self, target: str) -> None: ...


@runtime_checkable
class VaryingCommandsPage(Protocol):
    commands_changed: SignalInstance

    def offers(self, command: PageCommand) -> bool: ...


def offers(page: object, command: PageCommand) -> bool:
    """Whether ``page`` offers ``command`` now."""
    if command is PageCommand.FIND:
        has = isinstance(page, SearchablePage)
    elif command is PageCommand.NEW:
        has = isinstance(page, CreatingPage)
    else:
        has = isinstance(page, PrintingPage)
    if has and isinstance(page, VaryingCommandsPage):
        return page.offers(command)
    return has


def run_command(page: object, command: PageCommand) -> None:
    """Carry out ``command`` on ``page`` if it offers it now; nothing otherwise."""
    if not offers(page, command):
        return
    if command is PageCommand.FIND and isinstance(page, SearchablePage):
        page.focus_search()
    elif command is PageCommand.NEW and isinstance(page, CreatingPage):
        page.new_item()
    elif command is PageCommand.PRINT and isinstance(page, PrintingPage):
        page.print_current()


def has_unsaved_input(page: object) -> bool:
    return isinstance(page, UnsavedInputPage) and page.has_unsaved_changes()


def show_target(page: object, target: str) -> None:
    """Show ``target`` inside ``page`` (a list, a tab), if the page knows it; nothing otherwise."""
    if target and isinstance(page, TargetedPage):
        page.show_target(target)


def refresh(page: object) -> None:
    """Reload what ``page`` shows, if it knows how."""
    if isinstance(page, RefreshablePage):
        page.refresh()
