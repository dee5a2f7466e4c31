"""The editable list of reasons a request is declined for (seeded by the
migration in English and Russian, like the interaction types)."""

from __future__ import annotations

from sqlalchemy import func, select

from models import RejectionReason
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.inbound.views import ReasonView
from services.parties import records


def _reason_view(r: RejectionReason) -> ReasonView:
    return ReasonView(r.id, r.name_en, r.name_ru, r.position, r.hidden)


def reasons(db: Database, *, with_hidden: bool = False) -> list[ReasonView]:
    with db.reader() as uow:
        query = select(RejectionReason).order_by(RejectionReason.position, RejectionReason.id)
        if not with_hidden:
            query = query.where(RejectionReason.hidden.is_(False))
        return [_reason_view(r) for r in uow.session.scalars(query)]


def add_reason(db: Database, actor: Actor, name_en: str, name_ru: str = "") -> Outcome[ReasonView]:
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        en = records.typed_name(name_en, "Reason")
        ru = records.typed_name(name_ru, "Reason") if name_ru.strip() else en
        last = uow.session.scalar(select(func.max(RejectionReason.position)))
        row = RejectionReason(name_en=en, name_ru=ru, position=(last or 0) + 10, hidden=False)
        uow.session.add(row)
        uow.session.flush()
        view = _reason_view(row)
        uow.commit()
    return Outcome(view, Changes.of(created={"rejection_reason": [view.id]}))


def set_reason(
    db: Database,
    actor: Actor,
    reason_id: int,
    *,
    name_en: str | None = None,
    name_ru: str | None = None,
    hidden: bool | None = None,
) -> Outcome[ReasonView]:
    """Rename or hide a reason; requests declined with it keep it."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        row = uow.session.get(RejectionReason, reason_id)
        if row is None:
            raise NotFoundError("Rejection reason", reason_id)
        if name_en is not None:
            row.name_en = records.typed_name(name_en, "Reason")
        if name_ru is not None:
            row.name_ru = records.typed_name(name_ru, "Reason")
        if hidden is not None:
            row.hidden = hidden
        uow.session.flush()
        view = _reason_view(row)
        uow.commit()
    return Outcome(view, Changes.of(updated={"rejection_reason": [reason_id]}))
