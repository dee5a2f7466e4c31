"""What a script or check needs to know of each interaction in a feed page
(whose it is, which way, how long, who took part), read for the whole page
in two queries rather than carried through the feed's union query."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from models import Interaction, interaction_contacts
from services.core.storage import UnitOfWork
from services.core.views import FeedItem


def contacts_of(uow: UnitOfWork, interaction_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The contact persons of each interaction, lowest id first."""
    wanted = sorted(set(interaction_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(wanted), 1000):
        for iid, cid in uow.session.execute(
            select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
            .where(interaction_contacts.c.interaction_id.in_(wanted[start : start + 1000]))
            .order_by(interaction_contacts.c.contact_id)
        ):
            found.setdefault(iid, []).append(cid)
    return {iid: tuple(ids) for iid, ids in found.items()}


def add_details(uow: UnitOfWork, items: Sequence[FeedItem]) -> tuple[FeedItem, ...]:
    ids = [i.id for i in items if i.kind == "interaction"]
    if not ids:
        return tuple(items)
    rows = {
        r.id: r
        for r in uow.session.execute(
            select(
                Interaction.id,
                Interaction.client_id,
                Interaction.lead_id,
                Interaction.direction,
                Interaction.duration_min,
            ).where(Interaction.id.in_(ids))
        )
    }
    contacts = contacts_of(uow, ids)
    out = []
    for item in items:
        row = rows.get(item.id) if item.kind == "interaction" else None
        if row is not None:
            item = dataclasses.replace(
                item,
                client_id=row.client_id,
                lead_id=row.lead_id,
                direction=row.direction,
                duration_min=row.duration_min,
                contact_ids=contacts.get(item.id, ()),
            )
        out.append(item)
    return tuple(out)
