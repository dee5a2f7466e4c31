"""Optimistic locking of edits (#19 item 4): a save names the row version
the user started from; when another user saved the record meanwhile, the
save is refused with both values of every field the two saves set
differently, so nothing is overwritten silently and the user chooses.

(``row_version`` is also SQLAlchemy's version counter, which refuses a
write that races another between read and flush: ``ConflictError``.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select

from models import User
from services.core.errors import EditConflict, FieldConflict
from services.core.storage import UnitOfWork

# Columns a person does not edit: derived or bookkeeping.
IGNORED = {"name_folded", "search_text", "updated_at", "row_version", "uid", "created_at"}
# What the conflict calls a column (the dialogs' field names).
NAMES = {"full_name": "name", "owner_id": "owner", "assignee_id": "assignee", "title": "title"}


def _text(uow: UnitOfWork, column: str, value: Any) -> str | None:
    if value is None:
        return None
    if column in ("owner_id", "assignee_id"):
        return uow.session.scalar(select(User.full_name).where(User.id == value)) or str(value)
    return str(value)


def guard(uow: UnitOfWork, kind: str, row: Any, expected_version: int | None) -> None:
    """Call after setting the new values and before the flush."""
    if expected_version is None or row.row_version == expected_version:
        return
    fields = []
    for attr in inspect(row).attrs:
        if attr.key in IGNORED:
            continue
        history = attr.history
        if not history.added or list(history.added) == list(history.deleted or ()):
            continue
        theirs = history.deleted[0] if history.deleted else None
        yours = history.added[0]
        if yours == theirs:
            continue
        fields.append(
            FieldConflict(
                NAMES.get(attr.key, attr.key),
                _text(uow, attr.key, yours),
                _text(uow, attr.key, theirs),
            )
        )
    raise EditConflict(kind, row.id, tuple(fields), row.row_version)
