"""Field-level change history, written in the same transaction as the change.

An ``after_flush`` hook reads SQLAlchemy's attribute history of the card
objects, so no service can forget to record a change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEntry, Client, Contact, ContactPoint, Deal, Interaction, Lead, Task
from models.base import utcnow

AUDITED: dict[type, str] = {
    Client: "client",
    Lead: "lead",
    Contact: "contact",
    Deal: "deal",
    ContactPoint: "contact_point",
    Interaction: "interaction",
    Task: "task",  # who completed a task, and when (not a card change: not in feeds)
}
# Changes of these kinds appear in feeds as "card changes".
CARD_KINDS = ("client", "lead", "contact", "deal", "contact_point")
SKIPPED = {"id", "uid", "row_version", "created_at", "updated_at", "search_text", "name_folded"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _scope(session: Session, obj: Any) -> dict[str, int | None]:
    scope: dict[str, int | None] = {
        "client_id": None,
        "lead_id": None,
        "deal_id": None,
        "contact_id": None,
    }
    if isinstance(obj, Client):
        scope["client_id"] = obj.id
    elif isinstance(obj, Lead):
        scope["lead_id"] = obj.id
    elif isinstance(obj, Contact):
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, contact_id=obj.id)
    elif isinstance(obj, Deal):
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, deal_id=obj.id)
    elif isinstance(obj, Task):
        scope.update(
            client_id=obj.client_id,
            lead_id=obj.lead_id,
            deal_id=obj.deal_id,
            contact_id=obj.contact_id,
        )
    elif isinstance(obj, Interaction):
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, deal_id=obj.deal_id)
    elif isinstance(obj, ContactPoint):
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, contact_id=obj.contact_id)
        if obj.contact_id is not None:
            row = session.execute(
                select(Contact.client_id, Contact.lead_id).where(Contact.id == obj.contact_id)
            ).one_or_none()
            if row is not None:
                scope.update(client_id=row.client_id, lead_id=row.lead_id)
    return scope


def _label(obj: Any) -> str | None:
    for attr in ("name", "full_name", "title", "raw", "subject", "type"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return None


def _after_flush(session: Session, _context: Any) -> None:
    actor = session.info.get("actor_id")
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        kind = AUDITED.get(type(obj))
        if kind is None:
            continue
        rows.append(
            dict(entity_kind=kind, entity_id=obj.id, field="created", old=None, new=_label(obj))
            | _scope(session, obj)
        )
    for obj in session.dirty:
        kind = AUDITED.get(type(obj))
        if kind is None or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        scope: dict[str, int | None] | None = None
        for attr in state.mapper.column_attrs:
            if attr.key in SKIPPED:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            scope = scope or _scope(session, obj)
            rows.append(
                dict(entity_kind=kind, entity_id=obj.id, field=attr.key)
                | {"old": _text(old), "new": _text(new)}
                | scope
            )
    if rows:
        for row in rows:
            row["at"] = now
            row["user_id"] = actor
        table = cast(Table, AuditEntry.__table__)
        session.connection().execute(insert(table), rows)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
