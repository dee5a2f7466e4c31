"""When mail work is due. The GUI's ticker only asks; lanes do the work.

Due times come from what is stored (last sync, outbox send times), so a
laptop that slept through its schedule catches up once on waking, never
twice.
"""

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


def due_accounts(uow: UnitOfWork, now: dt.datetime, user_id: int | None = None) -> list[int]:
    rows = uow.session.execute(
        select(MailAccount.id, MailAccount.last_sync_at, MailAccount.sync_minutes)
        .where(
            MailAccount.enabled.is_(True),
            *([MailAccount.user_id == user_id] if user_id is not None else []),
        )
        .order_by(MailAccount.id)
    )
    return [
        r.id
        for r in rows
        if r.last_sync_at is None or r.last_sync_at + dt.timedelta(minutes=r.sync_minutes) <= now
    ]


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
