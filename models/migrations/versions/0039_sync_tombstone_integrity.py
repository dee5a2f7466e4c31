"""replica sync: a tombstone may not name a record that is still there

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-06

Issue #20 (docs/offline-sync.md, "Who reads the clocks"). A tombstone
tells every laptop that pulls it to delete its copy of the record. The
server writes one itself when a record goes (the ``tp_sync_tombstone``
trigger, as the schema owner) and the sync's apply writes one under the
user's login for a record the laptop removed that the server never had.
Until now any team login could also insert or move one naming a live
record of a colleague (0038 closed this for the three kinds whose uid
names other records only): a hostile login with a uid it once saw could
make colleagues' laptops drop a client or a phone number that the server
still holds, and then refuse their edits to it.

Now a login that does not see everything may insert or move a tombstone
only when no record of that kind and uid exists (``tp_sync_live``, run as
the schema owner so that a colleague's record the login cannot see still
counts as existing), and never one of reference data (users, roles,
pipelines and the rest are the administrators'). The sync itself never
needs more: the trigger runs as the owner, and apply writes a tombstone
only after the record is gone or for a uid the server never had.

SQLite: nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "sync_tombstones"
ALL = "(SELECT tp_sees_all())"


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"models.migrations.versions.{name}")


def _function() -> str:
    records: dict[str, str] = _module("0037_sync_clock_visibility").RECORDS  # type: ignore[attr-defined]
    cases = "\n".join(
        f"    WHEN '{kind}' THEN RETURN EXISTS (SELECT 1 FROM {table} WHERE uid = u);"
        for kind, table in records.items()
    )
    return f"""
CREATE OR REPLACE FUNCTION tp_sync_live(k text, u text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  CASE k
{cases}
    ELSE RETURN false;
  END CASE;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_function())
    visible: str = _module("0038_sync_tombstone_visibility")._visible()  # type: ignore[attr-defined]
    kinds = ", ".join(f"'{k}'" for k in _module("0037_sync_clock_visibility").REFERENCE_KINDS)  # type: ignore[attr-defined]
    write = (
        f"{ALL} OR (({visible}) AND {TABLE}.kind NOT IN ({kinds})"
        f" AND NOT tp_sync_live({TABLE}.kind, {TABLE}.uid))"
    )
    for command in ("insert", "update"):
        op.execute(f"DROP POLICY IF EXISTS tp_{command} ON {TABLE}")
    op.execute(f"CREATE POLICY tp_insert ON {TABLE} FOR INSERT WITH CHECK ({write})")
    op.execute(
        f"CREATE POLICY tp_update ON {TABLE} FOR UPDATE USING ({ALL} OR {visible}) "
        f"WITH CHECK ({write})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _module("0038_sync_tombstone_visibility").upgrade()  # type: ignore[attr-defined]
    op.execute("DROP FUNCTION IF EXISTS tp_sync_live(text, text)")
