"""Clients and leads that left the user's view leave the replica.

A transfer to a colleague, a share withdrawn or a deputy's time ended make
row-level security hide a card on the server without changing its row, so
no numbered change ever says so. After every pull the replica compares the
uids of the clients and leads it holds with those the login sees now;
one the server no longer shows, and that is not waiting to be pushed as
new, is removed here with everything under it (services/sync/removal.py).
It costs one uid list per kind per pull. This replaces the
``sync_visibility`` table sketched in docs/offline-sync.md.
"""

from __future__ import annotations

from sqlalchemy import select

from models import Client, Lead, SyncLog
from services.core.storage import Database
from services.sync.removal import remove

PARTIES = (("client", Client), ("lead", Lead))


def drop_hidden(replica: Database, server: Database) -> int:
    with server.reader() as uow:
        seen = {
            kind: set(uow.session.execute(select(model.uid)).scalars()) for kind, model in PARTIES
        }
    from services.sync.pull import APPLYING

    removed = 0
    with replica.uow() as uow:
        session = uow.session
        session.info[APPLYING] = True
        for kind, model in PARTIES:
            waiting = set(
                session.execute(
                    select(SyncLog.uid).where(SyncLog.kind == kind, SyncLog.state == "pending")
                ).scalars()
            )
            gone = [
                local_id
                for local_id, uid in session.execute(select(model.id, model.uid))
                if uid not in seen[kind] and uid not in waiting
            ]
            removed += remove(session, model.__tablename__, gone)
        uow.commit()
    return removed
