"""team databases: a deputy may end the period they stand in

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06

Issue #20. A deputy period is ended early by the absent colleague, the
deputy or an administrator (services/parties/deputies.py). The policies of
0019 let a login delete only a period it is absent for, so a deputy's end
(in the window, the CLI or pushed from a laptop) deleted nothing. The
delete policy of ``deputies`` now also lets the deputy delete their own
period; inserting and changing a period stay the absent colleague's.

SQLite: nothing (no row-level security).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL = "(SELECT tp_sees_all())"
ME = "(SELECT tp_me())"


def _delete_policy(rule: str) -> None:
    op.execute("DROP POLICY IF EXISTS tp_delete ON deputies")
    op.execute(f"CREATE POLICY tp_delete ON deputies FOR DELETE USING ({ALL} OR {rule})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _delete_policy(f"absent_id = {ME} OR deputy_id = {ME}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _delete_policy(f"absent_id = {ME}")
