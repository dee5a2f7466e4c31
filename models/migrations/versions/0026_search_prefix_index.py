"""search: prefix indexes, interaction subjects on their own, a vocabulary

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

Global search at 1M records (issue #16). ``services.feed.search_sql`` ranks
names and subjects first, then newest first, walking each kind's matches
newest first and stopping at the hits asked for. On SQLite three things
stood in the way; this revision removes them:

- The last word of a query is a prefix, and FTS5 merges the doclists of
  every word with that prefix before it returns one row. ``search_index``
  is rebuilt with ``prefix='2 3'`` (2- and 3-letter prefixes have their own
  doclists, walked lazily); a longer prefix is spelt out as the words it
  stands for, read from the vocabulary ``search_index_terms``.
- "An interaction whose subject matches" asked with a column filter walks
  every interaction that has the word in its body. ``search_index_subjects``
  holds the subjects alone (rowid = the interaction's id), kept by triggers
  like 0004's.
- Nothing ranks by bm25 any more.

PostgreSQL needs nothing: its vectors already weigh names and subjects
(A) apart from bodies (D), and a tsquery can ask for weight A only.

Rebuilding the index reads every indexed row once: about a minute per
million interactions. Careful, SQLite: ``batch_alter_table`` that recreates
``interactions`` drops the triggers of 0004 and of this revision with it;
such a migration must run both ``create_sqlite_triggers`` again.
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_0004 = importlib.import_module("models.migrations.versions.0004_full_text_search")

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
PREFIX = "prefix='2 3'"


def _run(sql: str) -> None:
    op.get_bind().exec_driver_sql(sql)


def _fill_index() -> None:
    for table in _0004.CODES:
        values = _0004._sqlite_values(table, table)
        _run(f"INSERT INTO search_index(rowid, title, body) SELECT {values} FROM {table}")


def create_sqlite_triggers() -> None:
    """The triggers that keep ``search_index_subjects`` in step with ``interactions``."""
    new = _0004._sqlite_text("new.subject")
    old = _0004._sqlite_text("old.subject")
    insert_new = f"INSERT INTO search_index_subjects(rowid, subject) VALUES (new.id, {new});"
    delete_old = (
        "INSERT INTO search_index_subjects(search_index_subjects, rowid, subject) "
        f"VALUES ('delete', old.id, {old});"
    )
    _run(f"CREATE TRIGGER search_subjects_ai AFTER INSERT ON interactions BEGIN {insert_new} END")
    _run(f"CREATE TRIGGER search_subjects_ad AFTER DELETE ON interactions BEGIN {delete_old} END")
    _run(
        "CREATE TRIGGER search_subjects_au AFTER UPDATE OF subject ON interactions "
        f"BEGIN {delete_old} {insert_new} END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # 0004's triggers name the table and find the new one.
    _run("DROP TABLE search_index")
    _run(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        f"title, body, content='', {TOKENIZE}, {PREFIX})"
    )
    _fill_index()
    _run(
        "CREATE VIRTUAL TABLE search_index_subjects USING fts5("
        f"subject, content='', {TOKENIZE}, {PREFIX})"
    )
    create_sqlite_triggers()
    subject = _0004._sqlite_text("subject")
    _run(
        f"INSERT INTO search_index_subjects(rowid, subject) SELECT id, {subject} FROM interactions"
    )
    _run("CREATE VIRTUAL TABLE search_index_terms USING fts5vocab(search_index, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for suffix in ("ai", "ad", "au"):
        _run(f"DROP TRIGGER IF EXISTS search_subjects_{suffix}")
    _run("DROP TABLE IF EXISTS search_index_terms")
    _run("DROP TABLE IF EXISTS search_index_subjects")
    _run("DROP TABLE search_index")
    _run(f"CREATE VIRTUAL TABLE search_index USING fts5(title, body, content='', {TOKENIZE})")
    _fill_index()
