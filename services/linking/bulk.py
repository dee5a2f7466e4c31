"""What the set-based passes over letters and calls share (SQLite and
PostgreSQL).

The owner rule decides once per distinct set of known addresses or per
number: in SQL (``rule_sql``) for what a chunk links now, by ``rule`` in
Python for what it re-ranks; everything done per letter or per call (the
interaction, the link, its contact persons) is one statement over all the
rows of a chunk, joined with those decisions through temporary tables.
Per-row values Python would compute (UUIDv7, the wall time in the user's
zone, the folded search text) come from functions registered on the
connection (``services.core.sqlite_functions``), so the rows are the ones
the row-by-row path leaves. The statements are written for SQLite; on
PostgreSQL ``execute`` runs them with its spelling of the same thing
(``postgresql``), the wall time and UUIDv7 come from its own functions and
the folded search text from Python (its ``tp_fold`` is not Python's
casefold), through one more temporary table.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, text

from models import Interaction, ids
from services.core import sqlite_functions, storage
from services.core.page_cache import page_cache
from services.linking import staging

INTERACTIONS = cast(Table, Interaction.__table__)
CHUNK = "tp_link_chunk"  # item: the letters or calls of this chunk
OWN = "tp_link_own"  # account_id, address: the mailboxes' own addresses
OUT = "tp_link_out"  # account_id, from_addr: senders that make a letter outgoing
# item, direction, key, placed, message_key: a letter's known counted
# addresses, its interaction then and its Message-ID
KEYS = "tp_link_keys"
NEW = "tp_link_new"  # item, key, direction, iid: letters or calls linked for the first time
DECISIONS = "tp_link_decisions"  # key, client_id, lead_id, reason, tie, extension
CONTACTS = "tp_link_contacts"  # key, contact_id
# item, address, direction, placed, message_key: a letter's counted addresses
# that some card has, one a row (on SQLite of one letter a key only)
ADDRESSES = "tp_link_addresses"
# key, rank, id, value, client_id, lead_id: every card of a key's addresses
# (``rule.Candidate``: rank 0 contact, 1 client, 2 lead; its party)
CANDIDATES = "tp_link_candidates"

# item, text: the folded search text of each new interaction (PostgreSQL)
FOLDED = "tp_link_folded"

# Made once per connection and emptied, never dropped: every CREATE or DROP
# changes the schema, and SQLite then prepares every statement again.
_TABLES = {
    CHUNK: "item INTEGER PRIMARY KEY",
    OWN: "account_id INTEGER, address TEXT, PRIMARY KEY (account_id, address)",
    OUT: "account_id INTEGER, from_addr TEXT, PRIMARY KEY (account_id, from_addr)",
    KEYS: "item INTEGER PRIMARY KEY, direction TEXT, key TEXT, placed INTEGER, message_key TEXT",
    NEW: "item INTEGER PRIMARY KEY, key TEXT, direction TEXT, iid INTEGER",
    DECISIONS: "key TEXT PRIMARY KEY, client_id INTEGER, lead_id INTEGER, reason TEXT,"
    " tie INTEGER, extension TEXT",
    CONTACTS: "key TEXT, contact_id INTEGER, PRIMARY KEY (key, contact_id)",
    ADDRESSES: "item INTEGER, address TEXT, direction TEXT, placed INTEGER, message_key TEXT,"
    " PRIMARY KEY (item, address)",
    CANDIDATES: "key TEXT, rank INTEGER, id INTEGER, value TEXT, client_id INTEGER,"
    " lead_id INTEGER, PRIMARY KEY (key, rank, id, value)",
}
_PG_TABLES = {FOLDED: "item INTEGER PRIMARY KEY, text TEXT"}
# On SQLite, the tables keyed by anything but an integer are stored in their
# key's own b-tree (WITHOUT ROWID), not in a rowid table plus an index: each
# row written once, and each lookup by key (the decision of every new link,
# in the interactions' insert, the letters' update and the tally) one
# search instead of two (10,000 letters of one address: ~3-5 ms of ~300).
# Their key columns are never NULL: WITHOUT ROWID refuses a NULL key (INSERT
# OR IGNORE would drop the row) where a rowid table keeps it.
_BY_KEY = frozenset({OWN, OUT, DECISIONS, CONTACTS, ADDRESSES, CANDIDATES})

# SQLite's spelling -> PostgreSQL's, for the statements of this package only
# (checked against them by the random tests on both).
_PG_SPELLING = (
    ("INSERT OR IGNORE INTO", "INSERT INTO"),  # + ON CONFLICT DO NOTHING at the end
    ("CROSS JOIN", "JOIN"),  # SQLite's "keep this order" is a plain join there
    ("temp.", "pg_temp."),
    ("instr(", "strpos("),
    ("group_concat(address, char(10))", "string_agg(address, chr(10) ORDER BY address)"),
    (" IS d.", " IS NOT DISTINCT FROM d."),
    (
        "SELECT value FROM json_each(?)",
        "SELECT CAST(value AS INTEGER) FROM json_array_elements_text(CAST(? AS json))",
    ),
)
# ... and for psycopg's driver-level statements, which read placeholders
# even when given no parameters
_PG_DRIVER = (("%", "%%"), ("?", "%s"))


def set_based(session: Any) -> bool:
    """Whether chunks are placed by this package's statements (SQLite and
    PostgreSQL) rather than row by row (``letter_links`` / ``call_links``)."""
    return staging.on_sqlite(session) or on_postgresql(session)


def on_postgresql(session: Any) -> bool:
    return bool(session.get_bind().dialect.name == "postgresql")


@functools.lru_cache(maxsize=256)
def postgresql(sql: str, *, driver: bool = True) -> str:
    """A statement written for SQLite as PostgreSQL spells it; ``driver``:
    for psycopg's cursor (``?`` parameters, "%" doubled), else for ``text()``."""
    out = sql
    for sqlite, pg in _PG_SPELLING + (_PG_DRIVER if driver else ()):
        out = out.replace(sqlite, pg)
    if "INSERT OR IGNORE INTO" in sql:
        out = out.rstrip() + "\nON CONFLICT DO NOTHING"
    return out


def spelled(connection: Any, sql: str) -> str:
    """SQL in the connection's dialect (SQLite's as written)."""
    return postgresql(sql) if connection.dialect.name == "postgresql" else sql


def execute(connection: Any, sql: str, params: Any = None) -> Any:
    """``exec_driver_sql`` of a statement written for SQLite, in the
    connection's dialect (positional parameters as ``?``)."""
    if params is None:
        return connection.exec_driver_sql(spelled(connection, sql))
    return connection.exec_driver_sql(spelled(connection, sql), params)


@dataclasses.dataclass
class Placed:
    """A letter or call already on a card, as the re-ranking reads it."""

    id: int
    interaction_id: int
    link_reason: str | None
    link_tie: bool
    body_state: str | None = None
    direction: str | None = None


# A unit of work writes up to ~2,700 WAL pages (5,000 letters linked); at
# SQLite's 1,000-page autocheckpoint its commit copied them into the
# database file and fsynced twice (the default bench's 1,024 pages: 12 ms
# CPU and the fsyncs against a 5 ms commit). Units leave that to the next
# commit past the usual limit, up to this many pages (40 MB): a long first
# run still checkpoints every few units. No checkpoint at the run's end: it
# cost the run a fifth (~45 ms after 10,000 letters of one address, #16),
# and the -wal file is cut to JOURNAL_SIZE_LIMIT_BYTES at the next reset
# anyway (tests/integration/test_wal_size.py).
UNIT_WAL_PAGES = 10_000


@contextlib.contextmanager
def unit(session: Any) -> Iterator[None]:
    """What a unit of work of the job runs with on SQLite: room in the WAL
    for its commit (``storage.wal_room``) and a large page cache meanwhile."""
    if staging.on_sqlite(session):
        storage.wal_room(session.connection(), UNIT_WAL_PAGES)
    with page_cache(session):
        yield


def _cursor(session: Any) -> Any:
    """The DBAPI cursor of the unit of work's connection: the temporary
    tables are private to it (no lock to wait for), and a chunk runs dozens
    of tiny statements on them that SQLAlchemy would cost more than SQLite."""
    return session.connection().connection.dbapi_connection.cursor()


def _spelling(session: Any) -> Any:
    return postgresql if on_postgresql(session) else str


def tables(session: Any) -> None:
    """The temporary tables of a chunk, there and empty."""
    cursor, spell = _cursor(session), _spelling(session)
    made = {**_TABLES, **_PG_TABLES} if on_postgresql(session) else _TABLES
    sqlite = not on_postgresql(session)
    for name, columns in made.items():
        keyed = " WITHOUT ROWID" if sqlite and name in _BY_KEY else ""
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}){keyed}")
        cursor.execute(spell(f"DELETE FROM temp.{name}"))
    cursor.close()


def fill(session: Any, name: str, rows: Iterable[Sequence[Any]]) -> None:
    """The temporary table NAME holding ROWS, and nothing else."""
    cursor, spell = _cursor(session), _spelling(session)
    cursor.execute(spell(f"DELETE FROM temp.{name}"))
    values = [tuple(r) for r in rows]
    if values and on_postgresql(session):
        # One statement of one array a column: psycopg's executemany is a
        # round trip a row (1,400 folded texts: ~120 ms).
        columns = [list(c) for c in zip(*values, strict=True)]
        arrays = ", ".join(f"CAST(%s AS {_pg_array(c)})" for c in columns)
        cursor.execute(f"INSERT INTO pg_temp.{name} SELECT * FROM unnest({arrays})", columns)
    elif values:
        marks = ", ".join("?" for _ in values[0])
        cursor.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", values)
    cursor.close()


def _pg_array(column: Sequence[Any]) -> str:
    """The array type of a column of Python values (ints or text)."""
    kind = next((type(v) for v in column if v is not None), str)
    return "bigint[]" if issubclass(kind, int) else "text[]"


def fill_chunk(session: Any, ids: Sequence[int]) -> None:
    """CHUNK holding IDS, passed as one JSON list (no Python tuple a row)."""
    cursor, spell = _cursor(session), _spelling(session)
    cursor.execute(spell(f"DELETE FROM temp.{CHUNK}"))
    cursor.execute(
        spell(f"INSERT INTO temp.{CHUNK} (item) SELECT value FROM json_each(?)"),
        (json.dumps(list(ids)),),
    )
    cursor.close()


def empty(session: Any) -> None:
    """The chunk's rows out of memory (the small tables wait for the next)."""
    cursor, spell = _cursor(session), _spelling(session)
    for name in (CHUNK, KEYS, NEW, ADDRESSES, CANDIDATES):
        cursor.execute(spell(f"DELETE FROM temp.{name}"))
    cursor.close()


def chunk_table(session: Any, ids: Sequence[int], table: str) -> None:
    """CHUNK: the ids of TABLE (letters or calls) the job may still place;
    one linked or unlinked by hand since they were chosen is left out."""
    fill_chunk(session, ids)
    execute(
        session.connection(),
        f"DELETE FROM {CHUNK} WHERE (SELECT t.link_rule FROM {table} AS t WHERE t.id = item)"
        " <> 'auto'",
    )


def stored_time(session: Any, moment: dt.datetime) -> Any:
    """MOMENT as a UTC column stores it (naive UTC text on SQLite)."""
    column = INTERACTIONS.c.created_at
    process = column.type.dialect_impl(session.get_bind().dialect).bind_processor(
        session.get_bind().dialect
    )
    return process(moment) if process else moment


def insert_interactions(
    session: Any,
    values: Mapping[str, str],
    source: str,
    params: Mapping[str, Any],
    *,
    order: str,
    most: int,
) -> None:
    """One ``INSERT INTO interactions ... SELECT`` of at most MOST rows
    taking each column from VALUES (SQL over SOURCE, which starts at FROM
    and sorts by ORDER, maybe followed by an ON CONFLICT clause), else the
    column's Python-side default, as an insert of dicts would; uids are
    UUIDv7 in that order."""
    columns = [c for c in INTERACTIONS.columns if c.name != "id"]
    dialect = session.get_bind().dialect.name
    ms, first = ids.reserve(most)
    exprs, binds = [], {**params, "uid_ms": ms, "uid_first": first}
    for c in columns:
        if c.name in values:
            exprs.append(values[c.name])
        elif c.name == "uid":
            position = f"(row_number() OVER (ORDER BY {order}) - 1)"
            exprs.append(ids.uuid7_sql(":uid_ms", ":uid_first", position, dialect))
        else:
            default = c.default
            if default is None:
                exprs.append("NULL")
            else:
                binds[f"default_{c.name}"] = (
                    default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
                )
                exprs.append(f":default_{c.name}")
    if dialect == "postgresql":
        source = postgresql(source, driver=False)
    statement = text(
        f"INSERT INTO interactions ({', '.join(c.name for c in columns)}) "
        f"SELECT {', '.join(exprs)} {source}"
    ).bindparams(
        *(
            bindparam(name, value, type_=INTERACTIONS.c[name[8:]].type)
            for name, value in binds.items()
            if name.startswith("default_")
        )
    )
    session.execute(statement, {k: v for k, v in binds.items() if not k.startswith("default_")})


def start_columns(moment: str, dialect: str, zone_param: str = ":zone") -> dict[str, str]:
    """start_local / start_tz / start_utc of an instant stored in column MOMENT
    (``timezones.split_input_time``: to the second, the wall time derived
    from the instant)."""
    if dialect == "postgresql":
        return {
            "start_local": "date_trunc('second', "
            f"timezone({zone_param}, timezone('UTC', {moment})))",
            "start_tz": zone_param,
            "start_utc": f"date_trunc('second', {moment})",
        }
    return {
        "start_local": sqlite_functions.wall_sql(moment, zone_param),
        "start_tz": zone_param,
        "start_utc": sqlite_functions.utc_sql(moment),
    }


def fold_texts(session: Any, rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: FOLDED holding each (item, subject, body)'s search text as
    Python folds it (``interaction_input.search_text``)."""
    from services.interactions.interaction_input import search_text

    fill(session, FOLDED, ((item, search_text(subject, body)) for item, subject, body in rows))


def contacts_of_new_links(session: Any) -> None:
    """The contact persons of interactions just linked (NEW): exactly the
    ones of the decision of their last letter or call."""
    connection = session.connection()
    execute(
        connection,
        f"DELETE FROM interaction_contacts WHERE interaction_id IN (SELECT iid FROM {NEW})",
    )
    # No decision names a contact person (letters of an address on a client
    # or a lead): nothing to add, and no window over every new link to find
    # it out (10,000 letters of one address: ~5 ms a chunk).
    if execute(connection, f"SELECT 1 FROM {CONTACTS} LIMIT 1").first() is None:
        return
    execute(
        connection,
        "INSERT INTO interaction_contacts (interaction_id, contact_id) "
        "SELECT f.iid, c.contact_id FROM ("
        f"  SELECT iid, key, row_number() OVER (PARTITION BY iid ORDER BY item DESC) AS nth"
        f"  FROM {NEW}) AS f "
        f"JOIN {CONTACTS} AS c ON c.key = f.key WHERE f.nth = 1 "
        "ORDER BY f.iid, c.contact_id",
    )


def tally(session: Any) -> tuple[int, int]:
    """(links made, ties among them): NEW's."""
    found = (
        session.connection()
        .exec_driver_sql(
            f"SELECT count(*), coalesce(sum(d.tie), 0) FROM {NEW} AS f "
            f"JOIN {DECISIONS} AS d ON d.key = f.key"
        )
        .one()
    )
    return int(found[0]), int(found[1])
