"""Dates, times and money in the user's locale (QLocale's default, set by
the language choice)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime


def _qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second),
    )


def local(value: dt.datetime) -> dt.datetime:
    """An aware time in the computer's zone (naive times pass unchanged)."""
    return value.astimezone() if value.tzinfo is not None else value


def date_time(value: dt.datetime | None, *, to_local: bool = True) -> str:
    if value is None:
        return ""
    shown = local(value) if to_local else value
    return QLocale().toString(_qdatetime(shown), QLocale.FormatType.ShortFormat)


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return QLocale().toString(
        QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat
    )


def time(value: dt.datetime | None, *, to_local: bool = False) -> str:
    if value is None:
        return ""
    shown = local(value) if to_local else value
    return QLocale().toString(QTime(shown.hour, shown.minute), QLocale.FormatType.ShortFormat)


def iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def money(amount: Decimal | float | int | None, currency: str = "RUB") -> str:
    if amount is None:
        return ""
    locale = QLocale()
    symbol = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸"}.get(currency, currency)
    number = locale.toString(float(amount), "f", 0 if float(amount) == int(amount) else 2)
    return f"{number} {symbol}"


def money_sums(amounts: Iterable[tuple[Decimal | None, str]]) -> str:
    """Sums (amount, currency) pairs per currency, in the order each
    currency first appears: "1 200 ₽ · 300 $". Roubles and dollars are
    never added into one number; deals without an amount are left out."""
    sums: dict[str, Decimal] = {}
    for amount, currency in amounts:
        if amount is not None:
            sums[currency] = sums.get(currency, Decimal(0)) + amount
    return " · ".join(money(total, currency) for currency, total in sums.items())
