"""Writing a pushed record's columns on the server, and naming it.

``decoded`` turns pushed values into this database's column values (a
reference the server does not have, or the user may not see, refuses the
action); ``new_row`` and ``put`` write them with the derived columns
recomputed the way the use cases compute them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from services.core.errors import UserError
from services.sync import tables


@dataclasses.dataclass(frozen=True)
class Pushed:
    """One ``sync_log`` row as it crosses the wire."""

    seq: int
    kind: str
    uid: str
    field: str
    value: str | None
    base: str | None
    hlc: str


class Refused(UserError):
    """A pushed change the server does not take; the message is the reason."""


def decoded(tr: tables.Translator, kind: tables.SyncKind, values: Any) -> dict[str, Any]:
    """``tables.decode``, with a reference to a record the server does not
    have (or the user may not see) as a refusal."""
    if not isinstance(values, dict):
        raise Refused(
            "A pushed value is not a set of fields",
            code="sync.apply.unknown_field",
            params={"field": "?"},
        )
    try:
        return tables.decode(tr.session, kind.kind, values, tr)
    except tables.MissingReference as exc:
        raise Refused(
            f"The {kind.kind.replace('_', ' ')} names a record that is not on the server "
            "or not yours to see",
            code="sync.apply.missing_reference",
            params={"kind": kind.kind},
        ) from exc


def new_row(session: Any, kind: tables.SyncKind, uid: str, values: dict[str, Any]) -> Any:
    """A record created with the uid it was born with on the laptop."""
    obj = kind.model(**values)
    if kind.key:
        setattr(obj, kind.key, uid)
    if kind.derive is not None:
        kind.derive(obj)
    session.add(obj)
    return obj


def put(kind: tables.SyncKind, obj: Any, values: dict[str, Any]) -> None:
    for column, value in values.items():
        setattr(obj, column, value)
    if kind.derive is not None:
        kind.derive(obj)


def record_label(obj: Any) -> str:
    """A record as a person names it: its name, title, number or text."""
    for attr in ("name", "full_name", "title", "raw", "subject", "body", "value"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:80]
    return ""


def label(rows: Sequence[Pushed]) -> str:
    """What the user would call the op's first record: its name or title."""
    for row in rows:
        try:
            values = json.loads(row.value) if row.value else {}
        except ValueError:
            continue
        if isinstance(values, dict):
            for key in ("name", "full_name", "title", "raw", "subject", "body"):
                text = values.get(key)
                if isinstance(text, str) and text.strip():
                    return " ".join(text.split())[:80]
    return f"{rows[0].kind} {rows[0].uid}" if rows else ""
