"""attachments: removal and the clean-up of files no attachment names

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-07

An attachment can now be removed from its card (a hard delete, tombstoned
on the team server by 0032's trigger). Its bytes are kept once per SHA-256
and shared by every row with the same content, so the removal leaves them;
a clean-up deletes what no row names any more, after a grace period
(services/interactions/attachment_cleanup.py). On a team database a login
cannot count the rows that name a hash (row-level security hides its
colleagues'), and an add of the same content may be committing right now,
so the server does it itself:

- ``attachment_blobs.orphaned_at``: when a sweep first found no attachment
  naming the blob (NULL: named, or not looked at yet).
- ``tp_blob_claim(digest)`` (SECURITY DEFINER): what an add calls instead
  of ``tp_blob_complete`` before it relies on a stored blob: clears
  ``orphaned_at`` with an UPDATE, which row-locks the blob until the add
  commits. A sweep's DELETE that meets the lock waits, then re-checks its
  condition on the updated row (NULL: not deleted); a sweep that deleted
  first makes the claim find nothing, and the add uploads the bytes again.
- ``tp_attachment_sweep(grace_seconds)`` (SECURITY DEFINER, any login):
  marks unnamed blobs, unmarks named ones, and deletes (with their parts)
  those marked more than the grace period ago (at least an hour, whatever
  the caller asks) and still unnamed. A blob is therefore deleted only by a
  later transaction than the one that found it unnamed.
- ``tp_attachments_named(digests[])`` (SECURITY DEFINER): which of these
  hashes an attachment names, whoever's; what a desktop's clean-up of its
  own data folder asks before it deletes a file there (a login learns only
  whether content it holds is attached somewhere, as an upload that meets
  a stored blob tells anyway).
- Change notifications for ``attachments`` (kind ``attachment``), as 0022
  added for tickets: a colleague's open Attachments tab reloads.

SQLite: the column only (a desktop's own files are cleaned by its own
count of rows).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIN_GRACE_S = 3600
NAMED = "EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)"
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tp_blob_claim(digest text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  UPDATE attachment_blobs SET orphaned_at = NULL WHERE sha256 = digest;
  RETURN FOUND;
END
$$;

CREATE OR REPLACE FUNCTION tp_attachments_named(digests text[]) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT sha256::text FROM attachments WHERE sha256 = ANY(digests)
$$;

CREATE OR REPLACE FUNCTION tp_attachment_sweep(grace_seconds integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  stamp timestamp := now() AT TIME ZONE 'UTC';
  gone integer;
BEGIN
  UPDATE attachment_blobs b SET orphaned_at = NULL
    WHERE b.orphaned_at IS NOT NULL AND {NAMED};
  WITH deleted AS (
    DELETE FROM attachment_blobs b
      WHERE b.orphaned_at < stamp - make_interval(secs => greatest(grace_seconds, {MIN_GRACE_S}))
        AND NOT {NAMED}
      RETURNING b.sha256
  ), parts AS (
    DELETE FROM attachment_blob_parts p USING deleted d WHERE p.sha256 = d.sha256
  )
  SELECT count(*) INTO gone FROM deleted;
  UPDATE attachment_blobs b SET orphaned_at = stamp
    WHERE b.orphaned_at IS NULL AND NOT {NAMED};
  RETURN gone;
END
$$;
"""
DROPPED = (
    "tp_blob_claim(text)",
    "tp_attachments_named(text[])",
    "tp_attachment_sweep(integer)",
)


def upgrade() -> None:
    with op.batch_alter_table("attachment_blobs") as batch:
        batch.add_column(sa.Column("orphaned_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in FUNCTIONS.strip().split("\n\n"):
        op.execute(statement)
    for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER tp_notify_{event.lower()} AFTER {event} ON attachments "
            f"REFERENCING {rows} TABLE AS {rows.lower()}_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION tp_notify('attachment')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS tp_notify_{event} ON attachments")
        for name in DROPPED:
            op.execute(f"DROP FUNCTION IF EXISTS {name}")
    with op.batch_alter_table("attachment_blobs") as batch:
        batch.drop_column("orphaned_at")
