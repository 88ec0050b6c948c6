"""The evaluation session's form (新建/修改考评场次): the project, its trade category, the room, the
scheduled and actual times, the witnessing staff member, and the experts present — found by name,
expert number, ID number or pinyin initials (the credit lookup's search, limited to experts, with
each one's pool status on the session's day), or pasted / imported from the drawn-experts list.

Keyboard only: every label has its Alt key; in the expert search Down and Enter add the expert found;
in the list of experts Delete removes one and Ctrl+Up / Ctrl+Down move it (the grid's columns follow
the list's order). Ctrl+Enter saves from anywhere. The service's refusals (an expert suspended on
that day, the same expert twice, a field missing) are shown at their fields and the form stays filled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QStringListModel,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evaluations import PoolStatus, TradeCategory
from desktop_app.services.context import CurrentUser
from desktop_app.services.evaluations.types import Candidate, DrawnLine, SessionInfo, SessionInput
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.common import (
    ERROR_PROPERTY,
    clear_field_error,
    clear_field_errors,
    mark_field,
    show_field_error,
)
from desktop_app.ui.complaints.intake_parts import StaffCombo
from desktop_app.ui.dates import FORM_DATETIME_FORMAT
from desktop_app.ui.evaluations.labels import category_label, pool_label
from desktop_app.ui.widgets import modal
from desktop_app.ui.widgets.forms import FormDialog

SEARCH_DELAY_MS = 250
SEARCH_HITS = 20
ID_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_LENGTH = timedelta(hours=3)  # an end typed into an empty field starts here after the start


class MomentField(QDateTimeEdit):
    """A date and time (the form format); an optional one shows “not set” until a key is typed in it
    (it then starts from ``fallback()``), and Delete sets it back to “not set”."""

    EMPTY = QDateTime(QDate(2000, 1, 1), QTime(0, 0))

    def __init__(
        self,
        parent: QWidget | None = None,
        optional: bool = False,
        fallback: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.fallback = fallback
        self.setCalendarPopup(True)
        self.setDisplayFormat(FORM_DATETIME_FORMAT)
        if optional:
            self.setMinimumDateTime(self.EMPTY)
            self.setSpecialValueText(QCoreApplication.translate("MomentField", "not set"))
            self.setToolTip(
                QCoreApplication.translate("MomentField", "Type or press Up to set; Delete: not set")
            )
            self.set_value(None)

    def is_empty(self) -> bool:
        return self.optional and self.dateTime() == self.EMPTY

    def value(self) -> datetime | None:
        if self.is_empty():
            return None
        moment = self.dateTime()
        d, t = moment.date(), moment.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()

    def set_value(self, moment: datetime | None) -> None:
        if moment is None:
            self.setDateTime(self.EMPTY if self.optional else QDateTime.currentDateTime())
            today = clock.today()
            self.calendarWidget().setCurrentPage(today.year, today.month)
            return
        local = moment.astimezone()
        self.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        passing = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self.optional and event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        if self.is_empty() and event.key() not in passing and self.fallback is not None:
            self.set_value(self.fallback())
            self.setSelectedSection(QDateTimeEdit.Section.HourSection)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                return  # the first step is the fallback itself
        super().keyPressEvent(event)


class ExpertList(QListWidget):
    """The experts present, in column order: Delete removes, Ctrl+Up / Ctrl+Down move."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        if event.key() == Qt.Key.Key_Delete and row >= 0:
            self.takeItem(row)
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            target = row - 1 if event.key() == Qt.Key.Key_Up else row + 1
            if row >= 0 and 0 <= target < self.count():
                item = self.takeItem(row)
                self.insertItem(target, item)
                self.setCurrentRow(target)
            return
        super().keyPressEvent(event)

    def subject_ids(self) -> tuple[int, ...]:
        return tuple(int(self.item(i).data(ID_ROLE)) for i in range(self.count()))


class SessionDialog(FormDialog):
    """New session (``info`` None) or the details of one. ``result_value``: the ``SessionInfo`` saved."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        info: SessionInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = (
            self.tr("New evaluation session")
            if info is None
            else self.tr("Session %1").replace("%1", info.number)
        )
        super().__init__(title, parent)
        self.setObjectName("evaluation_session_form")
        self.services = services
        self.actor = actor
        self.info = info
        self.content = QFormLayout()
        self._hits: dict[str, Candidate] = {}
        self._build_left()
        self._build_right()
        self._arrange_columns()
        self.save_button.setText(self.tr("&Save"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.submit)
        self.set_hint(
            self.tr(
                "Experts: type a name, expert number, ID number or pinyin initials, then Down and Enter; "
                "Delete removes one, Ctrl+Up/Down orders them. Ctrl+Enter saves."
            )
        )
        self.setMinimumWidth(980)
        if info is None:
            self.witness.set_staff_id(actor.staff_id)
            now = clock.local_now()
            self.scheduled_start.set_value(
                now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
            )
        else:
            self.fill(info)
        self.project_code.setFocus()

    # -- building ------------------------------------------------------------------------------
    def _build_left(self) -> None:
        self.project_code = self.add_field(
            self.tr("Pro&ject code:"), QLineEdit(self), "project_code", required=True
        )
        self.project_code.setMaxLength(60)
        self.project_name = self.add_field(
            self.tr("Project &name:"), QLineEdit(self), "project_name", required=True
        )
        self.project_name.setMaxLength(200)
        self.category = self.add_field(
            self.tr("&Trade category:"), QComboBox(self), "category", required=True
        )
        self.category.setPlaceholderText(self.tr("Choose (Down)"))
        for category in TradeCategory:
            self.category.addItem(category_label(category), category)
        self.category.setCurrentIndex(-1)
        self.room = self.add_field(self.tr("&Room:"), QLineEdit(self), "room")
        self.room.setMaxLength(50)
        self.scheduled_start = self.add_field(
            self.tr("Sc&heduled start:"), MomentField(self), "scheduled_start", required=True
        )
        self.scheduled_end = self.add_field(
            self.tr("Scheduled &end:"),
            MomentField(self, optional=True, fallback=lambda: self._start() + DEFAULT_LENGTH),
            "scheduled_end",
        )
        self.actual_start = self.add_field(
            self.tr("&Actual start:"), MomentField(self, optional=True, fallback=self._start), "actual_start"
        )
        self.actual_end = self.add_field(
            self.tr("Actual en&d:"),
            MomentField(
                self,
                optional=True,
                fallback=lambda: (
                    self.scheduled_end.value()
                    or (self.actual_start.value() or self._start()) + DEFAULT_LENGTH
                ),
            ),
            "actual_end",
        )
        self.witness = self.add_field(
            self.tr("&Witness:"), StaffCombo(self), "witness_staff_id", required=True
        )
        self.witness.set_staff(
            [
                (s.id, f"{s.name}（{s.department_name}）")
                for s in self.services.organisation.staff(include_inactive=False)
            ]
        )
        for moment in (self.scheduled_start, self.actual_start):
            moment.dateTimeChanged.connect(lambda *_a: self._search_later())

    def _build_right(self) -> None:
        self.content.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.content.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.expert_search = QLineEdit(self)
        self.expert_search.setObjectName("expert_search")
        self.expert_search.setAccessibleName(self.tr("Find an expert"))
        self.expert_search.setPlaceholderText(self.tr("Name, expert number, ID number or pinyin initials"))
        self.hits = QStringListModel(self)
        self.finder = QCompleter(self.hits, self)
        self.finder.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.finder.setMaxVisibleItems(12)
        self.expert_search.setCompleter(self.finder)
        self.finder.activated.connect(self._hit_chosen)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.search_now)
        self.expert_search.textEdited.connect(lambda _t: self.search_timer.start())
        self.expert_search.installEventFilter(self)  # Enter there adds the expert; it never saves
        self.content.addRow(self.tr("Find e&xpert:"), self.expert_search)

        self.experts = ExpertList(self)
        self.experts.setObjectName("experts")
        self.experts.setAccessibleName(self.tr("Experts present"))
        self.experts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.experts.setMinimumHeight(self.experts.fontMetrics().height() * 9 + 12)
        self.content.addRow(self.tr("Experts &present:"), self.experts)
        self.set_required(self.experts)

        drawn = QWidget(self)
        row = QHBoxLayout(drawn)
        row.setContentsMargins(0, 0, 0, 0)
        self.paste_button = QPushButton(self.tr("Paste the drawn &list…"), drawn)
        self.paste_button.setObjectName("paste_drawn")
        self.paste_button.setAutoDefault(False)
        self.paste_button.clicked.connect(self.paste_drawn)
        self.import_button = QPushButton(self.tr("&Import the list file…"), drawn)
        self.import_button.setObjectName("import_drawn")
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.import_drawn)
        row.addWidget(self.paste_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        self.content.addRow("", drawn)

    def set_required(self, field: Any, required: bool = True) -> None:
        from desktop_app.ui.widgets.forms import set_required

        layout = self.content if self.content.indexOf(field) >= 0 else self.form
        set_required(layout, field, required)
        if required:
            self.required_note.show()

    def _arrange_columns(self) -> None:
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        for layout in (self.form, self.content):
            layout.setVerticalSpacing(6)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(self.form, 1)
        columns.addLayout(self.content, 1)
        outer.insertLayout(0, columns)

    # -- values --------------------------------------------------------------------------------
    def _start(self) -> datetime:
        return self.scheduled_start.value() or clock.local_now()

    def session_day(self) -> date:
        """The day the experts' pool status is judged on: the actual start's, else the scheduled one's."""
        return (self.actual_start.value() or self._start()).astimezone().date()

    def session_input(self) -> SessionInput:
        category = self.category.currentData()
        return SessionInput(
            project_code=self.project_code.text(),
            project_name=self.project_name.text(),
            category=TradeCategory(category) if category else None,
            room=self.room.text(),
            scheduled_start=self.scheduled_start.value(),
            scheduled_end=self.scheduled_end.value(),
            actual_start=self.actual_start.value(),
            actual_end=self.actual_end.value(),
            witness_staff_id=self.witness.staff_id(),
            expert_ids=self.experts.subject_ids(),
        )

    def fill(self, info: SessionInfo) -> None:
        self.project_code.setText(info.project_code)
        self.project_name.setText(info.project_name)
        self.category.setCurrentIndex(self.category.findData(info.category))
        self.room.setText(info.room)
        self.scheduled_start.set_value(info.scheduled_start)
        self.scheduled_end.set_value(info.scheduled_end)
        self.actual_start.set_value(info.actual_start)
        self.actual_end.set_value(info.actual_end)
        self.witness.set_staff_id(info.witness_staff_id)
        self.experts.clear()
        for expert in info.experts:
            self.add_expert(
                expert.subject_id, _expert_text(expert.name, expert.expert_no, expert.specialty), None
            )

    # -- experts -------------------------------------------------------------------------------
    def _search_later(self) -> None:
        if self.expert_search.text().strip():
            self.search_timer.start()

    def search_now(self) -> list[str]:
        """The experts found for the text typed, with their pool status on the session's day."""
        self.search_timer.stop()
        query = self.expert_search.text().strip()
        if not query:
            self.hits.setStringList([])
            return []
        day = self.session_day()
        found = operations.run(
            self,
            lambda: self.services.evaluations.candidates(self.actor, query, day, SEARCH_HITS),
            busy=False,
            show="message",
        ).value
        if found is None:
            return []
        self._hits = {}
        for hit in found:
            line = _expert_text(hit.name, hit.expert_no, hit.specialty)
            if hit.id_number_masked:
                line += f" · {hit.id_number_masked}"
            line += f" · {pool_label(hit.pool)}"
            self._hits[line] = hit
        lines = list(self._hits)
        self.hits.setStringList(lines)
        if lines and self.expert_search.hasFocus():
            self.finder.setCompletionPrefix("")
            self.finder.complete()
        return lines

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.expert_search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._enter_in_search()
            return True
        return super().eventFilter(watched, event)

    def _enter_in_search(self) -> None:
        """Enter with one expert found adds that one (the popup takes Enter when it is open)."""
        if self.search_timer.isActive() or not self._hits:
            self.search_now()
        if len(self._hits) == 1:
            self._hit_chosen(next(iter(self._hits)))

    def _hit_chosen(self, line: str) -> None:
        hit = self._hits.get(line)
        if hit is None:
            return
        if self.add_expert(hit.subject_id, _expert_text(hit.name, hit.expert_no, hit.specialty), hit.pool):
            self.expert_search.clear()
            self.hits.setStringList([])
            self._hits = {}
        QTimer.singleShot(0, self.expert_search.clear)
        self.expert_search.setFocus()

    def add_expert(self, subject_id: int, text: str, pool: PoolStatus | None) -> bool:
        """Add an expert to the list (False, and said at the list, when already in it). One not in
        the pool on the session's day is added with its status shown: the service refuses to save."""
        clear_field_error(self, self.experts)
        if subject_id in self.experts.subject_ids():
            mark_field(self, self.experts, self.tr("%1 is already in the list.").replace("%1", text))
            return False
        shown = text if pool is None or pool.may_evaluate else f"{text} · {pool_label(pool)}"
        item = QListWidgetItem(shown)
        item.setData(ID_ROLE, subject_id)
        if pool is not None and not pool.may_evaluate:
            item.setForeground(Qt.GlobalColor.red)
            mark_field(
                self,
                self.experts,
                self.tr("%1: %2 — cannot sit on this evaluation.")
                .replace("%1", text)
                .replace("%2", pool_label(pool)),
            )
        self.experts.addItem(item)
        self.experts.setCurrentItem(item)
        return True

    def paste_drawn(self) -> None:
        """The drawn-experts list pasted as text (专家编号 or 身份证号, 姓名 per line)."""
        text = ask_drawn_text(self)
        if not text:
            return
        day = self.session_day()
        lines = operations.run(
            self, lambda: self.services.evaluations.drawn_list(self.actor, text, day), blame="experts"
        )
        if lines.ok:
            self.take_drawn(lines.value or [])

    def import_drawn(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import the drawn-experts list"), "", self.tr("Lists (*.xlsx *.csv)")
        )
        if not name:
            return
        day = self.session_day()
        lines = operations.run(
            self, lambda: self.services.evaluations.drawn_file(self.actor, Path(name), day), blame="experts"
        )
        if lines.ok:
            self.take_drawn(lines.value or [])

    def take_drawn(self, lines: list[DrawnLine]) -> None:
        """Add the experts the list names; what names none, or an expert who may not sit, is said at
        the list of experts (the lines that were fine are added all the same)."""
        problems = []
        present = set(self.experts.subject_ids())
        for line in lines:
            if line.subject_id is None or line.problem:
                problems.append(
                    self.tr("Line %1 (%2): %3")
                    .replace("%1", str(line.row))
                    .replace("%2", line.text)
                    .replace("%3", line.problem or self.tr("no such expert"))
                )
            elif line.subject_id not in present:
                present.add(line.subject_id)
                item = QListWidgetItem(line.name)
                item.setData(ID_ROLE, line.subject_id)
                self.experts.addItem(item)
        clear_field_error(self, self.experts)
        if problems:
            mark_field(self, self.experts, "\n".join(problems))

    # -- saving --------------------------------------------------------------------------------
    def submit(self) -> None:
        clear_field_errors(self)
        if self.witness.currentText().strip() and self.witness.staff_id() is None:
            show_field_error(self, ValidationError(self.tr("No staff member of that name."), field="witness"))
            return
        data = self.session_input()
        info = self.info
        if info is None:
            saved = self.save(
                lambda: self.services.evaluations.create_session(self.actor, data),
                changed=topics.EVALUATION,
                ids=lambda made: (made.id,),
            )
        else:
            saved = self.save(
                lambda: self.services.evaluations.update_session(self.actor, info.id, data, info.version),
                changed=topics.EVALUATION,
                ids=(info.id,),
            )
        if not saved:
            # The red frame of a refused field is a little taller; a new style does not ask the
            # layout again by itself, and the field would be drawn squeezed into its old row.
            for widget in self.findChildren(QWidget):
                if widget.property(ERROR_PROPERTY):
                    widget.updateGeometry()

    def reload(self) -> None:
        if self.info is None:
            return
        info = self.info
        fresh = operations.run(self, lambda: self.services.evaluations.session(info.id)).value
        if fresh is not None:
            self.info = fresh
            self.fill(fresh)


def _expert_text(name: str, expert_no: str, specialty: str) -> str:
    text = f"{name}（{expert_no}）" if expert_no else name
    return f"{text} · {specialty}" if specialty else text


def ask_drawn_text(parent: QWidget) -> str:
    """A box to paste the drawn list into; '' when cancelled."""
    dialog = QDialog(parent)
    dialog.setObjectName("drawn_paste")
    dialog.setWindowTitle(QCoreApplication.translate("SessionDialog", "Paste the drawn list"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(
        QLabel(
            QCoreApplication.translate(
                "SessionDialog",
                "One expert per line: expert number or ID number, then the name (separated by a tab, a comma or a space).",
            ),
            dialog,
        )
    )
    text = QPlainTextEdit(dialog)
    text.setObjectName("drawn_text")
    text.setTabChangesFocus(True)
    layout.addWidget(text)
    buttons = QDialogButtonBox(parent=dialog)
    buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    QShortcut(QKeySequence("Ctrl+Return"), dialog).activated.connect(dialog.accept)
    dialog.resize(520, 360)
    text.paste()
    try:
        return text.toPlainText().strip() if modal.run_dialog(dialog) else ""
    finally:
        dialog.deleteLater()


def new_session_dialog(services: Services, actor: CurrentUser, parent: QWidget | None = None) -> int | None:
    """The form for a new session; the id of the session saved (the page then opens its grid), or
    None when the form was closed unsaved."""
    dialog = SessionDialog(services, actor, None, parent)
    if not modal.run_and_delete(dialog) or dialog.result_value is None:
        return None
    return int(dialog.result_value.id)


def edit_session_dialog(
    services: Services, actor: CurrentUser, info: SessionInfo, parent: QWidget | None = None
) -> SessionInfo | None:
    """The details of a session in draft, edited; the ``SessionInfo`` saved, or None."""
    dialog = SessionDialog(services, actor, info, parent)
    if not modal.run_and_delete(dialog):
        return None
    saved: SessionInfo | None = dialog.result_value
    return saved
