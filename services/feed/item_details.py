"""Who took part in interactions, for many at once (exports, the linking
explanation). A feed page carries them in its own statement
(``queries.id_list``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from models import interaction_contacts
from services.core.storage import UnitOfWork


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
