"""Writing a pushed record's columns on the server, naming it, and why one was refused.

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

from sqlalchemy.exc import DBAPIError

from services.core.errors import NotFoundError, RefusedByDatabase, UserError
from services.sync import db_refusal, tables


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


def records_of(rows: Sequence[Pushed]) -> tuple[tuple[str, str], ...]:
    """(kind, uid) of every record and link the rows name, in their order:
    what the laptop puts back as the server has it when they are refused."""
    wanted = (r for r in rows if r.kind in tables.KINDS or r.kind in tables.LINKS)
    return tuple(dict.fromkeys((r.kind, r.uid) for r in wanted))


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


@dataclasses.dataclass(frozen=True)
class Why:
    """Why an action was refused: the English sentence, its code, params."""

    reason: str
    code: str
    params: dict[str, str]

    def params_json(self) -> str:
        return json.dumps(self.params, ensure_ascii=False, sort_keys=True)


# --- one action ----------------------------------------------------------


def refusal(exc: BaseException) -> Why:
    """Every refusal with a code the window knows: a ``UserError``'s own; a
    record not found (or not visible) as ``sync.apply.not_found``; one naming
    a record the server lacks as ``sync.apply.missing_reference``; the
    database's own refusal (row-level security, a constraint) with its words
    as the code of its class (services/sync/db_refusal.py: a duplicate, a
    check, a foreign key, a required column, row-level security or a grant,
    a serialization failure; its text in the log only); a ``UserError``
    without a code (none is known on these paths) as ``sync.apply.refused``
    with its sentence."""
    if isinstance(exc, RefusedByDatabase):
        code, sentence = db_refusal.refused(exc)
        return Why(sentence, code, {})
    if isinstance(exc, NotFoundError):
        kind = str(exc.kind).lower()
        return Why(f"{exc} (or it is not yours to see)", "sync.apply.not_found", {"kind": kind})
    if isinstance(exc, tables.MissingReference):
        return Why(str(exc), "sync.apply.missing_reference", {"kind": exc.kind})
    if isinstance(exc, UserError):
        params = {str(k): str(v) for k, v in exc.params.items()}
        if exc.code:
            return Why(str(exc), exc.code, params)
        return Why(str(exc), "sync.apply.refused", {"detail": str(exc)[:300]})
    code, sentence = db_refusal.refused(exc)
    return Why(sentence, code, {})


# Params that carry a server's id of a record, and the kind it is of ("kind":
# the kind named in the error's own "kind" param). The id means nothing on the
# laptop: the refusal also carries the record's uid, which the laptop names.
ID_PARAMS = {"record_id": "kind", "id": "kind", "deal_id": "deal"}


def with_uids(why: Why, tr: tables.Translator) -> Why:
    """``why`` with ``<param>_uid`` and ``<param>_kind`` beside each server id
    it names (services/sync/refused.py words them as the laptop names the
    record); an id the login cannot see is left as it is."""
    params = dict(why.params)
    for key, kind_from in ID_PARAMS.items():
        raw = params.get(key, "")
        kind = (params.get("kind", "") if kind_from == "kind" else kind_from).lower()
        if not raw.isdigit() or kind not in tables.KINDS or tables.KINDS[kind].key != "uid":
            continue
        try:
            uid = tr.uid(kind, int(raw))
        except DBAPIError:
            continue
        if uid is not None:
            params[f"{key}_uid"], params[f"{key}_kind"] = uid, kind
    return dataclasses.replace(why, params=params)


def params_of(text: str | None) -> tuple[tuple[str, str], ...]:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return ()
    if not isinstance(found, dict):
        return ()
    return tuple((str(k), str(v)) for k, v in found.items())
