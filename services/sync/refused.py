"""The changes the server refused, as the conflict list shows them (#20).

A refused action stays in the replica's ``sync_log`` with the server's
reason (``state = 'refused'``), its error code and params (from 0033: rows
refused before have the English sentence only); the pull then brought the server's values
back. The window lists each refused action once, newest first, with the
record it touched named as a person names it, so the user sees what did
not happen and why.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from models.sync import SyncLog
from services.core.storage import Database
from services.sync import links, record_cards, share_kind, tables
from services.sync.apply_rows import ID_PARAMS
from services.sync.types import Refusal

MAX_SHOWN = 200  # actions; the rest are in `touchpoint replica status`
LABEL_ATTRS = ("name", "full_name", "title", "raw", "subject", "body")


def label_of(obj: object | None, uid: str) -> str:
    """The record as a person names it ("ООО Ромашка"); its uid when gone."""
    for attr in LABEL_ATTRS:
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:80]
    return uid


def said(text: str | None) -> dict[str, str]:
    """A refusal's stored params (JSON from this program; anything else: none)."""
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v)[:300] for k, v in list(found.items())[:20]}


def named_in(value: str | None) -> str:
    """The name a pushed record carried (a created record the refusal took
    off the laptop again is named by what the user typed); "" if none."""
    try:
        values = json.loads(value) if value else {}
    except ValueError:
        return ""
    if not isinstance(values, dict):
        return ""
    return label_of(_Named(values), "")


class _Named:
    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update({k: v for k, v in values.items() if k in LABEL_ATTRS})


def names(tr: tables.Translator, params: dict[str, str], label: str) -> dict[str, str]:
    """The refusal's server ids as the laptop names their records: by the uid
    the server put beside the id (apply_rows.with_uids); a refusal stored
    before that, or one naming a record this laptop lacks, by the refused
    record's own name."""
    out: dict[str, str] = {}
    for key in ID_PARAMS:
        if key not in params:
            continue
        uid, kind = params.get(f"{key}_uid", ""), params.get(f"{key}_kind", "")
        obj = tables.find(tr, kind, uid) if uid and kind in tables.KINDS else None
        out[key] = label_of(obj, "") or label
    return out


def refusals(db: Database, *, limit: int = MAX_SHOWN) -> list[Refusal]:
    """One line per refused action (its first record), newest first."""
    with db.reader() as uow:
        first = (
            select(func.min(SyncLog.seq)).where(SyncLog.state == "refused").group_by(SyncLog.op_uid)
        )
        rows = uow.session.execute(
            select(
                SyncLog.op_uid,
                SyncLog.kind,
                SyncLog.uid,
                SyncLog.reason,
                SyncLog.code,
                SyncLog.params,
                SyncLog.value,
            )
            .where(SyncLog.seq.in_(first))
            .order_by(SyncLog.seq.desc())
            .limit(limit)
        ).all()
        out: list[Refusal] = []
        found = tables.Translator(uow.session)
        for row in rows:
            obj = record_of(found, row.kind, row.uid)
            label = label_of(obj, "") or named_in(row.value) or row.uid
            params = said(row.params)
            card = record_cards.card_of(uow.session, obj)
            out.append(
                Refusal(
                    op_uid=row.op_uid,
                    kind=row.kind,
                    uid=row.uid,
                    label=label,
                    reason=" ".join((row.reason or "").split())[:500],
                    code=row.code or "",
                    params=params,
                    names=names(found, params, label),
                    card_kind=card[0] if card else None,
                    card_id=card[1] if card else None,
                )
            )
    return out


def record_of(found: tables.Translator, kind: str, uid: str) -> Any:
    """The laptop's record a refusal names: a contact person or mention its
    interaction or note, a share its card (None when it is gone). The sync's
    own answer and the refused list ask the same, so both open one card."""
    if kind in tables.KINDS:
        return tables.find(found, kind, uid)
    if kind in tables.LINKS:
        return links.owner_record(found, kind, uid)
    if kind == share_kind.SHARE:
        return share_kind.card_of(found, uid)
    return None
