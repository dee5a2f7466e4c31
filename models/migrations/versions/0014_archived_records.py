"""clients, leads, contacts and deals: archived_at (archive instead of delete)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("clients", "leads", "contacts", "deals")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        # Plain ALTER (SQLite 3.35+): a batch copy of clients drops and
        # recreates a table that others point at, which foreign keys refuse.
        op.execute(f"ALTER TABLE {table} DROP COLUMN archived_at")
