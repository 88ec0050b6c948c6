"""Finding widgets that do not fit: the layout check of tests/ui/test_layout_fits.py.

Among the visible widgets of a window (pages in the main window at a workstation's screen size,
dialogs at the size they open with), a problem is:

- **overflow**: a child that reaches outside its parent's rectangle, so part of it is cut off. The
  content of a scroll area (the widget inside its viewport) may be larger than the viewport: that is
  what scrolling is for, and is not counted;
- **overlap**: two sibling widgets whose rectangles share at least one pixel's area. Widgets that a
  layout places side by side touch (one ends where the next begins) and share no area: not counted.
  A stack shows one page at a time (the others are hidden and not looked at);
- **squeezed**: a widget smaller than its minimum size hint (the size below which Qt says its
  content no longer fits: a label's text, a button's caption, a line edit's frame), or a word-wrapped
  label lower than the height its text needs at its width;
- **sideways**: a table or tree whose columns do not fit its width, so that it shows a horizontal
  scroll bar (the clerk would scroll sideways to read a row; long cells wrap instead);
- **window**: a window larger than the screen it must fit (its layout asks for more than the screen),
  or a main window that could not be made the screen's size.

Each problem is named by the widget's path (class#objectName from the window down), so an allow-list
can name the ones another change will fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QSizePolicy,
    QWidget,
)


@dataclass(frozen=True)
class Problem:
    kind: str  # overflow, overlap, squeezed, sideways, window
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.path} ({self.detail})"


def name_of(widget: QWidget) -> str:
    name = widget.objectName()
    kind = type(widget).__name__
    return f"{kind}#{name}" if name and not name.startswith("qt_") else kind


def path_of(widget: QWidget, top: QWidget) -> str:
    parts = []
    current: QWidget | None = widget
    while current is not None and current is not top:
        parts.append(name_of(current))
        current = current.parentWidget()
    parts.append(name_of(top))
    return " > ".join(reversed(parts))


def rect_text(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()}"


def visible_children(parent: QWidget) -> list[QWidget]:
    return [
        child
        for child in parent.children()
        if isinstance(child, QWidget) and not child.isWindow() and child.isVisible()
    ]


def scrolls_its_content(parent: QWidget) -> bool:
    """The viewport of a scroll area: its content may be larger than itself."""
    owner = parent.parentWidget()
    return isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent


def squeezed(widget: QWidget) -> str:
    """Why the widget's content does not fit its size, or ""."""
    if isinstance(widget, QAbstractScrollArea):
        return ""  # its content scrolls: a smaller size hides nothing for good
    if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
        return ""  # the editor inside a spin box or combo box: framed and sized by its owner
    size = widget.size()
    policy = widget.sizePolicy()
    ignored = QSizePolicy.Policy.Ignored
    if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
        needed = widget.heightForWidth(size.width())
        if needed > size.height() and policy.verticalPolicy() != ignored:
            return f"wrapped text needs {needed} px of height, has {size.height()}"
        return ""
    hint: QSize = widget.minimumSizeHint()
    if not hint.isValid():
        return ""
    # At its own size hint a widget shows all it has (a tab bar's minimum counts scroll buttons).
    natural = widget.sizeHint()
    short_width = policy.horizontalPolicy() != ignored and size.width() < min(hint.width(), natural.width())
    short_height = policy.verticalPolicy() != ignored and size.height() < min(hint.height(), natural.height())
    if short_width or short_height:
        return f"{size.width()}×{size.height()} below its minimum {hint.width()}×{hint.height()}"
    return ""


def walk(parent: QWidget) -> Iterator[tuple[QWidget, list[QWidget]]]:
    children = visible_children(parent)
    yield parent, children
    for child in children:
        yield from walk(child)


def layout_problems(top: QWidget) -> list[Problem]:
    problems: list[Problem] = []
    for parent, children in walk(top):
        inside = parent.rect()
        for child in children:
            where = path_of(child, top)
            if not scrolls_its_content(parent) and not inside.contains(child.geometry()):
                detail = f"{rect_text(child.geometry())} outside {rect_text(inside)}"
                problems.append(Problem("overflow", where, detail))
            why = squeezed(child)
            if why:
                problems.append(Problem("squeezed", where, why))
            if isinstance(child, QAbstractItemView) and child.horizontalScrollBar().isVisible():
                bar = child.horizontalScrollBar()
                detail = f"scrolls {bar.maximum()} px sideways at {child.viewport().width()} px"
                problems.append(Problem("sideways", where, detail))
        for first, second in combinations(children, 2):
            shared = first.geometry().intersected(second.geometry())
            if shared.width() > 0 and shared.height() > 0:
                detail = f"with {name_of(second)}: {rect_text(shared)} shared"
                problems.append(Problem("overlap", path_of(first, top), detail))
    return problems


def window_problems(window: QWidget, screen: QSize) -> list[Problem]:
    size = window.frameGeometry().size() if window.isVisible() else window.size()
    if size.width() > screen.width() or size.height() > screen.height():
        detail = f"{size.width()}×{size.height()} on a {screen.width()}×{screen.height()} screen"
        return [Problem("window", name_of(window), detail)]
    return []
