"""A card's open sync conflicts, for the banner on the card (issue #20).

Conflicts are named by ``kind`` and ``uid`` (ids differ between the laptop
and the server); a card knows its local id. This reads the card's uid and
the uids of what the card shows as its own fields (its contact details and
custom field values), then the conflicts of those records.

Every card has the banner, and most databases are no replica: whether this
one is is read once (``sync_state`` names a node) and remembered per
``Database``, so a card on any other database costs no query for it.
"""

from __future__ import annotations

import dataclasses
import weakref

from sqlalchemy import select

from models import Client, Contact, ContactPoint, Deal, Lead, SyncState
from services.core import access
from services.core.access import Actor
from services.core.storage import Database, UnitOfWork
from services.sync import use_cases
from services.sync.types import ConflictView

MODELS: dict[str, type[Client | Lead | Contact | Deal]] = {
    "client": Client,
    "lead": Lead,
    "contact": Contact,
    "deal": Deal,
}
POINT_OWNER = {
    "client": ContactPoint.client_id,
    "lead": ContactPoint.lead_id,
    "contact": ContactPoint.contact_id,
}


@dataclasses.dataclass(frozen=True)
class CardConflicts:
    uid: str
    conflicts: tuple[ConflictView, ...]
    replica: bool = True  # False: this database never has any; stop asking


_REPLICAS: weakref.WeakKeyDictionary[Database, bool] = weakref.WeakKeyDictionary()


def is_replica(db: Database) -> bool:
    """Whether ``db`` is a laptop replica, read once per database. A file
    becomes a replica only through ``init_replica`` before the app opens it,
    and stops being one only by the app opening another database."""
    known = _REPLICAS.get(db)
    if known is None:
        with db.reader() as uow:
            known = uow.session.get(SyncState, "node") is not None
        _REPLICAS[db] = known
    return known


def card_uids(uow: UnitOfWork, actor: Actor, kind: str, object_id: int) -> tuple[str, list[str]]:
    """The card's uid and its contact details' uids; refused for a card the
    actor may not see."""
    access.check(uow, actor, kind, object_id)
    model = MODELS[kind]
    uid = uow.session.scalar(select(model.uid).where(model.id == object_id))
    if uid is None:
        from services.core.errors import NotFoundError

        raise NotFoundError(kind.capitalize(), object_id)
    points: list[str] = []
    if kind in POINT_OWNER:
        points = list(
            uow.session.scalars(select(ContactPoint.uid).where(POINT_OWNER[kind] == object_id))
        )
    return uid, points


def of_card(db: Database, actor: Actor, kind: str, object_id: int) -> CardConflicts:
    """The open conflicts of card ``(kind, object_id)``: the record's own
    fields, its contact details and its custom field values."""
    if not is_replica(db):
        return CardConflicts("", (), replica=False)
    with db.reader(actor.id) as uow:
        uid, points = card_uids(uow, actor, kind, object_id)
    found = list(use_cases.conflicts(db, actor, kind=kind, uid=uid))
    found += [
        view
        for view in use_cases.conflicts(db, actor, kind="custom_value")
        if view.uid.endswith(":" + uid)
    ]
    for point in points:
        found += use_cases.conflicts(db, actor, kind="contact_point", uid=point)
    return CardConflicts(uid, tuple(found))
