"""Contacts from vCard and CSV files into clients and contact persons.

A card with an organization becomes a contact person of the client of that
name in any case ("АО Вектор" is "ао вектор"; created when missing); a card
without one becomes a client of its own (a private person). A card whose
email or phone is already known updates that card instead of making a
duplicate. Each value is checked on its own (``contact_checks``): a bad one
is skipped with a warning, the person is imported.

Speed and locks: the whole file is parsed and checked before anything is
written; cards are then written by Core inserts in batches, each batch a
short transaction of its own, so the app, the CLI and backups get in
between. The batches belong to one import run (``import_runs``): when
anything fails, the committed batches are deleted again, so the import is
all or nothing all the same.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select, update

from models import AuditEntry, Client, Contact, ContactPoint, Lead, folding
from models.base import utcnow
from models.ids import new_uid
from services.core import settings
from services.core.access import Actor, Permission
from services.core.storage import Database, UnitOfWork
from services.exchange import import_runs
from services.exchange.contact_checks import CheckedCard, Point, check
from services.parties import contact_points
from services.sync import log as change_log

BATCH_CARDS = 1_000  # cards per transaction: a fraction of a second of write lock
LOOKUP_CHUNK = 500  # values per IN (...) lookup


@dataclasses.dataclass(frozen=True)
class Rejection:
    source: str
    reason: str


@dataclasses.dataclass(frozen=True)
class CardWarnings:
    """An imported card and the values of it that were left out, with why."""

    source: str
    name: str
    warnings: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    rejected: tuple[Rejection, ...]
    warnings: tuple[CardWarnings, ...] = ()


class _Ref:
    """A row's id: known for existing rows, filled in once a new row is inserted."""

    __slots__ = ("id",)

    def __init__(self, row_id: int | None = None) -> None:
        self.id = row_id


@dataclasses.dataclass
class _Target:
    kind: str  # client | contact
    ref: _Ref
    client: _Ref | None = None  # a contact's client


def import_contacts(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    batch_cards: int = BATCH_CARDS,
) -> ImportSummary:
    """Import ``path``; unreadable or unrecognised files raise ``ValidationError``
    before anything is written."""
    from services.exchange.contact_files import parse_contact_file

    actor.require(Permission.IMPORT_EXPORT)
    actor.require(Permission.CLIENTS_EDIT)
    parsed = parse_contact_file(path, mapping)
    with db.reader(actor.id) as uow:
        region = settings.get(uow, "default_region")
    rejected = [Rejection(r.source, r.reason) for r in parsed.rejected]
    cards: list[CheckedCard] = []
    for record in parsed.records:
        checked = check(record, region)
        if isinstance(checked, str):
            rejected.append(Rejection(record.source, checked))
        else:
            cards.append(checked)
    run_id = import_runs.start(db, actor, path.name)
    writer = _Writer(actor, run_id)
    try:
        for start in range(0, len(cards), batch_cards):
            with db.uow(actor.id) as uow:
                writer.write(uow, cards[start : start + batch_cards])
                uow.commit()
        with db.uow(actor.id) as uow:
            writer.finish(uow)
            import_runs.finish(uow, run_id)
            uow.commit()
    except BaseException:
        import_runs.undo(db, run_id)
        raise
    warned = tuple(CardWarnings(c.source, c.name, tuple(c.warnings)) for c in cards if c.warnings)
    return ImportSummary(writer.created, writer.updated, tuple(rejected), warned)


def _chunks(values: list[Any], size: int = LOOKUP_CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Writer:
    """Decides per card (new client, new contact, or an update of a known
    card) and writes a batch with a few Core statements."""

    def __init__(self, actor: Actor, run_id: int) -> None:
        self.actor = actor
        self.run_id = run_id
        self.created = 0
        self.updated = 0
        # What this import made so far, across batches.
        self._owner: dict[tuple[str, str], _Target] = {}
        self._taken: set[tuple[str, str]] = set()
        self._company: dict[str, _Target] = {}
        self._positions: list[tuple[_Ref, str]] = []
        # The current batch's new rows, in insert order.
        self._clients: list[tuple[_Ref, str]] = []
        self._contacts: list[tuple[_Ref, _Ref, str, str | None]] = []
        self._points: list[tuple[_Target, Point]] = []

    # --- lookups of what the database already holds -------------------------

    def _known_owners(
        self, uow: UnitOfWork, cards: list[CheckedCard]
    ) -> dict[tuple[str, str], contact_points.Owner]:
        found: dict[tuple[str, str], contact_points.Owner] = {}
        for kind in ("email", "phone"):
            wanted = sorted(
                {
                    p.normalized
                    for c in cards
                    for p in c.points
                    if p.kind == kind and (kind, p.normalized) not in self._taken
                }
            )
            for chunk in _chunks(wanted):
                for value, owner in contact_points.owners_of(uow, kind, chunk).items():
                    found[(kind, value)] = owner
        return found

    def _known_companies(self, uow: UnitOfWork, cards: list[CheckedCard]) -> dict[str, int]:
        """Folded name -> the oldest client of that name the actor sees; a
        colleague's client is neither joined nor named (#15 item 5)."""
        wanted = sorted(
            {folding.fold(c.organization) for c in cards if c.organization} - self._company.keys()
        )
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            rows = uow.session.connection().execute(
                select(Client.name_folded, Client.id, Client.owner_id)
                .where(Client.name_folded.in_(chunk))
                .order_by(Client.id)
            )
            for folded, client_id, owner_id in rows:
                if self.actor.sees_owner(owner_id):
                    found.setdefault(folded, client_id)
        return found

    def _party_owners(
        self, uow: UnitOfWork, owners: Iterable[contact_points.Owner]
    ) -> dict[tuple[str, int], int]:
        """(client|lead, id) -> the owning user, for the visibility check."""
        if self.actor.can(Permission.CLIENTS_VIEW_ALL):
            return {}
        out: dict[tuple[str, int], int] = {}
        owners = list(owners)
        for kind, model in (("client", Client), ("lead", Lead)):
            ids = sorted({getattr(o, f"{kind}_id") for o in owners} - {None})
            for chunk in _chunks(ids):
                rows = uow.session.connection().execute(
                    select(model.id, model.owner_id).where(model.id.in_(chunk))
                )
                out.update({(kind, row_id): owner for row_id, owner in rows})
        return out

    # --- deciding ------------------------------------------------------------

    def write(self, uow: UnitOfWork, cards: list[CheckedCard]) -> None:
        known = self._known_owners(uow, cards)
        companies = self._known_companies(uow, cards)
        parties = self._party_owners(uow, known.values())
        for card in cards:
            self._place(card, known, companies, parties)
        self._flush(uow)

    def _sees(self, owner: contact_points.Owner, parties: dict[tuple[str, int], int]) -> bool:
        if self.actor.can(Permission.CLIENTS_VIEW_ALL):
            return True
        kind, party = ("client", owner.client_id) if owner.client_id else ("lead", owner.lead_id)
        return party is not None and parties.get((kind, party)) == self.actor.id

    def _match(
        self,
        card: CheckedCard,
        known: dict[tuple[str, str], contact_points.Owner],
        parties: dict[tuple[str, int], int],
    ) -> _Target | None:
        """The card this one updates (by its first known email, then phone);
        a colleague's card is neither updated nor revealed (#15 item 5)."""
        for point in sorted(card.points, key=lambda p: p.kind != "email"):
            key = (point.kind, point.normalized)
            mine = self._owner.get(key)
            if mine is not None:
                return mine
            owner = known.get(key)
            if owner is None or owner.kind not in ("contact", "client"):
                continue
            if self._sees(owner, parties):
                return _Target(owner.kind, _Ref(owner.id))
        return None

    def _place(
        self,
        card: CheckedCard,
        known: dict[tuple[str, str], contact_points.Owner],
        companies: dict[str, int],
        parties: dict[tuple[str, int], int],
    ) -> None:
        """Queue the rows for one card."""
        match = self._match(card, known, parties)
        if match is not None:
            if match.kind == "contact" and card.position:
                self._positions.append((match.ref, card.position))
            for point in card.points:
                key = (point.kind, point.normalized)
                if key not in known and key not in self._taken:
                    self._add_point(match, point)
            self.updated += 1
            return
        if card.organization:
            company = self._company_for(card.organization, companies)
            if card.person_is_company:
                target = company
            else:
                ref = _Ref()
                self._contacts.append((ref, company.ref, card.name, card.position))
                target = _Target("contact", ref, company.ref)
        else:
            target = self._new_client(card.name)
        for point in card.points:
            self._add_point(target, point)
        self.created += 1

    def _company_for(self, name: str, companies: dict[str, int]) -> _Target:
        folded = folding.fold(name)
        target = self._company.get(folded)
        if target is None:
            found = companies.get(folded)
            target = _Target("client", _Ref(found)) if found else self._new_client(name)
            self._company[folded] = target
        return target

    def _new_client(self, name: str) -> _Target:
        ref = _Ref()
        self._clients.append((ref, name))
        return _Target("client", ref)

    def _add_point(self, target: _Target, point: Point) -> None:
        key = (point.kind, point.normalized)
        self._taken.add(key)
        self._owner.setdefault(key, target)
        self._points.append((target, point))

    # --- writing -------------------------------------------------------------

    def _insert_ids(self, uow: UnitOfWork, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert and return the new ids in the order of ``rows``.

        A plain executemany, the ids read back by ``uid``: ordered RETURNING
        makes SQLAlchemy send SQLite one statement per row, five times slower.
        """
        if not rows:
            return []
        for row in rows:
            row["uid"] = new_uid()
        conn = uow.session.connection()
        conn.execute(insert(model), rows)
        ids: dict[str, int] = {}
        uids = [row["uid"] for row in rows]
        for chunk in _chunks(uids):
            ids.update(conn.execute(select(model.uid, model.id).where(model.uid.in_(chunk))).all())
        made = [ids[uid] for uid in uids]
        # On a laptop replica the new cards go into the change log (the
        # flush hook does not see a bulk insert); nothing on a plain database.
        change_log.record_bulk(uow.session, _SYNC_KIND[model], made, None)
        return made

    def _flush(self, uow: UnitOfWork) -> None:
        me = self.actor.id
        audit: list[dict[str, Any]] = []
        rows = [{"name": n, "owner_id": me, "import_id": self.run_id} for _r, n in self._clients]
        for (ref, name), new_id in zip(
            self._clients, self._insert_ids(uow, Client, rows), strict=True
        ):
            ref.id = new_id
            audit.append(_created("client", new_id, name, client_id=new_id))
        rows = [
            {"full_name": n, "position": p, "client_id": c.id, "import_id": self.run_id}
            for _r, c, n, p in self._contacts
        ]
        for (ref, client, name, _p), new_id in zip(
            self._contacts, self._insert_ids(uow, Contact, rows), strict=True
        ):
            ref.id = new_id
            audit.append(_created("contact", new_id, name, client_id=client.id, contact_id=new_id))
        rows = [
            {
                "kind": p.kind,
                "raw": p.raw,
                "normalized": p.normalized,
                "client_id": t.ref.id if t.kind == "client" else None,
                "contact_id": t.ref.id if t.kind == "contact" else None,
                "import_id": self.run_id,
            }
            for t, p in self._points
        ]
        for (target, point), new_id in zip(
            self._points, self._insert_ids(uow, ContactPoint, rows), strict=True
        ):
            scope = {"client_id": target.ref.id} if target.kind == "client" else {}
            if target.kind == "contact":
                scope = {"contact_id": target.ref.id, "client_id": _client_of(uow, target)}
            audit.append(_created("contact_point", new_id, point.raw, **scope))
        if audit:
            now = utcnow()
            for row in audit:
                row.update(at=now, user_id=me)
            uow.session.connection().execute(insert(AuditEntry), audit)
        self._clients, self._contacts, self._points = [], [], []

    def finish(self, uow: UnitOfWork) -> None:
        """The updates of cards that existed before: in the run's last transaction."""
        conn = uow.session.connection()
        filled: list[int] = []
        for ref, position in self._positions:
            filled.extend(
                conn.execute(
                    update(Contact)
                    .where(
                        Contact.id == ref.id,
                        or_(Contact.position.is_(None), Contact.position == ""),
                    )
                    .values(
                        position=position,
                        row_version=Contact.row_version + 1,
                        updated_at=utcnow(),
                    )
                    .returning(Contact.id)
                ).scalars()
            )
        change_log.record_bulk(uow.session, "contact", filled, ("position",))


_SYNC_KIND = {Client: "client", Contact: "contact", ContactPoint: "contact_point"}


def _client_of(uow: UnitOfWork, target: _Target) -> int | None:
    if target.client is not None:
        return target.client.id
    target.client = _Ref(
        uow.session.connection()
        .execute(select(Contact.client_id).where(Contact.id == target.ref.id))
        .scalar()
    )
    return target.client.id


def _created(kind: str, entity_id: int, label: str, **scope: int | None) -> dict[str, Any]:
    return {
        "entity_kind": kind,
        "entity_id": entity_id,
        "field": "created",
        "old": None,
        "new": label,
        "client_id": scope.get("client_id"),
        "lead_id": None,
        "deal_id": None,
        "contact_id": scope.get("contact_id"),
    }
