"""工作日历: the days off (休) and make-up workdays (班) of a year, as the State Council publishes
them; the system admin lists, changes and removes days, or imports a year from a file.

Deadlines everywhere count working days on this table (``services.calendar``). A year with no day
listed has no schedule yet: the page says that its deadlines are counted Monday to Friday and marked
provisional until its schedule is entered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QSpinBox, QWidget

from desktop_app import clock
from desktop_app.domain.workdays import NAME_LIMIT, DayKind
from desktop_app.services.calendar import SPEC, DayInfo, DayInput, YearSchedule, write_template
from desktop_app.services.context import CurrentUser
from desktop_app.services.facade import Services
from desktop_app.ui import operations, topics
from desktop_app.ui.dates import table_date, table_time, text_date
from desktop_app.ui.widgets.dates import DateField
from desktop_app.ui.widgets.forms import FormDialog, combo_select_data
from desktop_app.ui.widgets.importing import ImportSource, TableImportDialog
from desktop_app.ui.widgets.listtab import ListTab
from desktop_app.ui.widgets.tables import Column, RecordTableModel

SEEDED_BY = "<migration>"


def day_kind_label(kind: DayKind) -> str:
    return {
        DayKind.OFF: QCoreApplication.translate("WorkCalendar", "Day off (休)"),
        DayKind.WORK: QCoreApplication.translate("WorkCalendar", "Make-up workday (班)"),
    }[DayKind(kind)]


def weekday_label(day: date) -> str:
    return (
        QCoreApplication.translate("WorkCalendar", "Monday"),
        QCoreApplication.translate("WorkCalendar", "Tuesday"),
        QCoreApplication.translate("WorkCalendar", "Wednesday"),
        QCoreApplication.translate("WorkCalendar", "Thursday"),
        QCoreApplication.translate("WorkCalendar", "Friday"),
        QCoreApplication.translate("WorkCalendar", "Saturday"),
        QCoreApplication.translate("WorkCalendar", "Sunday"),
    )[day.weekday()]


def changed_by_label(username: str) -> str:
    if username == SEEDED_BY:
        return QCoreApplication.translate("WorkCalendar", "initial schedule")
    return username


class DayTableModel(RecordTableModel[DayInfo]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Date"), lambda r: table_date(r.day), lambda r: r.day.toordinal()),
                Column(self.tr("Weekday"), lambda r: weekday_label(r.day), lambda r: r.day.toordinal()),
                Column(self.tr("Kind"), lambda r: day_kind_label(r.kind)),
                Column(self.tr("Name"), lambda r: r.name),
                Column(self.tr("Changed by"), lambda r: changed_by_label(r.updated_by)),
                Column(self.tr("Changed at"), lambda r: table_time(r.updated_at), lambda r: r.updated_at),
            ],
            parent=parent,
        )


class DayDialog(FormDialog):
    """List a day (``start`` None) or change a listed one."""

    def __init__(
        self,
        services: Services,
        actor: CurrentUser,
        start: DayInfo | None,
        year: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Change calendar day") if start else self.tr("Add calendar day"), parent)
        self.services = services
        self.actor = actor
        self.start = start
        self.day = self.add_field(self.tr("Date:"), DateField(self), "day", self.tr("Date"), required=True)
        self.kind = self.add_field(self.tr("Kind:"), QComboBox(self), "kind", self.tr("Kind"), required=True)
        for kind in DayKind:
            self.kind.addItem(day_kind_label(kind), kind)
        self.name = self.add_field(self.tr("Name:"), QLineEdit(self), "name", self.tr("Name"), required=True)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setPlaceholderText(self.tr("the holiday, e.g. 春节"))
        if start is not None:
            self._show(start)
        else:
            today = clock.today()
            self.day.set_value(today if today.year == year else date(year, 1, 1))
        self.set_hint(
            self.tr(
                "A day off is a holiday (its Saturdays and Sundays listed too); a make-up workday is a "
                "Saturday or Sunday worked. Deadlines count working days on this calendar."
            )
        )
        self.setMinimumWidth(440)

    def _show(self, day: DayInfo) -> None:
        self.day.set_value(day.day)
        combo_select_data(self.kind, day.kind)
        self.name.setText(day.name)

    def submit(self) -> None:
        data = DayInput(self.day.value(), DayKind(self.kind.currentData()), self.name.text())
        start = self.start

        def save() -> DayInfo:
            return self.services.calendar.save_day(
                self.actor, data, start.id if start else None, start.version if start else None
            )

        self.save(save, changed=topics.CALENDAR)

    def reload(self) -> None:
        if self.start is None:
            return
        fresh = next(
            (d for d in self.services.calendar.year(self.start.day.year).days if d.id == self.start.id), None
        )
        if fresh is not None:
            self.start = fresh
            self._show(fresh)


class WorkCalendarTab(ListTab):
    def __init__(self, services: Services, actor: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(
            DayTableModel(), "calendar_search", "calendar_table", self.tr("Working-day calendar"), parent
        )
        self.services = services
        self.actor = actor
        self.schedule: YearSchedule | None = None
        year_label = QLabel(self.tr("&Year:"), self)
        self.year = QSpinBox(self)
        self.year.setObjectName("year")
        self.year.setAccessibleName(self.tr("Year"))
        self.year.setRange(1990, 2100)
        self.year.setValue(clock.today().year)
        year_label.setBuddy(self.year)
        self.toolbar_extra.addWidget(year_label)
        self.toolbar_extra.addWidget(self.year)
        self.new_button = self.add_button(
            self.tr("&Add day…"),
            "add_day",
            self.new_item,
            self.tr("List a day off or a make-up workday (Ctrl+N)"),
        )
        self.edit_button = self.add_button(self.tr("&Change…"), "change_day", self.edit_current)
        self.remove_button = self.add_button(
            self.tr("&Remove"), "remove_day", self.remove_current, self.tr("Make it an ordinary day again")
        )
        self.import_button = self.add_button(
            self.tr("&Import from file…"),
            "import_calendar",
            self.import_file,
            self.tr("Import a year's schedule from an Excel or CSV file (日期, 类型 休/班, 名称)"),
        )
        self.refresh_button = self.add_button(self.tr("Refresh"), "refresh", self.reload_clicked)
        self.note = QLabel(self)
        self.note.setObjectName("schedule_note")
        self.note.setWordWrap(True)
        layout = self.layout()
        assert layout is not None
        layout.insertWidget(1, self.note)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.year.valueChanged.connect(lambda _year: self.reload_clicked())
        self.watcher = operations.refresh_on_change(self, (topics.CALENDAR,), self.refresh)
        self.refresh()

    # -- showing ------------------------------------------------------------------------------------
    def load_records(self) -> list[Any]:
        self.schedule = self.services.calendar.year(self.year.value())
        self._show_note(self.schedule)
        return list(self.schedule.days)

    def _show_note(self, schedule: YearSchedule) -> None:
        if schedule.has_schedule:
            self.note.setStyleSheet("")
            self.note.setText(
                self.tr(
                    "%1: %2 days off, %3 make-up workdays listed. Other days: Monday to Friday are working days."
                )
                .replace("%1", str(schedule.year))
                .replace("%2", str(schedule.off_count))
                .replace("%3", str(schedule.work_count))
            )
        else:
            self.note.setStyleSheet("color: #b26a00; font-weight: bold;")
            self.note.setText(
                self.tr(
                    "No holiday schedule is listed for %1: deadlines in that year are counted Monday to "
                    "Friday and marked provisional. Enter or import the schedule once it is published."
                ).replace("%1", str(schedule.year))
            )

    def update_actions(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # -- acting -------------------------------------------------------------------------------------
    def new_item(self) -> None:
        self.clear_messages()
        self.open_dialog(DayDialog(self.services, self.actor, None, self.year.value(), self), self._saved)

    def edit_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self.clear_messages()
        self.open_dialog(DayDialog(self.services, self.actor, chosen, self.year.value(), self), self._saved)

    def _saved(self) -> None:
        saved = self.dialog.result_value if isinstance(self.dialog, DayDialog) else None
        if not isinstance(saved, DayInfo):
            return
        if saved.day.year != self.year.value():
            self.year.setValue(saved.day.year)  # refreshes
        else:
            self.refresh()
        self.select(lambda r: r.id == saved.id)
        self.show_status(
            self.tr("%1 saved: %2 (%3).")
            .replace("%1", text_date(saved.day))
            .replace("%2", day_kind_label(saved.kind))
            .replace("%3", saved.name)
        )

    def remove_current(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self.clear_messages()
        answer = QMessageBox.question(
            self,
            self.tr("Remove calendar day"),
            self.tr("Remove %1 (%2, %3)? It becomes an ordinary day again.")
            .replace("%1", text_date(chosen.day))
            .replace("%2", day_kind_label(chosen.kind))
            .replace("%3", chosen.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        done = operations.run(
            self,
            lambda: self.services.calendar.remove_day(self.actor, chosen.id, chosen.version),
            changed=topics.CALENDAR,
            show="message",
        )
        self.refresh()
        if done.ok:
            self.show_status(self.tr("%1 removed.").replace("%1", text_date(chosen.day)))

    def import_file(self) -> None:
        self.clear_messages()
        dialog = calendar_import_dialog(self.services, self.actor, self)
        self.open_dialog(dialog, lambda: self._imported(dialog))

    def _imported(self, dialog: TableImportDialog) -> None:
        self.refresh()
        if dialog.report is not None:
            self.show_status(self.tr("%1 days imported.").replace("%1", str(dialog.report.created)))


def calendar_import_dialog(
    services: Services, actor: CurrentUser, parent: QWidget | None
) -> TableImportDialog:
    importer = services.calendar_import
    return TableImportDialog(
        ImportSource(
            "calendar_import",
            QCoreApplication.translate("WorkCalendar", "Import a holiday schedule"),
            SPEC,
            QCoreApplication.translate("WorkCalendar", "Day"),
            lambda path: importer.preview(actor, SPEC.kind, path),
            lambda preview, skip: importer.commit(actor, preview, skip),
            write_template,
            (topics.CALENDAR,),
        ),
        parent,
    )
