"""One bad interaction never takes the linking job's whole action down.

The linking job logs a chunk of its set-based writes (up to 5,000
interactions made or moved, their contact persons and the files that moved
with them) as one action (services/linking/replica_log.py). The server
applies an action whole or refuses it whole (services/sync/apply.py); for a
chunk that would turn one letter the server cannot take into thousands the
laptop takes back. So an action that is only such placements is applied in
parts when it must be:

- an interaction whose letter or call the server holds on a card the user
  may not see (``same_source.hidden``) is answered at once as refused with
  ``sync.apply.held_elsewhere``, and the rest is applied without it;
- when the rest is still refused (the database's unique key or any other
  refusal of one row), it is applied again in halves, and each refused half
  in halves again, down to one interaction: only those refused alone are
  refused, everything else lands.

Each part has an op uid of its own, derived from the action's and the
interactions it holds, so a laptop that died before it marked them pushes
the action again and meets the same parts, answered "already applied".
The action itself is then never noted in ``sync_applied``: it is applied
again (what landed is created already, by uid) and split the same way.
An action with anything else (a card, a note, a letter unlinked by hand,
whose removal and new interaction belong together) stays whole.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, select

from models import Attachment, Interaction
from models.sync import SyncApplied
from services.core.access import Actor
from services.core.storage import Database
from services.sync import same_source
from services.sync.apply import OpResult, apply_op, refused_row
from services.sync.apply_fresh import Fresh
from services.sync.apply_rows import Pushed, Why, label, params_of, records_of
from services.sync.log import CREATED, TOMBSTONE

Part = tuple[list[Pushed], OpResult]

# What a placement by the linking job writes: interactions made or moved,
# their contact persons, the files moved with them.
_PLACEMENT = ("interaction", "interaction_contact", "attachment")
_ATTACHMENT_FIELDS = ("client_id", "lead_id")


def held_elsewhere(rows: Sequence[Pushed]) -> Why:
    kinds = {kind for kind, _ in same_source.created_sources(rows).values()}
    what = "call" if kinds == {"call"} else "letter"
    return Why(
        f"The server already has this {what} on a colleague's card you cannot see",
        "sync.apply.held_elsewhere",
        {"kind": what},
    )


def apply_parts(
    db: Database,
    actor: Actor,
    op_uid: str,
    rows: Sequence[Pushed],
    *,
    now_ms: int | None = None,
    conn: Connection | None = None,
    unseen: bool = False,
    fresh: Fresh | None = None,
) -> list[Part]:
    """Apply one laptop action: whole when it can be, else in parts; each
    part with the rows it holds (in the log's order) and the server's answer."""
    rows = list(rows)
    groups, hidden = _look(db, actor, op_uid, rows, conn, unseen)
    if groups is None:  # answered before, or not placements only
        return _whole(db, actor, op_uid, rows, now_ms, conn, unseen, bool(hidden), fresh)
    if not hidden:
        first = apply_op(
            db,
            actor,
            op_uid,
            rows,
            now_ms=now_ms,
            conn=conn,
            unseen=unseen,
            record_refusal=False,
            fresh=fresh,
        )
        if first.reason is None:
            return [(rows, first)]
        return _halves(db, actor, op_uid, groups, now_ms, conn, try_whole=False)
    out: list[Part] = []
    kept: list[list[Pushed]] = []
    for group in groups:
        if _is_hidden(group, hidden):
            why = held_elsewhere(group)
            out.append((group, _refuse(db, actor, _part_uid(op_uid, [group]), group, why, conn)))
        else:
            kept.append(group)
    if kept:
        out += _halves(db, actor, op_uid, kept, now_ms, conn, try_whole=True)
    return sorted(out, key=lambda part: part[0][0].seq)


def _whole(
    db: Database,
    actor: Actor,
    op_uid: str,
    rows: list[Pushed],
    now_ms: int | None,
    conn: Connection | None,
    unseen: bool,
    hidden: bool,
    fresh: Fresh | None = None,
) -> list[Part]:
    """An action that stays whole: applied, or refused (a letter held where
    the user cannot see refuses it with that reason, not the unique key's)."""
    if hidden:
        return [(rows, _refuse(db, actor, op_uid, rows, held_elsewhere(rows), conn))]
    applied = apply_op(
        db, actor, op_uid, rows, now_ms=now_ms, conn=conn, unseen=unseen, fresh=fresh
    )
    return [(rows, applied)]


def _halves(
    db: Database,
    actor: Actor,
    op_uid: str,
    groups: list[list[Pushed]],
    now_ms: int | None,
    conn: Connection | None,
    *,
    try_whole: bool,
) -> list[Part]:
    """These interactions' rows applied together, or (refused) in two
    halves, each the same way; one interaction refused alone is refused."""
    rows = sorted((row for group in groups for row in group), key=lambda row: row.seq)
    uid = _part_uid(op_uid, groups)
    if try_whole:
        last = len(groups) == 1
        result = apply_op(db, actor, uid, rows, now_ms=now_ms, conn=conn, record_refusal=last)
        if result.reason is None or last:
            return [(rows, result)]
    middle = len(groups) // 2
    return [
        *_halves(db, actor, op_uid, groups[:middle], now_ms, conn, try_whole=True),
        *_halves(db, actor, op_uid, groups[middle:], now_ms, conn, try_whole=True),
    ]


def _look(
    db: Database,
    actor: Actor,
    op_uid: str,
    rows: list[Pushed],
    conn: Connection | None,
    unseen: bool,
) -> tuple[list[list[Pushed]] | None, set[same_source.Source]]:
    """The action's parts per interaction (None: it stays whole, or it was
    answered before) and the sources held where the user cannot see."""
    with db.uow(actor.id) if conn is None else db.uow_on(conn, actor.id) as uow:
        session = uow.session
        if not unseen and session.get(SyncApplied, op_uid) is not None:
            return None, set()
        hidden = same_source.hidden(session, rows)
        if not placements_only(rows):
            return None, hidden
        files = {r.uid for r in rows if r.kind == "attachment"}
        owners: dict[str, str] = {}
        for start in range(0, len(sorted(files)), 300):
            chunk = sorted(files)[start : start + 300]
            owners.update(
                (str(a), str(i))
                for a, i in session.execute(
                    select(Attachment.uid, Interaction.uid)
                    .join(Interaction, Interaction.id == Attachment.interaction_id)
                    .where(Attachment.uid.in_(chunk))
                )
            )
    grouped: dict[str, list[Pushed]] = {}
    for row in rows:
        if row.kind == "interaction":
            key = row.uid
        elif row.kind == "interaction_contact":
            key = row.uid.partition(":")[0]
        else:
            key = owners.get(row.uid, f"attachment:{row.uid}")
        grouped.setdefault(key, []).append(row)
    if len(grouped) < 2 and not hidden:
        return None, hidden
    return list(grouped.values()), hidden


def placements_only(rows: Sequence[Pushed]) -> bool:
    """Interactions made or moved, their contact persons, their files moved:
    nothing removed but a contact person, nothing else."""
    for row in rows:
        if row.kind not in _PLACEMENT:
            return False
        if row.kind == "interaction" and row.field == TOMBSTONE:
            return False  # a letter unlinked or moved by hand: one change
        if row.kind == "attachment" and row.field not in _ATTACHMENT_FIELDS:
            return False
        if row.field.startswith("*") and row.field not in (CREATED, TOMBSTONE):
            return False  # a conflict resolved by hand
    return True


def may_split(rows: Sequence[Pushed]) -> bool:
    """An action ``apply_parts`` may answer in parts: placements of more
    than one interaction, or with files (grouped by the server's reading).
    Any other action it applies whole, as ``apply_op`` does: one
    interaction made (with no letter or call: see ``same_source``) or
    edited, with its contact persons, has a single part."""
    if not placements_only(rows):
        return False
    if any(row.kind == "attachment" for row in rows):
        return True
    groups = {row.uid if row.kind == "interaction" else row.uid.partition(":")[0] for row in rows}
    return len(groups) > 1


def _is_hidden(group: Sequence[Pushed], hidden: set[same_source.Source]) -> bool:
    return any(source in hidden for source in same_source.created_sources(group).values())


def _part_uid(op_uid: str, groups: Sequence[Sequence[Pushed]]) -> str:
    """A part's op uid: the same for the same action and interactions."""
    first, last = groups[0][0], groups[-1][-1]
    name = f"{op_uid}/{first.seq}-{last.seq}/{len(groups)}"
    return str(uuid.uuid5(uuid.NAMESPACE_OID, name))


def _why(result: OpResult) -> Why:
    return Why(result.reason or "", result.code or "", dict(result.params))


def _refuse(
    db: Database,
    actor: Actor,
    op_uid: str,
    rows: Sequence[Pushed],
    why: Why,
    conn: Connection | None,
) -> OpResult:
    """A refusal without applying anything, kept in ``sync_applied`` (a
    push again answers it the same; one committed meanwhile is kept)."""
    touched = records_of(rows)
    with db.uow(actor.id) if conn is None else db.uow_on(conn, actor.id) as uow:
        seen = uow.session.get(SyncApplied, op_uid)
        if seen is None:
            uow.session.add(refused_row(op_uid, actor, why))
            uow.commit()
        elif seen.reason is None:  # applied before it was held elsewhere
            return OpResult(op_uid, "already", None, label(rows))
        else:
            why = Why(seen.reason, seen.code or "", dict(params_of(seen.params)))
    result = OpResult(op_uid, "refused", why.reason, label(rows), code=why.code, touched=touched)
    return dataclasses.replace(result, params=tuple(why.params.items()))
