"""What the interaction dialog reads from the services, in one unit of work,
and the default times it proposes. No widgets here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from services.core import settings, timezones
from services.core.users import users as colleagues
from services.core.views import ClientView, DealRow, InteractionView, UserView
from services.interactions import actions as ix
from services.interactions import types as interaction_types
from services.interactions.interaction_input import known_types
from services.parties import board, deals
from services.parties import records as parties


@dataclasses.dataclass(frozen=True)
class DialogData:
    """Everything the dialog shows, read in one unit of work."""

    types: list[str]
    display_zone: str
    users: list[UserView]
    party: ClientView | None
    deals: list[DealRow]
    interaction: InteractionView | None
    deal_id: int | None
    contact_id: int | None
    # {code: (English, Russian)} as Settings → Interaction types left them
    type_names: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)


def deals_of(uow: Any, actor: Any, kind: str, object_id: int) -> list[DealRow]:
    """Deals of a client or lead."""
    return list(board.deals_of(uow, actor, kind, object_id))


def load_party(uow: Any, actor: Any, client_id: int | None, lead_id: int | None) -> ClientView:
    if client_id is not None:
        return parties.get_client(uow, actor, client_id)
    assert lead_id is not None
    return parties.get_lead(uow, actor, lead_id)


def party_deals(uow: Any, actor: Any, party: ClientView, deal_id: int | None) -> list[DealRow]:
    found = deals_of(uow, actor, party.kind, party.id)
    if deal_id is not None and not any(d.id == deal_id for d in found):
        found.append(deals.get(uow, actor, deal_id))
    return found


def load_dialog_data(
    uow: Any,
    actor: Any,
    *,
    client_id: int | None,
    lead_id: int | None,
    deal_id: int | None,
    contact_id: int | None,
    interaction_id: int | None,
    next_step_of: int | None,
) -> DialogData:
    """The party, its deals and the interaction (if any) the dialog opens on."""
    interaction = None
    source = interaction_id or next_step_of
    if source is not None:
        found = ix.get(uow, actor, source)
        client_id, lead_id, deal_id = found.client_id, found.lead_id, found.deal_id
        if interaction_id is not None:
            interaction = found
    if contact_id is not None and client_id is None and lead_id is None:
        contact = parties.get_contact(uow, actor, contact_id)
        client_id, lead_id = contact.client_id, contact.lead_id
    if deal_id is not None and client_id is None and lead_id is None:
        deal = deals.get(uow, actor, deal_id)
        client_id, lead_id = deal.client_id, deal.lead_id
    party = None
    found_deals: list[DealRow] = []
    if client_id is not None or lead_id is not None:
        party = load_party(uow, actor, client_id, lead_id)
        found_deals = party_deals(uow, actor, party, deal_id)
    return DialogData(
        types=known_types(uow),
        type_names={t.code: (t.name_en, t.name_ru) for t in interaction_types.types(uow)},
        display_zone=settings.display_zone(uow),
        users=colleagues(uow, actor),
        party=party,
        deals=found_deals,
        interaction=interaction,
        deal_id=deal_id,
        contact_id=contact_id,
    )


def next_working_morning(zone: str, now: dt.datetime | None = None) -> dt.datetime:
    """10:00 on the next weekday in ``zone``, as a naive wall time."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(timezones.zone(zone))
    day = now.date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0))


def next_full_hour(zone: str, now: dt.datetime | None = None) -> dt.datetime:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(timezones.zone(zone))
    return now.replace(minute=0, second=0, microsecond=0, tzinfo=None) + dt.timedelta(hours=1)
