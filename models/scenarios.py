"""Scenarios (SPEC F1–F5): chains of steps applied to a client as runs.

A scenario is the recipe; a run is one application of it to a client and a
contact person. Each run step is a planned interaction plus what the
scheduler needs to execute it exactly once: a persisted claim, attempts and
the last error, and the outbox letter it became. A run step copies the
step's settings when the run starts, so editing a scenario changes new
runs only (as sales-sequence tools do).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq, UTCDateTime
from models.ids import new_uid
from models.partial import PartialIndex

ON_REPLY = ("pause", "stop")
OWNER_RULES = ("starter", "client_owner")
RUN_STATES = ("active", "paused", "stopped", "cancelled", "done")
STEP_STATES = ("pending", "running", "queued", "sent", "ready", "done", "cancelled", "failed")


def _among(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Scenario(Synced, SyncSeq, Base):
    """A named chain of steps; only active ones are offered for applying."""

    __tablename__ = "scenarios"
    __table_args__ = (
        CheckConstraint(_among("on_reply", ON_REPLY), name="on_reply"),
        CheckConstraint(_among("owner_rule", OWNER_RULES), name="owner_rule"),
        # a deleted scenario's name is free for a new one (0030)
        PartialIndex(
            "uq_scenarios_active_name",
            "name",
            unique=True,
            where="archived_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # What a reply from the contact does to the remaining auto-send steps.
    on_reply: Mapped[str] = mapped_column(String(8), default="stop")
    # Who owns the planned interactions: who starts the run, or the client's owner.
    owner_rule: Mapped[str] = mapped_column(String(16), default="starter")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Deleted from Settings → Scenarios (undoable): not listed, edited or
    # applied any more; runs already started go on.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ScenarioStep(Synced, SyncSeq, Base):
    """One step of a scenario, in ``position`` order.

    ``delay_days`` counts working days from the previous step (from the start
    for the first); ``time_minutes`` is the time of day in the client's zone.
    Content comes from a template, or with ``ai`` from ``prompt``.
    """

    __tablename__ = "scenario_steps"
    __table_args__ = (
        CheckConstraint("delay_days >= 0", name="delay"),
        CheckConstraint("time_minutes >= 0 AND time_minutes < 1440", name="time"),
        CheckConstraint(
            "owner_rule IS NULL OR " + _among("owner_rule", OWNER_RULES), name="owner_rule"
        ),
        Index("ix_scenario_steps_order", "scenario_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(ForeignKey("interaction_types.code"))
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    time_minutes: Mapped[int] = mapped_column(Integer, default=600)
    subject: Mapped[str] = mapped_column(Text, default="")
    template_id: Mapped[int | None] = mapped_column(ForeignKey("email_templates.id"))
    prompt: Mapped[str] = mapped_column(Text, default="")
    ai: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_send: Mapped[bool] = mapped_column(Boolean, default=False)
    # None: the scenario's rule.
    owner_rule: Mapped[str | None] = mapped_column(String(16))


class ScenarioRun(Synced, SyncSeq, Base):
    """A scenario applied to a client and one of its contact persons."""

    __tablename__ = "scenario_runs"
    __table_args__ = (
        CheckConstraint(_among("state", RUN_STATES), name="state"),
        Index("ix_scenario_runs_client", "client_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    started_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="active")
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    # The zone and working-day country the dates were planned in.
    tz: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The laptop replica (its sync node) that executes the steps; None: the
    # database itself (the team server, or a single-user file). Exactly one
    # machine runs a run's steps, so no letter goes out twice (#20, 0035).
    executor: Mapped[str | None] = mapped_column(String(40))


class ScenarioRunStep(SyncSeq, Base):
    """One step of a run: its planned interaction and its execution record.

    ``claim_token``/``claimed_until`` are the persisted claim: a runner
    commits them durably before it generates or queues anything, and the
    letter is queued in the outbox in the same transaction that records
    ``outbox_id`` and leaves "running", so a killed runner's step is taken
    again after the claim lapses and never queued twice.
    """

    __tablename__ = "scenario_run_steps"
    __table_args__ = (
        CheckConstraint(_among("state", STEP_STATES), name="state"),
        # The scheduler's one query: pending auto steps by due time.
        Index("ix_scenario_run_steps_due", "state", "auto", "due_utc"),
        Index("ix_scenario_run_steps_run", "run_id", "position"),
        # When the next retry is due: a few failing steps among many.
        Index("ix_scenario_run_steps_retry", "state", "next_try_utc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Names the step on a laptop replica and the server alike (0035).
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    run_id: Mapped[int] = mapped_column(ForeignKey("scenario_runs.id", ondelete="CASCADE"))
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenario_steps.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer)
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id"), unique=True)
    due_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Copied from the step when the run started.
    delay_days: Mapped[int] = mapped_column(Integer, default=0)
    time_minutes: Mapped[int] = mapped_column(Integer, default=600)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("email_templates.id"))
    prompt: Mapped[str] = mapped_column(Text, default="")
    ai: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_send: Mapped[bool] = mapped_column(Boolean, default=False)
    # Something for the scheduler to do when due: an auto-send letter or an
    # AI text to write into the planned interaction.
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_utc: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
