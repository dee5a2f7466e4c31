"""queued AI drafts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_draft_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("messages", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_utc", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_ai_draft_requests_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_ai_draft_requests_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deals.id"], name=op.f("fk_ai_draft_requests_deal_id_deals")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_ai_draft_requests_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["email_templates.id"],
            name=op.f("fk_ai_draft_requests_template_id_email_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_draft_requests")),
        sa.UniqueConstraint("uid", name=op.f("uq_ai_draft_requests_uid")),
    )
    with op.batch_alter_table("ai_draft_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ai_draft_requests_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ai_draft_requests_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ai_draft_requests_requested_by"), ["requested_by"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ai_draft_requests_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ai_draft_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_draft_requests_state"))
        batch_op.drop_index(batch_op.f("ix_ai_draft_requests_requested_by"))
        batch_op.drop_index(batch_op.f("ix_ai_draft_requests_deal_id"))
        batch_op.drop_index(batch_op.f("ix_ai_draft_requests_client_id"))

    op.drop_table("ai_draft_requests")
