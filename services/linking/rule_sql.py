"""The owner rule (``rule.decide``) as SQL over a chunk's temporary tables
(SQLite; PostgreSQL through ``bulk.execute``), for the letters and calls a
run links for the first time.

``rule`` stays the one definition: re-ranked letters and every other path
decide in Python, and ``tests/integration/test_linking_random.py`` checks
that each letter lands where ``rule.decide`` puts it on its own, and that
these rows are those of the row-by-row path. Deciding a chunk's thousands
of address sets here instead of in Python (candidates as objects, one
``decide`` each, their decisions copied back into a temporary table) was
~6 ms of a 70 ms run at the bench's default size, ~25 ms at ``--full``.

Step by step what ``rule.decide`` does with ``rule.candidates_of``:
every card having any of a key's addresses is a candidate (rank 0 a
contact person with the party it belongs to, 1 a client, 2 a lead); the
owner is the first by (rank, id, value); a tie is more than one party
among the cards of the owner's rank, and the reason counts those cards;
the contact persons are those of the owner's party.
"""

from __future__ import annotations

from typing import Any

from services.linking import bulk
from services.linking.bulk import ADDRESSES, CANDIDATES, CHUNK, CONTACTS, DECISIONS, KEYS

# A card point as ``rule.Candidate``: its rank, card id and party.
_RANK = "CASE WHEN p.contact_id IS NOT NULL THEN 0 WHEN p.client_id IS NOT NULL THEN 1 ELSE 2 END"
_CARD = """CASE WHEN p.contact_id IS NOT NULL THEN p.contact_id
            WHEN p.client_id IS NOT NULL THEN p.client_id ELSE p.lead_id END"""
_CLIENT = "CASE WHEN p.contact_id IS NOT NULL THEN ct.client_id ELSE p.client_id END"
_LEAD = """CASE WHEN p.contact_id IS NOT NULL THEN ct.lead_id
            WHEN p.client_id IS NOT NULL THEN NULL ELSE p.lead_id END"""
# ``rule.main_number``: the number before the first ";".
_MAIN = """CASE WHEN instr(p.normalized, ';') > 0
            THEN substr(p.normalized, 1, instr(p.normalized, ';') - 1) ELSE p.normalized END"""

# Letters: one item per key, whose addresses are the key's (a key lists them).
_CANDIDATES_SQL = f"""
INSERT OR IGNORE INTO {CANDIDATES} (key, rank, id, value, client_id, lead_id)
SELECT k.key, {_RANK}, {_CARD}, p.normalized, {_CLIENT}, {_LEAD}
FROM (SELECT key, min(item) AS item FROM {KEYS} GROUP BY key) AS k
CROSS JOIN {ADDRESSES} AS a ON a.item = k.item
CROSS JOIN contact_points AS p ON p.kind = 'email' AND p.normalized = a.address
LEFT JOIN contacts AS ct ON ct.id = p.contact_id
"""

# Calls (CHUNK of call_records, keyed by their number): as
# ``rule.candidates_of(..., "phone", numbers)``, the cards whose number is
# one of the chunk's or has an extension, keyed by its main number, kept
# when that is one of the chunk's numbers.
_PHONE_CANDIDATES_SQL = f"""
WITH numbers AS (SELECT DISTINCT r.number AS number FROM {CHUNK} AS c
                 CROSS JOIN call_records AS r ON r.id = c.item),
     points AS (SELECT p.* FROM numbers AS n
                CROSS JOIN contact_points AS p ON p.kind = 'phone' AND p.normalized = n.number
                UNION ALL
                SELECT p.* FROM contact_points AS p
                WHERE p.kind = 'phone' AND p.normalized LIKE '%;ext=%')
INSERT OR IGNORE INTO {CANDIDATES} (key, rank, id, value, client_id, lead_id)
SELECT {_MAIN}, {_RANK}, {_CARD}, p.normalized, {_CLIENT}, {_LEAD}
FROM points AS p LEFT JOIN contacts AS ct ON ct.id = p.contact_id
WHERE {_MAIN} IN (SELECT number FROM numbers)
"""

_KIND = "CASE o.rank WHEN 0 THEN 'contact' WHEN 1 THEN 'client' ELSE 'lead' END"
# A candidate's party as one value: its client, else its lead.
_PARTY = (
    "CASE WHEN client_id IS NOT NULL THEN 'c' || client_id ELSE 'l' || coalesce(lead_id, 0) END"
)

# Decision.reason(), .tie, .client_id / .lead_id (the owner's party) and the
# extension of the owner's value.
_DECISIONS_SQL = f"""
INSERT INTO {DECISIONS} (key, client_id, lead_id, reason, tie, extension)
SELECT o.key, o.client_id, CASE WHEN o.client_id IS NULL THEN o.lead_id END,
       o.value || ' is on ' || {_KIND} || ' ' || o.id || ' (contact > client > lead)'
       || CASE WHEN r.parties > 1
               THEN '; ' || r.cards || ' ' || {_KIND} || 's have it, the oldest was chosen: review'
               ELSE '' END,
       CASE WHEN r.parties > 1 THEN 1 ELSE 0 END,
       CASE WHEN instr(o.value, ';ext=') > 0
            THEN substr(o.value, instr(o.value, ';ext=') + 5) ELSE '' END
FROM (SELECT key, rank, id, value, client_id, lead_id,
             row_number() OVER (PARTITION BY key ORDER BY rank, id, value) AS nth
      FROM {CANDIDATES}) AS o
JOIN (SELECT key, rank, count(DISTINCT id) AS cards, count(DISTINCT {_PARTY}) AS parties
      FROM {CANDIDATES} GROUP BY key, rank) AS r ON r.key = o.key AND r.rank = o.rank
WHERE o.nth = 1
"""

# Decision.contact_ids: the contact persons (rank 0) of the owner's party.
_CONTACTS_SQL = f"""
INSERT OR IGNORE INTO {CONTACTS} (key, contact_id)
SELECT c.key, c.id
FROM {DECISIONS} AS d CROSS JOIN {CANDIDATES} AS c ON c.key = d.key
WHERE c.rank = 0 AND c.client_id IS d.client_id
  AND (CASE WHEN c.client_id IS NULL THEN c.lead_id END) IS d.lead_id
"""


def decide(connection: Any) -> None:
    """DECISIONS and CONTACTS for every key of KEYS (letters), from
    ADDRESSES (all three emptied first)."""
    _decide(connection, _CANDIDATES_SQL)


def decide_numbers(connection: Any) -> None:
    """DECISIONS and CONTACTS for every number of the calls in CHUNK."""
    _decide(connection, _PHONE_CANDIDATES_SQL)


def _decide(connection: Any, candidates: str) -> None:
    for name in (CANDIDATES, DECISIONS, CONTACTS):
        bulk.execute(connection, f"DELETE FROM temp.{name}")
    bulk.execute(connection, candidates)
    bulk.execute(connection, _DECISIONS_SQL)
    bulk.execute(connection, _CONTACTS_SQL)
