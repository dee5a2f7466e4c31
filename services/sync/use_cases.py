"""A laptop replica's user actions: make one, see where it stands
(docs/offline-sync.md). ``sync``, ``conflicts`` and ``resolve`` join them
here (push side).

The server is the team PostgreSQL reached with the user's own login; its
password lives in the OS keyring only (services/core/server.py reads it
when the connection opens), never in ``sync_state``, settings or logs.
"""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Collection
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from models import SyncConflict, SyncLog
from services.core import migrations, server
from services.core.access import Actor
from services.core.changes import Outcome
from services.core.errors import UserError, ValidationError
from services.core.paths import REPLICA_FILE, data_dir
from services.core.storage import Database, database_errors, open_database
from services.sync import conflicts as kept
from services.sync import file_prefetch, schema, state
from services.sync import push as pushing
from services.sync.copying import Watch
from services.sync.pull import DEFAULT_BATCH, pull
from services.sync.types import ConflictView, ReplicaStatus, SyncReport

NODE_ALPHABET = string.ascii_lowercase + string.digits
NODE_LENGTH = 12


def default_replica_path() -> Path:
    """The replica's file in the app data folder."""
    return data_dir() / REPLICA_FILE


def server_url_for(server_url: str, login: str) -> str:
    """The team server's URL for ``login``, without any password in it."""
    try:
        url = make_url(server_url.strip())
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() != "postgresql":
        raise ValidationError(
            "The server is a team PostgreSQL database (postgresql://host/database)",
            "server_url",
            code="sync.server_not_postgres",
        )
    login = login.strip()
    if not login or len(login) > 100:
        raise ValidationError("A login is needed", "login", code="sync.login_needed")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    # Made anew: URL.set(password=None) leaves a typed password in place.
    bare = URL.create(url.drivername, login, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def _typed_password(server_url: str) -> str | None:
    """A password written into the server's URL (``postgresql://anna:secret@…``,
    as psql users write it): handled like ``--password-stdin``'s."""
    try:
        return make_url(server_url.strip()).password or None
    except ArgumentError:
        return None


def open_server(replica: Database) -> Database:
    """The team server as this replica's login (password from the keyring)."""
    with replica.reader() as uow:
        saved = state.read(uow.session)
    if "server_url" not in saved:
        raise UserError("This database is not a replica", code="sync.not_a_replica")
    db = open_database(saved["server_url"], upgrade=False)
    try:  # the pool keeps this connection for the sync that follows
        with db.engine.connect():
            pass
    except DBAPIError as exc:
        db.dispose()
        raise server.refusal(exc) from None
    return db


def _replica_url(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def init_replica(
    path_or_url: str | Path,
    server_url: str,
    login: str,
    *,
    password: str | None = None,
    batch: int = DEFAULT_BATCH,
    watch: Watch | None = None,
) -> ReplicaStatus:
    """A new replica file at the newest schema, seeded with everything the
    login may see on the server (a full pull). ``password``, if given, goes
    to the keyring for the next connections; it is stored nowhere else.
    Running it again on the same file resumes the seed. ``watch`` reports
    the copy's progress and stops it between batches (``CopyCancelled``)."""
    url = server_url_for(server_url, login)
    password = password or _typed_password(server_url)
    replica_url = _replica_url(path_or_url)
    if not replica_url.startswith("sqlite"):
        raise ValidationError(
            "A replica is an SQLite file on this computer", "path", code="sync.replica_not_sqlite"
        )

    # Tried before it is kept: a mistyped password never replaces the
    # keyring's, and a refusal (no password in the keyring either) is a
    # sentence, not a driver error.
    server.probe(url, password)
    if password:
        server.save_password(url, password)
    with database_errors():
        server_db = open_database(url, upgrade=False)
    try:
        with database_errors():
            server_rev = migrations.current_revision(server_db.engine)
        if server_rev != migrations.head_revision():
            raise UserError(
                f"The server's schema is at revision {server_rev}, this program's at "
                f"{migrations.head_revision()}: update the one that is behind first",
                code="sync.schema_mismatch",
                params={"server": str(server_rev), "local": str(migrations.head_revision())},
            )
        replica = open_database(replica_url)
        try:
            with replica.uow() as uow:
                saved = state.read(uow.session)
                if saved.get("server_url") not in (None, url):
                    raise UserError(
                        "This file is already a replica of another server",
                        code="sync.other_server",
                    )
                if "node" not in saved:
                    node = "".join(secrets.choice(NODE_ALPHABET) for _ in range(NODE_LENGTH))
                    state.put(uow.session, "node", node)
                    state.put(uow.session, "cursor", "0")
                state.put(uow.session, "server_url", url)
                state.put(uow.session, "login", login.strip())
                state.put(uow.session, "schema_rev", str(server_rev))
                uow.commit()
            pull(replica, server_db, batch=batch, watch=watch)
            file_prefetch.prefetch(replica, server_db)
            return status(replica)
        finally:
            replica.dispose()
    finally:
        server_db.dispose()


def status(db: Database) -> ReplicaStatus:
    """Where this database stands; never touches the network."""
    with db.reader() as uow:
        s = uow.session
        saved = state.read(s)
        # Actions, as a sync pushes and refuses them, not their field rows.
        counts = {
            row_state: n
            for row_state, n in s.execute(
                select(SyncLog.state, func.count(SyncLog.op_uid.distinct())).group_by(SyncLog.state)
            )
        }
        conflicts = s.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        )
    times = [t for t in (saved.get("last_push_at"), saved.get("last_pull_at")) if t]
    return ReplicaStatus(
        is_replica="node" in saved,
        server_url=saved.get("server_url"),
        login=saved.get("login"),
        online=None,
        last_sync_at=state.moment(max(times)) if times else None,
        pending=int(counts.get("pending", 0)),
        refused=int(counts.get("refused", 0)),
        conflicts=int(conflicts or 0),
        node=saved.get("node"),
    )


def sync(
    replica_db: Database, server_db: Database, *, only: Collection[str] | None = None
) -> SyncReport:
    """Push what the laptop changed, then pull what the server holds: the
    pull also brings back the server's verdict on every pushed field.
    ``only``: push just these actions, the others stay pending."""
    started = time.monotonic()
    schema.check(replica_db, server_db)
    pushed = pushing.push(replica_db, server_db, only=only)
    pulled = pull(replica_db, server_db)
    # The newest attachments' files, within a bound; older ones come when opened.
    file_prefetch.prefetch(replica_db, server_db)
    return SyncReport(
        pushed=pushed.pushed,
        refused=pushed.refusals,
        pulled=pulled,
        conflicts=pushed.conflicts,
        clamped=pushed.clamped,
        duration_s=time.monotonic() - started,
    )


def conflicts(
    db: Database, actor: Actor | None = None, *, kind: str | None = None, uid: str | None = None
) -> list[ConflictView]:
    """Unresolved conflicts the actor may see, of one record when ``kind``
    and ``uid`` are given."""
    return kept.conflicts(db, actor, kind=kind, uid=uid)


def resolve_conflict(
    db: Database, actor: Actor, conflict_id: int, choice: str
) -> Outcome[ConflictView | None]:
    """Keep "mine" or "theirs": an ordinary edit with a new clock."""
    return kept.resolve_conflict(db, actor, conflict_id, choice)
