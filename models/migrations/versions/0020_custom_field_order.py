"""custom fields: an order of their own (Settings → Fields → Up / Down)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("custom_fields") as batch:
        batch.add_column(
            sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    # the fields keep the order they had: the order they were added in
    op.execute("UPDATE custom_fields SET position = id")


def downgrade() -> None:
    # Plain ALTER: a batch copy would drop custom_fields, which values point at.
    op.execute("ALTER TABLE custom_fields DROP COLUMN position")
