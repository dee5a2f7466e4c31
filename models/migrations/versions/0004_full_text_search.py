"""full-text search

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Global search (Ctrl+K) and the text filter of the big lists read this index.
Searched: client, lead and contact names (lead company, contact position),
their emails, phones and messenger handles, deal titles, note bodies and
interaction subjects and bodies. None of it is a model: ``services.feed.search``
queries it with raw SQL, and autogenerate must skip every object whose name
is ``search_index*`` (tables), ``search_vector`` (columns) or ``ix_search_*``
(indexes); triggers and functions are never compared.

SQLite: one contentless FTS5 table ``search_index`` (tokenizer ``unicode61
remove_diacritics 2``: case-insensitive for Cyrillic too). Its rowid is
``kind << 40 | id`` (kinds below: one rowid range per kind, so a
query for one kind seeks to its range); triggers on the source tables keep
it in step, so rows the demo generator bulk-inserts with Core are indexed as well.
A contentless table cannot read its text back, so the delete triggers give
the old values through FTS5's ``'delete'`` command: the expressions below
must stay byte-for-byte the same in the insert and delete triggers.

PostgreSQL: a stored generated column ``search_vector`` (a tsvector in the
``simple`` configuration: no stemming, any language; names and subjects
weigh more than bodies) with a GIN index ``ix_search_<table>`` on each
source table. Generated, so every insert, however it is made, is indexed;
stored, so ranking reads it instead of re-parsing long email bodies.

Both sides fold "ё" to "е", split words at punctuation (so the parts of an
email address are words), index at most the first 100,000 characters of a
body, and index a phone as every tail of its E.164 digits of at least four
digits ("4951234567", "1234567" ... all find +7 495 123-45-67).

Careful, SQLite: ``batch_alter_table`` that has to recreate one of the
source tables drops its triggers with it; such a migration must run
``create_sqlite_triggers`` of this module again (import it with importlib).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BODY_CAP = 100_000
# rowid = code * KIND_SPAN + id; services.feed.search decodes it.
KIND_SPAN = 1 << 40
CODES = {
    "clients": 1,
    "leads": 2,
    "contacts": 3,
    "deals": 4,
    "notes": 5,
    "interactions": 6,
    "contact_points": 7,
}
PHONE_DIGITS = 15  # E.164 has at most 15 digits
PHONE_MIN_TAIL = 4

# Capital Cyrillic letters (Russian, Ukrainian, Belarusian, Kazakh) to small,
# "ё" to "е", and typographic punctuation to spaces: what lower() and
# [[:punct:]] miss on a PostgreSQL cluster initialised with the C locale.
_CYRILLIC_UPPER = "".join(chr(c) for c in range(0x0410, 0x0430)) + "ЁІЇЄҐЎӘҒҚҢӨҰҮҺ"
_UNICODE_PUNCT = "«»„“”‘’‚‹›–—―…•·№"
PG_FOLD_FROM = _CYRILLIC_UPPER + "ё" + _UNICODE_PUNCT
PG_FOLD_TO = _CYRILLIC_UPPER.lower().replace("ё", "е") + "е" + " " * len(_UNICODE_PUNCT)

# (title, body) of each source table's document; {r} is NEW or OLD.
SQLITE_DOCS = {
    "clients": ("{r}.name", "''"),
    "leads": ("{r}.name", "{r}.company"),
    "contacts": ("{r}.full_name", "{r}.position"),
    "deals": ("{r}.title", "''"),
    "notes": ("''", "{r}.body"),
    "interactions": ("{r}.subject", "{r}.body"),
    "contact_points": ("@point", "''"),
}
# The columns whose change re-indexes a row (UPDATE OF ...).
WATCHED = {
    "clients": "name",
    "leads": "name, company",
    "contacts": "full_name, position",
    "deals": "title",
    "notes": "body",
    "interactions": "subject, body",
    "contact_points": "kind, normalized",
}
PG_DOCS = {
    "clients": "tp_search_doc(name, '')",
    "leads": "tp_search_doc(name, company)",
    "contacts": "tp_search_doc(full_name, position)",
    "deals": "tp_search_doc(title, '')",
    "notes": "tp_search_doc('', body)",
    "interactions": "tp_search_doc(subject, body)",
    "contact_points": "tp_search_point(kind, normalized)",
}


def _run(sql: str) -> None:
    # Straight to the driver: text() would read ":punct:" as a bind parameter.
    op.get_bind().exec_driver_sql(sql)


def _sqlite_text(expr: str) -> str:
    return f"replace(replace(substr(coalesce({expr}, ''), 1, {BODY_CAP}), 'ё', 'е'), 'Ё', 'Е')"


def _sqlite_phone_tails(normalized: str) -> str:
    """Every tail of the number's digits of at least PHONE_MIN_TAIL digits."""
    digits = (
        f"replace(CASE WHEN instr({normalized}, ';') > 0 "
        f"THEN substr({normalized}, 1, instr({normalized}, ';') - 1) "
        f"ELSE {normalized} END, '+', '')"
    )
    parts = [digits]
    for start in range(2, PHONE_DIGITS - PHONE_MIN_TAIL + 2):
        parts.append(
            f"CASE WHEN length({digits}) >= {start + PHONE_MIN_TAIL - 1} "
            f"THEN substr({digits}, {start}) ELSE '' END"
        )
    return " || ' ' || ".join(parts)


def _sqlite_values(table: str, row: str) -> str:
    title, body = SQLITE_DOCS[table]
    if title == "@point":
        title_sql = (
            f"CASE WHEN {row}.kind = 'phone' THEN {_sqlite_phone_tails(row + '.normalized')} "
            f"ELSE {_sqlite_text(row + '.normalized')} END"
        )
    else:
        title_sql = _sqlite_text(title.format(r=row))
    body_sql = _sqlite_text(body.format(r=row))
    return f"{CODES[table] * KIND_SPAN} + {row}.id, {title_sql}, {body_sql}"


def create_sqlite_triggers(table: str) -> None:
    insert_new = (
        f"INSERT INTO search_index(rowid, title, body) VALUES ({_sqlite_values(table, 'new')});"
    )
    delete_old = (
        "INSERT INTO search_index(search_index, rowid, title, body) "
        f"VALUES ('delete', {_sqlite_values(table, 'old')});"
    )
    _run(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert_new} END")
    _run(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete_old} END")
    _run(
        f"CREATE TRIGGER search_{table}_au AFTER UPDATE OF {WATCHED[table]} ON {table} "
        f"BEGIN {delete_old} {insert_new} END"
    )


def _upgrade_sqlite() -> None:
    _run(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    for table in CODES:
        create_sqlite_triggers(table)
        values = _sqlite_values(table, table)
        _run(f"INSERT INTO search_index(rowid, title, body) SELECT {values} FROM {table}")


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _upgrade_postgresql() -> None:
    _run(
        f"""
        CREATE FUNCTION tp_search_norm(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT translate(
            lower(regexp_replace(substr(coalesce(value, ''), 1, {BODY_CAP}), '[[:punct:]]+', ' ', 'g')),
            {_pg_literal(PG_FOLD_FROM)}, {_pg_literal(PG_FOLD_TO)})
        $$
        """
    )
    _run(
        """
        CREATE FUNCTION tp_search_doc(title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT setweight(to_tsvector('pg_catalog.simple', tp_search_norm(title)), 'A')
              || setweight(to_tsvector('pg_catalog.simple', tp_search_norm(body)), 'D')
        $$
        """
    )
    _run(
        f"""
        CREATE FUNCTION tp_search_phone(normalized text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT coalesce(string_agg(substr(d, k), ' ' ORDER BY k), '')
          FROM (SELECT replace(split_part(normalized, ';', 1), '+', '') AS d) AS number,
               generate_series(1, length(d) - {PHONE_MIN_TAIL - 1}) AS k
        $$
        """
    )
    _run(
        """
        CREATE FUNCTION tp_search_point(kind text, normalized text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT CASE WHEN kind = 'phone'
            THEN setweight(to_tsvector('pg_catalog.simple', tp_search_phone(normalized)), 'A')
            ELSE tp_search_doc(normalized, '') END
        $$
        """
    )
    for table, expr in PG_DOCS.items():
        _run(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({expr}) STORED"
        )
        _run(f"CREATE INDEX ix_search_{table} ON {table} USING gin (search_vector)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()
    else:
        raise NotImplementedError(f"full-text search is not written for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in CODES:
            for suffix in ("ai", "ad", "au"):
                _run(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        _run("DROP TABLE IF EXISTS search_index")
    elif dialect == "postgresql":
        for table in PG_DOCS:
            _run(f"DROP INDEX IF EXISTS ix_search_{table}")
            _run(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        for signature in (
            "tp_search_point(text, text)",
            "tp_search_phone(text)",
            "tp_search_doc(text, text)",
            "tp_search_norm(text)",
        ):
            _run(f"DROP FUNCTION IF EXISTS {signature}")
