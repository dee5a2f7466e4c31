"""My agenda from ``services.interactions.agenda``: the sections in display order and how
an item's time reads in its section."""

from __future__ import annotations

import datetime as dt

from services.core import timezones
from services.core.access import Actor
from services.core.views import Agenda, AgendaItem, AgendaSection
from services.interactions import agenda
from ui.shell import formatting
from ui.widgets import labels, timefmt
from ui.widgets.work import Uow

# Per section; a section shows at most this many (and says how many it has).
LIMIT = 500


def load(uow: Uow, actor: Actor, now: dt.datetime) -> Agenda:
    return agenda.agenda(uow, actor, now, limit=LIMIT)


def sections(data: Agenda) -> list[tuple[str, AgendaSection]]:
    return [
        ("overdue", data.overdue),
        ("today", data.today),
        ("week", data.this_week),
        ("later", data.later),
    ]


def when_text(item: AgendaItem, section: str, zone: str | None = None) -> str:
    """Today's items by time, others by date and time, in the user's zone
    (``zone``, the one the sections were cut in), so the list reads in the
    order it is sorted (by the instant). Where the client's wall clock
    differs, its time and city follow: "16:00 (10:00 Almaty)"."""
    if item.start is None:
        return ""
    shown = item.start.astimezone(timezones.zone(zone)) if zone else item.start
    text = _clock(shown, section)
    own = timefmt.zone_name(item.start)
    if (
        zone
        and own
        and own != zone
        and shown.replace(tzinfo=None) != item.start.replace(tzinfo=None)
    ):
        theirs = _clock(item.start, "today" if shown.date() == item.start.date() else section)
        text = f"{text} ({theirs} {timefmt.zone_city(own)})"
    return text


def subject_text(item: AgendaItem) -> str:
    """The subject, and for a scenario step which run and step it is:
    "Call back · «New client», step 2 of 5"."""
    if item.scenario_step is None:
        return item.subject or ""
    step = labels.scenario_step(item.scenario_step)
    return " · ".join(x for x in (item.subject, step) if x)


def _clock(value: dt.datetime, section: str) -> str:
    if section == "today":
        return formatting.time(value)
    return formatting.date_time(value, to_local=False)


def opens(item: AgendaItem) -> tuple[str, int, str] | None:
    """The card an item belongs to: its client or lead, else its deal."""
    if item.party_kind is not None and item.party_id is not None:
        return item.party_kind, item.party_id, item.party_name or ""
    if item.deal_id is not None:
        return "deal", item.deal_id, item.deal_title or ""
    return None
