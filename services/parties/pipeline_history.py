"""Settings history of a pipeline: who added, renamed, reordered or removed
its stages, renamed it or changed its planned-step rule, and when.

Why here and not in the deals' card history: none of these edits changes a
deal's own fields (a stage holding deals cannot be removed, a rename or a
move leaves every deal's ``stage_id`` as it was), so writing one entry per
deal would flood thousands of card feeds with changes nobody made to them.
A deal's history resolves ``stage_id`` to the stage's current name; this
history is where an old name can be found. The entries are audit rows of
kind "pipeline" with no card scope, so they appear in no card feed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import AuditEntry, User
from services.core.access import Actor, Permission
from services.core.storage import UnitOfWork
from services.parties import deals

KIND = "pipeline"
MAX_ENTRIES = 500  # newest first; older ones stay stored
# field -> what happened: (old, new) hold names, a flag, or a place (1-based)
FIELDS = (
    "created",
    "name",
    "requires_planned",
    "stage_added",
    "stage_renamed",
    "stage_moved",
    "stage_removed",
)


@dataclasses.dataclass(frozen=True)
class PipelineChange:
    at: dt.datetime
    user: str | None  # None: the system (demo data, an import)
    field: str  # one of FIELDS
    old: str | None
    new: str | None


def record(
    uow: UnitOfWork, actor: Actor, pipeline_id: int, field: str, old: object, new: object
) -> None:
    """One entry, in the transaction of the edit it describes."""
    uow.session.add(
        AuditEntry(
            user_id=actor.id,
            entity_kind=KIND,
            entity_id=pipeline_id,
            field=field,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
        )
    )


def history(uow: UnitOfWork, actor: Actor, ref: int | str) -> list[PipelineChange]:
    """The pipeline's settings changes, newest first (for administrators:
    the same people who may make them)."""
    actor.require(Permission.SETTINGS)
    pipeline = deals.pipeline_by_ref(uow, ref)
    rows = uow.session.execute(
        select(AuditEntry.at, User.full_name, AuditEntry.field, AuditEntry.old, AuditEntry.new)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.entity_kind == KIND, AuditEntry.entity_id == pipeline.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(MAX_ENTRIES)
    )
    return [PipelineChange(r.at, r.full_name, r.field, r.old, r.new) for r in rows]
