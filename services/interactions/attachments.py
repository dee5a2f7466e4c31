"""Attachments of a card: files saved from mail, and files the user adds by
hand (the Attachments tab's "+"). A file from disk is as hostile as one from
a letter: only a regular file is read (a FIFO or a device would block or
never end), at most ``MAX_FILE_BYTES``, and its name is cut to a plain
base name without control or direction characters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import mimetypes
import os
import stat
import unicodedata
from pathlib import Path

from sqlalchemy import or_, select

from models import Attachment, Contact
from services.core import access
from services.core.access import Actor
from services.core.errors import EnvironmentFault, NotFoundError, ValidationError
from services.core.paths import data_dir
from services.core.storage import UnitOfWork
from services.interactions.notes import party_columns
from services.parties import records as parties

MAX_FILE_BYTES = 25 * 1024 * 1024  # as a letter's attachment (mime's default)
MAX_FILENAME = 255


@dataclasses.dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    mime_type: str
    size: int
    interaction_id: int | None
    created_at: dt.datetime
    path: str  # absolute path of the stored file
    sha256: str = ""  # names the file's bytes on a team server (attachment_blobs.py)


def list_for(
    uow: UnitOfWork, actor: Actor, kind: str, object_id: int, limit: int = 500
) -> list[AttachmentView]:
    query = select(Attachment).order_by(Attachment.created_at.desc(), Attachment.id.desc())
    if kind == "client":
        parties.check_visible(uow, actor, "client", object_id)
        query = query.where(Attachment.client_id == object_id)
    elif kind == "lead":
        parties.check_visible(uow, actor, "lead", object_id)
        query = query.where(Attachment.lead_id == object_id)
    elif kind == "contact":
        access.check(uow, actor, "contact", object_id)
        contact = uow.session.get(Contact, object_id)
        if contact is None:
            raise NotFoundError("Contact", object_id)
        query = query.where(
            or_(
                Attachment.contact_id == object_id,
                Attachment.client_id == contact.client_id
                if contact.client_id
                else Attachment.lead_id == contact.lead_id,
            )
        )
    elif kind == "deal":
        access.check(uow, actor, "deal", object_id)
        query = query.where(Attachment.deal_id == object_id)
    else:
        raise ValidationError(
            f"Attachments belong to a client, lead, contact or deal, not {kind!r}",
            code="interactions.attachments.attachments_belong_client_lead",
            params={"kind": repr(kind)},
        )
    return [_view(a) for a in uow.session.scalars(query.limit(limit))]


def _view(a: Attachment) -> AttachmentView:
    return AttachmentView(
        a.id,
        a.filename,
        a.mime_type,
        a.size,
        a.interaction_id,
        a.created_at,
        str(data_dir() / Path(a.path)),
        a.sha256,
    )


def clean_filename(name: str) -> str:
    """The base name as a person can read it: no folders, no control or
    bidi characters (an "exe.txt" shown as "txt.exe"), at most 255 characters
    with the extension kept."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = " ".join(base.split()).strip(" .")
    if not base:
        return "file"
    if len(base) > MAX_FILENAME:
        _stem, dot, ext = base.rpartition(".")
        ext = ext if dot and len(ext) <= 16 else ""
        base = base[: MAX_FILENAME - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return base


def read_file(path: str) -> tuple[str, bytes]:
    """A regular file's name and bytes, refused when larger than
    ``MAX_FILE_BYTES`` (checked before reading, and again while reading)."""
    shown = clean_filename(path)
    try:
        # O_NONBLOCK: a FIFO put in place of the file does not block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValidationError(
            f"No such file: {path}",
            "file",
            code="core.backup.no_such_file",
            params={"source": path},
        ) from None
    except OSError as exc:
        raise EnvironmentFault(
            f"Cannot read {shown}: {exc.strerror}",
            code="exchange.contact_files.cannot_read",
            params={"name": shown, "exc": str(exc.strerror)},
        ) from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(
                f"{shown} is not a regular file",
                "file",
                code="interactions.attachments.not_a_file",
                params={"name": shown},
            )
        data = handle.read(MAX_FILE_BYTES + 1) if info.st_size <= MAX_FILE_BYTES else b""
    if info.st_size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{shown} is larger than {MAX_FILE_BYTES >> 20} MB",
            "file",
            code="interactions.attachments.too_large",
            params={"name": shown, "limit": str(MAX_FILE_BYTES >> 20)},
        )
    return shown, data


def add(
    uow: UnitOfWork, actor: Actor, kind: str, object_id: int, filename: str, data: bytes
) -> AttachmentView:
    """Attach ``data`` to a card the actor sees (a contact's or deal's file
    shows on its client or lead too)."""
    from services.mail.attachment_files import save_attachment  # mail parsing: on demand

    ids = party_columns(uow, actor, kind, object_id)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{filename} is larger than {MAX_FILE_BYTES >> 20} MB",
            "file",
            code="interactions.attachments.too_large",
            params={"name": filename, "limit": str(MAX_FILE_BYTES >> 20)},
        )
    name = clean_filename(filename)
    path, digest = save_attachment(data)
    row = Attachment(
        **ids,
        filename=name,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        sha256=digest,
        path=path,
    )
    uow.session.add(row)
    uow.session.flush()
    return _view(row)
