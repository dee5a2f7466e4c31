"""The pass over calls, set-based (``bulk``): the same links
``call_links`` makes row by row. A call counts its one number, so the owner
rule is decided once per distinct number of the chunk: in SQL (``rule_sql``)
for the calls linked now, by ``rule.decide`` for those re-ranked."""

from __future__ import annotations

import datetime as dt

from services.core.storage import UnitOfWork
from services.linking import bulk, replica_log, rule, rule_sql
from services.linking.bulk import CHUNK as _CHUNK
from services.linking.bulk import DECISIONS
from services.linking.bulk import NEW as _NEW

_SOURCE = f"""
FROM {_CHUNK} AS c
CROSS JOIN call_records AS r ON r.id = c.item
JOIN {DECISIONS} AS d ON d.key = r.number{{folded}}
WHERE r.interaction_id IS NULL
ORDER BY r.id
"""

_BODY = (
    "coalesce(nullif(r.result, ''), 'call') || ', ' || coalesce(r.duration_s, 0)"
    " || ' s' || CASE WHEN d.extension = '' THEN '' ELSE ', ext. ' || d.extension END"
)


def _values(dialect: str) -> dict[str, str]:
    """The new interactions' columns as SQL of the call (r) and its decision (d)."""
    return {
        "row_version": "1",
        "created_at": ":now",
        "updated_at": ":now",
        "type": "'call'",
        "direction": "r.direction",
        "state": "'done'",
        **bulk.start_columns("r.started_at", dialect),
        # (seconds + 59) // 60 of a call that lasted; Python floors, SQL truncates
        "duration_min": "CASE WHEN coalesce(r.duration_s, 0) = 0 THEN NULL"
        " WHEN r.duration_s + 59 >= 0 THEN (r.duration_s + 59) / 60"
        " ELSE -((-(r.duration_s + 59) + 59) / 60) END",
        "owner_id": "coalesce(r.user_id, :fallback_owner)",
        "client_id": "d.client_id",
        "lead_id": "d.lead_id",
        "subject": "NULL",
        "body": _BODY,
        # PostgreSQL: folded in Python (bulk.fold_texts)
        "search_text": "t.text" if dialect == "postgresql" else f"tp_fold({_BODY})",
        "source_kind": "'call'",
        "source_key": "r.source || ':' || r.call_key",
        "done_at": ":now",
        "created_by_id": "coalesce(r.user_id, :fallback_owner)",
    }


_SOURCES = {
    "sqlite": _SOURCE.replace("{folded}", ""),
    "postgresql": _SOURCE.replace("{folded}", f"\nLEFT JOIN {bulk.FOLDED} AS t ON t.item = r.id"),
}
_VALUES = {dialect: _values(dialect) for dialect in _SOURCES}

# PostgreSQL: the bodies of the calls linked now, folded in Python.
_BODIES_SQL = f"SELECT r.id, {_BODY} {_SOURCE.replace('{folded}', '')}"

_NEW_SQL = f"""
INSERT INTO {_NEW} (item, key, iid)
SELECT c.item, r.number, i.id
FROM {_CHUNK} AS c
CROSS JOIN call_records AS r ON r.id = c.item
JOIN {DECISIONS} AS d ON d.key = r.number
JOIN interactions AS i ON i.source_kind = 'call' AND i.source_key = r.source || ':' || r.call_key
WHERE r.interaction_id IS NULL
"""

# PostgreSQL: each call's interaction looked up by its unique key, whatever
# the statistics of interactions taken before the run (letter_bulk._NEW_SQL_PG).
_NEW_SQL_PG = _NEW_SQL.replace(
    "JOIN interactions AS i ON i.source_kind = 'call'"
    " AND i.source_key = r.source || ':' || r.call_key",
    "JOIN LATERAL (SELECT x.id FROM interactions AS x WHERE x.source_kind = 'call'"
    " AND x.source_key = r.source || ':' || r.call_key LIMIT 1) AS i ON TRUE",
)

_LINK_SQL = f"""
UPDATE call_records SET
    interaction_id = f.iid, link_rule = 'auto', link_reason = d.reason, link_tie = (d.tie = 1),
    updated_at = ?
FROM {_NEW} AS f JOIN {DECISIONS} AS d ON d.key = f.key
WHERE call_records.id = +f.item  -- "+": each of NEW looked up, not every call scanned
"""

_PLACED_SQL = f"""
SELECT r.id, r.interaction_id, r.link_reason, r.link_tie, r.direction, r.number
FROM {_CHUNK} AS c CROSS JOIN call_records AS r ON r.id = c.item
WHERE r.interaction_id IS NOT NULL
ORDER BY r.id
"""


def run_chunk(
    uow: UnitOfWork,
    ids: list[int],
    zone: str,
    now: dt.datetime,
    fallback_owner: int | None,
) -> tuple[int, int, list[tuple[bulk.Placed, rule.Decision]]]:
    """Link the chunk's calls not on a card yet; return (linked, ties) and
    the calls already on one with their decision, for re-ranking."""
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    bulk.tables(session)
    bulk.chunk_table(session, ids, "call_records")
    rule_sql.decide_numbers(connection)  # the rule in SQL for the calls linked now
    rows = bulk.execute(connection, _PLACED_SQL).all()
    numbers = sorted({r[5] for r in rows})  # in Python for those re-ranked
    candidates = rule.candidates_of(uow, "phone", numbers)
    decided = {}
    for number in numbers:
        decision = rule.decide([number], candidates)
        if decision is not None:
            decided[number] = decision
    placed = [
        (bulk.Placed(r[0], r[1], r[2], bool(r[3]), None, r[4]), decided[r[5]])
        for r in rows
        if r[5] in decided
    ]
    params = {
        "now": bulk.stored_time(session, now),
        "zone": zone,
        "fallback_owner": fallback_owner,
    }
    if dialect == "postgresql":
        bodies = bulk.execute(connection, _BODIES_SQL)
        bulk.fold_texts(session, ((i, None, body) for i, body in bodies))
    newest = replica_log.newest_interaction(session)  # a replica logs what it makes
    bulk.insert_interactions(
        session, _VALUES[dialect], _SOURCES[dialect], params, order="r.id", most=len(ids)
    )
    bulk.execute(connection, _NEW_SQL_PG if dialect == "postgresql" else _NEW_SQL)
    wall = bulk.stored_time(session, dt.datetime.now(dt.UTC))  # as the column's onupdate
    bulk.execute(connection, _LINK_SQL, (wall,))
    before = replica_log.new_links_before(session, newest)
    bulk.contacts_of_new_links(session)
    replica_log.new_links_written(session, newest, before)
    linked, ties = bulk.tally(session)
    bulk.empty(session)
    return linked, ties, placed
