"""Clients, leads and contact persons that left the user's view leave the
replica; cards that entered it come down with what is on them.

A transfer to a colleague, a share withdrawn or a deputy's time ended make
row-level security hide a card on the server without changing its row, so
no numbered change ever says so. After every pull the replica compares the
uids of the clients and leads it holds with those the login sees now;
one the server no longer shows, and that is not waiting to be pushed as
new, is removed here with everything under it (services/sync/removal.py).
It costs one uid list per kind per pull. This replaces the
``sync_visibility`` table sketched in docs/offline-sync.md. A contact
person moved to a card the user may not see is hidden the same way (its
row changed, but the pull no longer sees it) and goes too, with what only
it holds.

The other way round (a card shared with the user, a deputy period begun, a
client handed to them) most of what is on the card did not change, and the
cursor had passed it: such cards are read whole, in steps, by
services/sync/card_arrival.py (the files follow as a sync's prefetch or on
opening).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Client,
    Contact,
    ContactPoint,
    CustomField,
    CustomValue,
    Lead,
    Memo,
    ScenarioRun,
    SyncLog,
)
from services.core.storage import Database
from services.sync import card_arrival, scenario_kinds, state
from services.sync.removal import detach, remove
from services.sync.tables import KINDS, LINKS, SyncKind, Translator

PARTIES = (("client", Client), ("lead", Lead))
CHUNK = 500


def _rows(conn: Any, spec: SyncKind, column: str, ids: list[Any]) -> list[Any]:
    table = spec.model.__table__
    out: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        out += conn.execute(
            select(table).where(table.c[column].in_(ids[start : start + CHUNK]))
        ).mappings()
    return out


def _waiting(session: Session, kind: str) -> set[str]:
    """Records of ``kind`` with changes not pushed yet: kept until a push
    has had the server's word on them (refused, they are listed)."""
    return set(
        session.execute(
            select(SyncLog.uid).where(SyncLog.kind == kind, SyncLog.state == "pending")
        ).scalars()
    )


def _run_here(session: Session) -> set[str]:
    """Contact persons a live run executed by this laptop is on: the run
    would be lost with them (nobody else runs it), so they stay until the
    run is handed back or ends."""
    node = scenario_kinds.executing_node(session)
    if node is None:
        return set()
    return set(
        session.execute(
            select(Contact.uid)
            .join(ScenarioRun, ScenarioRun.contact_id == Contact.id)
            .where(ScenarioRun.executor == node, ScenarioRun.state.in_(("active", "paused")))
        ).scalars()
    )


def _drop_contacts(session: Session, seen: set[str]) -> int:
    """Contact persons the server no longer shows while their card is still
    here (moved to a card the user may not see), with their contact
    details, memos, custom values and call links; what is on the card and
    only names them stays, without the name."""
    keep = _waiting(session, "contact") | _run_here(session)
    gone = [
        local_id
        for local_id, uid in session.execute(select(Contact.id, Contact.uid))
        if uid not in seen and uid not in keep
    ]
    detach(session, "contacts", gone)
    return remove(session, "contacts", gone)


def drop_hidden(replica: Database, server: Database) -> int:
    with server.reader() as uow:
        seen = {
            kind: set(uow.session.execute(select(model.uid)).scalars()) for kind, model in PARTIES
        }
        contacts = set(uow.session.execute(select(Contact.uid)).scalars())
    from services.sync.pull import APPLYING

    removed = 0
    with replica.uow() as uow:
        session = uow.session
        session.info[APPLYING] = True
        for kind, model in PARTIES:
            waiting = _waiting(session, kind)
            gone = [
                local_id
                for local_id, uid in session.execute(select(model.id, model.uid))
                if uid not in seen[kind] and uid not in waiting
            ]
            removed += remove(session, model.__tablename__, gone)
        removed += _drop_contacts(session, contacts)
        uow.commit()
    return removed + card_arrival.bring_shown(replica, server, seen)


def bring_arrived_contacts(replica: Database, server: Database) -> int:
    """Contact persons the pulls brought new to the replica
    (``sync_state["arrived"]``, pull_apply.py): one moved onto a card the
    user sees changed its own row, not its contact details, memo, custom
    values or call links, whose numbers the cursor may have passed while
    they were hidden; those are read here. For a contact person just made on
    the server they came with the pull and are applied again harmlessly,
    by their clocks. Marks the replica seeded after its first whole pull."""
    from services.sync.pull import Batch, server_snapshot
    from services.sync.pull_apply import apply_batch

    with replica.reader() as uow:
        arrived = [str(u) for u in json.loads(state.get(uow.session, "arrived") or "[]")]
        seeded = bool(state.get(uow.session, "seeded"))
        cursor = state.cursor(uow.session)
    changed = 0
    if arrived:
        with server_snapshot(server) as conn, Session(bind=conn) as session:
            items = _on_contacts(conn, session, arrived)
            conn.rollback()
        if items:
            changed = apply_batch(replica, server, Batch(items, cursor, True))
    if arrived or not seeded:
        with replica.uow() as uow:
            state.put(uow.session, "arrived", "[]")
            state.put(uow.session, "seeded", "1")
            uow.commit()
    return changed


def _on_contacts(conn: Any, session: Session, uids: list[str]) -> list[Any]:
    """What is on these contact persons on the server, as pulled items."""
    from services.sync.pull import link_items, record_items

    ids = [row["id"] for row in _rows(conn, KINDS["contact"], "uid", uids)]
    found: list[tuple[SyncKind, Any]] = [
        (KINDS["contact_point"], row)
        for row in _rows(conn, KINDS["contact_point"], ContactPoint.contact_id.key, ids)
    ]
    found += [
        (KINDS["memo"], row)
        for row in _rows(conn, KINDS["memo"], Memo.object_id.key, ids)
        if row["object_kind"] == "contact"
    ]
    fields = set(
        conn.execute(select(CustomField.id).where(CustomField.entity_kind == "contact")).scalars()
    )
    found += [
        (KINDS["custom_value"], row)
        for row in _rows(conn, KINDS["custom_value"], CustomValue.entity_id.key, ids)
        if row["field_id"] in fields
    ]
    tr = Translator(session)
    items: list[Any] = record_items(session, tr, found)
    link = LINKS["interaction_contact"]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = conn.execute(select(link.table).where(link.table.c[link.other].in_(chunk)))
        items += link_items(tr, link, list(rows.mappings()))
    return items
