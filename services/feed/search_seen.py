"""Who sees which matches of a global search: ``services.core.access.check``
as conditions on a match's row, asked of each match as the index is walked
(issue #16: a list of every card a manager owns, built first, cost more
than the search)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, or_, select
from sqlalchemy.orm import aliased

from models import Client, Contact, ContactPoint, Deal, Interaction, Lead, Note, PartyShare

MODELS: dict[str, Any] = {
    "client": Client,
    "lead": Lead,
    "contact": Contact,
    "deal": Deal,
    "note": Note,
    "interaction": Interaction,
    "point": ContactPoint,
}


class Seen:
    """Conditions for the records an actor sees: owned by one of ``owners``
    (a bind, or an expanding bind for a deputy or head), on such a card, or
    on a card shared with ``me``."""

    def __init__(self, owners: Any, me: Any) -> None:
        self.owners = owners
        self.me = me

    def owned(self, col: Any) -> ColumnElement[bool]:
        if getattr(self.owners, "expanding", False):
            return col.in_(self.owners)  # type: ignore[no-any-return]
        return col == self.owners  # type: ignore[no-any-return]

    def shared(self, col: Any) -> Select[Any]:
        return select(col).where(PartyShare.user_id == self.me, col.is_not(None))

    def card(self, kind: str) -> ColumnElement[bool]:
        model = MODELS[kind]
        share = PartyShare.client_id if kind == "client" else PartyShare.lead_id
        return or_(self.owned(model.owner_id), model.id.in_(self.shared(share)))

    def on_card(self, model: Any) -> ColumnElement[bool]:
        """``model``'s client or lead is one the actor sees: asked of each
        match as it is walked (a primary-key lookup), not as a list of the
        actor's cards built first. A manager's rare word costs what an
        administrator's does; a common one stops at the hits asked for."""
        aliased_client = aliased(Client)
        aliased_lead = aliased(Lead)
        return or_(
            select(aliased_client.id)
            .where(
                aliased_client.id == model.client_id,
                or_(
                    self.owned(aliased_client.owner_id),
                    aliased_client.id.in_(self.shared(PartyShare.client_id)),
                ),
            )
            .exists(),
            select(aliased_lead.id)
            .where(
                aliased_lead.id == model.lead_id,
                or_(
                    self.owned(aliased_lead.owner_id),
                    aliased_lead.id.in_(self.shared(PartyShare.lead_id)),
                ),
            )
            .exists(),
        )

    def of(self, kind: str) -> ColumnElement[bool]:
        if kind in ("client", "lead"):
            return self.card(kind)
        if kind in ("deal", "interaction"):
            model = MODELS[kind]
            return or_(self.owned(model.owner_id), self.on_card(model))
        if kind == "point":
            person = aliased(Contact)
            contact = select(person.id).where(
                person.id == ContactPoint.contact_id, self.on_card(person)
            )
            return or_(self.on_card(ContactPoint), contact.exists())
        return self.on_card(MODELS[kind])


def seen_by(actor_id: int | None, owners: list[int] | None) -> Seen:
    """``actor_id`` None: given at execution (``search_actor``); ``owners``:
    the actor sees colleagues' records too (``Actor.also_sees``), one
    expanding ``search_owners``."""
    me = (
        bindparam("search_actor", type_=Integer)
        if actor_id is None
        else bindparam("search_actor", actor_id, Integer)
    )
    if owners is None:
        return Seen(me, me)
    return Seen(bindparam("search_owners", owners or None, expanding=True), me)
