"""After a pull, the newest attachments' files come down too, up to a bound.

A pull brings attachment rows, not their bytes. Fetching every file would
copy a team's whole archive (gigabytes) onto each laptop; fetching none
would leave a manager who syncs and drives off unable to open the contract
a colleague attached an hour ago. So each sync fetches the files of the
newest attachments this laptop lacks, newest first, until ``PREFETCH_BYTES``
or ``PREFETCH_FILES``; anything older or beyond the bound is fetched when
opened (services/interactions/attachment_fetch.py), which says so clearly
when the server cannot be reached. Every file is checked against its hash
and size before it is kept (attachment_blobs.download).

A file the server does not hold (the computer that attached it never sent
it) or whose server copy is damaged is skipped here and reported when the
user opens it; a lost connection ends the prefetch quietly, the rows are
already in.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from models import Attachment
from services.core.errors import EnvironmentFault, ValidationError
from services.core.paths import attachments_dir
from services.core.storage import Database
from services.interactions import attachment_blobs
from services.interactions.attachments import MAX_FILE_BYTES

PREFETCH_BYTES = 100 * 1024 * 1024
PREFETCH_FILES = 200
LOOK_AT = 2000  # the newest attachments considered per sync

log = logging.getLogger(__name__)


def missing(
    replica: Database, *, budget_bytes: int = PREFETCH_BYTES, max_files: int = PREFETCH_FILES
) -> list[tuple[str, int, str]]:
    """(sha256, size, name) of the newest files this laptop lacks, within the bound."""
    with replica.reader() as uow:
        rows = uow.session.execute(
            select(Attachment.sha256, Attachment.size, Attachment.filename)
            .order_by(Attachment.created_at.desc(), Attachment.id.desc())
            .limit(LOOK_AT)
        ).all()
    folder = attachments_dir()
    wanted: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    total = 0
    for sha256, size, name in rows:
        if sha256 in seen or not attachment_blobs.valid_digest(sha256):
            continue
        seen.add(sha256)
        if not 0 <= size <= MAX_FILE_BYTES or total + size > budget_bytes:
            continue
        if (folder / sha256[:2] / sha256).exists():
            continue
        wanted.append((sha256, size, name))
        total += size
        if len(wanted) >= max_files:
            break
    return wanted


def prefetch(
    replica: Database,
    server: Database,
    *,
    budget_bytes: int = PREFETCH_BYTES,
    max_files: int = PREFETCH_FILES,
) -> int:
    """Fetch the newest missing files within the bound; how many came."""
    wanted = missing(replica, budget_bytes=budget_bytes, max_files=max_files)
    if not wanted:
        return 0
    fetched = 0
    try:
        with server.engine.connect() as conn:
            for sha256, size, name in wanted:
                try:
                    with conn.begin():
                        attachment_blobs.download(conn, sha256, size, name)
                except ValidationError as exc:  # not sent yet, or damaged: said on opening
                    log.info("attachment %s not prefetched: %s", sha256[:12], exc)
                    continue
                fetched += 1
    except (OperationalError, EnvironmentFault) as exc:
        log.info("attachment prefetch stopped: %s", exc)
    return fetched
