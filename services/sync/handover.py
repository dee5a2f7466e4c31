"""Handing a laptop's scenario runs back to the server (issue #20).

A run started on a laptop replica is executed by that laptop alone
(``scenario_runs.executor``, services/sync/scenario_kinds.py). When the
manager stops working offline, the laptop's live runs must not be left
with nobody to execute them: after a final sync, the laptop clears their
executor, so the server's runner takes them from the next pass, and syncs
again. A letter still waiting in this laptop's outbox is taken out of it
and its step goes back to pending: the server writes it into its own outbox
(with the text the planned interaction holds) and sends it once. A letter
already being sent or sent stays the laptop's; the steps are settled first
so a sent letter is recorded as sent.

Needs the server: offline it refuses (``ServerOffline``) and changes
nothing, so the runs go on running on the laptop.

"Stop without them" (``others=False``) leaves the laptop's other pending
changes unpushed: its syncs push only the actions that carry the runs
(their creation, their steps' outcomes, the hand-back itself) and the
actions that created what those name (a contact person or a client made
offline that a run is on: without them the server would refuse the run),
and those that created, edited or removed a contact detail of the contact
person or card a run is on (where its letters go: without the edit the
server's run would write to the old address). A removed detail's card is
no longer on the laptop; the server says whose it was.
Everything else stays pending in the laptop's file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select

from models import Client, Contact, ContactPoint, OutboxItem, ScenarioRun, ScenarioRunStep, SyncLog
from services.core.storage import Database
from services.scenarios import settlement
from services.sync import online, scenario_kinds, use_cases
from services.sync.log import CREATED, TOMBSTONE
from services.sync.scheduled import NotAReplica, ServerOffline
from services.sync.types import SyncReport

LIVE = ("active", "paused")
RUN_KINDS = scenario_kinds.RECORDS
RETURNED = "handed to the server to send"


@dataclasses.dataclass(frozen=True)
class HandBack:
    runs: int  # live runs the server executes from now on
    letters: int  # letters taken out of this laptop's outbox for the server to send
    report: SyncReport  # the sync that told the server


def runs_here(replica: Database) -> int:
    """Live runs this laptop executes (none on the server or a plain file)."""
    with replica.reader() as uow:
        node = scenario_kinds.executing_node(uow.session)
        if node is None:
            return 0
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(ScenarioRun)
                .where(ScenarioRun.executor == node, ScenarioRun.state.in_(LIVE))
            )
            or 0
        )


def release(replica: Database, now: dt.datetime) -> tuple[int, int]:
    """One unit of work on the laptop: its live runs lose their executor and
    their unsent letters go back to pending steps. Logged like any edit, so
    the next push tells the server. Returns (runs, letters)."""
    with replica.reader() as uow:
        node = scenario_kinds.executing_node(uow.session)
    if node is None:
        raise NotAReplica()
    settlement.settle(replica, now, node)
    with replica.uow() as uow:
        session = uow.session
        runs = list(
            session.scalars(
                select(ScenarioRun).where(ScenarioRun.executor == node, ScenarioRun.state.in_(LIVE))
            )
        )
        letters = 0
        for run in runs:
            run.executor = None
            steps = session.scalars(
                select(ScenarioRunStep).where(
                    ScenarioRunStep.run_id == run.id,
                    ScenarioRunStep.state.in_(("running", "queued")),
                )
            )
            for step in steps:
                if step.state == "queued":
                    item = session.get(OutboxItem, step.outbox_id) if step.outbox_id else None
                    if item is None or item.state != "queued":
                        continue  # being sent or sent: this laptop's letter
                    item.state, item.last_error = "failed", RETURNED
                    step.outbox_id = None
                    letters += 1
                step.state = "pending"
                step.claim_token, step.claimed_until, step.next_try_utc = None, None, None
        uow.commit()
    return len(runs), letters


def _strings(value: Any) -> Iterator[str]:
    """Every string in a logged value (references are uids)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _named(row: Any) -> set[str]:
    """The uids a log row names: its record (a link names two) and every
    uid in its value."""
    named = {row.uid, *row.uid.split(":")}
    named.update(_strings(json.loads(row.value)) if row.value else ())
    return named


def _on_runs(replica: Database, rows: Sequence[Any]) -> set[str]:
    """The uids of the clients and contact persons of the runs the pending
    rows carry and of the live runs this laptop executes."""
    named = {uid for r in rows if r.kind in RUN_KINDS for uid in _named(r)}
    with replica.reader() as uow:
        s = uow.session
        node = scenario_kinds.executing_node(s)
        runs = s.execute(
            select(
                ScenarioRun.uid, ScenarioRun.executor, ScenarioRun.state, Client.uid, Contact.uid
            )
            .join(Client, Client.id == ScenarioRun.client_id)
            .join(Contact, Contact.id == ScenarioRun.contact_id)
        ).all()
    out: set[str] = set()
    for uid, executor, run_state, client_uid, contact_uid in runs:
        if uid in named or (node is not None and executor == node and run_state in LIVE):
            out |= {client_uid, contact_uid}
    return out


def _point_cards(replica: Database, server: Database | None, uids: set[str]) -> dict[str, set[str]]:
    """Contact detail uid -> the uids of the card and contact person it is
    on: the laptop's row, else (removed offline) the server's."""
    out: dict[str, set[str]] = defaultdict(set)
    for db in (replica, server):
        wanted = sorted(uids - set(out))
        if db is None or not wanted:
            continue
        with db.reader() as uow:
            for start in range(0, len(wanted), 500):
                rows = uow.session.execute(
                    select(ContactPoint.uid, Client.uid, Contact.uid)
                    .outerjoin(Contact, Contact.id == ContactPoint.contact_id)
                    .outerjoin(
                        Client,
                        Client.id == func.coalesce(ContactPoint.client_id, Contact.client_id),
                    )
                    .where(ContactPoint.uid.in_(wanted[start : start + 500]))
                )
                for point, *cards in rows:
                    out[point].update(c for c in cards if c)
    return out


def run_actions(replica: Database, server: Database | None = None) -> set[str]:
    """The pending actions (``op_uid``) that carry scenario runs or their
    steps, with every pending action that created a record they name, and
    so on; and the actions that created, edited or removed a contact detail
    of the contact person or card a run is on (the address its letters go
    to; ``server`` tells whose a removed one was): what the server needs to
    take the runs and nothing more."""
    with replica.reader() as uow:
        rows = uow.session.execute(
            select(SyncLog.op_uid, SyncLog.kind, SyncLog.uid, SyncLog.field, SyncLog.value)
            .where(SyncLog.state == "pending")
            .order_by(SyncLog.seq)
        ).all()
    by_op: dict[str, list[Any]] = defaultdict(list)
    made_by: dict[str, str] = {}
    for row in rows:
        by_op[row.op_uid].append(row)
        if row.field == CREATED:
            made_by.setdefault(row.uid, row.op_uid)
    chosen = {op for op, ops_rows in by_op.items() if any(r.kind in RUN_KINDS for r in ops_rows)}
    on_runs = {uid for r in rows if r.kind == "scenario_run" for uid in _named(r)}
    on_runs |= _on_runs(replica, rows)
    chosen |= {
        r.op_uid
        for r in rows
        if r.kind == "contact_point" and r.field == CREATED and _named(r) & on_runs
    }
    changed = {r.uid for r in rows if r.kind == "contact_point" and r.field != CREATED}
    cards = _point_cards(replica, server, changed) if changed and on_runs else {}
    chosen |= {
        r.op_uid
        for r in rows
        if r.kind == "contact_point"
        and r.field != CREATED
        and (cards.get(r.uid, set()) | (_named(r) if r.field != TOMBSTONE else set())) & on_runs
    }
    todo = list(chosen)
    while todo:
        for row in by_op[todo.pop()]:
            for uid in _named(row):
                op = made_by.get(uid)
                if op is not None and op not in chosen:
                    chosen.add(op)
                    todo.append(op)
    return chosen


def hand_back(
    replica: Database,
    *,
    others: bool = True,
    now: dt.datetime | None = None,
    probe: Callable[[str], bool] = online.reachable,
    connect: Callable[[Database], Database] = use_cases.open_server,
) -> HandBack:
    """Sync, give the laptop's live runs to the server, sync again.
    ``others=False``: the syncs push only what the runs need
    (``run_actions``); the laptop's other pending changes stay pending."""
    status = use_cases.status(replica)
    if not status.is_replica or not status.server_url:
        raise NotAReplica()
    if not probe(status.server_url):
        raise ServerOffline(status.server_url)

    server_db = connect(replica)

    def only() -> set[str] | None:
        return None if others else run_actions(replica, server_db)

    try:
        use_cases.sync(replica, server_db, only=only())
        runs, letters = release(replica, now or dt.datetime.now(dt.UTC))
        report = use_cases.sync(replica, server_db, only=only())
    finally:
        server_db.dispose()
    return HandBack(runs, letters, report)
