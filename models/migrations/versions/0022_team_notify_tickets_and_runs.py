"""team databases: change notifications for support tickets and scenario runs

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

Revision 0019 announces changes of the card tables on the channel
``touchpoint``; an open ticket list or a card's scenario runs of another
desktop should reload too. The same statement-level trigger, with the kinds
the change bus already uses ("ticket", "scenario_run"). PostgreSQL only.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = {"support_tickets": "ticket", "scenario_runs": "scenario_run"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, kind in KINDS.items():
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER tp_notify_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS {rows.lower()}_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION tp_notify('{kind}')"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in KINDS:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS tp_notify_{event} ON {table}")
