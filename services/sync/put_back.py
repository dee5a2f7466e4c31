"""A refused push put back: the laptop's records become the server's again.

When the server refuses an action (services/sync/apply.py), the laptop must
not keep a change nobody accepted: every record the action touched is read
from the server (values and unit clocks, or "not there") and written over
the laptop's copy in the same transaction that marks the log rows refused
(services/sync/push.py). Applied links and interactions the server held
already are read the same way. Kept apart from push.py's batching because
this is the one place a push writes records on the laptop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select

from models import Interaction
from models.sync import SyncClock, SyncTombstone
from services.core.storage import Database, UnitOfWork
from services.linking import source_rows
from services.sync import links, removal, same_source, tables
from services.sync.apply import OpResult
from services.sync.apply_rows import Pushed, new_row, put
from services.sync.clock_writes import set_clocks

Copy = tuple[dict[str, Any], dict[str, str]] | None  # (values, unit clocks), None: gone


def server_copies(
    server: Database,
    refused: Sequence[tuple[list[Pushed], OpResult]],
    applied: Sequence[tuple[list[Pushed], OpResult]] = (),
    records: Sequence[tuple[str, str]] = (),
) -> dict[tuple[str, str], Copy]:
    """The server's own values and clocks of every record a refused action
    touched (None: not there, or not the user's to see), and every link an
    applied one pushed: a creation older than a removal there is not taken,
    and the laptop learns it only here (services/sync/apply_links.py);
    and ``records`` besides (interactions the server held already)."""
    # In the actions' order (a dict, not a set): ``push._record`` puts them back
    # in reverse, so a letter's new interaction goes before its old one returns.
    wanted = dict.fromkeys(pair for _, r in refused for pair in r.touched)
    wanted |= dict.fromkeys(
        pair for _, r in applied for pair in r.touched if pair[0] in tables.LINKS
    )
    wanted |= dict.fromkeys(records)
    if not wanted:
        return {}
    out: dict[tuple[str, str], Copy] = {}
    with server.reader() as uow:
        s = uow.session
        tr = tables.Translator(s)
        for kind_name, uid in wanted:
            if kind_name in tables.LINKS:
                out[(kind_name, uid)] = _link_copy(tr, kind_name, uid)
                continue
            obj = tables.find(tr, kind_name, uid)
            if obj is None:
                out[(kind_name, uid)] = None
                continue
            clocks = {
                r.field: r.hlc
                for r in s.execute(
                    select(SyncClock.field, SyncClock.hlc).where(
                        SyncClock.kind == kind_name, SyncClock.uid == uid
                    )
                )
            }
            out[(kind_name, uid)] = (tables.encode(s, kind_name, obj, tr), clocks)
    return out


def _link_copy(tr: tables.Translator, kind_name: str, uid: str) -> Copy:
    """A link as the server has it: there (no values, no clocks) or not (None)."""
    link = tables.LINKS[kind_name]
    owner_id, other_id = links.local_pair(tr, link, uid)
    if owner_id is None or other_id is None:
        return None
    return ({}, {}) if links.exists(tr.session, link, owner_id, other_id) else None


def as_server_has_it(
    uow: UnitOfWork, kind_name: str, uid: str, copy: Copy, made_here: bool
) -> None:
    """The laptop's copy of a record becomes the server's again: a record
    the refused action made is removed; one the server has takes its values
    and clocks; one the user may no longer see is left for the pull, which
    removes a card that left the user's view with everything on it."""
    s = uow.session
    tr = tables.Translator(s)
    if kind_name in tables.LINKS:
        link = tables.LINKS[kind_name]
        owner_id, other_id = links.local_pair(tr, link, uid)
        if owner_id is not None and other_id is not None:
            if copy is None:
                links.remove(s, link, owner_id, other_id)
            else:
                links.add(s, link, owner_id, other_id)
        return
    kind = tables.KINDS[kind_name]
    local = tables.find(tr, kind_name, uid)
    if copy is None:
        if local is not None and made_here:
            s.execute(delete(SyncClock).where(SyncClock.kind == kind_name, SyncClock.uid == uid))
            if kind_name == same_source.KIND:  # its letters and calls stay off cards
                source_rows.unlinked_by_hand(s, [local.id], "refused by the server", clear=True)
            # with what hangs on it here: its history's "created" line held
            # the card (a foreign key) and the laptop's sync failed
            s.flush()
            removal.remove(s, kind.table, [local.id])
            s.expunge(local)
        return
    s.execute(delete(SyncClock).where(SyncClock.kind == kind_name, SyncClock.uid == uid))
    values, clocks = copy
    try:
        values = tables.decode(s, kind_name, values, tr)
    except tables.MissingReference:
        return  # names something this laptop does not hold: the next pull brings it
    if local is None:
        local = new_row(s, kind, uid, values)
        # removed here by the refused action: no longer removed
        s.execute(
            delete(SyncTombstone).where(SyncTombstone.kind == kind_name, SyncTombstone.uid == uid)
        )
    else:
        put(kind, local, values)
    s.flush()
    if isinstance(local, Interaction):
        source_rows.follow(s, local)  # a letter moved by hand: back where it was
    set_clocks(s, {(kind_name, uid, f): h for f, h in clocks.items()}, None)
