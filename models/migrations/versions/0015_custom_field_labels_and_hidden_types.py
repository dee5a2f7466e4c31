"""custom fields: Russian label, list choices, lead fields; interaction types: hidden

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interaction_types") as batch:
        batch.add_column(
            sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("custom_fields") as batch:
        batch.add_column(sa.Column("label_ru", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("options", sa.JSON(), nullable=True))
        batch.drop_constraint(op.f("ck_custom_fields_entity_kind"), type_="check")
        batch.drop_constraint(op.f("ck_custom_fields_value_type"), type_="check")
        batch.create_check_constraint(
            op.f("ck_custom_fields_entity_kind"), "entity_kind IN ('client', 'lead', 'contact')"
        )
        batch.create_check_constraint(
            op.f("ck_custom_fields_value_type"),
            "value_type IN ('text', 'number', 'date', 'bool', 'list')",
        )


def downgrade() -> None:
    with op.batch_alter_table("custom_fields") as batch:
        batch.drop_constraint(op.f("ck_custom_fields_entity_kind"), type_="check")
        batch.drop_constraint(op.f("ck_custom_fields_value_type"), type_="check")
        batch.drop_column("options")
        batch.drop_column("label_ru")
        batch.create_check_constraint(
            op.f("ck_custom_fields_entity_kind"), "entity_kind IN ('client', 'contact')"
        )
        batch.create_check_constraint(
            op.f("ck_custom_fields_value_type"), "value_type IN ('text', 'number', 'date', 'bool')"
        )
    with op.batch_alter_table("interaction_types") as batch:
        batch.drop_column("hidden")
