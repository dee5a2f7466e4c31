"""Field-level change history, written in the same transaction as the change.

An ``after_flush`` hook reads SQLAlchemy's attribute history of the card
objects, so no service can forget to record a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    AuditEntry,
    Client,
    Contact,
    ContactPoint,
    CustomField,
    CustomValue,
    Deal,
    Interaction,
    Lead,
    Note,
    Task,
)
from models.base import utcnow

AUDITED: dict[type, str] = {
    Client: "client",
    Lead: "lead",
    Contact: "contact",
    Deal: "deal",
    ContactPoint: "contact_point",
    Interaction: "interaction",
    Task: "task",  # who completed a task, and when (not a card change: not in feeds)
    Note: "note",  # a note's edits and removal (services/interactions/note_edits.py)
}
# Changes of these kinds appear in feeds as "card changes".
CARD_KINDS = ("client", "lead", "contact", "deal", "contact_point")
# Records whose removal is a line of history ("removed", the old title):
# a task or a note is deleted for good (services/interactions/tasks.py,
# note_edits.py).
REMOVAL_AUDITED = frozenset({"task", "note"})
SKIPPED = {"id", "uid", "row_version", "created_at", "updated_at", "search_text", "name_folded"}
# A replica's pull writes colleagues' changes under no actor: it names each
# record's writer here, ``{record: {column or "*": local user id}}``, so the
# card's history says who changed it on the server (services/sync/pull_records.py).
WRITERS = "audit_writers"


def _writer(
    writers: dict[Any, dict[str, int | None]] | None, obj: Any, field: str, actor: Any
) -> Any:
    if not writers:
        return actor
    said = writers.get(obj)
    if said is None:
        return actor
    return said.get(field, said.get("*", actor))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class Inserted:
    """A row a Core ``INSERT`` wrote, read as the flush hook reads an ORM
    object (a column it does not hold reads as None)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values.get(name)


def _scope(session: Session, obj: Any, kind: str | None = None) -> dict[str, int | None]:
    kind = kind or AUDITED.get(type(obj))
    scope: dict[str, int | None] = {
        "client_id": None,
        "lead_id": None,
        "deal_id": None,
        "contact_id": None,
    }
    if kind == "client":
        scope["client_id"] = obj.id
    elif kind == "lead":
        scope["lead_id"] = obj.id
    elif kind == "contact":
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, contact_id=obj.id)
    elif kind == "deal":
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, deal_id=obj.id)
    elif kind in ("task", "note"):
        scope.update(
            client_id=obj.client_id,
            lead_id=obj.lead_id,
            deal_id=obj.deal_id,
            contact_id=obj.contact_id,
        )
    elif kind == "interaction":
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, deal_id=obj.deal_id)
    elif kind == "contact_point":
        scope.update(client_id=obj.client_id, lead_id=obj.lead_id, contact_id=obj.contact_id)
        if obj.contact_id is not None:
            row = session.execute(
                select(Contact.client_id, Contact.lead_id).where(Contact.id == obj.contact_id)
            ).one_or_none()
            if row is not None:
                scope.update(client_id=row.client_id, lead_id=row.lead_id)
    return scope


def _label(obj: Any) -> str | None:
    for attr in ("name", "full_name", "title", "raw", "subject", "type", "body"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return None


def _custom_rows(session: Session, writers: Any = None) -> list[dict[str, Any]]:
    """Custom field values as fields of their card ("custom.CODE"): a value
    row knows only its field and card id, so both are looked up."""
    changed: list[tuple[CustomValue, str | None, str | None]] = []
    for obj in session.new:
        if isinstance(obj, CustomValue):
            changed.append((obj, None, obj.value))
    for obj in session.deleted:
        if isinstance(obj, CustomValue):
            changed.append((obj, obj.value, None))
    for obj in session.dirty:
        if isinstance(obj, CustomValue):
            hist = inspect(obj).attrs["value"].history
            if hist.has_changes() and hist.deleted and hist.deleted[0] != obj.value:
                changed.append((obj, hist.deleted[0], obj.value))
    if not changed:
        return []
    ids = {obj.field_id for obj, _, _ in changed}
    fields = {
        r.id: r
        for r in session.connection().execute(
            select(CustomField.id, CustomField.code, CustomField.entity_kind).where(
                CustomField.id.in_(ids)
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for obj, old, new in changed:
        field = fields.get(obj.field_id)
        if field is None:
            continue
        model = {"client": Client, "lead": Lead, "contact": Contact}.get(field.entity_kind)
        with session.no_autoflush:
            card = session.get(model, obj.entity_id) if model is not None else None
            scope = _scope(session, card) if card is not None else {}
        rows.append(
            dict(
                entity_kind=field.entity_kind,
                entity_id=obj.entity_id,
                field=f"custom.{field.code}",
                old=old,
                new=new,
                client_id=scope.get("client_id"),
                lead_id=scope.get("lead_id"),
                deal_id=None,
                contact_id=scope.get("contact_id"),
                user_id=_writer(writers, obj, "value", session.info.get("actor_id")),
            )
        )
    return rows


def column_changes(obj: Any, skipped: Collection[str]) -> Iterator[tuple[str, Any, Any]]:
    """``(column, old, new)`` for each column of a flushed object whose value
    really changed: the history the audit and the replica's change log
    (services/sync/log.py) both read."""
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in skipped:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            yield attr.key, old, new


def _created(session: Session, kind: str, objs: Iterable[Any]) -> list[dict[str, Any]]:
    """The "created" entries of new records: one function for the flush
    hook's ORM objects and for rows a Core insert wrote (``record_created``)."""
    actor = session.info.get("actor_id")
    writers = session.info.get(WRITERS)
    return [
        dict(entity_kind=kind, entity_id=obj.id, field="created", old=None, new=_label(obj))
        | _scope(session, obj, kind)
        | {"user_id": _writer(writers, obj, "*", actor)}
        for obj in objs
    ]


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        now = utcnow()
        for row in rows:
            row["at"] = now
        session.connection().execute(insert(cast(Table, AuditEntry.__table__)), rows)


def record_created(session: Session, kind: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """History for records a Core ``INSERT`` created (the flush hook sees ORM
    writes only): the same entries it writes, in ROWS' order. Each row holds
    the record's columns as inserted, ``id`` included."""
    _write(session, _created(session, kind, [Inserted(row) for row in rows]))


def _after_flush(session: Session, _context: Any) -> None:
    actor = session.info.get("actor_id")
    writers = session.info.get(WRITERS)
    rows: list[dict[str, Any]] = _custom_rows(session, writers)
    for obj in session.new:
        kind = AUDITED.get(type(obj))
        if kind is not None:
            rows += _created(session, kind, [obj])
    for obj in session.dirty:
        kind = AUDITED.get(type(obj))
        if kind is None or not session.is_modified(obj, include_collections=False):
            continue
        scope: dict[str, int | None] | None = None
        for key, old, new in column_changes(obj, SKIPPED):
            scope = scope or _scope(session, obj)
            rows.append(
                dict(entity_kind=kind, entity_id=obj.id, field=key)
                | {"old": _text(old), "new": _text(new)}
                | scope
                | {"user_id": _writer(writers, obj, key, actor)}
            )
    for obj in session.deleted:
        kind = AUDITED.get(type(obj))
        if kind in REMOVAL_AUDITED:
            rows.append(
                dict(entity_kind=kind, entity_id=obj.id, field="removed", old=_label(obj), new=None)
                | _scope(session, obj, kind)
                | {"user_id": _writer(writers, obj, "*", actor)}
            )
    _write(session, rows)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
