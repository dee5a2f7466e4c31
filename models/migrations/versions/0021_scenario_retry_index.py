"""scenario run steps: an index for when the next retry is due

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scenario_run_steps") as batch:
        batch.create_index("ix_scenario_run_steps_retry", ["state", "next_try_utc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scenario_run_steps") as batch:
        batch.drop_index("ix_scenario_run_steps_retry")
