"""Builders for inbound tests: a source, its rules, and requests as a channel
would deliver them."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from models import InboundRequest, Role, User
from services.core.access import Actor
from services.core.storage import Database
from services.inbound import intake, setup
from services.inbound.setup import RuleInput

_keys = itertools.count(1)
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def source(db: Database, admin: Actor, name: str = "Бот продаж") -> int:
    return setup.add_source(db, admin, "telegram", name).value.id


def rule(db: Database, admin: Actor, source_id: int, **kw: object) -> int:
    kw.setdefault("name", "Правило")
    return setup.add_rule(db, admin, source_id, RuleInput(**kw)).value.id  # type: ignore[arg-type]


def deliver(
    db: Database,
    source_id: int,
    subject: str = "Вопрос",
    body: str = "",
    *,
    email: str | None = None,
    phone: str | None = None,
    name: str = "Иван Петров",
    mark: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """One request stored as a channel stores it (unprocessed)."""
    n = next(_keys)
    with db.uow() as uow:
        ids = intake.store(
            uow.session,
            source_id,
            [
                intake.Incoming(
                    source_key=f"test:{n}",
                    channel="telegram",
                    received_at=at or T0 + dt.timedelta(minutes=n),
                    subject=subject,
                    body=body,
                    sender_name=name,
                    sender_email=email,
                    sender_phone=phone,
                    mark=mark,
                    original=f"{subject}\n{body}".encode(),
                    original_type="text/plain",
                )
            ],
        )
        uow.commit()
    return ids[0]


def request(db: Database, request_id: int) -> InboundRequest:
    with db.reader() as uow:
        row = uow.session.get(InboundRequest, request_id)
        assert row is not None
        uow.session.expunge(row)  # readable after the reader's rollback
        return row


def user_id(db: Database, login: str) -> int:
    with db.reader() as uow:
        found = uow.session.scalar(select(User.id).where(User.login == login))
        assert found is not None
        return found


def role_id(db: Database, name: str) -> int:
    with db.reader() as uow:
        found = uow.session.scalar(select(Role.id).where(Role.name == name))
        assert found is not None
        return found
