"""The working-day calendar: the days off (休) and make-up workdays (班) the State Council publishes
each year, seeded for 2025 and 2026 (db/seed/workdays.json) and edited or imported by the system
admin. A day not listed is a working day from Monday to Friday (domain/workdays.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.store.base import Base
from desktop_app.store.models import Versioned
from desktop_app.store.sealing import RowSealed


class CalendarDayRow(RowSealed, Versioned, Base):
    """One listed day; ``updated_by``/``updated_at`` say who changed it last and when."""

    __tablename__ = "calendar_days"
    # A day turned from 班 into 休 behind the program's back would move every deadline.
    sealed_fields = ("day", "kind")
    sealed_label = "工作日历"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # domain.workdays.DayKind: off / work
    name: Mapped[str] = mapped_column(String(30), default="")

    __table_args__ = (CheckConstraint("kind IN ('off', 'work')", name="kind"),)
