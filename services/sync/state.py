"""A replica's ``sync_state`` rows: who it is, where its server is, how far
it has pulled. Read and written inside the caller's unit of work, so the
cursor moves in the same transaction as the rows it covers.

Keys: ``node`` (the clock's node id), ``server_url`` (never with a
password), ``login``, ``cursor`` (the server's sync_seq pulled up to),
``last_push_at``, ``last_pull_at``, ``schema_rev``, ``hlc_last`` (the
replica's clock), ``unresolved`` (JSON: records the pull could not place),
``entered:<kind>:<uid>`` (a card waiting to come down whole, card_arrival.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import SyncState
from services.sync.clock import ZERO, Hlc


def read(session: Session) -> dict[str, str]:
    """Every setting and cursor, without the cards waiting to come down
    (``entered:…`` rows, card_arrival.py: up to one per card handed over)."""
    rows = session.execute(
        select(SyncState.key, SyncState.value).where(
            ~SyncState.key.startswith("entered:", autoescape=True)
        )
    )
    return {key: value for key, value in rows}


def get(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return None if row is None else row.value


def put(session: Session, key: str, value: str) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def replica_node(session: Session) -> str | None:
    """This database's node when it is a laptop replica; None on the team
    server (PostgreSQL: its sync_state stays empty) and a single-user file."""
    if session.get_bind().dialect.name == "postgresql":
        return None
    return get(session, "node")


def cursor(session: Session) -> int:
    return int(get(session, "cursor") or 0)


def last_clock(session: Session) -> Hlc:
    text = get(session, "hlc_last")
    return Hlc.decode(text) if text else ZERO


def moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
