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

from sqlalchemy import func, select

from models.sync import SyncLog
from services.core.storage import Database
from services.sync import links, share_kind, tables
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
            )
            .where(SyncLog.seq.in_(first))
            .order_by(SyncLog.seq.desc())
            .limit(limit)
        ).all()
        out: list[Refusal] = []
        found = tables.Translator(uow.session)
        for row in rows:
            obj = None
            if row.kind in tables.KINDS:
                obj = tables.find(found, row.kind, row.uid)
            elif row.kind in tables.LINKS:  # a contact person or mention: its interaction or note
                obj = links.owner_record(found, row.kind, row.uid)
            elif row.kind == share_kind.SHARE:  # a share: its card
                obj = share_kind.card_of(found, row.uid)
            out.append(
                Refusal(
                    op_uid=row.op_uid,
                    kind=row.kind,
                    uid=row.uid,
                    label=label_of(obj, row.uid),
                    reason=" ".join((row.reason or "").split())[:500],
                    code=row.code or "",
                    params=said(row.params),
                )
            )
    return out
