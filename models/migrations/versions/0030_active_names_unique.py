"""scenario and inbound source names: unique among the active ones only

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06

A deleted scenario (0024) or a removed source (0023) keeps its row, and
with it its name: a new "Приветствие" was refused because an archived one
existed. The plain UNIQUE constraint becomes a partial unique index over the
rows whose ``archived_at`` is null, on SQLite and PostgreSQL alike.

SQLite cannot drop a table's UNIQUE constraint in place; the table is
rebuilt (batch mode). Steps, runs, rules and requests point at these tables,
and with foreign keys on, dropping the old copy would delete-check every
child row and fail. ``PRAGMA foreign_keys`` is a no-op inside a transaction,
so on SQLite the work so far is committed (alembic has stamped the previous
revision: a consistent state), foreign keys are turned off for the rebuild,
checked with ``foreign_key_check`` before commit, and turned on again; a new
transaction is left open for alembic to stamp this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("scenarios", "inbound_sources")
ACTIVE = sa.text("archived_at IS NULL")


def _rebuild(change: object) -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys = OFF")
        bind.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        change()  # type: ignore[operator]
        if sqlite:
            broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
    except BaseException:
        if sqlite:
            bind.exec_driver_sql("ROLLBACK")
            bind.exec_driver_sql("PRAGMA foreign_keys = ON")
            bind.exec_driver_sql("BEGIN IMMEDIATE")
        raise
    if sqlite:
        bind.exec_driver_sql("COMMIT")
        bind.exec_driver_sql("PRAGMA foreign_keys = ON")
        bind.exec_driver_sql("BEGIN IMMEDIATE")


def _to_partial() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, recreate="auto") as batch:
            batch.drop_constraint(f"uq_{table}_name", type_="unique")
        op.create_index(
            f"uq_{table}_active_name",
            table,
            ["name"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )


def _to_plain() -> None:
    for table in TABLES:
        op.drop_index(f"uq_{table}_active_name", table_name=table)
        with op.batch_alter_table(table, recreate="auto") as batch:
            batch.create_unique_constraint(f"uq_{table}_name", ["name"])


def upgrade() -> None:
    _rebuild(_to_partial)


def downgrade() -> None:
    # Fails while an archived row shares its name with an active one, as it
    # should: the old schema cannot hold both.
    _rebuild(_to_plain)
