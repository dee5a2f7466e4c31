"""Wall times in IANA zones: UTC derivation, DST gaps, the client's local time."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from services.core.errors import ValidationError


@functools.lru_cache(maxsize=1)
def machine_zone() -> str:
    """The computer's IANA zone (tzlocal also maps Windows zone names); read
    once per process."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # noqa: BLE001 - a broken local setup must not stop the app
        return "UTC"
    return name or "UTC"


#: Times outside these years are typos; beyond them, date arithmetic and
#: calendar exports overflow.
MIN_YEAR, MAX_YEAR = 1900, 2200


def check_year(moment: dt.datetime, what: str = "time") -> dt.datetime:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValidationError(
            f"The {what} {moment:%Y-%m-%d} is out of range: "
            f"use a year from {MIN_YEAR} to {MAX_YEAR}",
            field=what,
            code="core.timezones.out_range_use_year",
            params={
                "what": str(what),
                "moment": format(moment, "%Y-%m-%d"),
                "min_year": str(MIN_YEAR),
                "max_year": str(MAX_YEAR),
            },
        )
    return moment


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a name too long
        raise ValidationError(
            f"Unknown time zone {name[:60]!r}",
            field="timezone",
            code="core.timezones.unknown_time_zone",
            params={"name": repr(name[:60])},
        ) from exc


def is_zone(name: str) -> bool:
    return name in available_timezones()


def wall_to_utc(local: dt.datetime, tz_name: str) -> dt.datetime:
    """UTC instant of a wall time in ``tz_name``.

    A time that does not exist (the hour skipped when clocks go forward) is
    refused rather than silently moved; an ambiguous one (the repeated hour)
    takes its first occurrence (PEP 495 fold=0).
    """
    if local.tzinfo is not None:
        raise ValueError("wall_to_utc wants a naive wall time")
    tz = zone(tz_name)
    aware = local.replace(tzinfo=tz, fold=0)
    utc = aware.astimezone(dt.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local:
        raise ValidationError(
            f"{local:%Y-%m-%d %H:%M} does not exist in {tz_name} (clocks skip that hour)",
            field="start",
            code="core.timezones.does_not_exist_clocks",
            params={"local": format(local, "%Y-%m-%d %H:%M"), "tz_name": str(tz_name)},
        )
    return utc


def split_input_time(value: dt.datetime, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    """(wall time in ``tz_name``, UTC) for a naive wall time or an aware instant."""
    if value.tzinfo is None:
        local = value.replace(second=value.second, microsecond=0)
        return local, wall_to_utc(local, tz_name)
    # An instant (a letter's Date, a call's start) is the truth: its wall time
    # is derived from it, never the other way round, or the repeated hour of a
    # DST fold comes out an hour early.
    instant = value.replace(microsecond=0)
    local = instant.astimezone(zone(tz_name)).replace(tzinfo=None)
    return local, instant.astimezone(dt.UTC)


def aware_local(local: dt.datetime, tz_name: str) -> dt.datetime:
    return local.replace(tzinfo=zone(tz_name), fold=0)


def party_zone(explicit: str | None, region: str | None, phones: Iterable[str]) -> str | None:
    """The zone a client lives in: explicit > a phone's zone > the region's."""
    from services.core import normalize

    if explicit:
        return explicit
    for phone in phones:
        found = normalize.timezone_for_phone(phone)
        if found:
            return found
    if region:
        return normalize.timezone_for_region(region)
    return None
