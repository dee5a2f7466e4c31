"""The card read model: what a client, lead, contact or deal card shows
besides its feed, read in one unit of work.

The desktop card and ``touchpoint card --json`` read the same value: the
header, the deals and contacts tabs, the memo, the colleagues, the mail
accounts and the settings the header needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.core import settings
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.core.users import users as colleagues
from services.core.views import (
    BoardDeal,
    ClientView,
    ContactPointView,
    ContactView,
    DealView,
    UserView,
)
from services.feed.pages import FeedScope
from services.interactions import notes
from services.mail import accounts
from services.mail.accounts import AccountView
from services.parties import board, custom_fields, deals
from services.parties import records as parties
from services.parties.custom_fields import FieldView

KINDS = ("client", "lead", "contact", "deal")


@dataclasses.dataclass(frozen=True)
class CardData:
    kind: str
    object_id: int
    title: str
    party: ClientView | None  # the client or lead (of a contact or deal, its own)
    contact: ContactView | None
    deal: DealView | None
    points: tuple[ContactPointView, ...]  # phones and emails of this card
    owner_id: int | None
    owner_name: str
    zone: str | None  # the client's zone, for its local time
    display_zone: str
    softphone: str  # empty: open tel: links
    memo: str | None
    deals: tuple[BoardDeal, ...] | None  # None on a deal's own card
    users: tuple[UserView, ...]
    accounts: tuple[AccountView, ...]
    custom: dict[str, str]
    # The custom fields defined for this kind of card (Settings → Fields).
    fields: tuple[FieldView, ...] = ()

    @property
    def feed_scope(self) -> FeedScope:
        kind, object_id = self.kind, self.object_id
        return FeedScope(
            client_id=object_id if kind == "client" else None,
            lead_id=object_id if kind == "lead" else None,
            contact_id=object_id if kind == "contact" else None,
            deal_id=object_id if kind == "deal" else None,
        )

    @property
    def contacts(self) -> tuple[ContactView, ...]:
        return self.party.contacts if self.party is not None else ()

    def party_ids(self) -> dict[str, int | None]:
        """client_id / lead_id of the card, for dialogs opened from it."""
        party = self.party
        return {
            "client_id": party.id if party is not None and party.kind == "client" else None,
            "lead_id": party.id if party is not None and party.kind == "lead" else None,
        }

    def shows(self, kind: str, object_id: int) -> bool:
        """True when ``(kind, object_id)`` is this card, its client or lead,
        or one of its contact persons or deals: what a change must touch for
        the card to read itself again."""
        if (kind, object_id) == (self.kind, self.object_id):
            return True
        party = self.party
        if party is not None and (kind, object_id) == (party.kind, party.id):
            return True
        if kind == "contact":
            return any(c.id == object_id for c in self.contacts)
        if kind == "deal":
            return any(d.id == object_id for d in self.deals or ())
        return False


def party_of(
    uow: UnitOfWork, actor: Actor, client_id: int | None, lead_id: int | None
) -> ClientView | None:
    if client_id is not None:
        return parties.get_client(uow, actor, client_id)
    if lead_id is not None:
        return parties.get_lead(uow, actor, lead_id)
    return None


def card(
    uow: UnitOfWork, actor: Actor, kind: str, object_id: int, now: dt.datetime | None = None
) -> CardData:
    """The card of ``(kind, object_id)`` as the actor may see it."""
    if kind not in KINDS:
        raise ValidationError(
            f"A card is a {', '.join(KINDS)}; not {kind!r}",
            code="feed.card.card_not",
            params={"kinds": str(", ".join(KINDS)), "kind": repr(kind)},
        )
    contact = deal = None
    if kind == "client":
        party: ClientView | None = parties.get_client(uow, actor, object_id, now)
        assert party is not None
        title, points, custom = party.name, party.points, dict(party.custom)
    elif kind == "lead":
        party = parties.get_lead(uow, actor, object_id, now)
        assert party is not None
        title, points, custom = party.name, party.points, dict(party.custom)
    elif kind == "contact":
        contact = parties.get_contact(uow, actor, object_id)
        party = party_of(uow, actor, contact.client_id, contact.lead_id)
        title, points = contact.full_name, contact.points
        custom = custom_fields.values_of(uow, "contact", object_id)
    else:
        deal = deals.get(uow, actor, object_id)
        party = party_of(uow, actor, deal.client_id, deal.lead_id)
        # a deal card calls and writes to its client
        title, custom = deal.title, {}
        points = party.points if party is not None else ()
    users = tuple(colleagues(uow, actor))
    owner_id = deal.owner_id if deal is not None else (party.owner_id if party else None)
    names = {u.id: u.full_name or u.login for u in users}
    owner_name = party.owner_name if party is not None else ""
    if owner_id is not None and owner_id in names:
        owner_name = names[owner_id]
    deal_kind, deal_owner = (party.kind, party.id) if party is not None else (kind, object_id)
    return CardData(
        kind=kind,
        object_id=object_id,
        title=title,
        party=party,
        contact=contact,
        deal=deal,
        points=tuple(points),
        owner_id=owner_id,
        owner_name=owner_name,
        zone=party.timezone if party is not None else None,
        display_zone=settings.display_zone(uow),
        softphone=settings.get(uow, "softphone_command"),
        memo=notes.get_memo(uow, actor, kind, object_id),
        deals=board.deals_of(uow, actor, deal_kind, deal_owner) if kind != "deal" else None,
        users=users,
        accounts=tuple(a for a in accounts.list_accounts(uow, actor) if a.enabled),
        custom=custom,
        fields=tuple(custom_fields.fields(uow, kind)) if kind != "deal" else (),
    )
