"""replica sync: a note's mentions enter the server's change feed

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06

Issue #20, docs/offline-sync.md ("An interaction's contact persons", which
says the same of mentions). ``note_mentions`` (note_id, user_id) has no uid
and was not numbered, so a pull could never bring a mention down. As 0031
did for ``interaction_contacts``: a nullable ``sync_seq`` numbered at
COMMIT by the deferred trigger of 0025, and a tombstone trigger on DELETE
naming the row ``"<note uid>:<user uid>"`` under the kind ``note_mention``.
A row deleted by the cascade of its note's deletion finds no note any more
and writes no tombstone: the note's own tombstone covers it.

Row-level security is already on the table (0019: one's own mentions and
those on notes one sees). No policy of the sync tables changes: a pushed
mention writes no field clock and no conflict (a link is created or
removed, never edited), and tombstones are readable and writable by all.
SQLite: the column only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "note_mentions"
KIND = "note_mention"
KEY = "(note_id, user_id) = (($1).note_id, ($1).user_id)"
UID = (
    "(SELECT n.uid || ':' || u.uid FROM notes n, users u"
    " WHERE n.id = ($1).note_id AND u.id = ($1).user_id)"
)


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("sync_seq", sa.BigInteger(), nullable=True))
    op.create_index(op.f(f"ix_{TABLE}_sync_seq"), TABLE, ["sync_seq"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for event, when in (
        ("insert", ""),
        # The numbering UPDATE itself changes sync_seq and is not numbered again.
        ("update", " WHEN (OLD.sync_seq IS NOT DISTINCT FROM NEW.sync_seq)"),
    ):
        op.execute(
            f"CREATE CONSTRAINT TRIGGER tp_sync_number_{event} AFTER {event.upper()} ON {TABLE} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{when} "
            f"EXECUTE FUNCTION tp_sync_number('{KEY}')"
        )
    quoted_uid = UID.replace("'", "''")
    op.execute(
        f"CREATE TRIGGER tp_sync_tombstone AFTER DELETE ON {TABLE} FOR EACH ROW "
        f"EXECUTE FUNCTION tp_sync_tombstone('{KIND}', '{quoted_uid}')"
    )
    # Rows already there are in the feed from the start (one number each).
    op.execute(f"UPDATE {TABLE} SET sync_seq = nextval('sync_seq')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("tp_sync_number_insert", "tp_sync_number_update", "tp_sync_tombstone"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
    op.drop_index(op.f(f"ix_{TABLE}_sync_seq"), table_name=TABLE)
    # Plain ALTER (SQLite 3.35+), as 0025 does: no batch copy of the table.
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN sync_seq")
