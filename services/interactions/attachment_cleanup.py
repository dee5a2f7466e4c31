"""Deleting attached files no attachment names any more (the clean-up job).

Removing an attachment deletes its row only (attachment_removal.py): the
bytes are kept once per SHA-256 and may be named by other rows, on this
computer (``attachments/ab/abcd…`` in the data folder) and on a team server
(``attachment_blobs``). This job deletes what no row names, and never what
a row names or is about to name:

- **This computer's files.** Only files whose attachment was removed on
  this computer are looked at: the removal notes the digest in the
  folder's ``JOURNAL``. The data folder is shared by every database this
  user opens here (the embedded file, a laptop's replica, a demo or a
  ``--db`` file, a backup restored later), and the open one cannot see the
  others' rows: a file no removal here let go of is never deleted, and a
  noted one is kept while the open database or another database file of
  the data folder names it (an unreadable one counts as naming it). A
  candidate must also have gone unwritten and unused for ``FILE_GRACE``
  (its modification time: an add of the same content, a download and an
  Undo renew it), a month, so that a backup of the embedded file restored
  within it still finds its files. Whether a row names it is asked of the
  open database: its own rows on an embedded file or a laptop replica,
  every row on a team server (``tp_attachments_named``, which row-level
  security does not narrow). An unnamed candidate is first renamed aside
  and its time read again: an add that renewed it meanwhile (its row not
  committed yet) puts it back; an add that comes after the rename finds
  no file and writes it anew. Only then is it deleted.
- **The team server's blobs** (PostgreSQL): ``tp_attachment_sweep`` as the
  schema's owner (migration 0046) marks blobs no row names, and deletes
  those marked more than ``GRACE`` ago and still unnamed; an add claims
  the blob it relies on (``attachment_blobs.is_stored``), which keeps a
  sweep from deleting it under the add's feet. The server's own backup
  (pg_dump) holds its blobs with its rows.

- **Crash leftovers** in the attachments folder: a stored file's
  ``.part`` (a letter's attachment being written), ``.<pid>.download`` (a
  team server's file being fetched) and ``.<pid>.clean`` (a file set aside
  by this job) are renamed into place or deleted at once; one left by a
  crash is deleted once ``LEFTOVER_AGE`` has passed since it was last
  written or renamed (a running write or sweep renews that), at most
  ``LEFTOVER_MAX`` a pass.

Runs on the scheduler (services/jobs/registry.py, ``attachment_files``)
every ``EVERY`` per computer (its last pass is noted in the attachments
folder, not in the shared settings) while it holds stored files, and in
``run-due``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from models import Attachment
from services.core.paths import attachments_dir, data_folder_databases
from services.core.scheduler import ASAP
from services.core.storage import Database, UnitOfWork
from services.interactions.attachment_blobs import valid_digest

log = logging.getLogger(__name__)

GRACE = dt.timedelta(hours=24)  # the team server's unnamed blobs
FILE_GRACE = dt.timedelta(days=30)  # this computer's files (a restored backup's)
EVERY = dt.timedelta(hours=6)
LAST_RUN = ".last-cleanup"  # in the attachments folder: when this computer last swept it
JOURNAL = ".removed"  # in the attachments folder: digests whose row a removal here deleted
JOURNAL_MAX = 100_000  # lines read from it (the folder is the user's: bound what is read)
CHUNK = 500
LEFTOVER_AGE = dt.timedelta(days=1)  # a crash's half-written or set-aside file
LEFTOVER_MAX = 1000  # deleted a pass
LEFTOVER_ENDS = (".part", ".download", ".clean")


@dataclasses.dataclass(frozen=True)
class CleanupReport:
    checked: int  # removed files of this computer old enough to be candidates
    removed: int  # of those, deleted: no attachment names them
    blobs_removed: int  # deleted on the team server (0 elsewhere)
    leftovers: int = 0  # crash leftovers deleted (``.part``, ``.download``, ``.clean``)


def note_removed(*digests: str) -> None:
    """A removal here let go of these files (a removal on this computer, or
    one pulled from the team server): the clean-up may look at them."""
    lines = "".join(f"{d}\n" for d in digests if valid_digest(d))
    if lines:
        with open(attachments_dir() / JOURNAL, "a", encoding="ascii") as journal:
            journal.write(lines)


def _journaled() -> set[str]:
    try:
        with open(attachments_dir() / JOURNAL, encoding="ascii", errors="replace") as journal:
            lines = [line.strip() for _, line in zip(range(JOURNAL_MAX), journal, strict=False)]
    except FileNotFoundError:
        return set()
    return {line for line in lines if valid_digest(line)}


def _forget(handled: set[str]) -> None:
    """Drop handled digests from the journal, keeping what a removal noted
    meanwhile (read again just before the rename; one noted in between is
    lost, which only keeps its file)."""
    if not handled:
        return
    left = sorted(_journaled() - handled)
    path = attachments_dir() / JOURNAL
    fresh = path.with_name(f"{JOURNAL}.{os.getpid()}.tmp")
    fresh.write_text("".join(f"{d}\n" for d in left), encoding="ascii")
    os.replace(fresh, path)


def _stored_files() -> Iterator[Path]:
    """The data folder's stored files (``ab/abcd…``), nothing else in it."""
    root = attachments_dir()
    for folder in root.iterdir():
        if len(folder.name) != 2 or not folder.is_dir():
            continue
        for path in folder.iterdir():
            if valid_digest(path.name) and path.name.startswith(folder.name):
                yield path


def _file(sha256: str) -> Path:
    return attachments_dir() / sha256[:2] / sha256


def _mtime(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        return None


def _leftover(folder: Path, name: str) -> bool:
    """``<digest>.part``, ``<digest>.<pid>.download``, ``<digest>.<pid>.clean``
    of this folder's stored files, nothing else."""
    digest, dot, rest = name.partition(".")
    if not dot or not valid_digest(digest) or not digest.startswith(folder.name):
        return False
    if rest == "part":
        return True
    pid, dot, end = rest.partition(".")
    return bool(dot) and pid.isdigit() and f".{end}" in LEFTOVER_ENDS[1:]


def sweep_leftovers(now: dt.datetime, age: dt.timedelta = LEFTOVER_AGE) -> int:
    """Delete crash leftovers untouched for ``age`` (the later of their
    modification and status change: a rename aside is a change), at most
    ``LEFTOVER_MAX``; how many went."""
    cutoff = (now - age).timestamp()
    gone = 0
    root = attachments_dir()
    for folder in root.iterdir():
        if len(folder.name) != 2 or not folder.is_dir():
            continue
        for path in folder.iterdir():
            if gone >= LEFTOVER_MAX:
                return gone
            if not path.name.endswith(LEFTOVER_ENDS) or not _leftover(folder, path.name):
                continue
            try:
                found = path.lstat()
                if max(found.st_mtime, found.st_ctime) > cutoff or not path.is_file():
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            gone += 1
    return gone


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


def _open_file(db: Database) -> Path | None:
    url = make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve()


def _named_elsewhere(db: Database, digests: list[str]) -> set[str]:
    """Which of these hashes the data folder's other database files name
    (read-only; a file that cannot be read names them all)."""
    found: set[str] = set()
    mine = _open_file(db)
    table = Attachment.__tablename__
    for path in data_folder_databases():
        if not digests or not path.exists() or path.resolve() == mine:
            continue
        try:
            with contextlib.closing(
                sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            ) as con:
                for start in range(0, len(digests), CHUNK):
                    chunk = digests[start : start + CHUNK]
                    marks = ",".join("?" * len(chunk))
                    found.update(
                        row[0]
                        for row in con.execute(
                            f"SELECT DISTINCT sha256 FROM {table} WHERE sha256 IN ({marks})",
                            chunk,
                        )
                    )
        except sqlite3.Error as exc:
            log.warning("attachment clean-up: %s not readable (%s): its files kept", path, exc)
            return set(digests)
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


def sweep_files(
    db: Database, now: dt.datetime, grace: dt.timedelta = FILE_GRACE
) -> tuple[int, int]:
    """This computer's files a removal here let go of, older than ``grace``
    and named by no row: (candidates checked, deleted)."""
    cutoff = now - grace
    times = {d: _mtime(_file(d)) for d in _journaled()}
    gone = {d for d, when in times.items() if when is None}  # nothing left to delete
    old = {d for d, when in times.items() if when is not None and when <= cutoff}
    removed: set[str] = set()
    named: set[str] = set()
    if old:
        with db.reader() as uow:
            named = _named(uow, sorted(old))
        named |= _named_elsewhere(db, sorted(old - named))
        removed = {d for d in sorted(old - named) if _delete(_file(d), cutoff)}
    _forget(gone | named | removed)  # the young and the renewed stay noted
    return len(old), len(removed)


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
    leftovers = sweep_leftovers(now)
    (attachments_dir() / LAST_RUN).write_text(now.isoformat(), encoding="ascii")
    return CleanupReport(checked, removed, blobs, leftovers)


def next_run() -> dt.datetime | None:
    """When this computer's next pass is due: ``EVERY`` after its last one
    (kept per computer, as the files are), at once before the first; None
    while the data folder holds no stored file (nothing to look at here, and
    a computer without files has no team server's blobs to sweep either)."""
    if next(_stored_files(), None) is None:
        return None
    try:
        last = dt.datetime.fromisoformat(
            (attachments_dir() / LAST_RUN).read_text(encoding="ascii").strip()[:40]
        )
    except (OSError, ValueError, UnicodeDecodeError):
        return ASAP
    return last + EVERY if last.tzinfo is not None else ASAP
