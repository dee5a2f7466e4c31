"""Putting an imported letter's or call's interaction on the card the owner
rule chose, in bulk: new interactions, moves when the owners of an address
changed (re-ranking), and exactly the right contact persons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import (
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from models import Attachment, Interaction, interaction_contacts
from services.linking import replica_log, staging

BATCH = 5000

_INTERACTIONS = cast(Table, Interaction.__table__)
_ATTACHMENTS = cast(Table, Attachment.__table__)
_MOVE = (
    update(_INTERACTIONS)
    .where(_INTERACTIONS.c.id == bindparam("iid"))
    .values(
        client_id=bindparam("client_id"),
        lead_id=bindparam("lead_id"),
        direction=bindparam("direction"),
        updated_at=bindparam("now"),
        row_version=_INTERACTIONS.c.row_version + 1,
    )
)
_MOVE_ATTACHMENTS = (
    update(_ATTACHMENTS)
    .where(_ATTACHMENTS.c.interaction_id == bindparam("iid"))
    .values(client_id=bindparam("client_id"), lead_id=bindparam("lead_id"))
)


def insert_interactions(session: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert, then read the ids back by their unique source keys; ids come
    in the order given. On SQLite the rows go through a temporary table and
    one INSERT ... SELECT: each statement flushes the search index (an FTS5
    trigger), so a thousand one-row statements cost 3-4x one statement of a
    thousand rows."""
    if not rows:
        return []
    kind = rows[0]["source_kind"]
    sqlite = staging.on_sqlite(session)
    ids: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        if sqlite:
            staging.insert_rows(session, _INTERACTIONS, chunk)
        else:
            session.execute(insert(_INTERACTIONS), chunk)
        keys = [r["source_key"] for r in chunk]
        found = session.execute(
            select(Interaction.source_key, Interaction.id).where(
                Interaction.source_kind == kind, Interaction.source_key.in_(keys)
            )
        )
        for key, iid in found:
            ids[str(key)] = iid
    made = [ids[r["source_key"]] for r in rows]
    replica_log.created(session, made)
    return made


def current(session: Any, interaction_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """(client_id, lead_id, direction, contact ids) of each interaction."""
    wanted = sorted(set(interaction_ids))
    found: dict[int, tuple[Any, ...]] = {}
    contacts: dict[int, set[int]] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        for r in session.execute(
            select(
                Interaction.id, Interaction.client_id, Interaction.lead_id, Interaction.direction
            ).where(Interaction.id.in_(chunk))
        ):
            found[r.id] = (r.client_id, r.lead_id, r.direction)
        for iid, cid in session.execute(
            select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id).where(
                interaction_contacts.c.interaction_id.in_(chunk)
            )
        ):
            contacts.setdefault(iid, set()).add(cid)
    return {iid: (*value, tuple(sorted(contacts.get(iid, ())))) for iid, value in found.items()}


def move(session: Any, moves: Sequence[Mapping[str, Any]], now: dt.datetime) -> None:
    """Put interactions on another party: ``moves`` carry iid, client_id,
    lead_id, direction; their attachments follow."""
    if not moves:
        return
    session.execute(_MOVE, [dict(m) | {"now": now} for m in moves])
    session.execute(
        _MOVE_ATTACHMENTS,
        [{"iid": m["iid"], "client_id": m["client_id"], "lead_id": m["lead_id"]} for m in moves],
    )
    replica_log.moved(session, [m["iid"] for m in moves])


def set_contacts(session: Any, wanted: Mapping[int, Sequence[int]]) -> None:
    """Each interaction's contact persons become exactly the ones given."""
    ids = sorted(wanted)
    before = replica_log.contacts_before(session, ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        session.execute(
            delete(interaction_contacts).where(interaction_contacts.c.interaction_id.in_(chunk))
        )
    pairs = [
        {"interaction_id": iid, "contact_id": cid}
        for iid in ids
        for cid in sorted(set(wanted[iid]))
    ]
    for start in range(0, len(pairs), BATCH):
        session.execute(insert(interaction_contacts), pairs[start : start + BATCH])
    replica_log.contacts_written(session, wanted, before)


def cards(
    client_id: int | None, lead_id: int | None, contact_ids: Iterable[int]
) -> set[tuple[str, int]]:
    """The cards whose feeds show an item placed so (before a move)."""
    found = {("contact", c) for c in contact_ids}
    if client_id is not None:
        found.add(("client", client_id))
    if lead_id is not None:
        found.add(("lead", lead_id))
    return found
