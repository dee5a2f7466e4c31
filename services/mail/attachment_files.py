"""An imported letter's attachments as files: content-addressed under the
data folder (the same bytes are kept once), written before their rows so a
row never names a missing file; a calendar invite kept as an .ics file."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from models import Attachment, Interaction
from services.core.paths import attachments_dir
from services.core.storage import UnitOfWork
from services.mail import mime, parse_worker


def save_attachment(data: bytes) -> tuple[str, str]:
    """Content-addressed file under the data folder: (relative path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = attachments_dir() / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not renew(path):
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return f"attachments/{digest[:2]}/{digest}", digest


def renew(path: Path) -> bool:
    """Mark a stored file as just used (its modification time), so the
    clean-up's grace period starts again (services/interactions/
    attachment_cleanup.py); False when it is not there (to be written)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


@dataclasses.dataclass(frozen=True)
class StoredAttachment:
    """An attachment already in its file, waiting for its row."""

    filename: str
    content_type: str
    size: int
    path: str
    sha256: str


def stored_attachments(parsed: mime.ParsedMessage | parse_worker.Body) -> list[StoredAttachment]:
    """The attachments under the size limit, and a calendar invite as an
    .ics file so the user can open it in their calendar, written to files."""
    parts: list[tuple[str, str, int, bytes | None]] = [
        (p.filename, p.content_type, p.size, p.data) for p in parsed.attachments
    ]
    has_ics = any(ct == "text/calendar" for _n, ct, _s, _d in parts)
    if parsed.calendar and not has_ics:  # Gmail invites carry their own invite.ics
        invite = parsed.calendar.encode("utf-8")
        parts.append(("invite.ics", "text/calendar", len(invite), invite))
    found: list[StoredAttachment] = []
    for filename, content_type, size, data in parts:
        if data is not None:
            path, digest = save_attachment(data)
            found.append(StoredAttachment(filename, content_type, size, path, digest))
    return found


def save_attachments(uow: UnitOfWork, interaction: Interaction, parsed: mime.ParsedMessage) -> None:
    """Attachments under the size limit as files; a calendar invite as an
    .ics file so the user can open it in their calendar."""
    for s in stored_attachments(parsed):
        uow.session.add(
            Attachment(
                client_id=interaction.client_id,
                lead_id=interaction.lead_id,
                interaction_id=interaction.id,
                filename=s.filename,
                mime_type=s.content_type,
                size=s.size,
                sha256=s.sha256,
                path=s.path,
            )
        )
