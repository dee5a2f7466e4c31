"""Removing records from a replica with everything under them.

Two callers: a tombstone pulled from the server (a contact point removed
there), and a client, lead or contact person that left the user's view
(handed to a colleague, a share or a deputy's time ended, a contact person
moved to a card the user may not see: row-level security hides it, see
docs/offline-sync.md). Everything that points at a removed row goes
too, found from the schema's foreign keys (mail, calls and scenario runs
on it included), plus the two polymorphic links (memos, custom values).
Core statements only, in the caller's transaction, with the change-log
hook off (the caller sets ``sync_applying``): a removal on a replica is not
an edit to push.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, or_, select, update
from sqlalchemy.orm import Session

from models import Attachment, Base, CustomField, CustomValue, Memo, SyncClock, SyncLog
from services.interactions.attachment_cleanup import note_removed
from services.sync.tables import BY_TABLE

CHUNK = 500
MEMO_KINDS = {"clients": "client", "leads": "lead", "contacts": "contact", "deals": "deal"}
FIELD_KINDS = {"clients": "client", "leads": "lead", "contacts": "contact"}
# Reference data is archived, never hard-deleted: a tombstone of one is ignored.
NEVER_REMOVED = {"users", "roles", "pipelines", "stages", "interaction_types"}
GONE = "The record is no longer visible to you on the server"
GONE_CODE = "sync.pull.gone"


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _referrers(table: Table) -> list[tuple[Table, Any]]:
    out = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                out.append((other, fk.parent))
    return out


def _let_go(session: Session, ids: Sequence[Any]) -> None:
    """Removed attachments' files are journaled as a removal here journals
    them (attachment_cleanup.note_removed): the clean-up may look at them,
    with its grace period and its other databases' rows."""
    for chunk in _chunks(ids):
        note_removed(
            *session.execute(select(Attachment.sha256).where(Attachment.id.in_(chunk))).scalars()
        )


def _forget(session: Session, table: Table, ids: Sequence[Any]) -> None:
    """Drop the sync bookkeeping of removed records (their clocks; pending
    edits of them can no longer be pushed and are marked refused)."""
    spec = BY_TABLE.get(table.name)
    if spec is None or spec.key != "uid":
        return
    key = table.c.id
    for chunk in _chunks(ids):
        uids = list(session.execute(select(table.c.uid).where(key.in_(chunk))).scalars())
        if not uids:
            continue
        session.execute(
            delete(SyncClock).where(SyncClock.kind == spec.kind, SyncClock.uid.in_(uids))
        )
        session.execute(
            update(SyncLog)
            .where(SyncLog.kind == spec.kind, SyncLog.uid.in_(uids), SyncLog.state == "pending")
            .values(state="refused", reason=GONE, code=GONE_CODE, params="{}")
        )


# Links kept, set to NULL as the server's ON DELETE SET NULL does, when what
# they name is removed: a run step keeps its run when the scenario step it
# was copied from goes (an edited scenario rewrites its steps).
KEPT_LINKS = {("scenario_run_steps", "step_id")}


def _sets_null(table: Table, column: Any) -> bool:
    return (table.name, column.name) in KEPT_LINKS


# What else a row may hang on: with one of them set it stays when a record
# it only names leaves the view.
CARD_COLUMNS = ("client_id", "lead_id", "deal_id", "interaction_id")


def detach(session: Session, table_name: str, ids: Sequence[Any]) -> None:
    """Before removing a record that left the user's view while the card it
    was on did not (a contact person moved to a colleague's client): rows on
    that card which only mention it (a note, a task, an attachment, a line
    of the card's history "about" the contact person) stay, with the
    mention cleared, as the server still shows them. Rows that belong to it
    alone (its contact details) are left to ``remove``."""
    table = Base.metadata.tables[table_name]
    for other, column in _referrers(table):
        cards = [other.c[name] for name in CARD_COLUMNS if name in other.c]
        if other is table or not column.nullable or not cards:
            continue
        on_card = or_(*(card.is_not(None) for card in cards))
        for chunk in _chunks(ids):
            session.execute(
                update(other).where(column.in_(chunk), on_card).values({column.name: None})
            )


def remove(session: Session, table_name: str, ids: Sequence[Any], depth: int = 0) -> int:
    """Delete rows of ``table_name`` by primary key and everything under
    them; returns how many rows of that table went."""
    if not ids or table_name in NEVER_REMOVED or depth > 8:
        return 0
    table = Base.metadata.tables[table_name]
    (key,) = table.primary_key.columns
    if table_name in MEMO_KINDS:
        memo_ids = [
            m
            for chunk in _chunks(ids)
            for m in session.execute(
                select(Memo.id).where(
                    Memo.object_kind == MEMO_KINDS[table_name], Memo.object_id.in_(chunk)
                )
            ).scalars()
        ]
        remove(session, "memos", memo_ids, depth + 1)
    if table_name in FIELD_KINDS:
        fields = select(CustomField.id).where(CustomField.entity_kind == FIELD_KINDS[table_name])
        for chunk in _chunks(ids):
            session.execute(
                delete(CustomValue).where(
                    CustomValue.field_id.in_(fields), CustomValue.entity_id.in_(chunk)
                )
            )
    for other, column in _referrers(table):
        if other is table:
            continue
        if _sets_null(other, column):
            # as the server's ON DELETE SET NULL did (a run step keeps its
            # run when the scenario step it was copied from is removed)
            for chunk in _chunks(ids):
                session.execute(update(other).where(column.in_(chunk)).values({column.name: None}))
            continue
        if len(other.primary_key.columns) == 1 and other.name not in NEVER_REMOVED:
            (other_key,) = other.primary_key.columns
            child = [
                c
                for chunk in _chunks(ids)
                for c in session.execute(select(other_key).where(column.in_(chunk))).scalars()
            ]
            remove(session, other.name, child, depth + 1)
        else:
            for chunk in _chunks(ids):
                session.execute(delete(other).where(column.in_(chunk)))
    _forget(session, table, ids)
    if table_name == Attachment.__tablename__:
        _let_go(session, ids)
    gone = 0
    for chunk in _chunks(ids):
        result = session.execute(delete(table).where(key.in_(chunk)))
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone
