"""scenarios can be deleted (archived) and restored

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

Deleting a scenario from Settings → Scenarios keeps its row (runs already
started refer to it and go on) and stamps ``archived_at``; undo clears it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Plain ALTER (SQLite 3.35+): a batch copy would drop and recreate a
    # table that scenario steps and runs point at (see 0014).
    op.execute("ALTER TABLE scenarios DROP COLUMN archived_at")
