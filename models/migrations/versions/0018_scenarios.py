"""scenarios: chains of steps, runs and run steps

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("on_reply", sa.String(length=8), nullable=False),
        sa.Column("owner_rule", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("on_reply IN ('pause', 'stop')", name=op.f("ck_scenarios_on_reply")),
        sa.CheckConstraint(
            "owner_rule IN ('starter', 'client_owner')", name=op.f("ck_scenarios_owner_rule")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_scenarios_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_scenarios_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_scenarios_uid")),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_author_id"), ["author_id"], unique=False)

    op.create_table(
        "scenario_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("time_minutes", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("ai", sa.Boolean(), nullable=False),
        sa.Column("auto_send", sa.Boolean(), nullable=False),
        sa.Column("owner_rule", sa.String(length=16), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "owner_rule IS NULL OR owner_rule IN ('starter', 'client_owner')",
            name=op.f("ck_scenario_steps_owner_rule"),
        ),
        sa.CheckConstraint("delay_days >= 0", name=op.f("ck_scenario_steps_delay")),
        sa.CheckConstraint(
            "time_minutes >= 0 AND time_minutes < 1440", name=op.f("ck_scenario_steps_time")
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_steps_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["email_templates.id"],
            name=op.f("fk_scenario_steps_template_id_email_templates"),
        ),
        sa.ForeignKeyConstraint(
            ["type"],
            ["interaction_types.code"],
            name=op.f("fk_scenario_steps_type_interaction_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_steps")),
        sa.UniqueConstraint("uid", name=op.f("uq_scenario_steps_uid")),
    )
    with op.batch_alter_table("scenario_steps", schema=None) as batch_op:
        batch_op.create_index("ix_scenario_steps_order", ["scenario_id", "position"], unique=False)

    op.create_table(
        "scenario_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('active', 'paused', 'stopped', 'cancelled', 'done')",
            name=op.f("ck_scenario_runs_state"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_scenario_runs_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_scenario_runs_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["scenarios.id"], name=op.f("fk_scenario_runs_scenario_id_scenarios")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["users.id"], name=op.f("fk_scenario_runs_started_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_runs")),
        sa.UniqueConstraint("uid", name=op.f("uq_scenario_runs_uid")),
    )
    with op.batch_alter_table("scenario_runs", schema=None) as batch_op:
        batch_op.create_index("ix_scenario_runs_client", ["client_id", "state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_scenario_runs_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenario_runs_scenario_id"), ["scenario_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenario_runs_started_by"), ["started_by"], unique=False
        )

    op.create_table(
        "scenario_run_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("due_utc", sa.DateTime(), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("time_minutes", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("ai", sa.Boolean(), nullable=False),
        sa.Column("auto_send", sa.Boolean(), nullable=False),
        sa.Column("auto", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_utc", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'running', 'queued', 'sent', 'ready', 'done', 'cancelled', 'failed')",
            name=op.f("ck_scenario_run_steps_state"),
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_scenario_run_steps_interaction_id_interactions"),
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_scenario_run_steps_outbox_id_outbox")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scenario_runs.id"],
            name=op.f("fk_scenario_run_steps_run_id_scenario_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["scenario_steps.id"],
            name=op.f("fk_scenario_run_steps_step_id_scenario_steps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["email_templates.id"],
            name=op.f("fk_scenario_run_steps_template_id_email_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_run_steps")),
        sa.UniqueConstraint("interaction_id", name=op.f("uq_scenario_run_steps_interaction_id")),
    )
    with op.batch_alter_table("scenario_run_steps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scenario_run_steps_due", ["state", "auto", "due_utc"], unique=False
        )
        batch_op.create_index("ix_scenario_run_steps_run", ["run_id", "position"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scenario_run_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_run_steps_run")
        batch_op.drop_index("ix_scenario_run_steps_due")

    op.drop_table("scenario_run_steps")
    with op.batch_alter_table("scenario_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_runs_started_by"))
        batch_op.drop_index(batch_op.f("ix_scenario_runs_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_runs_contact_id"))
        batch_op.drop_index("ix_scenario_runs_client")

    op.drop_table("scenario_runs")
    with op.batch_alter_table("scenario_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_steps_order")

    op.drop_table("scenario_steps")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenarios_author_id"))

    op.drop_table("scenarios")
