"""Cards that entered the laptop user's view come down whole (issue #20).

A client or lead handed to the user on the server, shared with them, or a
colleague's during a deputy period, is new to the replica while most of
what is on it did not change: its memo, custom values, contact persons and
their details, notes, done interactions, attachments. The pull's cursor is
by ``sync_seq`` and had passed those rows while the user could not see
them, so the feed never sends them again. Two ways a card enters:

- its own row changed (a handover writes ``owner_id``): the pull brings the
  row, and the batch's transaction notes it (``note``: a ``sync_state`` row
  ``entered:<kind>:<uid>`` per card; pull_apply.py; only once the replica
  was seeded whole, since the first copy brings everything anyway);
- it did not (a share, a deputy period): after the pull the server shows a
  card the replica lacks (visibility.py compares the uids).

A noted card keeps the cursor from before the batch that noted it (its
row's value): every row on it with a later
``sync_seq`` is in that pull anyway, so only the rows up to it are read
again, the card's own row included. A card made on the server since the
last pull then costs the lookups only, not a second copy of everything on
it (it did: a colleague's week pulled took twice as long). A shared card
(its row unchanged) is read up to the end.

Both are read here, ``CARDS_PER_STEP`` cards per step (cards of one bound
together): each step is one
snapshot of the server and one replica transaction that holds the cards,
everything on them and the deletion of their rows. A row per card, not one
JSON list: a step writes what it brought, not the whole list again (10,000
cards handed over at once rewrote ~500 KB per step), and the waiting cards
are read once per sync, not twice per step. A sync killed in
the middle resumes with the cards not yet brought and never leaves one
half there: a card either has all its rows from its step or is still
listed (or still missing) for the next pull. A row the replica changed and
has not pushed keeps the replica's value by its clock, as in every pull.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import (
    ContactPoint,
    CustomField,
    CustomValue,
    Memo,
    ScenarioRun,
    ScenarioRunStep,
    SyncState,
)
from services.core.storage import Database
from services.sync import state
from services.sync.tables import KINDS, LINKS, SyncKind, Translator

PARTIES = ("client", "lead")
# What is on a card, by the column naming the card (contact points of its
# contact persons are read by contact_id as well).
UNDER = ("contact", "contact_point", "deal", "interaction", "note", "task", "attachment")
CHUNK = 500
# Cards read and applied in one step: a handover of a whole book of clients
# is many short transactions, not one long one.
CARDS_PER_STEP = 50
PREFIX = "entered:"  # sync_state: one row per noted card, its value the bound
# Kept by builds before the rows: a JSON list and its bounds (read once, then
# written as rows).
LEGACY, LEGACY_SINCE = "entered", "entered_since"


def rows_in(
    conn: Any, spec: SyncKind, column: str, ids: list[Any], upto: int | None = None
) -> list[Any]:
    """The rows of ``spec`` whose ``column`` is one of ``ids``, 500 at a time
    (``upto``: only those numbered up to that cursor)."""
    table = spec.model.__table__
    out: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        query = select(table).where(table.c[column].in_(ids[start : start + CHUNK]))
        if upto is not None:
            query = query.where(table.c.sync_seq <= upto)
        out += conn.execute(query).mappings()
    return out


def note(session: Session, names: list[str], since: int) -> None:
    """Note cards that entered the view, each with the cursor before the
    batch that noted it (a card noted twice keeps the later one): what is
    on them with a later ``sync_seq`` comes with this pull, so only the
    rows up to it are read again. Writes only these cards' rows."""
    if not names:
        return
    keys = {PREFIX + name: name for name in dict.fromkeys(names)}
    old = dict(
        session.execute(
            select(SyncState.key, SyncState.value).where(SyncState.key.in_(list(keys)))
        ).all()
    )
    for key in keys:
        bound = max(since, int(old[key])) if old.get(key, "").isdigit() else since
        if key in old:
            session.execute(update(SyncState).where(SyncState.key == key).values(value=str(bound)))
        else:
            session.add(SyncState(key=key, value=str(bound)))
    session.flush()


def _noted(session: Session) -> dict[str, int | None]:
    """The noted cards (``kind:uid``) and their bounds, in one read."""
    rows = session.execute(
        select(SyncState.key, SyncState.value)
        .where(SyncState.key.startswith(PREFIX, autoescape=True))
        .order_by(SyncState.key)
    )
    return {k[len(PREFIX) :]: int(v) if v.isdigit() else None for k, v in rows}


def _upgrade(replica: Database) -> None:
    """A list noted by an older build becomes rows (once)."""
    with replica.uow() as uow:
        s = uow.session
        listed = state.get(s, LEGACY)
        if listed is None:
            return
        found = json.loads(state.get(s, LEGACY_SINCE) or "{}")
        since = {str(k): int(v) for k, v in found.items()} if isinstance(found, dict) else {}
        for name in json.loads(listed or "[]"):
            note(s, [str(name)], since.get(str(name), 0))
            if str(name) not in since:  # read to the end, as before
                s.execute(
                    update(SyncState).where(SyncState.key == PREFIX + str(name)).values(value="")
                )
        s.execute(delete(SyncState).where(SyncState.key.in_((LEGACY, LEGACY_SINCE))))
        uow.commit()


def _waiting(replica: Database, seen: dict[str, set[str]]) -> tuple[dict[str, int | None], int]:
    """The cards to read whole with their bounds (those noted as entered,
    then those the server shows and the replica lacks: no bound), and the
    pull cursor, in one read of the replica."""
    with replica.reader() as uow:
        noted = _noted(uow.session)
        held = {
            kind: set(uow.session.execute(select(KINDS[kind].model.uid)).scalars())
            for kind in PARTIES
        }
        cursor = state.cursor(uow.session)
    for kind in PARTIES:
        for uid in sorted(seen[kind] - held[kind]):
            noted.setdefault(f"{kind}:{uid}", None)
    return noted, cursor


def waiting(replica: Database, seen: dict[str, set[str]]) -> list[str]:
    """``kind:uid`` of the cards to read whole: those noted as entered, then
    those the server shows and the replica lacks."""
    return list(_waiting(replica, seen)[0])


def bring_shown(replica: Database, server: Database, seen: dict[str, set[str]]) -> int:
    """Every card waiting (``waiting``), whole, step by step; records changed."""
    from services.sync.pull import Batch
    from services.sync.pull_apply import apply_batch

    _upgrade(replica)
    noted, cursor = _waiting(replica, seen)
    groups: dict[int | None, list[str]] = defaultdict(list)
    for name, upto in noted.items():
        groups[upto].append(name)
    changed = 0
    for upto, group in groups.items():
        for start in range(0, len(group), CARDS_PER_STEP):
            step = group[start : start + CARDS_PER_STEP]
            items = read_cards(server, step, upto)
            changed += apply_batch(replica, server, Batch(items, cursor, True), brought=step)
    return changed


def read_cards(server: Database, names: list[str], upto: int | None = None) -> list[Any]:
    """The cards named ``kind:uid`` and everything on them (numbered up to
    ``upto``, if given), as pulled items, in one snapshot under the user's
    login (RLS decides, as for a pull)."""
    from services.sync.pull import link_items, record_items, server_snapshot

    uids: dict[str, list[str]] = defaultdict(list)
    for name in names:
        kind, _, uid = name.partition(":")
        if kind in PARTIES:
            uids[kind].append(uid)
    with server_snapshot(server) as conn, Session(bind=conn) as session:
        found: list[tuple[SyncKind, Any]] = []
        for kind in PARTIES:
            found += _on_cards(conn, kind, uids[kind], upto)
        found += _memos_and_values(conn, found, upto)
        found += _runs(conn, found, upto)
        if upto is not None:  # a card's own row past it came with the pull that noted it
            found = [
                (sp, r) for sp, r in found if sp.kind not in PARTIES or (r["sync_seq"] or 0) <= upto
            ]
        tr = Translator(session)
        items: list[Any] = record_items(session, tr, found)
        # The contact persons of the interactions brought and the mentions
        # of the notes (links have no card column).
        for link in LINKS.values():
            owners = [row["id"] for sp, row in found if sp.kind == link.owner_kind]
            for start in range(0, len(owners), CHUNK):
                chunk = owners[start : start + CHUNK]
                rows = conn.execute(select(link.table).where(link.table.c[link.owner].in_(chunk)))
                items += link_items(tr, link, list(rows.mappings()))
        conn.rollback()
    return items


def _on_cards(
    conn: Any, kind: str, uids: list[str], upto: int | None
) -> list[tuple[SyncKind, Any]]:
    """The cards, their contact persons, contact details, deals,
    interactions, notes, tasks and attachments."""
    spec = KINDS[kind]
    cards = rows_in(conn, spec, "uid", uids)
    found: list[tuple[SyncKind, Any]] = [(spec, row) for row in cards]
    ids = [row["id"] for row in cards]
    for under in UNDER:
        rows = rows_in(conn, KINDS[under], f"{kind}_id", ids, upto)
        found += [(KINDS[under], row) for row in rows]
    contacts = [row["id"] for sp, row in found if sp.kind == "contact"]
    known = {row["id"] for sp, row in found if sp.kind == "contact_point"}
    points = rows_in(conn, KINDS["contact_point"], ContactPoint.contact_id.key, contacts, upto)
    found += [(KINDS["contact_point"], row) for row in points if row["id"] not in known]
    return found


def _memos_and_values(
    conn: Any, found: list[tuple[SyncKind, Any]], upto: int | None
) -> list[tuple[SyncKind, Any]]:
    """The memos of the cards, their contact persons and deals, and the
    custom values of the cards and contact persons."""
    ids: dict[str, set[Any]] = defaultdict(set)
    for spec, row in found:
        if spec.kind in (*PARTIES, "contact", "deal"):
            ids[spec.kind].add(row["id"])
    every = sorted({i for group in ids.values() for i in group})
    out: list[tuple[SyncKind, Any]] = [
        (KINDS["memo"], row)
        for row in rows_in(conn, KINDS["memo"], Memo.object_id.key, every, upto)
        if row["object_id"] in ids.get(row["object_kind"], ())
    ]
    field_kind = dict(conn.execute(select(CustomField.id, CustomField.entity_kind)).all())
    out += [
        (KINDS["custom_value"], row)
        for row in rows_in(conn, KINDS["custom_value"], CustomValue.entity_id.key, every, upto)
        if row["entity_id"] in ids.get(field_kind.get(row["field_id"], ""), ())
    ]
    return out


def _runs(
    conn: Any, found: list[tuple[SyncKind, Any]], upto: int | None
) -> list[tuple[SyncKind, Any]]:
    """The scenario runs on the clients and their steps."""
    clients = [row["id"] for spec, row in found if spec.kind == "client"]
    runs = rows_in(conn, KINDS["scenario_run"], ScenarioRun.client_id.key, clients, upto)
    steps = rows_in(
        conn, KINDS["scenario_run_step"], ScenarioRunStep.run_id.key, [r["id"] for r in runs], upto
    )
    return [(KINDS["scenario_run"], r) for r in runs] + [
        (KINDS["scenario_run_step"], r) for r in steps
    ]


def forget(session: Session, names: list[str]) -> None:
    """Take the cards just brought off the noted ones, in the transaction
    that brought them."""
    if names:
        session.execute(delete(SyncState).where(SyncState.key.in_([PREFIX + n for n in names])))
