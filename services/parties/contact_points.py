"""Addresses and numbers on cards, and "who owns this address or number".

Priority when one value sits on several objects (SPEC D2): contact person >
client > lead; among objects of one kind, the oldest (lowest id, which is
creation order) wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import case, select

from models import Contact, ContactPoint
from services.core import access, normalize, settings
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import ContactPointView

KINDS = ("email", "phone", "messenger")


@dataclasses.dataclass(frozen=True)
class Owner:
    """The card an address or number belongs to, and why it was chosen."""

    kind: str  # contact | client | lead
    id: int
    client_id: int | None
    lead_id: int | None
    contact_id: int | None
    tied: bool  # another object of the same kind has it too


def view(point: ContactPoint) -> ContactPointView:
    return ContactPointView(
        id=point.id, kind=point.kind, raw=point.raw, normalized=point.normalized, label=point.label
    )


def normalized_value(uow: UnitOfWork, kind: str, raw: str) -> str:
    if kind not in KINDS:
        raise ValidationError(
            f"Unknown contact kind {kind!r}; use one of {', '.join(KINDS)}",
            code="parties.contact_points.unknown_contact_kind_use",
            params={"kind": repr(kind), "kinds": str(", ".join(KINDS))},
        )
    return normalize.normalize_contact_point(kind, raw, settings.get(uow, "default_region"))


def add(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    raw: str,
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    contact_id: int | None = None,
    label: str | None = None,
    new_card: bool = False,
) -> ContactPointView:
    """Put an address or number on one card; the same one twice is refused.

    Only on a card the actor sees (``new_card``: one the caller has just
    made in this unit of work, possibly for a colleague)."""
    actor.require(Permission.CLIENTS_EDIT)
    if sum(x is not None for x in (client_id, lead_id, contact_id)) != 1:
        raise ValidationError(
            "A contact detail belongs to exactly one client, lead or contact",
            code="parties.contact_points.contact_detail_belongs_exactly",
        )
    if not new_card:
        card_kind, card_id = next(
            (k, v)
            for k, v in (("client", client_id), ("lead", lead_id), ("contact", contact_id))
            if v is not None
        )
        access.check(uow, actor, card_kind, card_id)
    value = normalized_value(uow, kind, raw)
    owner_col = (
        ContactPoint.client_id
        if client_id is not None
        else ContactPoint.lead_id
        if lead_id is not None
        else ContactPoint.contact_id
    )
    owner_value = (
        client_id if client_id is not None else lead_id if lead_id is not None else contact_id
    )
    existing = uow.session.scalar(
        select(ContactPoint.id).where(
            owner_col == owner_value, ContactPoint.kind == kind, ContactPoint.normalized == value
        )
    )
    if existing is not None:
        raise ValidationError(
            f"{raw.strip()} is already on this card",
            field=kind,
            code="parties.contact_points.already_card",
            params={"value": raw.strip()},
        )
    point = ContactPoint(
        kind=kind,
        raw=raw.strip(),
        normalized=value,
        label=label,
        client_id=client_id,
        lead_id=lead_id,
        contact_id=contact_id,
    )
    uow.session.add(point)
    uow.session.flush()
    return view(point)


CARD_KINDS = ("client", "lead", "contact")


def add_to_card(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    raw: str,
    card_kind: str,
    card_id: int,
    *,
    label: str | None = None,
) -> ContactPointView:
    """``add`` for a card named as (kind, id), as pickers and the CLI name it."""
    if card_kind not in CARD_KINDS:
        raise ValidationError(
            f"Addresses and numbers go on a client, lead or contact, not a {card_kind}",
            code="parties.contact_points.addresses_numbers_go_client",
            params={"card_kind": str(card_kind)},
        )
    return add(
        uow,
        actor,
        kind,
        raw,
        label=label,
        client_id=card_id if card_kind == "client" else None,
        lead_id=card_id if card_kind == "lead" else None,
        contact_id=card_id if card_kind == "contact" else None,
    )


def owners_of(uow: UnitOfWork, kind: str, values: Iterable[str]) -> dict[str, Owner]:
    """Owner of each normalized value, in one query for the whole batch."""
    wanted = sorted(set(values))
    if not wanted:
        return {}
    rank = case(
        (ContactPoint.contact_id.is_not(None), 0),
        (ContactPoint.client_id.is_not(None), 1),
        else_=2,
    )
    object_id = case(
        (ContactPoint.contact_id.is_not(None), ContactPoint.contact_id),
        (ContactPoint.client_id.is_not(None), ContactPoint.client_id),
        else_=ContactPoint.lead_id,
    )
    rows = uow.session.execute(
        select(
            ContactPoint.normalized,
            rank.label("rank"),
            object_id.label("object_id"),
            ContactPoint.client_id,
            ContactPoint.lead_id,
            ContactPoint.contact_id,
            Contact.client_id.label("contact_client_id"),
            Contact.lead_id.label("contact_lead_id"),
        )
        .outerjoin(Contact, Contact.id == ContactPoint.contact_id)
        .where(ContactPoint.kind == kind, ContactPoint.normalized.in_(wanted))
        .order_by(ContactPoint.normalized, rank, object_id)
    ).all()
    found: dict[str, Owner] = {}
    best_rank: dict[str, int] = {}
    for row in rows:
        if row.normalized in found:
            if best_rank[row.normalized] == row.rank and found[row.normalized].id != row.object_id:
                found[row.normalized] = dataclasses.replace(found[row.normalized], tied=True)
            continue
        best_rank[row.normalized] = row.rank
        kind_name = ("contact", "client", "lead")[row.rank]
        if row.rank == 0:
            client_id, lead_id = row.contact_client_id, row.contact_lead_id
        else:
            client_id, lead_id = row.client_id, row.lead_id
        found[row.normalized] = Owner(
            kind=kind_name,
            id=row.object_id,
            client_id=client_id,
            lead_id=lead_id,
            contact_id=row.contact_id,
            tied=False,
        )
    return found


def owner_of(uow: UnitOfWork, kind: str, raw: str) -> Owner:
    value = normalized_value(uow, kind, raw)
    owner = owners_of(uow, kind, [value]).get(value)
    if owner is None:
        raise NotFoundError(f"No card has the {kind}", raw.strip())
    return owner
