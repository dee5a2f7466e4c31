"""replica sync: a refusal keeps its error code and params

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06

Issue #20. A refused push was stored with the server's English sentence
only (``sync_applied.reason`` on the server, ``sync_log.reason`` on the
laptop), so a Russian window showed it in English. Both tables gain the
``UserError``'s ``code`` and its ``params`` (JSON), from which the window
words the refusal in its own language (ui/shell/error_catalogue). Nullable:
rows refused before keep their text only, and are shown as they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("sync_log", "sync_applied")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("code", sa.String(length=64), nullable=True))
        op.add_column(table, sa.Column("params", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain ALTER (SQLite 3.35+), as 0025 does: no batch copy of the table.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN params")
        op.execute(f"ALTER TABLE {table} DROP COLUMN code")
