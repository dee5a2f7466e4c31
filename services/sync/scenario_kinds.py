"""Scenarios on a laptop replica (issue #20): what syncs, and who runs a run.

- ``scenario`` and ``scenario_step`` are reference data: they only come
  down (editing a scenario stays an online action, services/scenarios/store.py
  refuses it on a replica).
- ``scenario_run`` and ``scenario_run_step`` sync both ways. A run step's
  link to the scenario step it was copied from (``step_id``), its claim and
  its outbox letter stay on the machine that has them.
- **Exactly one machine executes a run**: ``scenario_runs.executor`` names
  the laptop (its sync node) that started it, None the database itself (the
  team server's runner, or a single-user file). Each runner takes only the
  steps of its own runs (services/scenarios/runner.py), so no letter is
  ever sent twice; "Stop working offline" hands a laptop's runs back to the
  server (services/sync/handover.py).

The registry (services/sync/tables.py) builds its ``SyncKind`` entries
from ``SPECS``; this module does not import it (tables imports this one).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Scenario, ScenarioRun, ScenarioRunStep, ScenarioStep, SyncState
from services.core import prepared
from services.core.storage import UnitOfWork
from services.sync import state

# (kind, model, fields, refs, direction), in the order a pull applies them.
SPECS: tuple[tuple[str, type[Any], tuple[str, ...], dict[str, str], str], ...] = (
    (
        "scenario",
        Scenario,
        (
            "name",
            "active",
            "description",
            "on_reply",
            "owner_rule",
            "author_id",
            "archived_at",
            "created_at",
        ),
        {"author_id": "user"},
        "down",
    ),
    (
        "scenario_step",
        ScenarioStep,
        (
            "scenario_id",
            "position",
            "type",
            "delay_days",
            "time_minutes",
            "subject",
            "template_id",
            "prompt",
            "ai",
            "auto_send",
            "owner_rule",
        ),
        {"scenario_id": "scenario", "type": "interaction_type", "template_id": "email_template"},
        "down",
    ),
    (
        "scenario_run",
        ScenarioRun,
        (
            "scenario_id",
            "client_id",
            "contact_id",
            "started_by",
            "state",
            "stop_reason",
            "stopped_at",
            "tz",
            "country",
            "executor",
            "created_at",
        ),
        {
            "scenario_id": "scenario",
            "client_id": "client",
            "contact_id": "contact",
            "started_by": "user",
        },
        "both",
    ),
    (
        "scenario_run_step",
        ScenarioRunStep,
        (
            "run_id",
            "position",
            "interaction_id",
            "due_utc",
            "delay_days",
            "time_minutes",
            "template_id",
            "prompt",
            "ai",
            "auto_send",
            "auto",
            "state",
            "attempts",
            "last_error",
            "next_try_utc",
        ),
        {
            "run_id": "scenario_run",
            "interaction_id": "interaction",
            "template_id": "email_template",
        },
        "both",
    ),
)

KINDS = tuple(spec[0] for spec in SPECS)
RECORDS = ("scenario_run", "scenario_run_step")


def executing_node(session: Session) -> str | None:
    """The node whose runs this database executes: a replica's own node,
    None on the server or a single-user file (they run the runs with none)."""
    return state.replica_node(session)


def _node_statement() -> Any:
    return select(SyncState.value).where(SyncState.key == "node")


def node_here(uow: UnitOfWork) -> str | None:
    """``executing_node`` for the scheduler's hot path: one prepared
    statement, no ORM session made on a read unit (bench/scenarios.py)."""
    if prepared.dialect_of(uow).name == "postgresql":
        return None
    rows = prepared.prepared(prepared.dialect_of(uow), "sync_node", _node_statement).rows(uow, {})
    return str(rows[0][0]) if rows else None


def card_of(session: Session, kind: str, obj: Any) -> tuple[str, int] | None:
    """The client card a run or a run step belongs to (its access decides)."""
    if kind == "scenario_run":
        return ("client", obj.client_id)
    if kind == "scenario_run_step":
        client_id = session.scalar(
            select(ScenarioRun.client_id).where(ScenarioRun.id == obj.run_id)
        )
        return None if client_id is None else ("client", client_id)
    return None
