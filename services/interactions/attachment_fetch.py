"""Opening an attachment whose file this machine does not have yet.

On a team database a colleague's attachment names a file stored on their
computer; on a laptop replica a pulled attachment names one stored on the
server. Its bytes are on the team server by hash (attachment_blobs.py), so
"Open" and "Save as…" first fetch a missing file into this machine's data
folder, then copy it as before (attachment_files.py). The fetch runs where
the copy runs, on a worker lane, never on the GUI thread; it reads under
the user's own login, so row-level security decides which files they may
fetch, and the bytes are checked against the attachment's hash and size
before they are used. Files are fetched when opened, not with every pull:
a team's files can be many gigabytes, and a laptop needs the few it opens.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database, open_database
from services.interactions import attachment_blobs, attachment_files
from services.interactions.attachments import AttachmentView

log = logging.getLogger(__name__)


def _server_url(db: Database) -> str | None:
    """The team server a laptop replica syncs with; None elsewhere."""
    from services.sync import state

    with db.reader() as uow:
        return state.read(uow.session).get("server_url")


def fetch_missing(db: Database, view: AttachmentView) -> bool:
    """Bring the attachment's file here if it is missing and a team server
    has it; True when it was fetched. A plain database has nowhere to fetch
    from: the copy then says the file is missing, as it always did."""
    if Path(view.path).exists() or not attachment_blobs.valid_digest(view.sha256):
        return False
    if db.engine.dialect.name == "postgresql":
        _download(db, view)
        return True
    url = _server_url(db)
    if url is None:
        return False
    try:
        server = open_database(url, upgrade=False)
    except UserError as exc:
        raise _offline(view, exc) from exc
    try:
        _download(server, view)
    finally:
        server.dispose()
    return True


def _download(server: Database, view: AttachmentView) -> None:
    try:
        with server.engine.connect() as conn, conn.begin():
            attachment_blobs.download(conn, view.sha256, view.size, view.filename)
    except OperationalError as exc:
        raise _offline(view, exc) from exc


def _offline(view: AttachmentView, exc: BaseException) -> EnvironmentFault:
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
    return EnvironmentFault(
        f"The file {view.filename} is not on this computer and the server cannot be "
        f"reached ({reason}); try again when it is online",
        code="interactions.attachment_fetch.offline",
        params={"name": view.filename, "reason": reason},
    )


def share_if_missing(db: Database, view: AttachmentView) -> bool:
    """On a team database, send a file this machine has and the server lacks
    (attached before the server kept files, or while it was missing here);
    True when sent. Never in the way of opening: a failure is only logged."""
    if db.engine.dialect.name != "postgresql" or not Path(view.path).exists():
        return False
    if not attachment_blobs.valid_digest(view.sha256):
        return False
    try:
        with db.engine.connect() as conn, conn.begin():
            return attachment_blobs.share(conn, view.sha256, view.size, view.filename)
    except (UserError, DBAPIError) as exc:
        log.info("attachment %s not shared on opening: %s", view.sha256[:12], exc)
        return False


def copy_for_opening(db: Database, view: AttachmentView, root: str | Path | None = None) -> Path:
    """``attachment_files.copy_for_opening``, fetching the file first when
    this machine lacks it (and sending it when the team server lacks it)."""
    if not fetch_missing(db, view):
        share_if_missing(db, view)
    return attachment_files.copy_for_opening(view, root)


def save_copy(db: Database, view: AttachmentView, destination: str | Path) -> Path:
    if not fetch_missing(db, view):
        share_if_missing(db, view)
    return attachment_files.save_copy(view, destination)
