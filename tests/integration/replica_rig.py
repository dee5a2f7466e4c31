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

from sqlalchemy import select

from models.sync import SyncClock, SyncConflict, SyncLog
from services.core.access import Actor
from services.core.bootstrap import actor_for
from services.core.storage import Database, open_database
from services.parties import use_cases as parties
from services.sync import links, tables
from services.sync.use_cases import init_replica
from tests.integration.team_rls_helpers import TeamDb

CLIENT = "ООО «Ромашка»"
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

    def local_id(self, who: str, kind: str, uid: str) -> int:
        db = self.laptop[who] if who in self.laptop else self.server[who]
        with db.reader() as uow:
            found = tables.Translator(uow.session).local_id(kind, uid)
        assert found is not None, (who, kind, uid)
        return found

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
    parties.add_contact(
        server["anna"], anna, "Иван Петров", client_id=made.id, position="Бухгалтер"
    )
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
