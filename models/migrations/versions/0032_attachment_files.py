"""attachments reach the team server and the replica: file bytes by SHA-256

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06

Issue #20, docs/offline-sync.md ("Attachments"). Until now an attachment's
file lived only in the data folder of the machine that stored it.

- ``attachment_blobs`` (sha256, size, parts) and ``attachment_blob_parts``
  (sha256, part, at most 1 MB of content): the bytes of every attached file
  on the team PostgreSQL, once per content. A blob is complete when its
  ``attachment_blobs`` row exists; a BEFORE INSERT trigger
  (``tp_blob_verify``, as the schema owner) checks that parts 0..n-1 are
  there and that their bytes have exactly that size and SHA-256, so no
  login can publish wrong bytes under a hash another machine will ask for.
- Row-level security: a blob and its parts are readable where some
  attachment the session sees names that hash (the attachments policy of
  0019 decides), or by a role that sees everything; any writer login may
  insert parts and blobs (content-addressed and verified: the only thing a
  login learns is whether bytes it already holds are stored, which an
  insert that meets an existing row tells anyway); a complete blob and its
  parts are never changed or deleted by a login (only the owner, e.g. a
  clean-up of blobs no attachment names); parts of an unfinished upload
  (never committed with their blob row) may be deleted, so a stray part
  cannot block the real upload. A reader takes parts below ``parts`` only
  and checks the hash again.
- ``attachments.sync_seq``, numbered at COMMIT and tombstoned on DELETE as
  0025 does for the other synced tables (kind ``attachment``), and an
  index on ``attachments.sha256`` (the blob policies look it up).
- The field clocks and conflicts of an attachment: permissive policies of
  their own on ``sync_clock`` and ``sync_conflicts`` (0025's kind list
  does not name it), so an ``attachment`` pushed by a manager may record
  its clock.

SQLite: the tables, the column and the index only (a replica keeps files
in its data folder).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_BLOB_BYTES = 25 * 1024 * 1024
BLOB_PART_BYTES = 1024 * 1024
KIND = "attachment"
ALL = "(SELECT tp_sees_all())"
NAMED = "EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = {table}.sha256)"
# table -> (select, insert, update, delete)
POLICIES: dict[str, tuple[str, str, str, str]] = {
    "attachment_blobs": (
        f"{ALL} OR {NAMED.format(table='attachment_blobs')}",
        "true",
        "false",
        "false",
    ),
    "attachment_blob_parts": (
        f"{ALL} OR {NAMED.format(table='attachment_blob_parts')}",
        "true",
        "false",
        "NOT tp_blob_complete(sha256)",
    ),
}
SYNC_TABLES = ("sync_clock", "sync_conflicts")

FUNCTIONS = """
CREATE OR REPLACE FUNCTION tp_blob_complete(digest text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT EXISTS (SELECT 1 FROM attachment_blobs WHERE sha256 = digest)
$$;

CREATE OR REPLACE FUNCTION tp_blob_verify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  found_parts integer;
  found_size bigint;
  found_digest text;
BEGIN
  SELECT count(*), coalesce(sum(length(content)), 0),
         encode(sha256(coalesce(string_agg(content, ''::bytea ORDER BY part), ''::bytea)), 'hex')
    INTO found_parts, found_size, found_digest
    FROM attachment_blob_parts
    WHERE sha256 = NEW.sha256 AND part BETWEEN 0 AND NEW.parts - 1;
  IF found_parts <> NEW.parts OR found_size <> NEW.size OR found_digest <> NEW.sha256 THEN
    RAISE EXCEPTION 'the stored parts of file % do not match its size and checksum', NEW.sha256
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
"""


def _sync_visible(table: str) -> str:
    return f"{table}.kind = '{KIND}' AND EXISTS (SELECT 1 FROM attachments x WHERE x.uid = {table}.uid)"


def upgrade() -> None:
    op.create_table(
        "attachment_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            f"size BETWEEN 0 AND {MAX_BLOB_BYTES}", name=op.f("ck_attachment_blobs_size")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blobs")),
    )
    op.create_table(
        "attachment_blob_parts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            f"part >= 0 AND length(content) <= {BLOB_PART_BYTES}",
            name=op.f("ck_attachment_blob_parts_part"),
        ),
        sa.PrimaryKeyConstraint("sha256", "part", name=op.f("pk_attachment_blob_parts")),
    )
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("sync_seq", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_attachments_sync_seq"), "attachments", ["sync_seq"])
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"])
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def _postgres_upgrade() -> None:
    for statement in FUNCTIONS.strip().split("\n\n"):
        op.execute(statement)
    op.execute(
        "CREATE TRIGGER tp_blob_verify BEFORE INSERT ON attachment_blobs FOR EACH ROW "
        "EXECUTE FUNCTION tp_blob_verify()"
    )
    for event, when in (
        ("insert", ""),
        # The numbering UPDATE itself changes sync_seq and is not numbered again.
        ("update", " WHEN (OLD.sync_seq IS NOT DISTINCT FROM NEW.sync_seq)"),
    ):
        op.execute(
            f"CREATE CONSTRAINT TRIGGER tp_sync_number_{event} AFTER {event.upper()} "
            f"ON attachments DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{when} "
            "EXECUTE FUNCTION tp_sync_number('id = ($1).id')"
        )
    op.execute(
        "CREATE TRIGGER tp_sync_tombstone AFTER DELETE ON attachments FOR EACH ROW "
        f"EXECUTE FUNCTION tp_sync_tombstone('{KIND}', '($1).uid')"
    )
    # Rows already there are in the feed from the start (one number each).
    op.execute("UPDATE attachments SET sync_seq = nextval('sync_seq')")
    for table, (seen, insert, change, remove) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({seen})")
        op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({insert})")
        op.execute(
            f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({change}) WITH CHECK ({change})"
        )
        op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({remove})")
    for table in SYNC_TABLES:
        rule = _sync_visible(table)
        if table == "sync_conflicts":
            op.execute(f"CREATE POLICY tp_select_{KIND} ON {table} FOR SELECT USING ({rule})")
        op.execute(f"CREATE POLICY tp_insert_{KIND} ON {table} FOR INSERT WITH CHECK ({rule})")
        op.execute(
            f"CREATE POLICY tp_update_{KIND} ON {table} FOR UPDATE USING ({rule}) "
            f"WITH CHECK ({rule})"
        )
        op.execute(f"CREATE POLICY tp_delete_{KIND} ON {table} FOR DELETE USING ({rule})")
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tp_admin') THEN "
        "GRANT SELECT ON attachment_blobs, attachment_blob_parts "
        "TO tp_admin, tp_head, tp_manager, tp_readonly; "
        "GRANT INSERT, UPDATE, DELETE ON attachment_blobs, attachment_blob_parts "
        "TO tp_admin, tp_head, tp_manager; "
        "END IF; END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SYNC_TABLES:
            for command in ("select", "insert", "update", "delete"):
                op.execute(f"DROP POLICY IF EXISTS tp_{command}_{KIND} ON {table}")
        for name in ("tp_sync_number_insert", "tp_sync_number_update", "tp_sync_tombstone"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON attachments")
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_sync_seq"), table_name="attachments")
    # Plain ALTER (SQLite 3.35+), as 0025 does: no batch copy of the table.
    op.execute("ALTER TABLE attachments DROP COLUMN sync_seq")
    op.drop_table("attachment_blob_parts")
    op.drop_table("attachment_blobs")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS tp_blob_verify()")
        op.execute("DROP FUNCTION IF EXISTS tp_blob_complete(text)")
