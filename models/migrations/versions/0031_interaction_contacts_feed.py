"""replica sync: interaction contact persons enter the server's change feed

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06

Issue #20, docs/offline-sync.md ("Bulk statements and what a replica does
not carry"). An interaction's contact persons (``interaction_contacts``)
have no uid and were not numbered, so a pull could never bring them down.
This gives the table what 0025 gave the other synced tables: a nullable
``sync_seq`` numbered at COMMIT by the same deferred trigger, and a
tombstone trigger on DELETE naming the row ``"<interaction uid>:<contact
uid>"`` under the kind ``interaction_contact``. A row deleted by the cascade
of its interaction's deletion finds no interaction any more and writes no
tombstone: the interaction's own tombstone covers it.

Row-level security is already on the table (0019: visible with its
interaction). Until the replica code knows the kind, a pull skips its
tombstones (unknown kinds are ignored) and nothing reads the numbering.
SQLite: the column only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "interaction_contacts"
KIND = "interaction_contact"
KEY = "(interaction_id, contact_id) = (($1).interaction_id, ($1).contact_id)"
UID = (
    "(SELECT i.uid || ':' || c.uid FROM interactions i, contacts c"
    " WHERE i.id = ($1).interaction_id AND c.id = ($1).contact_id)"
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
