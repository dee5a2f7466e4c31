"""The change log of links (an interaction's contact persons, a note's mentions).

Link rows are written with Core ``insert``/``delete`` on a table that has no
ORM class, so the flush hook (services/sync/log.py) never sees them: the use
case that writes them calls ``record_links`` in its unit of work, after the
statements, with exactly the pairs it added and removed. On a replica that
is one ``*created`` or ``*tombstone`` row per link in the action's
``op_uid`` (after the rows of the records it names, which the flush before
logged), and the link's local tombstone follows it; on a team server a
re-added link's tombstone is cleared, so a pull never meets a stale removal
after it; on a plain database nothing happens.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from models.base import utcnow
from models.ids import new_uid
from models.sync import SyncLog, SyncTombstone
from services.sync import links
from services.sync.clock_writes import save_hlc
from services.sync.log import (
    APPLYING,
    CREATED,
    OP_UID,
    TOMBSTONE,
    log_row,
    next_stamp,
    node_state,
    writes_logged,
)
from services.sync.tables import Translator


def record_links(
    session: Session,
    kind: str,
    added: Iterable[tuple[int, int]],
    removed: Iterable[tuple[int, int]] = (),
) -> None:
    """Log the links a use case just inserted (``added``) and deleted
    (``removed``), as (owner id, other id) pairs of this database."""
    added, removed = list(added), list(removed)
    if session.info.get(APPLYING) or not (added or removed) or not writes_logged(session):
        return
    link = links.link_of(kind)
    tr = Translator(session)
    made = links.pairs_uids(tr, link, added)
    gone = links.pairs_uids(tr, link, removed)
    if session.get_bind().dialect.name == "postgresql":
        links.clear_tombstones(session, kind, made)
        return
    state = node_state(session)
    node = state.get("node")
    if not node:
        return
    hlc = next_stamp(state)
    op_uid = session.info.setdefault(OP_UID, new_uid())
    now = utcnow()
    rows: list[dict[str, Any]] = [
        log_row(op_uid, kind, uid, CREATED, json.dumps(links.value_of(link, uid)), None, hlc, now)
        for uid in made
    ]
    rows += [log_row(op_uid, kind, uid, TOMBSTONE, None, None, hlc, now) for uid in gone]
    conn = session.connection()
    if rows:
        conn.execute(insert(cast(Table, SyncLog.__table__)), rows)
    links.clear_tombstones(session, kind, [*made, *gone])
    if gone:
        conn.execute(
            insert(cast(Table, SyncTombstone.__table__)),
            [{"kind": kind, "uid": uid, "hlc": hlc, "deleted_at": now} for uid in gone],
        )
    save_hlc(session, hlc, had=bool(state.get("hlc_last")))
