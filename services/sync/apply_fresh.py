"""Records a push creates that the server has never had, read per batch.

Creating a pushed record asks the server two things first: is the record
there already (a resumed push: creation is idempotent by uid) and was it
removed (a tombstone). Each was a single-row round trip under row-level
security, two for every created record, about a fifth of a pushed
action's statements (bench/README.md, "replica.py"). A laptop's week is
mostly new records with new UUIDv7 uids, so the push asks once for its
whole batch of actions: which created uids are neither rows nor
tombstones on the server now. Those are "fresh".

Each uid is answered fresh at most once, to the first pushed row that
names it: any later row of the same uid in the push (a second creation of
it, an action retried in parts after a refusal rolled the first attempt
back, a creation after a removal in the same batch) asks the server again
as before. So a fresh answer is only ever given while nothing of this
push can have written that uid, and whatever else could is another
laptop's record with another uid. Row-level security applies to the batch
read as it did to the single reads: a record the login cannot see looks
absent either way.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.sync import SyncTombstone
from services.sync import tables
from services.sync.apply_rows import Pushed
from services.sync.log import CREATED

CHUNK = 500  # uids per IN list


class Fresh:
    """The created uids a batch may treat as new, each answered once."""

    def __init__(self, uids: Iterable[tuple[str, str]] = ()) -> None:
        self._uids = set(uids)

    def __len__(self) -> int:
        return len(self._uids)

    def take(self, kind: str, uid: str) -> bool:
        """True once for a uid read as fresh; False ever after, and for the rest."""
        key = (kind, uid)
        if key in self._uids:
            self._uids.discard(key)
            return True
        return False


def read(session: Session, rows: Iterable[Pushed]) -> Fresh:
    """Of the uids these rows create, those the server has neither as a
    record nor as a tombstone: a query per kind and one for the
    tombstones, per 500 uids."""
    created: dict[str, set[str]] = {}
    for row in rows:
        kind = tables.KINDS.get(row.kind)
        if row.field == CREATED and kind is not None and kind.key == "uid":
            created.setdefault(row.kind, set()).add(row.uid)
    fresh: set[tuple[str, str]] = set()
    for kind_name, uids in created.items():
        model = tables.KINDS[kind_name].model
        wanted = sorted(uids)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            seen = set(session.scalars(select(model.uid).where(model.uid.in_(chunk))))
            dead = set(
                session.scalars(
                    select(SyncTombstone.uid).where(
                        SyncTombstone.kind == kind_name, SyncTombstone.uid.in_(chunk)
                    )
                )
            )
            fresh.update((kind_name, uid) for uid in chunk if uid not in seen and uid not in dead)
    return Fresh(fresh)
