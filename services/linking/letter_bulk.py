"""The pass over letters, set-based (``bulk``): the same links
``letter_links`` makes row by row, in a handful of statements per chunk.

Direction is decided by ``rule.direction`` once per distinct sender of the
chunk; the addresses that count (``rule.counted``: From, To and Cc of an
incoming letter, To and Cc of an outgoing one, never the account's own) are
selected in SQL, keeping only those some card has, since ``rule.decide``
looks at nothing else and not at their order. Each distinct set of them is
decided once: in SQL (``rule_sql``) for the letters linked now, by
``rule.decide`` for those already on a card (re-ranked).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.core.storage import UnitOfWork
from services.linking import bulk, replica_log, rule, rule_sql
from services.linking.bulk import ADDRESSES as _ADDRESSES
from services.linking.bulk import CHUNK as _CHUNK
from services.linking.bulk import DECISIONS
from services.linking.bulk import KEYS as _KEYS
from services.linking.bulk import NEW as _NEW
from services.linking.bulk import OUT as _OUT
from services.linking.bulk import OWN as _OWN

_SEP = "\n"  # addresses never hold a line break (normalized, from parsed headers)

# A chunk's letters (c.item) and their counted addresses that some card has.
_COUNTED = f"""
CROSS JOIN mail_messages AS m ON m.id = c.item
LEFT JOIN {_OUT} AS o ON o.account_id = m.account_id AND o.from_addr = m.from_addr
CROSS JOIN mail_addresses AS ma ON ma.message_id = m.id
WHERE (m.link_rule IS NULL OR m.link_rule = 'auto')  -- never one linked by hand since chosen
  AND (ma.role IN ('to', 'cc') OR (ma.role = 'from' AND o.account_id IS NULL))
  AND EXISTS (SELECT 1 FROM contact_points AS p
              WHERE p.kind = 'email' AND p.normalized = ma.address)
  AND NOT EXISTS (SELECT 1 FROM {_OWN} AS w
                  WHERE w.account_id = m.account_id AND w.address = ma.address)
"""
_DIRECTION = "CASE WHEN o.account_id IS NULL THEN 'in' ELSE 'out' END"

# The letters' counted addresses one a row, then a letter's key listing them
# (in any order; one letter a group). PostgreSQL needs aggregates.
_ADDRESSES_SQL = f"""
INSERT OR IGNORE INTO {_ADDRESSES} (item, address, direction, placed, message_key)
SELECT c.item, ma.address, {_DIRECTION}, m.interaction_id, m.message_key
FROM {_CHUNK} AS c  -- CROSS JOIN: in this order, the chunk first, never every letter
{_COUNTED}"""
_KEYS_PG_SQL = f"""
INSERT INTO {_KEYS} (item, direction, key, placed, message_key)
SELECT item, min(direction), group_concat(address, char(10)), min(placed), min(message_key)
FROM {_ADDRESSES} GROUP BY item
"""

# SQLite: each letter's key straight from its addresses, in one pass (the
# chunk in order: no sort), its other columns bare (any row's: the
# letter's); then the addresses of one letter a key only, all the owner
# rule reads (``rule_sql``). Writing every letter's addresses first was
# ~14 ms for 10,000 letters of one address, reading them back ~10 ms. A key
# may list an address twice (To and Cc): the same set, decided the same.
_KEYS_SQL = f"""
INSERT INTO {_KEYS} (item, direction, key, placed, message_key)
SELECT c.item, {_DIRECTION}, group_concat(ma.address, char(10)), m.interaction_id,
       m.message_key
FROM {_CHUNK} AS c
{_COUNTED}GROUP BY c.item
"""
_KEY_ADDRESSES_SQL = f"""
INSERT OR IGNORE INTO {_ADDRESSES} (item, address, direction, placed, message_key)
SELECT c.item, ma.address, {_DIRECTION}, m.interaction_id, m.message_key
FROM (SELECT min(item) AS item FROM {_KEYS} GROUP BY key) AS c
{_COUNTED}"""

# The first letter of each Message-ID makes the interaction (as the
# row-by-row path keeps the first of a key), unless one exists already: in
# letter order, a key already there (made before or a row earlier) is
# skipped by the unique source key itself, with no window over the keys and
# no lookup of its own.
_SOURCE = f"""
FROM {_KEYS} AS f
CROSS JOIN mail_messages AS m ON m.id = f.item
JOIN mail_accounts AS a ON a.id = m.account_id
JOIN {DECISIONS} AS d ON d.key = f.key{{folded}}
WHERE f.placed IS NULL{{first}}
ORDER BY m.id
ON CONFLICT (source_kind, source_key) DO NOTHING
"""

_SUBJECT = "substr(coalesce(m.subject, ''), 1, 998)"


def _values(dialect: str) -> dict[str, str]:
    """The new interactions' columns as SQL of the letter (m), its account
    (a), its key (f) and its decision (d)."""
    return {
        "row_version": "1",
        "created_at": ":now",
        "updated_at": ":now",
        "type": "'email'",
        "direction": "f.direction",
        "state": "'done'",
        **bulk.start_columns("coalesce(m.sent_at, :now)", dialect),
        "owner_id": "a.user_id",
        "client_id": "d.client_id",
        "lead_id": "d.lead_id",
        "subject": f"nullif({_SUBJECT}, '')",
        "body": "NULL",
        # PostgreSQL: folded in Python (bulk.fold_texts)
        "search_text": "t.text" if dialect == "postgresql" else f"tp_fold({_SUBJECT})",
        "source_kind": "'email'",
        "source_key": "m.message_key",
        "done_at": ":now",
        "created_by_id": "a.user_id",
    }


# PostgreSQL draws an id from the sequence for a row ON CONFLICT then skips:
# the keys met before (another account's copy, an earlier letter of the
# chunk) are left out first, so the ids are the row-by-row path's.
_FIRST_PG = f"""
  AND NOT EXISTS (SELECT 1 FROM interactions AS x
                  WHERE x.source_kind = 'email' AND x.source_key = f.message_key)
  AND NOT EXISTS (SELECT 1 FROM {_KEYS} AS e
                  WHERE e.placed IS NULL AND e.message_key = f.message_key AND e.item < f.item)"""
_SOURCES = {
    "sqlite": _SOURCE.replace("{folded}", "").replace("{first}", ""),
    "postgresql": _SOURCE.replace(
        "{folded}", f"\nLEFT JOIN {bulk.FOLDED} AS t ON t.item = f.item"
    ).replace("{first}", _FIRST_PG),
}
_VALUES = {dialect: _values(dialect) for dialect in _SOURCES}

# PostgreSQL: the subjects of the letters linked now, folded in Python.
_SUBJECTS_SQL = f"""
SELECT f.item, m.subject FROM {_KEYS} AS f CROSS JOIN mail_messages AS m ON m.id = f.item
WHERE f.placed IS NULL
"""

_NEW_SQL = f"""
INSERT INTO {_NEW} (item, key, direction, iid)
SELECT k.item AS item, k.key AS key, k.direction AS direction, i.id AS iid
FROM {_KEYS} AS k
CROSS JOIN interactions AS i ON i.source_kind = 'email' AND i.source_key = k.message_key
WHERE k.placed IS NULL
"""

# PostgreSQL: each letter's interaction looked up by its unique key (LIMIT 1
# keeps the lookup per letter). As a join, statistics of interactions taken
# before the run (few or no letters linked yet) made it a nested loop over
# the new rows times the chunk: 600 ms for 1,000 letters.
_NEW_SQL_PG = f"""
INSERT INTO {_NEW} (item, key, direction, iid)
SELECT k.item, k.key, k.direction, i.id
FROM {_KEYS} AS k
JOIN LATERAL (SELECT x.id FROM interactions AS x
              WHERE x.source_kind = 'email' AND x.source_key = k.message_key
              LIMIT 1) AS i ON TRUE
WHERE k.placed IS NULL
"""

_LINK_SQL = f"""
UPDATE mail_messages SET
    interaction_id = f.iid, direction = f.direction, link_rule = 'auto',
    link_reason = d.reason, link_tie = (d.tie = 1),
    body_state = CASE WHEN mail_messages.body_state IN ('none', 'skipped') THEN 'pending'
                      ELSE mail_messages.body_state END
FROM {_NEW} AS f JOIN {DECISIONS} AS d ON d.key = f.key
WHERE mail_messages.id = +f.item  -- "+": each of NEW looked up, not every letter scanned
"""

_PLACED_SQL = f"""
SELECT m.id, m.interaction_id, m.link_reason, m.link_tie, m.body_state, k.direction, k.key
FROM {_KEYS} AS k CROSS JOIN mail_messages AS m ON m.id = k.item
WHERE k.placed IS NOT NULL
ORDER BY k.item
"""


def run_chunk(
    uow: UnitOfWork,
    ids: list[int],
    own: dict[int, frozenset[str]],
    zone: str,
    now: dt.datetime,
) -> tuple[int, int, list[tuple[bulk.Placed, rule.Decision]]]:
    """Link the chunk's letters not on a card yet; return (linked, ties)
    and the letters already on one with their decision, for re-ranking."""
    session = uow.session
    connection = session.connection()
    dialect = connection.dialect.name
    bulk.tables(session)
    bulk.fill(
        session, _OWN, ((account, a) for account, values in own.items() for a in sorted(values))
    )
    bulk.fill_chunk(session, ids)  # KEYS leaves out those linked by hand
    senders = bulk.execute(
        connection,
        f"SELECT DISTINCT m.account_id, m.from_addr FROM {_CHUNK} AS c "
        "CROSS JOIN mail_messages AS m ON m.id = c.item WHERE m.from_addr IS NOT NULL",
    ).all()
    bulk.fill(
        session,
        _OUT,
        (
            (account, sender)
            for account, sender in senders
            if rule.direction(sender, own.get(account, frozenset())) == "out"
        ),
    )
    if dialect == "postgresql":
        bulk.execute(connection, _ADDRESSES_SQL)
        bulk.execute(connection, _KEYS_PG_SQL)
    else:
        bulk.execute(connection, _KEYS_SQL)
        bulk.execute(connection, _KEY_ADDRESSES_SQL)
    rule_sql.decide(connection)  # the rule in SQL for the letters linked now
    rows = bulk.execute(connection, _PLACED_SQL).all()
    decided = _decide(uow, sorted({r[6] for r in rows}))  # in Python for those re-ranked
    placed = [
        (bulk.Placed(r[0], r[1], r[2], bool(r[3]), r[4], r[5]), decided[r[6]])
        for r in rows
        if r[6] in decided
    ]
    if dialect == "postgresql":
        subjects = bulk.execute(connection, _SUBJECTS_SQL)
        bulk.fold_texts(session, ((i, (s or "")[:998] or None, None) for i, s in subjects))
    params = {"now": bulk.stored_time(session, now), "zone": zone}
    newest = replica_log.newest_interaction(session)  # a replica logs what it makes
    bulk.insert_interactions(
        session, _VALUES[dialect], _SOURCES[dialect], params, order="m.id", most=len(ids)
    )
    bulk.execute(connection, _NEW_SQL_PG if dialect == "postgresql" else _NEW_SQL)
    bulk.execute(connection, _LINK_SQL)
    before = replica_log.new_links_before(session, newest)
    bulk.contacts_of_new_links(session)
    replica_log.new_links_written(session, newest, before)
    linked, ties = bulk.tally(session)
    bulk.empty(session)
    return linked, ties, placed


def _decide(uow: UnitOfWork, keys: list[str]) -> dict[str, rule.Decision]:
    """``rule.decide`` once per set of addresses (keys list them in any order)."""
    sets = {key: frozenset(key.split(_SEP)) for key in keys}
    candidates = rule.candidates_of(uow, "email", {v for s in sets.values() for v in s})
    by_set: dict[frozenset[str], rule.Decision | None] = {}
    decided: dict[str, rule.Decision] = {}
    for key, values in sets.items():
        if values not in by_set:
            by_set[values] = rule.decide(sorted(values), candidates)
        decision = by_set[values]
        if decision is not None:  # a key holds only addresses some card has
            decided[key] = decision
    return decided


def placed_rows(placed: list[tuple[bulk.Placed, rule.Decision]]) -> list[tuple[Any, str, Any]]:
    """The (letter, direction, decision) triples ``letter_links`` re-ranks."""
    return [(p, p.direction or "in", d) for p, d in placed]
