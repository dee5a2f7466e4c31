"""replica sync: a pushed removal's clock delete and tombstone move are planned once

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07

Issue #16 (bench/README.md, "Planning, not counted above"). A pushed
removal (services/sync/apply_writes.py ``Op.delete``) deletes the record's
``sync_clock`` rows and, when the server's trigger wrote the tombstone
already, moves its clock. As plain statements PostgreSQL planned them
anew nearly every time: ``sync_clock``'s policies probe every kind's table
(0042), ~12 ms a plan; the offline week's sync spent 1.37 s of its 2.68 s
planning on the DELETE and 0.23 s on the tombstone's UPDATE.

The cure 0042 applied to the clock reads and upserts: the same two
statements as functions whose plan is generic, made once per connection
(``plan_cache_mode = force_generic_plan``, ``jit = off``):
``tp_sync_forget_clocks(kind, uid)`` deletes one record's clock rows and
``tp_sync_move_tombstone(kind, uid, hlc)`` sets a tombstone's clock; each
returns how many rows it touched. SECURITY INVOKER, as 0042's: the
caller's policies on ``sync_clock`` and ``sync_tombstones`` apply exactly
as they did to the plain statements, so a login deletes or moves no row it
could not before (a row it may not delete is left, silently, as the
DELETE left it; a move its policy refuses raises, as the UPDATE did).

SQLite: nothing (a replica holds one login's rows; the plain statements).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLANNING = "SET plan_cache_mode = force_generic_plan SET jit = off"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tp_sync_forget_clocks(k text, u text)
RETURNS integer LANGUAGE plpgsql SECURITY INVOKER {PLANNING} AS $$
DECLARE n integer;
BEGIN
  DELETE FROM sync_clock c WHERE c.kind = k AND c.uid = u;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

CREATE OR REPLACE FUNCTION tp_sync_move_tombstone(k text, u text, h text)
RETURNS integer LANGUAGE plpgsql SECURITY INVOKER {PLANNING} AS $$
DECLARE n integer;
BEGIN
  UPDATE sync_tombstones t SET hlc = h WHERE t.kind = k AND t.uid = u;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in FUNCTIONS.strip().split("\n\n"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS tp_sync_move_tombstone(text, text, text)")
    op.execute("DROP FUNCTION IF EXISTS tp_sync_forget_clocks(text, text)")
