"""How each pulled record, link and removal is written into the replica.

``Applier`` holds what one batch's items need between them (the batch's
local ids and clocks loaded up front, the new rows and the clocks taken
written once per kind, who wrote each column for the card's history, the
letters and calls this laptop holds) and writes each item: a record field
by field where the server's clock wins, a link there or gone, a tombstone
with what hangs on it. The batch's transaction, its order and what it
notes in ``sync_state`` are services/sync/pull_apply.py's.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Interaction, SyncClock, SyncLog, SyncTombstone
from models.base import utcnow
from services.core.audit import WRITERS
from services.core.storage import Database
from services.linking import source_rows
from services.sync import links
from services.sync.clock_writes import local_clocks
from services.sync.pull import (
    MAX_FETCH_DEPTH,
    Item,
    fetch,
    is_clock,
)
from services.sync.removal import remove
from services.sync.tables import KINDS, LINKS, MissingReference, Translator, decode, find

# Cards that enter the view when pulled (read whole by card_arrival.py) and
# contact persons whose arrival brings what is on them (visibility.py).
ENTERING = ("client", "lead")
ARRIVING = ("contact",)


def _server_wins(server_hlc: str | None, local_hlc: str | None) -> bool:
    if local_hlc is None:
        return True
    return server_hlc is not None and server_hlc >= local_hlc


class Applier:
    """Applies pulled items inside one replica transaction."""

    def __init__(
        self, session: Session, server: Database, *, careful: bool, whole: bool = False
    ) -> None:
        self.session = session
        self.server = server
        self.careful = careful
        # A card read whole (card_arrival.py): what is on it came with it.
        self.whole = whole
        self.tr = Translator(session)
        self.unresolved: list[str] = []
        # Cards fetched because a pulled record named them (a scenario run on
        # a client just shared) or new to the replica (handed to the user):
        # card_arrival.bring_shown reads them whole.
        self.entered: list[str] = []
        self.new_cards: list[str] = []
        # Contact persons new to this replica (one moved onto a card the
        # user sees among them): visibility.bring_arrived_contacts reads
        # what is on them.
        self.arrived: list[str] = []
        self.newest: str | None = None
        self.changed = 0
        # The replica's clock of each unit of the batch's records, and the
        # clocks taken from the server, written at the next flush_new
        # (plain rows: an ORM object per clock was most of a pull's CPU).
        self.clocks: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self._stamps: dict[tuple[str, str, str], tuple[str, int | None]] = {}
        self._new: list[tuple[str, str, Any]] = []
        # Who wrote each pulled record's columns, for the card's history.
        self.writers: dict[Any, dict[str, int | None]] = session.info.setdefault(WRITERS, {})
        self.pending_links: set[tuple[str, str]] | None = None
        # This laptop's interactions of the letters and calls the batch brings.
        self.held: dict[source_rows.Source, tuple[int, str]] = {}
        self.looked: set[source_rows.Source] = set()

    def preload(self, items: list[Item]) -> None:
        """The batch's local ids, existing rows and clocks in a few queries."""
        by_kind: dict[str, list[str]] = defaultdict(list)
        for item in items:
            by_kind[item.kind].append(item.uid)
        for kind, uids in by_kind.items():
            if kind not in KINDS:
                continue  # a link: no row of its own to load
            self.tr.preload(kind, uids)
            spec = KINDS[kind]
            if spec.key == "uid":
                ids = [i for u in uids if (i := self.tr.local_id(kind, u)) is not None]
                for start in range(0, len(ids), 500):
                    self.session.scalars(
                        select(spec.model).where(spec.model.id.in_(ids[start : start + 500]))
                    ).all()
        self.looked = {
            found
            for item in items
            if item.kind == "interaction"
            and item.values is not None
            and (found := source_rows.source_of(*_source(item.values))) is not None
        }
        self.held = source_rows.held(self.session, self.looked)
        keys = [(item.kind, item.uid) for item in items]
        for start in range(0, len(keys), 500):
            for kind, uid, field, hlc in self.session.execute(
                select(SyncClock.kind, SyncClock.uid, SyncClock.field, SyncClock.hlc).where(
                    tuple_(SyncClock.kind, SyncClock.uid).in_(keys[start : start + 500])
                )
            ):
                self.clocks[(kind, uid)][field] = hlc

    def _write_clocks(self) -> None:
        """The clocks taken so far, before anything later removes a record."""
        if self._stamps:
            local_clocks(
                self.session,
                [
                    {"kind": k, "uid": u, "field": f, "hlc": hlc, "user_id": user_id}
                    for (k, u, f), (hlc, user_id) in self._stamps.items()
                ],
            )
            self._stamps.clear()

    def _drop_clocks(self, kind: str, uid: str) -> None:
        """A record removed here: its clocks go, written or not."""
        self.clocks.pop((kind, uid), None)
        for key in [k for k in self._stamps if k[0] == kind and k[1] == uid]:
            del self._stamps[key]

    def flush_new(self) -> None:
        """Insert the new rows so far (one statement per kind) and learn their
        ids; write the clocks taken so far."""
        self._write_clocks()
        if not self._new:
            return
        self.session.flush()
        made: list[tuple[source_rows.Source, Any]] = []
        for kind, uid, row in self._new:
            if KINDS[kind].key == "uid":
                self.tr.remember(kind, row.id, uid)
            if kind == "interaction":
                found = source_rows.source_of(row.source_kind, row.source_key)
                if found is not None:
                    made.append((found, row))
        self._new.clear()
        if made:
            # this laptop's rows of those letters and calls take them
            waiting = source_rows.waiting(self.session, {found for found, _ in made})
            for found, row in made:
                if found in waiting:
                    source_rows.follow(self.session, row)

    def apply(self, item: Item, depth: int = 0) -> None:
        if item.kind in LINKS and item.values is None:
            self._link(item)
            return
        if item.values is None:
            self.flush_new()
            self._tombstone(item)
            return
        if item.hidden is not None:
            self.unresolved.append(f"{item.kind}:{item.uid}")
            return
        while True:
            try:
                write = self._link if item.kind in LINKS else self._row
                if self.careful:
                    with self.session.begin_nested():
                        write(item)
                        self.flush_new()
                else:
                    write(item)
                return
            except IntegrityError:
                if not self.careful:
                    raise
                self._new.clear()
                self._stamps.clear()
                self.unresolved.append(f"{item.kind}:{item.uid}")
                return
            except MissingReference as missing:
                # Raised before anything of this record was written.
                parent = None
                if missing.target is not None and depth < MAX_FETCH_DEPTH:
                    parent = fetch(self.server, missing.target, missing.uid)
                if parent is None:
                    self.unresolved.append(f"{item.kind}:{item.uid}")
                    return
                self.flush_new()
                self.apply(parent, depth + 1)
                self.flush_new()
                if parent.kind in ENTERING:
                    self.entered.append(f"{parent.kind}:{parent.uid}")
                if find(self.tr, parent.kind, parent.uid) is None:
                    self.unresolved.append(f"{item.kind}:{item.uid}")
                    return

    def _row(self, item: Item) -> None:
        spec = KINDS[item.kind]
        assert item.values is not None
        row = find(self.tr, item.kind, item.uid)
        local = self.clocks.get((item.kind, item.uid), {}) if row is not None else {}
        take = [
            field
            for field in spec.fields
            if row is None
            or _server_wins(
                item.clocks.get(spec.merge_key(field), (None, None))[0],
                local.get(spec.merge_key(field)),
            )
        ]
        values = decode(self.session, item.kind, {f: item.values[f] for f in take}, self.tr)
        said = self._writers(item, take)
        if row is None and said.get("*") is None:
            # made before it had clocks: its author (or owner) made it
            said["*"] = values.get("author_id") or values.get("owner_id")
        if row is None:
            if item.kind == "interaction":
                self._replaced(values, item.uid)
            extra = {} if spec.key != "uid" else {"uid": item.uid}
            row = spec.model(**extra, **values)
            if spec.derive is not None:
                spec.derive(row)
            self.session.add(row)
            self._new.append((item.kind, item.uid, row))
            self.writers[row] = said
            self.changed += 1
            if item.kind in ARRIVING and not self.whole:
                self.arrived.append(item.uid)
            if item.kind in ENTERING and not self.whole:
                self.new_cards.append(f"{item.kind}:{item.uid}")
        else:
            differs = {k: v for k, v in values.items() if getattr(row, k) != v}
            if differs:
                self.writers[row] = said
                for name, value in differs.items():
                    setattr(row, name, value)
                if spec.derive is not None:
                    spec.derive(row)
                self.changed += 1
        self._store_clocks(item, {spec.merge_key(f) for f in take})

    def _replaced(self, values: dict[str, Any], uid: str) -> None:
        """A letter or call moved by hand on the server: its new interaction
        arrives while this laptop holds the old one (whose removal may come
        later in the feed). The server holds one per letter, so the old one
        goes first, and this laptop's letter row follows the new one."""
        found = source_rows.source_of(*_source(values))
        if found is None:
            return
        here = (
            self.held.pop(found, None)
            if found in self.looked
            else source_rows.held(self.session, [found]).get(found)
        )
        old = self.session.get(Interaction, here[0]) if here and here[1] != uid else None
        if old is not None:
            old_uid = old.uid
            self._remove_interaction(old, "moved by hand on the server")
            self.tr.forget("interaction", old_uid)
            self._drop_clocks("interaction", old_uid)
            self.changed += 1

    def _remove_interaction(self, row: Interaction, reason: str) -> None:
        """Removed with what hangs on it; the letter or call rows on it stay,
        unlinked by hand (the linking job on this laptop leaves them)."""
        self.session.flush()
        self._write_clocks()
        source_rows.unlinked_by_hand(self.session, [row.id], reason, clear=True)
        self.session.expunge(row)
        remove(self.session, "interactions", [row.id])

    def _writers(self, item: Item, fields: list[str]) -> dict[str, int | None]:
        """Each taken column's writer (its unit's clock on the server), as a
        local user id; "*" the newest clock's writer, for a record made."""
        spec = KINDS[item.kind]
        out: dict[str, int | None] = {}
        newest: tuple[str, str | None] | None = None
        for field in fields:
            clock = item.clocks.get(spec.merge_key(field))
            if clock is None:
                continue
            out[field] = None if clock[1] is None else self.tr.local_id("user", clock[1])
            if newest is None or clock[0] > newest[0]:
                newest = clock
        if newest is not None:
            out["*"] = None if newest[1] is None else self.tr.local_id("user", newest[1])
        return out

    def _link(self, item: Item) -> None:
        """A pulled link (services/sync/links.py): there, or removed; one the
        laptop changed and has not pushed yet stays as the laptop has it."""
        if self.pending_links is None:
            self.pending_links = {
                (r.kind, r.uid)
                for r in self.session.execute(
                    select(SyncLog.kind, SyncLog.uid).where(
                        SyncLog.state == "pending", SyncLog.kind.in_(list(LINKS))
                    )
                )
            }
        if (item.kind, item.uid) in self.pending_links:
            return
        link = LINKS[item.kind]
        owner_id, other_id = links.local_pair(self.tr, link, item.uid)
        if item.values is None:
            if owner_id is not None and other_id is not None:
                self.changed += links.remove(self.session, link, owner_id, other_id)
            links.clear_tombstones(self.session, item.kind, [item.uid])
            self.session.execute(
                insert(SyncTombstone).values(
                    kind=item.kind, uid=item.uid, hlc=item.hlc or "", deleted_at=utcnow()
                )
            )
            # A link made here later must be later than this removal.
            if item.hlc and is_clock(item.hlc) and (self.newest is None or item.hlc > self.newest):
                self.newest = item.hlc
            return
        owner_uid, other_uid = links.split(item.uid)
        if owner_id is None:
            raise MissingReference(item.kind, link.owner, owner_uid, link.owner_kind)
        if other_id is None:
            raise MissingReference(item.kind, link.other, other_uid, link.other_kind)
        links.clear_tombstones(self.session, item.kind, [item.uid])
        self.changed += links.add(self.session, link, owner_id, other_id)

    def _store_clocks(self, item: Item, keys: set[str]) -> None:
        mine = self.clocks[(item.kind, item.uid)]
        for key in keys:
            clock = item.clocks.get(key)
            if clock is None:
                continue
            hlc, writer = clock
            if mine.get(key) != hlc:
                mine[key] = hlc
                user_id = None if writer is None else self.tr.local_id("user", writer)
                self._stamps[(item.kind, item.uid, key)] = (hlc, user_id)
            if self.newest is None or hlc > self.newest:
                self.newest = hlc

    def _tombstone(self, item: Item) -> None:
        row = find(self.tr, item.kind, item.uid)
        if row is not None:
            table = KINDS[item.kind].model.__table__
            self.session.flush()
            if len(table.primary_key.columns) != 1:  # a custom value
                self.session.delete(row)
                self.session.flush()
            elif isinstance(row, Interaction):
                # only a letter's or call's, unlinked or moved by hand there
                self._remove_interaction(row, "unlinked by hand on the server")
            else:
                (key,) = table.primary_key.columns
                self.session.expunge(row)
                remove(self.session, table.name, [getattr(row, key.key)])
            self.tr.forget(item.kind, item.uid)
            self.changed += 1
        if self.session.get(SyncTombstone, (item.kind, item.uid)) is None:
            self.session.add(SyncTombstone(kind=item.kind, uid=item.uid, hlc=item.hlc or ""))
        self.session.flush()
        self._drop_clocks(item.kind, item.uid)
        self.session.execute(
            delete(SyncClock).where(SyncClock.kind == item.kind, SyncClock.uid == item.uid)
        )


def _source(values: dict[str, Any]) -> tuple[Any, Any]:
    return values.get("source_kind"), values.get("source_key")
