"""The outbox's state for the status bar. When mail work is due is the
scheduler's question (``services.jobs.registry``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from models import MailAccount, OutboxItem
from services.core.storage import UnitOfWork


@dataclasses.dataclass(frozen=True)
class OutboxStatus:
    waiting: int  # queued or being sent
    due: int  # of those, due now
    failed: int
    last_error: str | None


def outbox_status(uow: UnitOfWork, now: dt.datetime, user_id: int | None = None) -> OutboxStatus:
    base = select(OutboxItem).join(MailAccount)
    if user_id is not None:
        base = base.where(MailAccount.user_id == user_id)
    sub = base.subquery()
    waiting = (
        uow.session.scalar(
            select(func.count()).select_from(sub).where(sub.c.state.in_(("queued", "sending")))
        )
        or 0
    )
    due = (
        uow.session.scalar(
            select(func.count())
            .select_from(sub)
            .where(
                sub.c.state.in_(("queued", "sending")),
                sub.c.send_at <= now,
            )
        )
        or 0
    )
    failed = (
        uow.session.scalar(select(func.count()).select_from(sub).where(sub.c.state == "failed"))
        or 0
    )
    last_error = uow.session.scalar(
        select(sub.c.last_error)
        .where(sub.c.last_error.is_not(None), sub.c.state.in_(("queued", "failed")))
        .order_by(sub.c.updated_at.desc())
        .limit(1)
    )
    return OutboxStatus(waiting, due, failed, last_error)
