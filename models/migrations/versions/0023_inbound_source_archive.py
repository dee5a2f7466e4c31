"""inbound sources: removed ones are archived (no more polling; their requests stay)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_sources") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Plain ALTER: a batch copy would drop inbound_sources, which requests point at.
    op.execute("ALTER TABLE inbound_sources DROP COLUMN archived_at")
