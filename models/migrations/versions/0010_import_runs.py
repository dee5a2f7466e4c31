"""import runs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

A long contacts import commits in batches so it never holds the write lock
for long; ``import_runs`` and the ``import_id`` of each row it creates let
a failed or killed run be taken back whole.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("clients", "contacts", "contact_points")


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_import_runs_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    for table in TABLES:
        op.add_column(table, sa.Column("import_id", sa.Integer(), nullable=True))
        op.create_index(op.f(f"ix_{table}_import_id"), table, ["import_id"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_import_id"), table_name=table)
        # Plain ALTER (SQLite 3.35+): a batch copy would drop the search triggers.
        op.execute(f"ALTER TABLE {table} DROP COLUMN import_id")
    op.drop_table("import_runs")
