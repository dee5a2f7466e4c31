"""replica sync: scenarios come down, scenario runs sync both ways

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-06

Issue #20, docs/offline-sync.md ("Scenario steps on a laptop"). A laptop
replica holds the team's scenarios (reference data: server to laptop
only) and the runs of its clients (both ways), so a scenario applied on
the laptop plans and executes its steps there.

- ``scenarios``, ``scenario_steps``, ``scenario_runs``: a ``sync_seq``
  numbered at COMMIT by the trigger of 0025, and a tombstone on DELETE.
- ``scenario_run_steps``: had no uid; gets one (a UUIDv7 each for the rows
  already there), unique, and the same numbering and tombstone.
- ``scenario_runs.executor``: the sync node of the laptop that executes the
  run's steps; NULL: the database itself (the server's runner). Exactly one
  machine runs a run, so no letter is sent twice.

Row-level security: the runs and their steps already have policies (0019).
The field clocks and conflicts of the two new record kinds get policies of
their own, added beside 0025's (permissive policies of one command are
OR-ed), so writing a run's clock needs the run to be visible, as for every
other record; the policies of 0025/0027 are not touched.
SQLite: the columns, the uid backfill and its unique constraint only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.ids import new_uid

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    "scenarios": "scenario",
    "scenario_steps": "scenario_step",
    "scenario_runs": "scenario_run",
    "scenario_run_steps": "scenario_run_step",
}
RECORDS = {"scenario_run": "scenario_runs", "scenario_run_step": "scenario_run_steps"}
ALL = "(SELECT tp_sees_all())"
POLICY = "tp_scenario_sync"  # the name prefix of this revision's policies


def _visible(table: str) -> str:
    return " OR ".join(
        f"({table}.kind = '{kind}' AND EXISTS (SELECT 1 FROM {name} x WHERE x.uid = {table}.uid))"
        for kind, name in RECORDS.items()
    )


def _backfill_uids() -> None:
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM scenario_run_steps"))]
    statement = sa.text("UPDATE scenario_run_steps SET uid = :uid WHERE id = :id")
    for start in range(0, len(ids), 1000):
        bind.execute(statement, [{"uid": new_uid(), "id": i} for i in ids[start : start + 1000]])


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("sync_seq", sa.BigInteger(), nullable=True))
            if table == "scenario_runs":
                batch.add_column(sa.Column("executor", sa.String(length=40), nullable=True))
            if table == "scenario_run_steps":
                batch.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
        op.create_index(op.f(f"ix_{table}_sync_seq"), table, ["sync_seq"])
    _backfill_uids()
    # Nothing refers to scenario_run_steps: SQLite's batch copy is safe here.
    with op.batch_alter_table("scenario_run_steps") as batch:
        batch.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch.create_unique_constraint(op.f("uq_scenario_run_steps_uid"), ["uid"])
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def _postgres_upgrade() -> None:
    for table, kind in TABLES.items():
        for event, when in (
            ("insert", ""),
            # The numbering UPDATE itself changes sync_seq and is not numbered again.
            ("update", " WHEN (OLD.sync_seq IS NOT DISTINCT FROM NEW.sync_seq)"),
        ):
            op.execute(
                f"CREATE CONSTRAINT TRIGGER tp_sync_number_{event} AFTER {event.upper()} "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW{when} "
                "EXECUTE FUNCTION tp_sync_number('id = ($1).id')"
            )
        op.execute(
            f"CREATE TRIGGER tp_sync_tombstone AFTER DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION tp_sync_tombstone('{kind}', '($1).uid')"
        )
        # Rows already there are in the feed from the start (one number each).
        op.execute(f"UPDATE {table} SET sync_seq = nextval('sync_seq')")
    seen = _visible("sync_clock")
    op.execute(f"CREATE POLICY {POLICY}_insert ON sync_clock FOR INSERT WITH CHECK ({seen})")
    op.execute(
        f"CREATE POLICY {POLICY}_update ON sync_clock FOR UPDATE USING (true) WITH CHECK ({seen})"
    )
    op.execute(f"CREATE POLICY {POLICY}_delete ON sync_clock FOR DELETE USING ({seen})")
    seen = _visible("sync_conflicts")
    op.execute(f"CREATE POLICY {POLICY}_select ON sync_conflicts FOR SELECT USING ({seen})")
    op.execute(f"CREATE POLICY {POLICY}_insert ON sync_conflicts FOR INSERT WITH CHECK ({seen})")
    op.execute(
        f"CREATE POLICY {POLICY}_update ON sync_conflicts FOR UPDATE USING ({seen}) "
        f"WITH CHECK ({seen})"
    )
    op.execute(f"CREATE POLICY {POLICY}_delete ON sync_conflicts FOR DELETE USING ({seen})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("sync_clock", "sync_conflicts"):
            for command in ("select", "insert", "update", "delete"):
                op.execute(f"DROP POLICY IF EXISTS {POLICY}_{command} ON {table}")
        for table in TABLES:
            for name in ("tp_sync_number_insert", "tp_sync_number_update", "tp_sync_tombstone"):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    with op.batch_alter_table("scenario_run_steps") as batch:
        batch.drop_constraint(op.f("uq_scenario_run_steps_uid"), type_="unique")
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_sync_seq"), table_name=table)
        # Plain ALTER (SQLite 3.35+), as 0025 does.
        op.execute(f"ALTER TABLE {table} DROP COLUMN sync_seq")
    op.execute("ALTER TABLE scenario_runs DROP COLUMN executor")
    op.execute("ALTER TABLE scenario_run_steps DROP COLUMN uid")
