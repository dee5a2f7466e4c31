"""How each row of a pushed action is written on the server (apply.py runs
the action's transaction around it).

``Op`` holds one action's state while it is applied: the server's clocks
it read and the ones it moved (written together at the end), the
conflicts it met, the records it touched (put back on the laptop if the
action is refused), the interactions the server held already for a
created one's letter or call. Its rules per row: a creation is idempotent
by uid and loses to a later removal; an edit is checked, merged per unit
by the clock (a differing value on a moved base is a conflict) and
validated; a removal writes or moves the tombstone; a conflict resolved on
the laptop is closed here too. Kept apart from the transaction so each
reads alone: the loop that refuses an action whole is short, the rules
are not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update

from models.base import utcnow
from models.sync import SyncConflict, SyncTombstone
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import UnitOfWork
from services.interactions import attachment_removal
from services.sync import (
    apply_fresh,
    apply_sources,
    clock,
    clock_reads,
    merge,
    same_source,
    share_kind,
    tables,
)
from services.sync.apply_batch import cards_may_change
from services.sync.apply_checks import check_authored, check_record, check_signed, validated
from services.sync.apply_links import apply_link
from services.sync.apply_rows import Pushed, Refused, decoded, new_row, put
from services.sync.clock import Hlc
from services.sync.clock_writes import forget_clocks, move_tombstone, set_clocks
from services.sync.deputy_kind import DEPUTY, apply_deputy
from services.sync.log import CREATED, RESOLVED, TOMBSTONE, units

Key = tuple[str, str, str]


@dataclasses.dataclass(frozen=True)
class Met:
    """A conflict found on the server: "mine" pushed, "theirs" met there."""

    kind: str
    uid: str
    field: str
    mine: str | None
    theirs: str | None
    mine_hlc: str
    theirs_hlc: str
    mine_user_id: int | None  # server ids
    theirs_user_id: int | None


class Op:
    """The state of one action while it is applied."""

    def __init__(
        self,
        uow: UnitOfWork,
        actor: Actor,
        now_ms: int,
        reference: tables.Reference | None = None,
    ) -> None:
        self.uow = uow
        # ``reference``: the batch's reference data found so far (codec.Reference)
        self.tr = tables.Translator(uow.session, reference)
        self.actor = actor
        self.now_ms = now_ms
        self.conflicts: list[Met] = []
        self.clamped = False
        self.won: dict[Key, str] = {}
        self.touched: dict[tuple[str, str], None] = {}
        self.after: dict[Key, str] = {}
        self.known: dict[Key, tuple[str, int | None] | None] = {}
        # Clocks this action moved, written together at its end (``write_clocks``).
        self.pending: dict[Key, str] = {}
        self.removed: set[tuple[str, str]] = set()  # (kind, uid) removed, clocks and all
        self.replaced: dict[str, str] = {}  # laptop uid -> the server's (same_source)
        self.theirs: set[str] = set()  # the server's uids among them
        self.held: dict[same_source.Source, Any] = {}  # the server's of created ones' sources
        # Created uids the push's batch read as neither rows nor tombstones
        # on the server (apply_fresh.py): their two lookups are skipped.
        self.fresh = apply_fresh.Fresh()

    def effective(self, text: str) -> Hlc:
        """The pushed clock, clamped to the server's wall time if it is too far ahead."""
        remote = Hlc.decode(text)
        if clock.receive(clock.ZERO, remote, self.now_ms, "srv").clamped:
            self.clamped = True
            return Hlc(self.now_ms, 0, remote.node)
        return remote

    def clocks(self, keys: Sequence[Key]) -> dict[Key, tuple[str, int | None]]:
        """The server's clocks of these units (remembered for ``stamp``)."""
        wanted = [k for k in keys if k not in self.known]
        if wanted:
            rows = clock_reads.clock_rows(self.uow.session, ((k, u) for k, u, _f in wanted))
            self.known.update(dict.fromkeys(wanted))
            for r in rows:
                # Every clock of a named record is read: the others are kept too.
                self.known[(r.kind, r.uid, r.field)] = (r.hlc, r.user_id)
        return {k: v for k in keys if (v := self.known[k]) is not None}

    def stamp(self, stamps: dict[Key, str]) -> None:
        self.pending.update(stamps)
        self.known.update({k: (h, self.actor.id) for k, h in stamps.items()})
        self.won.update(stamps)

    def write_clocks(self) -> None:
        """Every clock the action moved, upserted together at its end (a
        statement per clock row made a pushed record cost ~35 ms)."""
        if self.pending:
            set_clocks(self.uow.session, self.pending, self.actor.id)
            self.pending = {}

    def forget_clocks(self, kind: str, uid: str) -> None:
        """A removed record's clock rows are gone, written or not."""
        self.removed.add((kind, uid))
        for key in [k for k in self.known if k[0] == kind and k[1] == uid]:
            self.known[key] = None
            self.pending.pop(key, None)

    def find(self, kind: tables.SyncKind, uid: str) -> Any | None:
        """The record a uid names on the server, in one query."""
        if kind.key != "uid":
            return tables.find(self.tr, kind.kind, uid)
        obj = self.uow.session.scalar(select(kind.model).where(kind.model.uid == uid))
        if obj is not None:
            self.tr.remember(kind.kind, obj.id, uid)
        return obj

    def tombstone(self, kind: str, uid: str) -> Hlc | None:
        text = self.uow.session.scalar(
            select(SyncTombstone.hlc).where(SyncTombstone.kind == kind, SyncTombstone.uid == uid)
        )
        return Hlc.decode(text) if text else None

    def run(self, row: Pushed) -> None:
        reference = self.tr.reference
        if reference is None or not cards_may_change(row):
            self._run(row)
            return
        # The clients and leads the batch found may be another's or gone
        # after it: forgotten before (its own lookups are the action's) and after.
        reference.forget_cards()
        try:
            self._run(row)
        finally:
            reference.forget_cards()

    def _run(self, row: Pushed) -> None:
        if row.kind == share_kind.SHARE:  # through the share use case; no clock, no copy
            share_kind.apply_share(self.uow, self.actor, self.tr, row)
            return
        if row.kind == DEPUTY:  # through the deputy use case, the same way
            apply_deputy(self.uow, self.actor, self.tr, row)
            return
        row = same_source.renamed(row, self.replaced)
        link = tables.LINKS.get(row.kind)
        if link is not None:
            self.touched[(row.kind, row.uid)] = None
            if row.uid.partition(":")[0] not in self.theirs:
                apply_link(self.uow, self.actor, self.tr, link, row, self.effective(row.hlc))
                return
            # A contact person of the laptop's copy that does not belong on
            # the server's (another card) is left out, not the whole action.
            with contextlib.suppress(UserError), self.uow.session.begin_nested():
                apply_link(self.uow, self.actor, self.tr, link, row, self.effective(row.hlc))
            return
        kind = tables.KINDS.get(row.kind)
        if kind is None or kind.direction != "both":
            raise Refused(
                f"{row.kind} records are not changed from a laptop", code="sync.apply.kind"
            )
        self.touched[(row.kind, row.uid)] = None
        hlc = self.effective(row.hlc)
        # Taken for every row: only the first row naming a uid may skip its lookups.
        fresh = self.fresh.take(row.kind, row.uid)
        if row.field == RESOLVED:
            self.resolved(kind, row)
        elif row.field == CREATED:
            self.create(kind, row, hlc, fresh=fresh)
        elif row.field == TOMBSTONE:
            self.delete(kind, row, hlc)
        else:
            self.edit(kind, row, hlc)

    def _removed(self, kind: tables.SyncKind, row: Pushed, hlc: Hlc) -> bool:
        """True when a tombstone beats this write; refused when the write is newer."""
        dead = self.tombstone(kind.kind, row.uid)
        if dead is None:
            return False
        if hlc < dead:
            return True
        raise Refused(
            f"The {kind.kind.replace('_', ' ')} was removed on the server",
            code="sync.apply.removed",
            params={"kind": kind.kind},
        )

    def create(self, kind: tables.SyncKind, row: Pushed, hlc: Hlc, *, fresh: bool = False) -> None:
        session = self.uow.session
        if not fresh and self.find(kind, row.uid) is not None:
            return  # created before: creation is idempotent by uid
        dead = None if fresh else self.tombstone(kind.kind, row.uid)
        if dead is not None:
            if hlc < dead:
                return  # removed after it was made
            # A uid made of other uids (a custom value) is made again after
            # it was removed: the newer creation wins.
            session.execute(
                delete(SyncTombstone).where(
                    SyncTombstone.kind == kind.kind, SyncTombstone.uid == row.uid
                )
            )
        values = decoded(self.tr, kind, json.loads(row.value or "{}"))
        values = validated(self.uow, self.actor, kind, values)
        check_signed(self.actor, kind.kind, values)
        if kind.kind == same_source.KIND:
            if self.same_source(kind, row, values, hlc):
                return
            self.make_room(kind, row, values, hlc)
        obj = new_row(session, kind, row.uid, values)
        session.flush()
        check_record(self.uow, self.actor, kind.kind, obj, self.tr)
        if kind.kind == "interaction":
            apply_sources.follow(self.uow, self.actor, obj)
        self.stamp({(kind.kind, row.uid, unit): hlc.encode() for unit in units(kind, kind.fields)})

    def make_room(
        self, kind: tables.SyncKind, row: Pushed, values: dict[str, Any], hlc: Hlc
    ) -> None:
        """A letter or call moved by hand on both sides: the server's
        interaction of it goes when this move is the later one
        (services/sync/apply_sources.py); an earlier move is refused."""
        held = apply_sources.holder(self.uow, values, row.uid)
        if held is None:
            return
        if not apply_sources.newer_than_server(self.uow, held, hlc):
            raise apply_sources.moved_meanwhile(values)
        # The laptop learns the server's copy of both if the action is
        # refused later: the one it made is removed before this one returns.
        self.touched.pop((kind.kind, row.uid), None)
        self.touched[(kind.kind, held.uid)] = None
        self.touched[(kind.kind, row.uid)] = None
        gone = Pushed(row.seq, kind.kind, held.uid, TOMBSTONE, None, None, row.hlc)
        self.delete(kind, gone, hlc)

    def same_source(
        self, kind: tables.SyncKind, row: Pushed, values: dict[str, Any], hlc: Hlc
    ) -> bool:
        """The server holds an interaction of this letter or call already: it
        stays, takes what it lacks, and names the pushed one from now on."""
        source = same_source.source_of(values)
        found = None if source is None else self.held.get(source)
        if found is None or found.uid == row.uid:
            return False
        check_record(self.uow, self.actor, kind.kind, found, self.tr)
        filled = same_source.fill(found, values)
        if filled:
            put(kind, found, {})  # the derived columns again
            self.uow.session.flush()
            self.stamp({(kind.kind, found.uid, unit): hlc.encode() for unit in units(kind, filled)})
        self.replaced[row.uid] = found.uid
        self.theirs.add(found.uid)
        return True

    def edit(self, kind: tables.SyncKind, row: Pushed, hlc: Hlc) -> None:
        session = self.uow.session
        obj = self.find(kind, row.uid)
        if obj is None:
            if self._removed(kind, row, hlc):
                return
            raise Refused(
                f"The {kind.kind.replace('_', ' ')} is not on the server or not yours to change",
                code="sync.apply.not_found",
                params={"kind": kind.kind},
            )
        check_record(self.uow, self.actor, kind.kind, obj, self.tr)
        check_authored(self.actor, kind.kind, obj)
        pushed = json.loads(row.value or "{}")
        columns = units(kind, [row.field]).get(merge.merge_key(kind.kind, row.field), ())
        unknown = set(pushed) - set(columns)
        if unknown or not columns:
            raise Refused(
                f"The server has no field {row.field!r} on a {kind.kind}",
                code="sync.apply.unknown_field",
                params={"field": row.field},
            )
        unit = merge.merge_key(kind.kind, row.field)
        key = (kind.kind, row.uid, unit)
        # Only this unit's references are looked up (each is a query).
        current_values = tables.encode(
            session,
            kind.kind,
            {
                f: getattr(obj, f) if f in columns or f not in kind.refs else None
                for f in kind.fields
            },
            self.tr,
        )
        theirs = {c: current_values.get(c) for c in columns}
        found = self.clocks([key]).get(key)
        current = merge.Stored(theirs, Hlc.decode(found[0])) if found else None
        write = merge.Write(
            kind.kind, row.uid, unit, pushed, hlc, Hlc.decode(row.base) if row.base else None
        )
        decided = merge.apply(current, write)
        if decided.conflict is not None and found is not None:
            self.conflicts.append(
                Met(
                    kind.kind,
                    row.uid,
                    unit,
                    json.dumps(pushed, ensure_ascii=False),
                    json.dumps(theirs, ensure_ascii=False),
                    hlc.encode(),
                    found[0],
                    self.actor.id,
                    found[1],
                )
            )
        if not decided.changed:
            self.after[key] = decided.stored.hlc.encode()
            return
        values = validated(self.uow, self.actor, kind, decoded(self.tr, kind, pushed))
        check_signed(self.actor, kind.kind, values, obj)
        put(kind, obj, values)
        session.flush()
        if set(values) & set(kind.refs):
            # moved onto another card or owner: still one the user may see
            check_record(self.uow, self.actor, kind.kind, obj, self.tr)
        self.stamp({key: hlc.encode()})
        self.after[key] = hlc.encode()

    def resolved(self, kind: tables.SyncKind, row: Pushed) -> None:
        """The user resolved a conflict on the laptop: close the server's copy."""
        said = json.loads(row.value or "{}")
        if not isinstance(said, dict):
            return
        obj = self.find(kind, row.uid)
        if obj is None:
            return
        check_record(self.uow, self.actor, kind.kind, obj, self.tr)
        self.uow.session.execute(
            update(SyncConflict)
            .where(
                SyncConflict.kind == kind.kind,
                SyncConflict.uid == row.uid,
                SyncConflict.field == str(said.get("field")),
                SyncConflict.mine_hlc == str(said.get("mine_hlc")),
                SyncConflict.theirs_hlc == str(said.get("theirs_hlc")),
                SyncConflict.resolved_at.is_(None),
            )
            .values(resolved_at=utcnow(), resolved_by_id=self.actor.id)
        )

    def delete(self, kind: tables.SyncKind, row: Pushed, hlc: Hlc) -> None:
        session = self.uow.session
        obj = self.find(kind, row.uid)
        if obj is not None:
            check_record(self.uow, self.actor, kind.kind, obj, self.tr)
            check_authored(self.actor, kind.kind, obj)
            # Its clocks first: sync_clock's policy shows a record's clocks
            # only while the record is there: after the removal anyone but an
            # administrator deleted none and they stayed behind on the server.
            forget_clocks(session, kind.kind, row.uid)
            if kind.kind == "interaction":
                apply_sources.remove(self.uow, self.actor, obj)  # a letter unlinked by hand
            else:
                if kind.kind == "attachment":  # the card's history line, as a removal here
                    attachment_removal.removed_line(self.uow, self.actor, obj)
                session.delete(obj)
            session.flush()  # the server's trigger writes the tombstone
        else:
            forget_clocks(session, kind.kind, row.uid)  # 0048: planned once on the server
        self.forget_clocks(kind.kind, row.uid)
        dead = self.tombstone(kind.kind, row.uid)
        if dead is None:
            session.add(
                SyncTombstone(kind=kind.kind, uid=row.uid, hlc=hlc.encode(), deleted_at=utcnow())
            )
        else:
            # The record was removed when the laptop removed it, not when it said so.
            move_tombstone(session, kind.kind, row.uid, hlc.encode())
        session.flush()
