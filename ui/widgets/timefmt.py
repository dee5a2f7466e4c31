"""Times as a manager reads them: "Today 10:00", "Tue 18 Mar, 09:30",
"10:00 Almaty" when the time is in another zone than the user's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, QTime


def zone_city(name: str | None) -> str:
    """ "Asia/Almaty" -> "Almaty" ("Алматы" in Russian, ui/widgets/zone_names.py);
    "America/Argentina/Buenos_Aires" -> "Buenos Aires"."""
    if not name:
        return ""
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return QCoreApplication.translate("Zones", city)


def zone_name(value: dt.datetime) -> str | None:
    tz = value.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) else None


def hhmm(value: dt.datetime | dt.time) -> str:
    return QLocale().toString(QTime(value.hour, value.minute), "HH:mm")


def day(value: dt.date, today: dt.date) -> str:
    """ "Today", "Tomorrow", "Yesterday", "Tue 18 Mar", "18 Mar 2024"."""
    delta = (value - today).days
    if delta == 0:
        return QCoreApplication.translate("Time", "Today")
    if delta == 1:
        return QCoreApplication.translate("Time", "Tomorrow")
    if delta == -1:
        return QCoreApplication.translate("Time", "Yesterday")
    date = QDate(value.year, value.month, value.day)
    if -6 <= delta <= 6:
        return QLocale().toString(date, "ddd d MMM")
    if value.year == today.year:
        return QLocale().toString(date, "d MMM")
    return QLocale().toString(date, "d MMM yyyy")


def when_parts(
    value: dt.datetime, display_zone: str | None, now: dt.datetime | None = None
) -> tuple[str, str]:
    """("Today, 10:00", "Almaty"): day and time in the value's own zone, and
    that zone's city when it is not the user's (else "")."""
    now = now or dt.datetime.now(dt.UTC)
    own = zone_name(value)
    today = now.astimezone(value.tzinfo).date() if value.tzinfo else now.date()
    text = QCoreApplication.translate("Time", "%1, %2").replace("%1", day(value.date(), today))
    text = text.replace("%2", hhmm(value))
    city = zone_city(own) if own and display_zone and own != display_zone else ""
    return text, city


def when(value: dt.datetime, display_zone: str | None, now: dt.datetime | None = None) -> str:
    """Day and time of ``value`` in its own zone, naming the zone's city when
    it is not the user's: the call is at 10:00 in Almaty, not at 08:00."""
    text, city = when_parts(value, display_zone, now)
    if not city:
        return text
    return QCoreApplication.translate("Time", "%1 %2").replace("%1", text).replace("%2", city)


def ago(value: dt.datetime, now: dt.datetime) -> str:
    """ "today", "3 days ago", "5 weeks ago", "in 2 days" for indicators."""
    days = (now.date() - value.astimezone(now.tzinfo).date()).days if now.tzinfo else 0
    if days == 0:
        return QCoreApplication.translate("Time", "today")
    if days == 1:
        return QCoreApplication.translate("Time", "yesterday")
    if days == -1:
        return QCoreApplication.translate("Time", "tomorrow")
    plural = Time()
    if days < 0:
        return plural.in_days(-days)
    if days < 14:
        return plural.days_ago(days)
    if days < 60:
        return plural.weeks_ago(days // 7)
    if days < 730:
        return plural.months_ago(days // 30)
    return plural.years_ago(days // 365)


class Time(QObject):
    """Plural strings of the "Time" translation context (the class name).
    pyside6-lupdate (6.11) marks a string as plural only in
    ``self.tr(text, "", n)``, so they live in a QObject of that name."""

    def in_days(self, n: int) -> str:
        return self.tr("in %n day(s)", "", n)

    def days_ago(self, n: int) -> str:
        return self.tr("%n day(s) ago", "", n)

    def weeks_ago(self, n: int) -> str:
        return self.tr("%n week(s) ago", "", n)

    def months_ago(self, n: int) -> str:
        return self.tr("%n month(s) ago", "", n)

    def years_ago(self, n: int) -> str:
        return self.tr("%n year(s) ago", "", n)


def money(amount: object, currency: str) -> str:
    """ "1 250 000 ₽", "$12,500" in the user's locale; no cents when whole."""
    try:
        value = float(str(amount))
    except ValueError:
        return f"{amount} {currency}"
    decimals = 0 if value == int(value) else 2
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)  # group thousands
    number = locale.toString(value, "f", decimals)
    symbol = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "GBP": "£"}.get(currency)
    if symbol is None:
        return f"{number} {currency}"
    if currency in ("USD", "GBP"):
        return f"{symbol}{number}"
    return f"{number} {symbol}"
