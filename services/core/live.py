"""Live updates between desktops of a team database (#19 item 5).

Revision 0019's triggers announce every change to the card tables on the
PostgreSQL channel ``touchpoint`` with kinds and ids only, never data. A
desktop listens on a connection of its own (``listen``, run on a thread by
``desktop/live_updates.py``) and turns what it hears into ``Changes`` by
reading those ids again through its own session (``changes_for``), so row-
level security drops whatever the user may not see: a colleague's change
to a colleague's client makes no sound here.

The payload comes from the server but any login may NOTIFY on the channel:
it is parsed as hostile (bounded, typed, known kinds only).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from services.core.access import Actor
from services.core.changes import Changes, Ids
from services.core.storage import Database

log = logging.getLogger(__name__)

CHANNEL = "touchpoint"
MAX_PAYLOAD = 8000  # PostgreSQL's own limit on a NOTIFY payload
MAX_IDS = 200
MAX_BATCH = 500  # notices turned into one Changes value at most
BATCH_WAIT_S = 0.3
POLL_S = 1.0
RETRY_S = (1.0, 2.0, 5.0, 10.0, 30.0)
OPS = {"insert": "created", "update": "updated", "delete": "removed"}
CARD_KINDS = ("client", "lead", "contact", "deal")


@dataclasses.dataclass(frozen=True)
class Notice:
    """One statement's change: ``ids`` None when it changed too many rows."""

    kind: str
    op: str  # insert | update | delete
    ids: tuple[int, ...] | None


def _models() -> dict[str, Any]:
    from models import (
        Attachment,
        Client,
        Contact,
        Deal,
        InboundRequest,
        Interaction,
        Lead,
        Note,
        ScenarioRun,
        SupportTicket,
        Task,
    )

    return {
        "client": Client,
        "lead": Lead,
        "contact": Contact,
        "deal": Deal,
        "interaction": Interaction,
        "note": Note,
        "task": Task,
        "inbound_request": InboundRequest,
        "ticket": SupportTicket,
        "scenario_run": ScenarioRun,
        "attachment": Attachment,  # migration 0046
    }


KINDS = frozenset(
    (
        "client",
        "lead",
        "contact",
        "deal",
        "interaction",
        "note",
        "task",
        "inbound_request",
        "ticket",
        "scenario_run",
        "attachment",
    )
)


def parse(payload: str) -> Notice | None:
    """A notice, or None for anything that is not one of ours."""
    if len(payload) > MAX_PAYLOAD:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    kind, op, ids = data.get("kind"), data.get("op"), data.get("ids")
    if kind not in KINDS or op not in OPS:
        return None
    if ids is None:
        return Notice(kind, op, None)
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_IDS
        or not all(type(i) is int and 0 < i < 2**63 for i in ids)
    ):
        return None
    return Notice(kind, op, tuple(ids))


def changes_for(db: Database, actor: Actor, notices: list[Notice]) -> Changes:
    """What ``notices`` mean to this user, read through their own session:
    ids they cannot see are dropped; a removed row cannot be read again and
    is passed on by id."""
    buckets: dict[str, dict[str, set[int]]] = {"created": {}, "updated": {}, "removed": {}}
    whole: dict[str, set[str]] = {"created": set(), "updated": set(), "removed": set()}
    wanted: dict[str, set[int]] = {}
    for notice in notices[:MAX_BATCH]:
        bucket = OPS[notice.op]
        if notice.ids is None:
            whole[bucket].add(notice.kind)
        else:
            buckets[bucket].setdefault(notice.kind, set()).update(notice.ids)
            if bucket != "removed":
                wanted.setdefault(notice.kind, set()).update(notice.ids)
    seen, cards = _visible(db, actor, wanted)
    for bucket in ("created", "updated"):
        for kind, ids in list(buckets[bucket].items()):
            buckets[bucket][kind] = ids & seen.get(kind, set())
    changes = Changes.of(
        created=buckets["created"],
        updated=buckets["updated"],
        removed=buckets["removed"],
        cards=cards,
    )
    if any(whole.values()):
        changes = changes | Changes(
            created={k: Ids() for k in whole["created"]},
            updated={k: Ids() for k in whole["updated"]},
            removed={k: Ids() for k in whole["removed"]},
        )
    return changes


def _visible(
    db: Database, actor: Actor, wanted: dict[str, set[int]]
) -> tuple[dict[str, set[int]], set[tuple[str, int]]]:
    models = _models()
    seen: dict[str, set[int]] = {}
    cards: set[tuple[str, int]] = set()
    if not wanted:
        return seen, cards
    with db.reader(actor.id) as uow:
        for kind, ids in wanted.items():
            model = models[kind]
            columns = [model.id] + [
                getattr(model, f"{card}_id")
                for card in CARD_KINDS
                if hasattr(model, f"{card}_id") and card != kind
            ]
            for row in uow.session.execute(select(*columns).where(model.id.in_(ids))):
                seen.setdefault(kind, set()).add(row.id)
                if kind in CARD_KINDS:
                    cards.add((kind, row.id))
                for card in CARD_KINDS:
                    value = getattr(row, f"{card}_id", None)
                    if value is not None:
                        cards.add((card, value))
    return seen, cards


def listen(
    db: Database,
    stop: threading.Event,
    deliver: Callable[[list[Notice]], None],
    *,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Listen on a connection of its own until ``stop``; hand each batch of
    notices (those arriving within ``BATCH_WAIT_S``) to ``deliver``. A lost
    connection is opened again, waiting longer each time."""
    failures = 0
    while not stop.is_set():
        try:
            _listen_once(db, stop, deliver, on_listening)
            failures = 0
        except (DBAPIError, OSError) as exc:
            wait = RETRY_S[min(failures, len(RETRY_S) - 1)]
            failures += 1
            log.warning("live updates: %s; listening again in %.0f s", exc, wait)
            stop.wait(wait)


def _listen_once(
    db: Database,
    stop: threading.Event,
    deliver: Callable[[list[Notice]], None],
    on_listening: Callable[[], None] | None,
) -> None:
    raw = db.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        conn.rollback()
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANNEL}")
        if on_listening is not None:
            on_listening()
        while not stop.is_set():
            batch: list[Notice] = []
            deadline: float | None = None
            for note in conn.notifies(timeout=POLL_S):
                notice = parse(note.payload) if note.channel == CHANNEL else None
                if notice is not None:
                    batch.append(notice)
                    deadline = deadline or time.monotonic() + BATCH_WAIT_S
                if stop.is_set() or len(batch) >= MAX_BATCH:
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    break
            if batch:
                deliver(batch)
    finally:
        raw.invalidate()  # a LISTENing connection never goes back to the pool
