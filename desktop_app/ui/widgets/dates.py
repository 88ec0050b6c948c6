"""A date field with a calendar popup; an optional one shows “not set” at its lowest date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from desktop_app import clock
from desktop_app.ui.dates import FORM_DATE_FORMAT


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QDateEdit):
    """A date with a calendar popup; an optional one shows “not set” at its lowest date."""

    EMPTY = QDate(2000, 1, 1)

    def __init__(self, parent: QWidget | None = None, optional: bool = False) -> None:
        super().__init__(parent)
        self.optional = optional
        self.setCalendarPopup(True)
        self.setDisplayFormat(FORM_DATE_FORMAT)
        if optional:
            self.setMinimumDate(self.EMPTY)
            self.setSpecialValueText(QCoreApplication.translate("DateField", "not set"))
        self.setDate(qdate(clock.today()))

    def value(self) -> date | None:
        chosen = self.date()
        if self.optional and chosen == self.minimumDate():
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, day: date | None) -> None:
        if day is None:
            self.setDate(self.minimumDate() if self.optional else qdate(clock.today()))
            today = qdate(clock.today())
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        else:
            self.setDate(qdate(day))
