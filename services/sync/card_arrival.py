"""Cards that entered the laptop user's view come down whole (issue #20).

A client or lead handed to the user on the server, shared with them, or a
colleague's during a deputy period, is new to the replica while most of
what is on it did not change: its memo, custom values, contact persons and
their details, notes, done interactions, attachments. The pull's cursor is
by ``sync_seq`` and had passed those rows while the user could not see
them, so the feed never sends them again. Two ways a card enters:

- its own row changed (a handover writes ``owner_id``): the pull brings the
  row, and the batch's transaction notes it in ``sync_state["entered"]``
  (pull_apply.py; only once the replica was seeded whole, since the first
  copy brings everything anyway);
- it did not (a share, a deputy period): after the pull the server shows a
  card the replica lacks (visibility.py compares the uids).

A noted card keeps the cursor from before the batch that noted it
(``sync_state["entered_since"]``): every row on it with a later
``sync_seq`` is in that pull anyway, so only the rows up to it are read
again. A card made on the server since the last pull then costs the
lookups only, not a second copy of everything on it (it did: a colleague's
week pulled took twice as long). A shared card (its row unchanged) is read
up to the end.

Both are read here, ``CARDS_PER_STEP`` cards per step (cards of one bound
together): each step is one
snapshot of the server and one replica transaction that holds the cards,
everything on them and their removal from ``entered``. A sync killed in
the middle resumes with the cards not yet brought and never leaves one
half there: a card either has all its rows from its step or is still
listed (or still missing) for the next pull. A row the replica changed and
has not pushed keeps the replica's value by its clock, as in every pull.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ContactPoint, CustomField, CustomValue, Memo, ScenarioRun, ScenarioRunStep
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
SINCE = "entered_since"  # sync_state: {"kind:uid": cursor before the batch that noted it}


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


def bounds(session: Session) -> dict[str, int]:
    """The noted cards' cursors (``SINCE``)."""
    found = json.loads(state.get(session, SINCE) or "{}")
    return {str(k): int(v) for k, v in found.items()} if isinstance(found, dict) else {}


def waiting(replica: Database, seen: dict[str, set[str]]) -> list[str]:
    """``kind:uid`` of the cards to read whole: those noted as entered, then
    those the server shows and the replica lacks."""
    with replica.reader() as uow:
        entered = [str(n) for n in json.loads(state.get(uow.session, "entered") or "[]")]
        held = {
            kind: set(uow.session.execute(select(KINDS[kind].model.uid)).scalars())
            for kind in PARTIES
        }
    missing = [f"{kind}:{uid}" for kind in PARTIES for uid in sorted(seen[kind] - held[kind])]
    return list(dict.fromkeys([*entered, *missing]))


def bring_shown(replica: Database, server: Database, seen: dict[str, set[str]]) -> int:
    """Every card waiting (``waiting``), whole, step by step; records changed."""
    from services.sync.pull import Batch
    from services.sync.pull_apply import apply_batch

    names = waiting(replica, seen)
    with replica.reader() as uow:
        noted = bounds(uow.session)
    groups: dict[int | None, list[str]] = defaultdict(list)
    for name in names:
        groups[noted.get(name)].append(name)
    changed = 0
    for upto, group in groups.items():
        for start in range(0, len(group), CARDS_PER_STEP):
            step = group[start : start + CARDS_PER_STEP]
            items = read_cards(server, step, upto)
            with replica.reader() as uow:
                cursor = state.cursor(uow.session)
            changed += apply_batch(replica, server, Batch(items, cursor, True), brought=step)
    return changed


def read_cards(server: Database, names: list[str], upto: int | None = None) -> list[Any]:
    """The cards named ``kind:uid`` and everything on them (numbered up to
    ``upto``, if given), as pulled items, in one snapshot under the user's
    login (RLS decides, as for a pull)."""
    from services.sync.pull import _items, _snapshot, link_items

    uids: dict[str, list[str]] = defaultdict(list)
    for name in names:
        kind, _, uid = name.partition(":")
        if kind in PARTIES:
            uids[kind].append(uid)
    with _snapshot(server) as conn, Session(bind=conn) as session:
        found: list[tuple[SyncKind, Any]] = []
        for kind in PARTIES:
            found += _on_cards(conn, kind, uids[kind], upto)
        found += _memos_and_values(conn, found, upto)
        found += _runs(conn, found, upto)
        tr = Translator(session)
        items: list[Any] = _items(session, tr, found)
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
    """Take the cards just brought off ``sync_state["entered"]``, in the
    transaction that brought them."""
    old = [str(n) for n in json.loads(state.get(session, "entered") or "[]")]
    done = set(names)
    left = [n for n in old if n not in done]
    if left != old:
        state.put(session, "entered", json.dumps(left))
    noted = bounds(session)
    kept = {name: upto for name, upto in noted.items() if name not in done}
    if kept != noted:
        state.put(session, SINCE, json.dumps(kept))
