"""team databases: a task's assignee reads the task's history

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-07

A task's assignee sees and completes the task without seeing its card
(0019's ``tasks`` policy: ``assignee_id = ANY(tp_owners())``), and the app
lets whoever sees a task read its history (services/core/history.py). But
``audit_entries``' policy showed a line only to its writer and to who sees
the card or deal it is on, so on a team server the assignee read only the
lines they wrote themselves.

Now the SELECT policy of ``audit_entries`` also shows a task's own lines
(``entity_kind = 'task'``) to whoever sees the task (the ``tasks`` policy,
probed as 0044 probes). Writing is unchanged. A removed task's lines are
read by who sees its card, as before.

SQLite: nothing (one user).
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TASK = (
    "(entity_kind = 'task' AND EXISTS (SELECT FROM tasks x WHERE x.id = audit_entries.entity_id))"
)


def _seen() -> str:
    """``audit_entries``' SELECT rule as 0044 made it (0019's, probed)."""
    rls = importlib.import_module("models.migrations.versions.0019_team_row_level_security")
    probes = importlib.import_module("models.migrations.versions.0044_record_policy_probes")
    seen, _write = rls.POLICIES["audit_entries"]
    return str(probes.probe("audit_entries", seen))


def _select(rule: str) -> None:
    op.execute("DROP POLICY IF EXISTS tp_select ON audit_entries")
    op.execute(
        "CREATE POLICY tp_select ON audit_entries FOR SELECT"
        f" USING ((SELECT tp_sees_all()) OR {rule})"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _select(f"{_seen()} OR {TASK}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _select(_seen())
