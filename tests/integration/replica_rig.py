"""Two laptops and a team server on the real PostgreSQL, for the sync tests.

Anna (a manager) and Gleb (head of her department, who sees her clients)
each have a laptop replica; Alla (an administrator) and Boris (a manager of
another department) work on the server directly. Anna owns the client the
tests edit, so all three copies hold it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from models import Contact, Interaction, interaction_contacts
from models.sync import SyncClock, SyncConflict, SyncLog
from services.core.access import Actor
from services.core.bootstrap import actor_for
from services.core.storage import Database, open_database
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync import links, tables
from services.sync.use_cases import init_replica, sync
from tests.integration.team_rls_helpers import TeamDb

CLIENT = "ООО «Ромашка»"
IVAN = "Иван Петров"  # the contact person on the client
LAPTOP_PEOPLE = ("anna", "head")


@dataclasses.dataclass
class Rig:
    tdb: TeamDb
    server: dict[str, Database]  # who -> the server as that login
    laptop: dict[str, Database]  # who -> their replica
    client_uid: str

    def actor(self, who: str) -> Actor:
        with self.server[who].reader() as uow:
            return actor_for(uow, self.tdb.logins[who])

    def local_actor(self, who: str) -> Actor:
        with self.laptop[who].reader() as uow:
            return actor_for(uow, self.tdb.logins[who])

    def own_db(self, who: str) -> Database:
        """Where ``who`` works: their laptop if they have one, else the server."""
        return self.laptop.get(who) or self.server[who]

    def own_actor(self, who: str) -> Actor:
        """``who`` as ``own_db`` knows them."""
        return self.local_actor(who) if who in self.laptop else self.actor(who)

    def local_id(self, who: str, kind: str, uid: str) -> int:
        db = self.laptop[who] if who in self.laptop else self.server[who]
        with db.reader() as uow:
            found = tables.Translator(uow.session).local_id(kind, uid)
        assert found is not None, (who, kind, uid)
        return found

    def rival_addresses(self) -> int:
        """Anna's laptop and the admin on the server give the shared client
        different addresses: a conflict at Anna's next sync. Anna's local id."""
        client = self.local_id("anna", "client", self.client_uid)
        edit_cases.edit_client(
            self.laptop["anna"], self.local_actor("anna"), client, address="Казань, ул. Пушкина, 5"
        )
        edit_cases.edit_client(
            self.server["admin"],
            self.actor("admin"),
            self.local_id("admin", "client", self.client_uid),
            address="Москва, Тверская, 1",
        )
        return client

    def dispose(self) -> None:
        for db in (*self.server.values(), *self.laptop.values()):
            db.dispose()


def make_rig(tdb: TeamDb, folder: Path) -> Rig:
    server = {
        who: open_database(tdb.url_of(who), upgrade=False)
        for who in ("anna", "head", "admin", "boris")
    }
    with server["anna"].reader() as uow:
        anna = actor_for(uow, tdb.logins["anna"])
    made = parties.add_client(
        server["anna"],
        anna,
        CLIENT,
        address="Казань, ул. Баумана, 1",
        region="RU",
    ).value
    # (add_client with phones links history, which writes a setting a
    # manager's login may not write on a team database: added without.)
    parties.add_point(
        server["anna"], anna, "phone", "+7 843 123-45-67", "client", made.id, link=False
    )
    parties.add_contact(server["anna"], anna, IVAN, client_id=made.id, position="Бухгалтер")
    with server["anna"].reader() as uow:
        uid = uow.session.scalar(
            select(tables.KINDS["client"].model.uid).where(
                tables.KINDS["client"].model.id == made.id
            )
        )
    assert uid is not None
    laptop: dict[str, Database] = {}
    for who in LAPTOP_PEOPLE:
        path = folder / f"{who}.sqlite3"
        init_replica(path, tdb.url_of(who), tdb.logins[who])
        laptop[who] = open_database(f"sqlite:///{path}")
    return Rig(tdb, server, laptop, uid)


def sync_all(rig: Rig) -> None:
    """Two rounds of every laptop's sync, none of them refused: the second
    brings each laptop what the other pushed in the first."""
    for _ in range(2):
        for who in rig.laptop:
            report = sync(rig.laptop[who], rig.server[who])
            assert not report.refused, report.refused


def assert_converged(rig: Rig) -> None:
    """Each laptop holds what its user sees on the server, field for field."""
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


def contact_id(db: Database, name: str) -> int:
    with db.reader() as uow:
        found = uow.session.scalar(select(Contact.id).where(Contact.full_name == name))
    assert found is not None, name
    return found


def persons(db: Database, uid: str) -> set[str]:
    """The contact persons of the interaction ``uid`` in this database, by name."""
    ic = interaction_contacts.c
    with db.reader() as uow:
        return set(
            uow.session.scalars(
                select(Contact.full_name)
                .join(interaction_contacts, ic.contact_id == Contact.id)
                .join(Interaction, Interaction.id == ic.interaction_id)
                .where(Interaction.uid == uid)
            )
        )


def move_contact_to_boris(rig: Rig, name: str) -> None:
    """The administrator moves the contact person to a new client of Boris's
    department, which Anna does not see."""
    with rig.server["boris"].reader() as uow:
        boris = uow.session.scalar(text("SELECT tp_me()"))
    theirs = parties.add_client(
        rig.server["admin"], rig.actor("admin"), "АО «Северный ветер»", owner_id=boris
    ).value
    with rig.server["admin"].uow() as uow:
        uow.session.execute(
            text("UPDATE contacts SET client_id = :c WHERE full_name = :n"),
            {"c": theirs.id, "n": name},
        )
        uow.commit()


def snapshot(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    """Every synced record this database holds (what its login may see), by uid."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with db.reader() as uow:
        tr = tables.Translator(uow.session)
        for kind in tables.synced_kinds("both"):
            if kind.kind == "email_template":
                continue
            for row in uow.session.scalars(select(kind.model)):
                uid = tr.record_uid(kind.kind, row)
                assert uid is not None
                values = tables.encode(uow.session, kind.kind, row, tr)
                values.pop("created_at", None)
                out[(kind.kind, uid)] = values
        for link in tables.LINKS.values():
            for row in uow.session.execute(select(link.table)).mappings():
                uid = links.uid_of(tr, link, row[link.owner], row[link.other])
                assert uid is not None
                out[(link.kind, uid)] = {}
    return out


def clocks(db: Database) -> dict[tuple[str, str, str], str]:
    with db.reader() as uow:
        return {
            (r.kind, r.uid, r.field): r.hlc
            for r in uow.session.execute(
                select(SyncClock.kind, SyncClock.uid, SyncClock.field, SyncClock.hlc)
            )
        }


def conflict_keys(db: Database) -> list[tuple[str, str, str]]:
    with db.reader() as uow:
        return sorted(
            (r.kind, r.uid, r.field)
            for r in uow.session.execute(
                select(SyncConflict.kind, SyncConflict.uid, SyncConflict.field).where(
                    SyncConflict.resolved_at.is_(None)
                )
            )
        )


def log_rows(db: Database) -> list[dict[str, Any]]:
    with db.reader() as uow:
        return [
            {
                "seq": r.seq,
                "op": r.op_uid,
                "kind": r.kind,
                "uid": r.uid,
                "field": r.field,
                "value": json.loads(r.value) if r.value else None,
                "base": r.base,
                "hlc": r.hlc,
                "state": r.state,
                "reason": r.reason,
            }
            for r in uow.session.scalars(select(SyncLog).order_by(SyncLog.seq))
        ]
