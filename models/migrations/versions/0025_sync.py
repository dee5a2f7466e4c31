"""laptop replica sync: the sync tables, the server's change feed (sync_seq)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

Issue #20, docs/offline-sync.md. Six tables (models/sync.py) and a nullable
``sync_seq`` column on every synced table.

On PostgreSQL one sequence ``sync_seq`` numbers every insert and update of a
synced row, and every tombstone, so that a replica pulling
``sync_seq > cursor`` in order never skips a row. The guarantee: **when a
snapshot sees a row numbered n, it sees every row that will ever carry a
number below n** (or that row never commits). How: the number is given at
COMMIT, by a DEFERRABLE INITIALLY DEFERRED constraint trigger that first
takes one transaction-scoped advisory lock and then sets
``sync_seq = nextval('sync_seq')`` on the row. The lock is released only
after the commit is visible, so the transactions that number rows do so one
after another, in commit order; numbers taken by a transaction that then
aborts are gaps, never rows. The lock is held only from the start of the
commit's numbering to its end, not for the whole transaction. Proved by
tests/integration/test_sync_seq_order.py with two connections.

The numbering functions run as the schema owner (SECURITY DEFINER): a
manager who hands a client to a colleague no longer sees the row, yet it
must be numbered for the colleague to pull it. Deleting a synced row writes
a tombstone (kind, uid, a server clock) the same way; the replica's pull
removes the record.

Row-level security for the new tables, like 0019: the clocks and the
conflicts of a record are visible and writable where the record itself is
(its own table's policy decides, through an EXISTS on its uid); reference
data (users, roles, pipelines, stages, custom fields, interaction types)
is readable by all and its clocks written by administrators; tombstones
hold a kind and a uid only and are readable by all; ``sync_applied`` rows
are each login's own; ``sync_log`` and ``sync_state`` belong to a replica
and stay empty on a server.

SQLite: the tables and the columns only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UID = 80
HLC = 40
LOCK_KEY = 0x74705359  # "tpSY": the one advisory lock that serializes numbering

# Synced table -> (kind, its key as a condition on the row $1, its uid from $1).
SYNCED: dict[str, tuple[str, str, str]] = {
    name: (kind, "id = ($1).id", "($1).uid")
    for name, kind in {
        "users": "user",
        "roles": "role",
        "pipelines": "pipeline",
        "stages": "stage",
        "custom_fields": "custom_field",
        "clients": "client",
        "leads": "lead",
        "contacts": "contact",
        "contact_points": "contact_point",
        "deals": "deal",
        "interactions": "interaction",
        "notes": "note",
        "tasks": "task",
        "memos": "memo",
        "email_templates": "email_template",
    }.items()
}
SYNCED["interaction_types"] = ("interaction_type", "code = ($1).code", "($1).code")
SYNCED["custom_values"] = (
    "custom_value",
    "(field_id, entity_id) = (($1).field_id, ($1).entity_id)",
    "(SELECT f.uid || ':' || (CASE f.entity_kind"
    " WHEN 'client' THEN (SELECT c.uid FROM clients c WHERE c.id = ($1).entity_id)"
    " WHEN 'lead' THEN (SELECT l.uid FROM leads l WHERE l.id = ($1).entity_id)"
    " ELSE (SELECT p.uid FROM contacts p WHERE p.id = ($1).entity_id) END)"
    " FROM custom_fields f WHERE f.id = ($1).field_id)",
)
REFERENCE_KINDS = ("user", "role", "pipeline", "stage", "custom_field", "interaction_type")

ALL = "(SELECT tp_sees_all())"
ME = "(SELECT tp_me())"


def _visible(table: str) -> str:
    """The record named by ``table``'s (kind, uid) is one this session sees."""
    parts = []
    for name, (kind, _key, _uid) in SYNCED.items():
        if kind in REFERENCE_KINDS or kind == "custom_value":
            continue
        parts.append(
            f"({table}.kind = '{kind}' AND EXISTS "
            f"(SELECT 1 FROM {name} x WHERE x.uid = {table}.uid))"
        )
    entity = f"split_part({table}.uid, ':', 2)"
    parts.append(
        f"({table}.kind = 'custom_value' AND ("
        + " OR ".join(
            f"EXISTS (SELECT 1 FROM {name} x WHERE x.uid = {entity})"
            for name in ("clients", "leads", "contacts")
        )
        + "))"
    )
    return " OR ".join(parts)


def _reference(table: str) -> str:
    kinds = ", ".join(f"'{k}'" for k in REFERENCE_KINDS)
    return f"{table}.kind IN ({kinds})"


POLICIES: dict[str, tuple[str, str]] = {
    "sync_clock": (
        f"{_reference('sync_clock')} OR {_visible('sync_clock')}",
        _visible("sync_clock"),
    ),
    "sync_conflicts": (
        f"{_reference('sync_conflicts')} OR {_visible('sync_conflicts')}",
        _visible("sync_conflicts"),
    ),
    "sync_tombstones": ("true", "true"),
    "sync_applied": (f"user_id = {ME}", f"user_id = {ME}"),
    "sync_log": ("false", "false"),
    "sync_state": ("false", "false"),
}

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tp_sync_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK_KEY});
  EXECUTE format('UPDATE %I SET sync_seq = nextval(''public.sync_seq'') WHERE %s',
                 TG_TABLE_NAME, TG_ARGV[0]) USING NEW;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION tp_sync_tombstone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  deleted_uid text;
  clock text;
BEGIN
  EXECUTE 'SELECT ' || TG_ARGV[1] INTO deleted_uid USING OLD;
  IF deleted_uid IS NULL THEN
    RETURN NULL;
  END IF;
  clock := lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
           || ':0000:server';
  INSERT INTO sync_tombstones (kind, uid, hlc, deleted_at)
  VALUES (TG_ARGV[0], deleted_uid, clock, (now() AT TIME ZONE 'UTC'))
  ON CONFLICT (kind, uid) DO UPDATE
    SET hlc = greatest(sync_tombstones.hlc, EXCLUDED.hlc), deleted_at = EXCLUDED.deleted_at;
  RETURN NULL;
END
$$;
"""


def _add_seq_column(table: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("sync_seq", sa.BigInteger(), nullable=True))
    op.create_index(op.f(f"ix_{table}_sync_seq"), table, ["sync_seq"])


def upgrade() -> None:
    op.create_table(
        "sync_clock",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uid", sa.String(length=UID), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.String(length=HLC), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "uid", "field", name=op.f("pk_sync_clock")),
    )
    op.create_table(
        "sync_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_uid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uid", sa.String(length=UID), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("base", sa.String(length=HLC), nullable=True),
        sa.Column("hlc", sa.String(length=HLC), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'pushed', 'refused')", name=op.f("ck_sync_log_state")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_log")),
    )
    op.create_index(op.f("ix_sync_log_op_uid"), "sync_log", ["op_uid"])
    op.create_index("ix_sync_log_state_seq", "sync_log", ["state", "seq"])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_applied",
        sa.Column("op_uid", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('applied', 'refused')", name=op.f("ck_sync_applied_outcome")
        ),
        sa.PrimaryKeyConstraint("op_uid", name=op.f("pk_sync_applied")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uid", sa.String(length=UID), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("mine", sa.Text(), nullable=True),
        sa.Column("theirs", sa.Text(), nullable=True),
        sa.Column("mine_hlc", sa.String(length=HLC), nullable=False),
        sa.Column("theirs_hlc", sa.String(length=HLC), nullable=False),
        sa.Column("mine_user_id", sa.Integer(), nullable=True),
        sa.Column("theirs_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index("ix_sync_conflicts_record", "sync_conflicts", ["kind", "uid"])
    op.create_table(
        "sync_tombstones",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uid", sa.String(length=UID), nullable=False),
        sa.Column("hlc", sa.String(length=HLC), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("sync_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "uid", name=op.f("pk_sync_tombstones")),
    )
    op.create_index(op.f("ix_sync_tombstones_sync_seq"), "sync_tombstones", ["sync_seq"])
    for table in SYNCED:
        _add_seq_column(table)
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def _number_on_commit(table: str, key: str) -> None:
    for event, when in (
        ("insert", ""),
        # The numbering UPDATE itself changes sync_seq and is not numbered again.
        ("update", " WHEN (OLD.sync_seq IS NOT DISTINCT FROM NEW.sync_seq)"),
    ):
        op.execute(
            f"CREATE CONSTRAINT TRIGGER tp_sync_number_{event} AFTER {event.upper()} ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{when} "
            f"EXECUTE FUNCTION tp_sync_number('{key}')"
        )


def _postgres_upgrade() -> None:
    op.execute("CREATE SEQUENCE IF NOT EXISTS sync_seq AS bigint")
    for statement in FUNCTIONS.strip().split("\n\n"):
        op.execute(statement)
    for table, (kind, key, uid) in SYNCED.items():
        _number_on_commit(table, key)
        op.execute(
            f"CREATE TRIGGER tp_sync_tombstone AFTER DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION tp_sync_tombstone('{kind}', '{uid.replace(chr(39), chr(39) * 2)}')"
        )
        # Rows already there are in the feed from the start (one number each).
        op.execute(f"UPDATE {table} SET sync_seq = nextval('sync_seq')")
    _number_on_commit("sync_tombstones", "(kind, uid) = (($1).kind, ($1).uid)")
    for table, (seen, write) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({ALL} OR {seen})")
        op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({ALL} OR {write})")
        op.execute(
            f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({ALL} OR {seen}) "
            f"WITH CHECK ({ALL} OR {write})"
        )
        op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({ALL} OR {write})")
    # The grants of 0019 (run again by ``admin migrate``) now cover the new
    # tables: all read, writers write those with row-level security.
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tp_admin') THEN "
        "GRANT SELECT ON sync_clock, sync_log, sync_state, sync_applied, sync_conflicts, "
        "sync_tombstones TO tp_admin, tp_head, tp_manager, tp_readonly; "
        "GRANT INSERT, UPDATE, DELETE ON sync_clock, sync_log, sync_state, sync_applied, "
        "sync_conflicts, sync_tombstones TO tp_admin, tp_head, tp_manager; "
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tp_admin, tp_head, tp_manager; "
        "END IF; END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*SYNCED, "sync_tombstones"):
            for name in ("tp_sync_number_insert", "tp_sync_number_update", "tp_sync_tombstone"):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS tp_sync_number()")
        op.execute("DROP FUNCTION IF EXISTS tp_sync_tombstone()")
        op.execute("DROP SEQUENCE IF EXISTS sync_seq")
    for table in SYNCED:
        op.drop_index(op.f(f"ix_{table}_sync_seq"), table_name=table)
        # Plain ALTER (SQLite 3.35+): a batch copy would drop and recreate
        # tables that most others point at (see 0019).
        op.execute(f"ALTER TABLE {table} DROP COLUMN sync_seq")
    for table in (
        "sync_tombstones",
        "sync_conflicts",
        "sync_applied",
        "sync_state",
        "sync_log",
        "sync_clock",
    ):
        op.drop_table(table)
