"""Deleting attached files no attachment names any more (the clean-up job).

Removing an attachment deletes its row only (attachment_removal.py): the
bytes are kept once per SHA-256 and may be named by other rows, on this
computer (``attachments/ab/abcd…`` in the data folder) and on a team server
(``attachment_blobs``). This job deletes what no row names, and never what
a row names or is about to name:

- **This computer's files.** A file is a candidate once it has not been
  written or used for ``GRACE`` (its modification time: an add of the same
  content, a download and an Undo renew it, ``attachment_files.renew``).
  Whether a row names it is asked of the database: the local rows on an
  embedded file or a laptop replica (a laptop's file that only a
  colleague's row on the server names is fetched again when opened there),
  every row on a team server (``tp_attachments_named``, which row-level
  security does not narrow). An unnamed candidate is first renamed aside
  and its time read again: an add that renewed it meanwhile (its row not
  committed yet) puts it back; an add that comes after the rename finds
  no file and writes it anew. Only then is it deleted.
- **The team server's blobs** (PostgreSQL): ``tp_attachment_sweep`` as the
  schema's owner (migration 0046) marks blobs no row names, and deletes
  those marked more than ``GRACE`` ago and still unnamed; an add claims
  the blob it relies on (``attachment_blobs.is_stored``), which keeps a
  sweep from deleting it under the add's feet.

Runs on the scheduler (services/jobs/registry.py, ``attachment_files``)
every ``EVERY`` per computer (its last pass is noted in the attachments
folder, not in the shared settings) and in ``run-due``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select, text

from models import Attachment
from services.core.paths import attachments_dir
from services.core.scheduler import ASAP
from services.core.storage import Database, UnitOfWork
from services.interactions.attachment_blobs import valid_digest

GRACE = dt.timedelta(hours=24)
EVERY = dt.timedelta(hours=6)
LAST_RUN = ".last-cleanup"  # in the attachments folder: when this computer last swept it
CHUNK = 500


@dataclasses.dataclass(frozen=True)
class CleanupReport:
    checked: int  # files of this computer old enough to be candidates
    removed: int  # of those, deleted: no attachment names them
    blobs_removed: int  # deleted on the team server (0 elsewhere)


def _stored_files() -> Iterator[Path]:
    """The data folder's stored files (``ab/abcd…``), nothing else in it."""
    root = attachments_dir()
    for folder in root.iterdir():
        if len(folder.name) != 2 or not folder.is_dir():
            continue
        for path in folder.iterdir():
            if valid_digest(path.name) and path.name.startswith(folder.name):
                yield path


def _mtime(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        return None


def _named(uow: UnitOfWork, digests: list[str]) -> set[str]:
    """Which of these hashes an attachment names (every row on a team server)."""
    found: set[str] = set()
    team = uow.session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(digests), CHUNK):
        chunk = digests[start : start + CHUNK]
        if team:
            rows = uow.session.scalars(
                text("SELECT tp_attachments_named(CAST(:d AS text[]))"), {"d": chunk}
            )
        else:
            rows = uow.session.scalars(
                select(Attachment.sha256).where(Attachment.sha256.in_(chunk)).distinct()
            )
        found.update(rows)
    return found


def _delete(path: Path, cutoff: dt.datetime) -> bool:
    """Delete an unnamed file unless an add renewed it meanwhile."""
    aside = path.with_name(f"{path.name}.{os.getpid()}.clean")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    when = _mtime(aside)
    if when is not None and when > cutoff:  # an add is writing its row: keep it
        os.replace(aside, path)
        return False
    aside.unlink(missing_ok=True)
    return True


def sweep_files(db: Database, now: dt.datetime, grace: dt.timedelta = GRACE) -> tuple[int, int]:
    """This computer's files no attachment names, older than ``grace``:
    (candidates checked, deleted)."""
    cutoff = now - grace
    old = {p.name: p for p in _stored_files() if (_mtime(p) or now) <= cutoff}
    if not old:
        return 0, 0
    with db.reader() as uow:
        named = _named(uow, sorted(old))
    removed = sum(_delete(path, cutoff) for name, path in old.items() if name not in named)
    return len(old), removed


def sweep_server(db: Database, grace: dt.timedelta = GRACE) -> int:
    """The team server's blobs no attachment names (0 on SQLite)."""
    if db.engine.dialect.name != "postgresql":
        return 0
    with db.uow() as uow:
        gone = uow.session.scalar(
            text("SELECT tp_attachment_sweep(:s)"), {"s": int(grace.total_seconds())}
        )
        uow.commit()
    return int(gone or 0)


def run(db: Database, now: dt.datetime) -> CleanupReport:
    """One pass of the job: the server's blobs, this computer's files."""
    blobs = sweep_server(db)
    checked, removed = sweep_files(db, now)
    (attachments_dir() / LAST_RUN).write_text(now.isoformat(), encoding="ascii")
    return CleanupReport(checked, removed, blobs)


def next_run() -> dt.datetime | None:
    """When this computer's next pass is due: ``EVERY`` after its last one
    (kept per computer, as the files are), at once before the first; None
    while the data folder holds no stored file (nothing to look at)."""
    if next(_stored_files(), None) is None:
        return None
    try:
        last = dt.datetime.fromisoformat(
            (attachments_dir() / LAST_RUN).read_text(encoding="ascii").strip()[:40]
        )
    except (OSError, ValueError, UnicodeDecodeError):
        return ASAP
    return last + EVERY if last.tzinfo is not None else ASAP
