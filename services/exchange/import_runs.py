"""Import runs: a long import commits in batches yet stays all or nothing.

Each batch is its own short write transaction, so the app, the CLI and
backups get in between; every row a batch creates carries the run's id.
A run that fails is undone by deleting those rows, and so is one whose
process died half-way (found on the next import from this computer).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import DBAPIError

from models import AuditEntry, Client, Contact, ContactPoint, ImportRun
from models.base import utcnow
from services.core import start_checks
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork

log = logging.getLogger(__name__)

# Without a safe "is this process alive" test (Windows), a run this old is dead.
STALE_AFTER = dt.timedelta(hours=12)


def _host() -> str:
    return socket.gethostname()[:255]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate it on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(db: Database) -> int:
    """Undo the runs whose process died half-way; how many there were.

    Called on every start (one read when there is nothing to do) and before
    each import, so a killed import leaves nothing behind for long.
    """
    with db.read_connection() as conn:
        running = start_checks.running_imports(conn)
    now = utcnow()
    undone = 0
    for run_id, pid, host, started in running:
        dead = (host == _host() and not _alive(pid)) or now - started > STALE_AFTER
        if not dead:
            continue
        log.warning("undoing import run %s left by a process that stopped", run_id)
        try:
            undo(db, run_id)
        except (DBAPIError, UserError):
            # Say so and go on: a start must not fail over an import's leftovers
            # (a colleague may already have added a note to an imported client).
            log.exception("import run %s could not be undone; its rows stay", run_id)
            continue
        undone += 1
    return undone


def start(db: Database, actor: Actor, source: str) -> int:
    """Undo runs left by dead processes, then open a new run."""
    sweep(db)
    now = utcnow()
    with db.uow(actor.id) as uow:
        run_id = uow.session.execute(
            insert(ImportRun)
            .values(
                user_id=actor.id,
                source=source[:300],
                state="running",
                pid=os.getpid(),
                host=_host(),
                started_at=now,
            )
            .returning(ImportRun.id)
        ).scalar_one()
        uow.commit()
    return int(run_id)


def finish(uow: UnitOfWork, run_id: int) -> None:
    """Mark the run done, in the caller's last transaction."""
    uow.session.execute(
        update(ImportRun).where(ImportRun.id == run_id).values(state="done", finished_at=utcnow())
    )


def undo(db: Database, run_id: int) -> None:
    """Delete every row the run created, and the run: as if it never started."""
    with db.uow() as uow:
        conn = uow.session.connection()
        clients = select(Client.id).where(Client.import_id == run_id)
        contacts = select(Contact.id).where(Contact.import_id == run_id)
        points = select(ContactPoint.id).where(ContactPoint.import_id == run_id)
        a = AuditEntry
        conn.execute(
            delete(a).where(
                or_(
                    a.client_id.in_(clients),
                    a.contact_id.in_(contacts),
                    (a.entity_kind == "client") & a.entity_id.in_(clients),
                    (a.entity_kind == "contact") & a.entity_id.in_(contacts),
                    (a.entity_kind == "contact_point") & a.entity_id.in_(points),
                )
            )
        )
        conn.execute(delete(ContactPoint).where(ContactPoint.import_id == run_id))
        conn.execute(delete(Contact).where(Contact.import_id == run_id))
        conn.execute(delete(Client).where(Client.import_id == run_id))
        conn.execute(delete(ImportRun).where(ImportRun.id == run_id))
        uow.commit()
