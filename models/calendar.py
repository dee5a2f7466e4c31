"""Moved days of the working calendar as edited in Settings (issue #17)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CalendarDay(Base):
    """An administrator's word on one date of a country's calendar.

    "working" and "day_off" override the holidays package, the weekend and
    the shipped table of moved days; "removed" cancels a shipped moved day
    (the date is then as the package and the weekday say). The shipped table
    itself is not copied here, so a newer Touchpoint brings newer years.
    """

    __tablename__ = "calendar_days"
    __table_args__ = (CheckConstraint("kind IN ('working', 'day_off', 'removed')", name="kind"),)

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(200), default="")
