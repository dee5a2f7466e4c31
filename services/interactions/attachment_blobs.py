"""The bytes of attached files on a team PostgreSQL, named by their SHA-256.

An attachment row names its file by hash and size; the file itself sits in
the data folder of the machine that stored it (``attachments/ab/abcd…``,
the same relative path on every machine). On a team database every machine
sees the row, so the bytes go to the server too (``attachment_blobs`` and
its 1 MB ``attachment_blob_parts``, migration 0032), in the transaction
that writes the row: a colleague, an administrator on another computer or
a laptop replica fetches the file it lacks by hash into its own data folder.

Both directions treat the other side as hostile: an upload reads only a
regular file of the row's size and checks its hash while it streams (the
server's trigger checks again); a download writes beside the target,
stops at the announced size, checks size and hash, and only then moves the
file into place. Neither side holds more than one part in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session, sessionmaker

from models.notes import BLOB_PART_BYTES, MAX_BLOB_BYTES, Attachment
from services.core.errors import EnvironmentFault, ValidationError
from services.core.paths import attachments_dir
from services.interactions.attachment_files import changed, open_stored

HEX = frozenset("0123456789abcdef")
log = logging.getLogger(__name__)


def relative_path(sha256: str) -> str:
    """Where a file with this hash lives under the data folder (as
    ``attachment_files.save_attachment`` writes it), on every machine."""
    return f"attachments/{sha256[:2]}/{sha256}"


def stored_path(sha256: str) -> Path:
    folder = attachments_dir() / sha256[:2]
    folder.mkdir(parents=True, exist_ok=True)
    return folder / sha256


def valid_digest(sha256: object) -> bool:
    return isinstance(sha256, str) and len(sha256) == 64 and set(sha256) <= HEX


def _shares(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def is_stored(conn: Connection, sha256: str) -> bool:
    """Whether the server holds these bytes complete (whoever attached them),
    claimed for the caller's transaction: the clean-up's sweep cannot delete
    them before the row that names them commits (migration 0046)."""
    return bool(conn.scalar(text("SELECT tp_blob_claim(:sha)"), {"sha": sha256}))


def upload(conn: Connection, sha256: str, size: int, name: str, source: Path | None = None) -> bool:
    """Put the file's bytes on the team server unless they are there; False
    when there is nothing to do (not PostgreSQL, or stored already).

    Runs in the caller's transaction: the blob commits with the attachment
    row that names it, or neither does."""
    if not _shares(conn) or size > MAX_BLOB_BYTES or is_stored(conn, sha256):
        return False  # a letter's file over the limit (an account's own) stays local
    path = source or stored_path(sha256)
    # Parts of an upload that never finished (committed without their blob
    # row by another program) would collide with this one's.
    conn.execute(text("DELETE FROM attachment_blob_parts WHERE sha256 = :sha"), {"sha": sha256})
    digest = hashlib.sha256()
    sent = parts = 0
    with open_stored(path, name) as handle:
        if os.fstat(handle.fileno()).st_size != size:
            raise changed(name)
        while chunk := handle.read(BLOB_PART_BYTES):
            sent += len(chunk)
            if sent > size:
                raise changed(name)
            digest.update(chunk)
            conn.execute(
                text(
                    "INSERT INTO attachment_blob_parts (sha256, part, content) "
                    "VALUES (:sha, :part, :content) ON CONFLICT DO NOTHING"
                ),
                {"sha": sha256, "part": parts, "content": chunk},
            )
            parts += 1
    if sent != size or digest.hexdigest() != sha256:
        raise changed(name)
    conn.execute(
        text(
            "INSERT INTO attachment_blobs (sha256, size, parts, created_at) "
            "VALUES (:sha, :size, :parts, now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING"
        ),
        {"sha": sha256, "size": size, "parts": parts},
    )
    return True


def share(conn: Connection, sha256: str, size: int, name: str) -> bool:
    """``upload`` where the row is saved whatever becomes of its file: a file
    no longer in this data folder, or no longer the one the row names, is not
    sent (the row still is; "Open" elsewhere then says the server lacks it),
    and nothing of a half-sent file stays in the transaction."""
    if not _shares(conn):
        return False
    try:
        with conn.begin_nested():
            return upload(conn, sha256, size, name)
    except (ValidationError, EnvironmentFault) as exc:
        log.warning("attachment %s not sent to the server: %s", sha256[:12], exc)
        return False


def upload_rows(session: Session, rows: Iterable[tuple[str, int, str]]) -> None:
    """``share`` for (sha256, size, file name) of rows a bulk insert wrote."""
    conn = session.connection()
    if not _shares(conn):
        return
    for sha256, size, name in dict.fromkeys(rows):
        share(conn, sha256, size, name)


def download(conn: Connection, sha256: str, size: int, name: str) -> Path:
    """The file with this hash from the server into this machine's data
    folder; refused (nothing written) when the server's bytes are not the
    ones the attachment names."""
    if not valid_digest(sha256) or not 0 <= size <= MAX_BLOB_BYTES:
        raise _tampered(name)
    found = conn.execute(
        text("SELECT size, parts FROM attachment_blobs WHERE sha256 = :sha"), {"sha": sha256}
    ).first()
    if found is None:
        raise ValidationError(
            f"The file {name} is not on the server or not yours to see; "
            "the computer that attached it may not have sent it yet",
            "file",
            code="interactions.attachment_blobs.not_on_server",
            params={"name": name},
        )
    if found.size != size or not 0 <= found.parts <= size // BLOB_PART_BYTES + 1:
        raise _tampered(name)
    target = stored_path(sha256)
    partial = target.with_name(f"{target.name}.{os.getpid()}.download")
    digest = hashlib.sha256()
    got = 0
    try:
        with partial.open("wb") as out:
            for part in range(found.parts):
                chunk = conn.scalar(
                    text(
                        "SELECT content FROM attachment_blob_parts "
                        "WHERE sha256 = :sha AND part = :part"
                    ),
                    {"sha": sha256, "part": part},
                )
                if chunk is None or got + len(chunk) > size:
                    raise _tampered(name)
                got += len(chunk)
                digest.update(chunk)
                out.write(chunk)
        if got != size or digest.hexdigest() != sha256:
            raise _tampered(name)
        os.replace(partial, target)
    except OSError as exc:
        raise EnvironmentFault(
            f"Cannot write {target}: {exc.strerror}",
            code="interactions.attachment_files.cannot_write",
            params={"name": str(target), "exc": str(exc.strerror)},
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


def _tampered(name: str) -> ValidationError:
    return ValidationError(
        f"The server's copy of {name} does not match its checksum; it was not opened",
        "file",
        code="interactions.attachment_blobs.tampered",
        params={"name": name},
    )


# --- every attachment written on a team database takes its bytes along ----


def _after_flush(session: Session, _context: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, Attachment)]
    if not new:
        return
    conn = session.connection()
    if not _shares(conn):
        return
    for obj in new:
        share(conn, obj.sha256, obj.size, obj.filename)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
