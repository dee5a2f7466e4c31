"""replica sync: field clocks are readable by every team login

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

Revision 0025 let a login read a ``sync_clock`` row only where it sees the
record (an EXISTS on the record's table per kind). Row-level security
evaluates a policy before any condition that is not leakproof, and the sync
asks for many clocks at once with ``(kind, uid) IN (...)``, a row
comparison PostgreSQL does not treat as leakproof: every such query scanned
the whole table and ran the policy on each row, ~50 ms a query on a small
team database and growing with it (bench/replica.py: a push took ~1 s per
action). A clock row holds no client data: a kind, a uid, a field name,
the time of the last write and who wrote it. Reading is now open to every
login (``tp_select`` and the rows an UPDATE may target); what a login may
insert or set stays where it sees the record, and deleting too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"


def _sync_policies() -> dict[str, tuple[str, str]]:
    import importlib

    module = importlib.import_module("models.migrations.versions.0025_sync")
    return dict(module.POLICIES)


def _replace(seen: str, write: str) -> None:
    op.execute("DROP POLICY IF EXISTS tp_select ON sync_clock")
    op.execute("DROP POLICY IF EXISTS tp_update ON sync_clock")
    op.execute(f"CREATE POLICY tp_select ON sync_clock FOR SELECT USING ({ALL} OR {seen})")
    op.execute(
        f"CREATE POLICY tp_update ON sync_clock FOR UPDATE USING ({ALL} OR {seen}) "
        f"WITH CHECK ({ALL} OR {write})"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _seen, write = _sync_policies()["sync_clock"]
    _replace("true", write)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    seen, write = _sync_policies()["sync_clock"]
    _replace(seen, write)
