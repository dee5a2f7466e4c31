"""replica sync: a clock's visibility is one index probe of its record

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06

Issue #20 (docs/offline-sync.md, "Who reads the clocks", "What it costs").
0037 made ``sync_clock`` and ``sync_conflicts`` rows visible where their
record is, as ``uid IN (SELECT uid FROM <the kind's table>)``. PostgreSQL
runs that as a hash of every uid the login sees of the kind, built per
statement: a seq scan of the whole record table with its policy per row
(24,000 interactions: ~60 ms), so one online save paid it two to five times
over (the clock read, the upsert's insert, select and update checks) and the
cost grew with the team's data, not with the rows written. A manager's save
on bench/team.py went from 26 to 51 ms.

Now the same rule, per row: ``EXISTS (SELECT FROM <table> x WHERE x.uid =
<row's uid> OFFSET 0)``, an index probe of ``uq_<table>_uid`` with the record
table's own policy (0019) on that one row. ``OFFSET 0`` keeps PostgreSQL
from turning the EXISTS back into the hash. What a login sees is unchanged
(the same kinds, the same tables, the same policies decide).

Two costs of the policy's size (every kind's table with its own nested
policy: some 800 subplans) are paid by the statement, not by the rows:

- planning, 25-35 ms for the upsert. A statement whose row count shows in
  its parameters (an array) gets a custom plan each time: PostgreSQL keeps
  the generic plan only when it is estimated no dearer than the custom
  ones, and the per-row probes make ten estimated rows dearer than five.
  The sync's two frequent statements are therefore functions (SECURITY
  INVOKER: the caller's policies apply as before) whose plans are generic,
  made once per connection: ``tp_sync_clock_rows`` reads the clocks of some
  records of one kind, ``tp_sync_set_clocks`` upserts clocks;
- JIT: the planner's estimate of the probes (each counts its record
  policy's nested hashes per call) passes ``jit_above_cost``, and compiling
  the plan took ~10 s. The functions say ``jit = off``; the app's own
  connections do too (services/core/storage.py).

SQLite: nothing (a replica holds one login's rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"
TABLES = ("sync_clock", "sync_conflicts")
PLANNING = "SET plan_cache_mode = force_generic_plan SET jit = off"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tp_sync_clock_rows(k text, uids text[])
RETURNS TABLE (kind text, uid text, field text, hlc text, user_id integer)
LANGUAGE plpgsql STABLE {PLANNING} AS $$
BEGIN
  RETURN QUERY SELECT c.kind::text, c.uid::text, c.field::text, c.hlc::text, c.user_id
    FROM sync_clock c WHERE c.kind = k AND c.uid = ANY(uids);
END $$;

CREATE OR REPLACE FUNCTION tp_sync_set_clocks(
  kinds text[], uids text[], fields text[], hlcs text[], writer integer
) RETURNS void LANGUAGE plpgsql {PLANNING} AS $$
BEGIN
  INSERT INTO sync_clock (kind, uid, field, hlc, user_id)
    SELECT t.k, t.u, t.f, t.h, writer FROM unnest(kinds, uids, fields, hlcs) AS t(k, u, f, h)
    ON CONFLICT ON CONSTRAINT pk_sync_clock
    DO UPDATE SET hlc = EXCLUDED.hlc, user_id = EXCLUDED.user_id;
END $$;
"""


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"models.migrations.versions.{name}")


def _probe(table: str, uid: str) -> str:
    """The login sees the row of ``table`` whose uid is ``uid``: one index
    probe under that table's own policy (``OFFSET 0``: never a hash)."""
    return f"EXISTS (SELECT FROM {table} x WHERE x.uid = {uid} OFFSET 0)"


def visible(table: str) -> str:
    """The record the row of ``table`` names (kind, uid) is one this login sees."""
    clock = _module("0037_sync_clock_visibility")
    records: dict[str, str] = clock.RECORDS  # type: ignore[attr-defined]
    owners: tuple[str, ...] = clock.CUSTOM_VALUE_OWNERS  # type: ignore[attr-defined]
    parts = [
        f"({table}.kind = '{kind}' AND {_probe(name, f'{table}.uid')})"
        for kind, name in records.items()
    ]
    owner = f"split_part({table}.uid, ':', 2)"
    parts.append(
        f"({table}.kind = 'custom_value' AND ("
        + " OR ".join(_probe(name, owner) for name in owners)
        + "))"
    )
    return " OR ".join(parts)


def _policies(rule: str, reference: str, table: str) -> None:
    for command in ("select", "insert", "update", "delete"):
        op.execute(f"DROP POLICY IF EXISTS tp_{command} ON {table}")
    seen = f"{ALL} OR {reference} OR {rule}"
    write = f"{ALL} OR {rule}"
    op.execute(f"CREATE POLICY tp_select ON {table} FOR SELECT USING ({seen})")
    op.execute(f"CREATE POLICY tp_insert ON {table} FOR INSERT WITH CHECK ({write})")
    op.execute(f"CREATE POLICY tp_update ON {table} FOR UPDATE USING ({seen}) WITH CHECK ({write})")
    op.execute(f"CREATE POLICY tp_delete ON {table} FOR DELETE USING ({write})")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    clock = _module("0037_sync_clock_visibility")
    for table in TABLES:
        _policies(visible(table), clock.reference(table), table)  # type: ignore[attr-defined]
    for statement in FUNCTIONS.strip().split("\n\n"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION IF EXISTS tp_sync_set_clocks(text[], text[], text[], text[], integer)"
    )
    op.execute("DROP FUNCTION IF EXISTS tp_sync_clock_rows(text, text[])")
    clock = _module("0037_sync_clock_visibility")
    for table in TABLES:
        _policies(clock.visible(table), clock.reference(table), table)  # type: ignore[attr-defined]
