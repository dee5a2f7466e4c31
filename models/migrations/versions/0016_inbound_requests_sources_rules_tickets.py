"""inbound requests (SPEC G1-G5): sources, rules, round-robin, rejection reasons, tickets

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The seeded reasons (an editable list afterwards, like interaction types).
REASONS = (
    ("Spam", "Спам"),
    ("Duplicate request", "Повторное обращение"),
    ("Not our profile", "Не наш профиль"),
    ("No budget", "Нет бюджета"),
    ("Could not reach the sender", "Не удалось связаться"),
)

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rejection_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejection_reasons")),
    )
    reasons = sa.table(
        "rejection_reasons",
        sa.column("name_en", sa.String),
        sa.column("name_ru", sa.String),
        sa.column("position", sa.Integer),
        sa.column("hidden", sa.Boolean),
    )
    op.bulk_insert(
        reasons,
        [
            {"name_en": en, "name_ru": ru, "position": (i + 1) * 10, "hidden": False}
            for i, (en, ru) in enumerate(REASONS)
        ],
    )
    op.create_table(
        "inbound_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("process_requests", sa.Boolean(), nullable=False),
        sa.Column("mail_account_id", sa.Integer(), nullable=True),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("field_mapping", sa.JSON(), nullable=True),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("telegram_offset", sa.BigInteger(), nullable=True),
        sa.Column("api_base", sa.String(length=500), nullable=True),
        sa.Column("poll_minutes", sa.Integer(), nullable=False),
        sa.Column("last_poll_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('mail_account', 'web_form', 'telegram')", name=op.f("ck_inbound_sources_kind")
        ),
        sa.ForeignKeyConstraint(
            ["mail_account_id"],
            ["mail_accounts.id"],
            name=op.f("fk_inbound_sources_mail_account_id_mail_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_inbound_sources_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_inbound_sources_uid")),
    )
    with op.batch_alter_table("inbound_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_sources_mail_account_id"), ["mail_account_id"], unique=False
        )

    op.create_table(
        "inbound_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("whole_word", sa.Boolean(), nullable=False),
        sa.Column("known_to_owner", sa.Boolean(), nullable=False),
        sa.Column("assign_mode", sa.String(length=20), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("queue_user_ids", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=True),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("deal_owner_id", sa.Integer(), nullable=True),
        sa.Column("rejection_reason_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "action IN ('deal', 'ticket', 'reject', 'none')", name=op.f("ck_inbound_rules_action")
        ),
        sa.CheckConstraint(
            "assign_mode IN ('client_owner', 'role', 'round_robin', 'user')",
            name=op.f("ck_inbound_rules_assign_mode"),
        ),
        sa.ForeignKeyConstraint(
            ["deal_owner_id"],
            ["users.id"],
            name=op.f("fk_inbound_rules_deal_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_id"], ["pipelines.id"], name=op.f("fk_inbound_rules_pipeline_id_pipelines")
        ),
        sa.ForeignKeyConstraint(
            ["rejection_reason_id"],
            ["rejection_reasons.id"],
            name=op.f("fk_inbound_rules_rejection_reason_id_rejection_reasons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_inbound_rules_role_id_roles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["inbound_sources.id"],
            name=op.f("fk_inbound_rules_source_id_inbound_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_inbound_rules_stage_id_stages")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_inbound_rules_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_rules")),
        sa.UniqueConstraint("uid", name=op.f("uq_inbound_rules_uid")),
    )
    with op.batch_alter_table("inbound_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbound_rules_source_id"), ["source_id"], unique=False)

    op.create_table(
        "support_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'in_progress', 'closed')", name=op.f("ck_support_tickets_state")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_support_tickets_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_support_tickets_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_support_tickets_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_support_tickets_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_tickets")),
        sa.UniqueConstraint("number", name=op.f("uq_support_tickets_number")),
        sa.UniqueConstraint("uid", name=op.f("uq_support_tickets_uid")),
    )
    with op.batch_alter_table("support_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_tickets_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_tickets_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_support_tickets_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_support_tickets_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_support_tickets_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "inbound_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=998), nullable=False),
        sa.Column("sender_name", sa.String(length=300), nullable=False),
        sa.Column("sender_email", sa.String(length=320), nullable=True),
        sa.Column("sender_phone", sa.String(length=50), nullable=True),
        sa.Column("sender_handle", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("why", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("created_lead", sa.Boolean(), nullable=False),
        sa.Column("rejection_reason_id", sa.Integer(), nullable=True),
        sa.Column("rejection_note", sa.Text(), nullable=True),
        sa.Column("mark", sa.String(length=12), nullable=True),
        sa.Column("processed_at", sa.DateTime(), nullable=True),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "mark IS NULL OR mark IN ('auto_reply', 'bounce', 'list')",
            name=op.f("ck_inbound_requests_mark"),
        ),
        sa.CheckConstraint(
            "state IN ('new', 'assigned', 'converted', 'rejected')",
            name=op.f("ck_inbound_requests_state"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_inbound_requests_client_id_clients"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_inbound_requests_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_inbound_requests_deal_id_deals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_inbound_requests_lead_id_leads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_inbound_requests_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rejection_reason_id"],
            ["rejection_reasons.id"],
            name=op.f("fk_inbound_requests_rejection_reason_id_rejection_reasons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_inbound_requests_role_id_roles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["inbound_rules.id"],
            name=op.f("fk_inbound_requests_rule_id_inbound_rules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["inbound_sources.id"],
            name=op.f("fk_inbound_requests_source_id_inbound_sources"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["support_tickets.id"],
            name=op.f("fk_inbound_requests_ticket_id_support_tickets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_requests")),
        sa.UniqueConstraint("source_id", "source_key", name="uq_inbound_requests_key"),
        sa.UniqueConstraint("uid", name=op.f("uq_inbound_requests_uid")),
    )
    with op.batch_alter_table("inbound_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_requests_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbound_requests_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbound_requests_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbound_requests_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_requests_sender_email"), ["sender_email"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inbound_requests_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index("ix_inbound_requests_state", ["state", "received_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbound_requests_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "inbound_round_robin",
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["inbound_rules.id"],
            name=op.f("fk_inbound_round_robin_rule_id_inbound_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_inbound_round_robin")),
    )
    op.create_table(
        "inbound_originals",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["inbound_requests.id"],
            name=op.f("fk_inbound_originals_request_id_inbound_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_inbound_originals")),
    )


def downgrade() -> None:
    op.drop_table("inbound_originals")
    op.drop_table("inbound_round_robin")
    with op.batch_alter_table("inbound_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_requests_ticket_id"))
        batch_op.drop_index("ix_inbound_requests_state")
        batch_op.drop_index(batch_op.f("ix_inbound_requests_source_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_requests_sender_email"))
        batch_op.drop_index(batch_op.f("ix_inbound_requests_owner_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_requests_lead_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_requests_deal_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_requests_client_id"))

    op.drop_table("inbound_requests")
    with op.batch_alter_table("support_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_tickets_request_id"))
        batch_op.drop_index(batch_op.f("ix_support_tickets_owner_id"))
        batch_op.drop_index(batch_op.f("ix_support_tickets_lead_id"))
        batch_op.drop_index(batch_op.f("ix_support_tickets_contact_id"))
        batch_op.drop_index(batch_op.f("ix_support_tickets_client_id"))

    op.drop_table("support_tickets")
    with op.batch_alter_table("inbound_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_rules_source_id"))

    op.drop_table("inbound_rules")
    with op.batch_alter_table("inbound_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_sources_mail_account_id"))

    op.drop_table("inbound_sources")
    op.drop_table("rejection_reasons")
